/** Starts the hub exactly as `npm start` does (node build/start.mjs), on a free port and its own data directory. */
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { startProcess, type ManagedProcess } from './processes.js';
import { makeTempDir, removeTempDir } from './tempDir.js';

const root = path.resolve(import.meta.dirname, '../..');

export interface DemoAccountInfo {
  username: string;
  password: string;
  roles: string[];
}

export interface HubProcess {
  url: string;
  dataDir: string;
  process: ManagedProcess;
  demoAccounts(): Promise<DemoAccountInfo[]>;
  account(username: string): Promise<DemoAccountInfo>;
  /** SIGTERM and wait (graceful shutdown); the data directory is kept for a restart. */
  stop(): Promise<void>;
  /** Stops if running and removes the data directory. */
  dispose(): Promise<void>;
}

export interface HubProcessOptions {
  env?: Record<string, string>;
  /** Kept by `dispose()` when given: it belongs to the caller (restarts reuse it). */
  dataDir?: string;
  startTimeoutMs?: number;
  /**
   * Run `hub/main.ts` directly, the entry start.mjs imports, without its first
   * step (rebuilding the web client when renderer/ or core/ changed): for tests
   * that need no web client, so a renderer edit in progress cannot stop them.
   */
  withoutWebBuild?: boolean;
}

export async function startHubProcess(options: HubProcessOptions = {}): Promise<HubProcess> {
  const dataDir = options.dataDir ?? (await makeTempDir('hub-data'));
  const processHandle = await startProcess({
    name: options.withoutWebBuild ? 'Vigie hub (hub/main.ts)' : 'Vigie hub (npm start)',
    command: process.execPath,
    args: options.withoutWebBuild ? ['--import', 'tsx', path.join(root, 'hub/main.ts')] : [path.join(root, 'build/start.mjs')],
    cwd: root,
    env: { ...process.env, VIGIE_DATA: dataDir, VIGIE_PORT: '0', VIGIE_LOG_LEVEL: 'warn', ...options.env },
    ready: { logLine: /Vigie is ready at http:\/\/\S+/ },
    startTimeoutMs: options.startTimeoutMs ?? 90_000,
    stopGraceMs: 15_000,
  });
  const match = /Vigie is ready at (http:\/\/\S+)/.exec(processHandle.logTail());
  if (!match?.[1]) {
    await processHandle.kill();
    throw new Error(`the hub did not print its URL:\n${processHandle.logTail()}`);
  }
  const url = match[1];
  const demoAccounts = async () => JSON.parse(await readFile(path.join(dataDir, 'demo-accounts.json'), 'utf8')) as DemoAccountInfo[];
  return {
    url,
    dataDir,
    process: processHandle,
    demoAccounts,
    async account(username) {
      const found = (await demoAccounts()).find((a) => a.username === username);
      if (!found) throw new Error(`no demo account ${username}`);
      return found;
    },
    async stop() {
      await processHandle.stop();
    },
    async dispose() {
      await processHandle.stop();
      if (!options.dataDir) await removeTempDir(dataDir);
    },
  };
}
