/**
 * A throwaway PostgreSQL server for tests (Debian `postgresql`): initdb into
 * a temp dir, pg_ctl start on a free 127.0.0.1 port with trust auth and no
 * fsync, pg_ctl stop -m fast and remove the dir on stop.
 *
 * initdb and postgres refuse to run as root: when we are root they run as
 * the `postgres` system user through runuser, and the temp dir is chowned to
 * that user.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { chown, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { getFreePort } from './freePort.js';
import { registerExitCleanup, runCommand, type CommandResult } from './processes.js';
import { makeTempDir, removeTempDir } from './tempDir.js';

export interface StartPostgresOptions {
  /** Default: a free port. */
  port?: number;
  /** Default 60 000 ms (initdb + start). */
  startTimeoutMs?: number;
}

export interface PostgresServer {
  /** postgres://postgres@127.0.0.1:PORT/postgres (trust auth, superuser). */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** The temp dir (data dir, socket and log inside). */
  readonly dir: string;
  readonly dataDir: string;
  readonly socketDir: string;
  readonly logFile: string;
  /** Creates a database (default: a unique name) and returns its URL. */
  createDatabase(name?: string): Promise<string>;
  /** Last lines of the server log. */
  logTail(lines?: number): Promise<string>;
  /** pg_ctl stop -m fast, then removes the temp dir. Idempotent. */
  stop(): Promise<void>;
}

/** The bin dir of the newest installed PostgreSQL (/usr/lib/postgresql/N/bin), or $VIGIE_PG_BIN. */
export function findPostgresBinDir(): string {
  const override = process.env.VIGIE_PG_BIN;
  if (override !== undefined && override !== '') return override;
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => /^\d+(\.\d+)?$/.test(v) && existsSync(join(root, v, 'bin', 'initdb')))
        .sort((a, b) => Number.parseFloat(b) - Number.parseFloat(a))
    : [];
  const newest = versions[0];
  if (newest === undefined) {
    throw new Error(`no PostgreSQL server found under ${root}; install postgresql (npm run test:setup) or set VIGIE_PG_BIN`);
  }
  return join(root, newest, 'bin');
}

const isRoot = (): boolean => process.getuid?.() === 0;

/** Runs a PostgreSQL binary, as the postgres user when we are root. */
function runPgTool(binDir: string, tool: string, args: string[], cwd: string, timeoutMs: number): Promise<CommandResult> {
  const binary = join(binDir, tool);
  const env = { ...process.env, LC_ALL: 'C', LANG: 'C' };
  if (isRoot()) {
    return runCommand('runuser', ['-u', 'postgres', '--', binary, ...args], { name: tool, cwd, env, timeoutMs });
  }
  return runCommand(binary, args, { name: tool, cwd, env, timeoutMs });
}

async function postgresUserIds(): Promise<{ uid: number; gid: number }> {
  const uid = Number((await runCommand('id', ['-u', 'postgres'], { timeoutMs: 5_000 })).stdout.trim());
  const gid = Number((await runCommand('id', ['-g', 'postgres'], { timeoutMs: 5_000 })).stdout.trim());
  if (!Number.isInteger(uid) || !Number.isInteger(gid)) throw new Error('could not read the uid/gid of the postgres user');
  return { uid, gid };
}

function readPostmasterPid(dataDir: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0] ?? '', 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Immediate shutdown (SIGQUIT), SIGKILL if it lingers; synchronous, for exit handlers. */
function killPostmasterSync(dataDir: string): void {
  const pid = readPostmasterPid(dataDir);
  if (pid === undefined || !alive(pid)) return;
  try {
    process.kill(pid, 'SIGQUIT');
  } catch {
    return;
  }
  for (let i = 0; i < 40 && alive(pid); i++) sleepSync(50);
  if (alive(pid)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
}

function tailOf(text: string, lines: number): string {
  return text.split('\n').slice(-lines - 1).join('\n');
}

const DATABASE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** Creates a database on the server at `serverUrl` (default: a unique name) and returns its URL. */
export async function createPostgresDatabase(serverUrl: string, name?: string): Promise<string> {
  const database = name ?? `vigie_test_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  if (!DATABASE_NAME.test(database)) {
    throw new Error(`invalid test database name ${JSON.stringify(database)}: use lower-case letters, digits and _`);
  }
  const client = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE "${database}"`);
  } finally {
    await client.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/** Starts a fresh PostgreSQL cluster; resolves once it accepts connections. */
export async function startPostgres(options: StartPostgresOptions = {}): Promise<PostgresServer> {
  const binDir = findPostgresBinDir();
  const timeoutMs = options.startTimeoutMs ?? 60_000;
  const dir = await makeTempDir('postgres');
  const dataDir = join(dir, 'data');
  const socketDir = dir;
  const logFile = join(dir, 'postgres.log');
  const host = '127.0.0.1';
  let unregisterExit: (() => void) | undefined;
  const readLog = async (lines = 40): Promise<string> => {
    try {
      return tailOf(await readFile(logFile, 'utf8'), lines);
    } catch {
      return '(no server log)';
    }
  };

  let port: number;
  try {
    if (isRoot()) {
      const { uid, gid } = await postgresUserIds();
      await chown(dir, uid, gid);
    }
    await runPgTool(
      binDir,
      'initdb',
      ['-D', dataDir, '--auth=trust', '-U', 'postgres', '--encoding=UTF8', '--locale=C', '--no-sync', '--no-instructions'],
      dir,
      timeoutMs,
    );
    unregisterExit = registerExitCleanup(() => killPostmasterSync(dataDir));

    for (let attempt = 1; ; attempt++) {
      port = options.port ?? (await getFreePort(host));
      const serverOptions = [
        `-p ${port}`,
        `-k '${socketDir}'`,
        `-c listen_addresses=${host}`,
        '-c fsync=off',
        '-c full_page_writes=off',
        '-c synchronous_commit=off',
      ].join(' ');
      try {
        await runPgTool(
          binDir,
          'pg_ctl',
          ['-D', dataDir, '-l', logFile, '-o', serverOptions, '-w', '-t', String(Math.ceil(timeoutMs / 1000)), 'start'],
          dir,
          timeoutMs + 5_000,
        );
        break;
      } catch (err) {
        const log = await readLog();
        const portTaken = /could not bind|already in use/i.test(log);
        killPostmasterSync(dataDir);
        if (options.port === undefined && portTaken && attempt < 3) continue;
        throw new Error(`PostgreSQL (port ${port}) did not start: ${(err as Error).message}\nServer log:\n${log}`, {
          cause: err,
        });
      }
    }
  } catch (err) {
    killPostmasterSync(dataDir);
    unregisterExit?.();
    await removeTempDir(dir);
    throw err;
  }

  const url = `postgres://postgres@${host}:${port}/postgres`;
  let stopping: Promise<void> | undefined;
  return {
    url,
    host,
    port,
    dir,
    dataDir,
    socketDir,
    logFile,
    createDatabase: (name?: string) => createPostgresDatabase(url, name),
    logTail: readLog,
    stop() {
      stopping ??= (async () => {
        try {
          await runPgTool(binDir, 'pg_ctl', ['-D', dataDir, '-m', 'fast', '-w', '-t', '30', 'stop'], dir, 40_000);
        } catch {
          killPostmasterSync(dataDir);
        } finally {
          unregisterExit?.();
          await removeTempDir(dir);
        }
      })();
      return stopping;
    },
  };
}
