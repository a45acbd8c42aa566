/**
 * Child processes for tests: start with a readiness check and a start
 * timeout, stop the whole process group (SIGTERM, then SIGKILL after a
 * grace), and kill whatever is still running when the test process exits
 * or is interrupted.
 *
 * Every child is spawned `detached`, so it leads its own process group and
 * `process.kill(-pid, …)` reaches its children too. Because a detached group
 * does not get the terminal's Ctrl-C, the exit/signal handlers below are what
 * keeps an interrupted run from leaving Orthanc servers behind.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';

// ---------------------------------------------------------------------------
// Leftover registry and exit handlers
// ---------------------------------------------------------------------------

const liveGroups = new Set<number>();
const cleanupHooks = new Set<() => void>();
const tempDirsToRemove = new Set<string>();
let handlersInstalled = false;

const HANDLED_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

function killGroupSync(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false; // ESRCH: the group is gone
  }
}

/** Kills every registered leftover synchronously. Safe to call twice. */
export function killLeftoversSync(): void {
  for (const pgid of liveGroups) killGroupSync(pgid, 'SIGKILL');
  liveGroups.clear();
  for (const hook of cleanupHooks) {
    try {
      hook();
    } catch {
      // best effort at exit
    }
  }
  cleanupHooks.clear();
  for (const dir of tempDirsToRemove) {
    try {
      rmSync(dir, { recursive: true, force: true, maxRetries: 3, retryDelay: 50 });
    } catch {
      // best effort at exit
    }
  }
  tempDirsToRemove.clear();
}

function onSignal(signal: NodeJS.Signals): void {
  killLeftoversSync();
  // If nobody else listens for this signal, restore the default behaviour
  // (terminate) instead of swallowing it.
  if (process.listenerCount(signal) <= 1) {
    for (const s of HANDLED_SIGNALS) process.removeListener(s, onSignal);
    process.kill(process.pid, signal);
  }
}

function installHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on('exit', killLeftoversSync);
  for (const s of HANDLED_SIGNALS) process.on(s, onSignal);
}

/** Registers a synchronous hook run at process exit (e.g. stop a daemon). Returns an unregister function. */
export function registerExitCleanup(hook: () => void): () => void {
  installHandlers();
  cleanupHooks.add(hook);
  return () => {
    cleanupHooks.delete(hook);
  };
}

/** Registers a directory removed at process exit if still there. Returns an unregister function. */
export function registerTempDirForExit(dir: string): () => void {
  installHandlers();
  tempDirsToRemove.add(dir);
  return () => {
    tempDirsToRemove.delete(dir);
  };
}

function registerGroup(pgid: number): void {
  installHandlers();
  liveGroups.add(pgid);
}

// ---------------------------------------------------------------------------
// Output capture
// ---------------------------------------------------------------------------

/** Keeps the last `max` lines written to stdout and stderr (interleaved). */
export class LogTail {
  private readonly lines: string[] = [];
  private readonly partial: Record<'stdout' | 'stderr', string> = { stdout: '', stderr: '' };
  private readonly listeners = new Set<(line: string) => void>();

  constructor(private readonly max = 200) {}

  push(stream: 'stdout' | 'stderr', chunk: Buffer | string): void {
    const text = this.partial[stream] + chunk.toString();
    const parts = text.split(/\r?\n/);
    this.partial[stream] = parts.pop() ?? '';
    for (const line of parts) this.addLine(line);
  }

  /** Flushes unterminated last lines (call when the process has exited). */
  flush(): void {
    for (const stream of ['stdout', 'stderr'] as const) {
      if (this.partial[stream] !== '') {
        this.addLine(this.partial[stream]);
        this.partial[stream] = '';
      }
    }
  }

  onLine(listener: (line: string) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  text(): string {
    const pending = [this.partial.stdout, this.partial.stderr].filter((s) => s !== '');
    return [...this.lines, ...pending].join('\n');
  }

  private addLine(line: string): void {
    this.lines.push(line);
    if (this.lines.length > this.max) this.lines.splice(0, this.lines.length - this.max);
    for (const listener of this.listeners) listener(line);
  }
}

function formatTail(tail: string): string {
  return tail.trim() === '' ? '(no output)' : tail;
}

// ---------------------------------------------------------------------------
// Long-running processes
// ---------------------------------------------------------------------------

export type Readiness =
  /** Ready when GET url answers with an accepted status (default: 2xx). */
  | { url: string; acceptStatus?: (status: number) => boolean }
  /** Ready when a line of stdout/stderr matches. */
  | { logLine: RegExp | string }
  /** Ready when the function resolves true. */
  | { check: () => Promise<boolean> | boolean; description: string };

export interface StartProcessOptions {
  /** Human label used in every error message ("Orthanc pivot"). */
  name: string;
  command: string;
  args?: string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** How to tell the process is ready; without it, ready as soon as spawned. */
  ready?: Readiness;
  /** Default 20 000 ms. */
  startTimeoutMs?: number;
  /** Poll interval for url/check readiness. Default 100 ms. */
  pollIntervalMs?: number;
  /** SIGTERM → SIGKILL grace on stop(). Default 5 000 ms. */
  stopGraceMs?: number;
  /** Signal sent first on stop(). Default SIGTERM. */
  stopSignal?: NodeJS.Signals;
  /** Lines of output kept for error messages. Default 200. */
  logLines?: number;
}

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ManagedProcess {
  readonly name: string;
  readonly pid: number;
  readonly child: ChildProcess;
  /** Resolves when the process (group leader) has exited. */
  readonly exited: Promise<ExitInfo>;
  /** The last captured lines of stdout/stderr. */
  logTail(): string;
  isRunning(): boolean;
  /** stopSignal to the group, SIGKILL after the grace; resolves when the leader has exited. Idempotent. */
  stop(): Promise<ExitInfo>;
  /** SIGKILL to the group at once (crash simulation). Idempotent. */
  kill(): Promise<ExitInfo>;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function describeReadiness(ready: Readiness | undefined): string {
  if (ready === undefined) return 'spawn';
  if ('url' in ready) return `GET ${ready.url}`;
  if ('logLine' in ready) return `a log line matching ${String(ready.logLine)}`;
  return ready.description;
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/** [state, ppid, pgrp] of a process from /proc, or undefined when it is gone or /proc is unreadable. */
function procStat(pid: string | number): [state: string, ppid: number, pgrp: number] | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // "pid (comm) state ppid pgrp …": comm may hold spaces and parentheses.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return [fields[0] ?? '', Number(fields[1]), Number(fields[2])];
}

/**
 * True while the process exists and is not a zombie. (kill(pid, 0) also
 * succeeds on zombies, which linger when PID 1 does not reap orphans, as in
 * some containers.)
 */
export function isProcessLive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const stat = procStat(pid);
  if (stat === undefined) return !existsSync('/proc/self/stat'); // no /proc: trust kill(0)
  return stat[0] !== 'Z' && stat[0] !== 'X';
}

/** True while some non-zombie process is in the process group `pgid`. */
export function processGroupHasLiveMembers(pgid: number): boolean {
  if (!groupAlive(pgid)) return false;
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return true; // no /proc: trust kill(-pgid, 0)
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = procStat(entry);
    if (stat !== undefined && stat[2] === pgid && stat[0] !== 'Z' && stat[0] !== 'X') return true;
  }
  return false;
}

/** Waits until no live (non-zombie) process is left in the group, at most `ms`. */
async function waitGroupGone(pgid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (!processGroupHasLiveMembers(pgid)) return true;
    await delay(25);
  }
  return !processGroupHasLiveMembers(pgid);
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Spawns a long-running process in its own process group and resolves once
 * it is ready. On a start timeout or an early exit the group is killed and
 * the promise rejects with the process name and its last output lines.
 */
export async function startProcess(options: StartProcessOptions): Promise<ManagedProcess> {
  const {
    name,
    command,
    args = [],
    ready,
    startTimeoutMs = 20_000,
    pollIntervalMs = 100,
    stopGraceMs = 5_000,
    stopSignal = 'SIGTERM',
  } = options;
  const tail = new LogTail(options.logLines ?? 200);

  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });

  const spawned = new Promise<void>((resolve, reject) => {
    child.once('spawn', () => resolve());
    child.once('error', (err) => reject(err));
  });
  try {
    await spawned;
  } catch (err) {
    throw new Error(`${name}: could not start ${command}: ${(err as Error).message}`, { cause: err });
  }
  const pid = child.pid;
  if (pid === undefined) throw new Error(`${name}: ${command} has no pid after spawn`);
  registerGroup(pid);

  child.stdout?.on('data', (chunk: Buffer) => tail.push('stdout', chunk));
  child.stderr?.on('data', (chunk: Buffer) => tail.push('stderr', chunk));

  let exitInfo: ExitInfo | undefined;
  const exited = new Promise<ExitInfo>((resolve) => {
    child.once('exit', (code, signal) => {
      tail.flush();
      exitInfo = { code, signal };
      resolve(exitInfo);
    });
  });

  let stopping: Promise<ExitInfo> | undefined;
  const terminate = (firstSignal: NodeJS.Signals, graceMs: number): Promise<ExitInfo> => {
    stopping ??= (async () => {
      if (processGroupHasLiveMembers(pid)) {
        killGroupSync(pid, firstSignal);
        const leaderGone = exitInfo !== undefined || (await withTimeout(exited, graceMs)) !== undefined;
        const groupGone = leaderGone && (await waitGroupGone(pid, 200));
        if (!groupGone) {
          killGroupSync(pid, 'SIGKILL');
          await withTimeout(exited, 5_000);
          await waitGroupGone(pid, 1_000);
        }
      }
      liveGroups.delete(pid);
      const info = exitInfo ?? (await withTimeout(exited, 5_000));
      if (info === undefined) throw new Error(`${name} (pid ${pid}) did not exit after SIGKILL`);
      return info;
    })();
    return stopping;
  };

  const managed: ManagedProcess = {
    name,
    pid,
    child,
    exited,
    logTail: () => tail.text(),
    isRunning: () => exitInfo === undefined,
    stop: () => terminate(stopSignal, stopGraceMs),
    kill: () => terminate('SIGKILL', 0),
  };

  try {
    await waitReady(managed, tail, ready, startTimeoutMs, pollIntervalMs, () => exitInfo);
  } catch (err) {
    await managed.kill().catch(() => undefined);
    throw err;
  }
  return managed;
}

async function waitReady(
  proc: ManagedProcess,
  tail: LogTail,
  ready: Readiness | undefined,
  timeoutMs: number,
  pollIntervalMs: number,
  exitInfo: () => ExitInfo | undefined,
): Promise<void> {
  if (ready === undefined) return;
  const what = describeReadiness(ready);
  const started = Date.now();
  const deadline = started + timeoutMs;
  let lastProblem = '';

  const exitedError = (info: ExitInfo): Error =>
    new Error(
      `${proc.name} exited (${info.signal ?? `code ${String(info.code)}`}) before it was ready (waiting for ${what}).\n` +
        `Last output:\n${formatTail(tail.text())}`,
    );
  const timeoutError = (): Error =>
    new Error(
      `${proc.name} did not become ready within ${timeoutMs} ms (waiting for ${what})` +
        `${lastProblem === '' ? '' : `; last attempt: ${lastProblem}`}.\nLast output:\n${formatTail(tail.text())}`,
    );

  if ('logLine' in ready) {
    const matches = (line: string): boolean =>
      typeof ready.logLine === 'string' ? line.includes(ready.logLine) : ready.logLine.test(line);
    if (tail.text().split('\n').some(matches)) return;
    await new Promise<void>((resolve, reject) => {
      const unsubscribe = tail.onLine((line) => {
        if (matches(line)) finish();
      });
      const timer = setTimeout(() => finish(timeoutError()), Math.max(0, deadline - Date.now()));
      void proc.exited.then((info) => finish(exitedError(info)));
      let done = false;
      function finish(err?: Error): void {
        if (done) return;
        done = true;
        unsubscribe();
        clearTimeout(timer);
        if (err) reject(err);
        else resolve();
      }
    });
    return;
  }

  for (;;) {
    const info = exitInfo();
    if (info) throw exitedError(info);
    const remaining = deadline - Date.now();
    if (remaining <= 0) throw timeoutError();
    try {
      if ('url' in ready) {
        const response = await fetch(ready.url, { signal: AbortSignal.timeout(Math.min(2_000, remaining)) });
        await response.body?.cancel();
        const accept = ready.acceptStatus ?? ((status: number) => status >= 200 && status < 300);
        if (accept(response.status)) return;
        lastProblem = `HTTP ${response.status}`;
      } else if (await ready.check()) {
        return;
      } else {
        lastProblem = 'not ready yet';
      }
    } catch (err) {
      lastProblem = err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err);
    }
    await delay(Math.min(pollIntervalMs, Math.max(0, deadline - Date.now())));
  }
}

// ---------------------------------------------------------------------------
// Short commands
// ---------------------------------------------------------------------------

export interface RunCommandOptions {
  /** Label for error messages; defaults to the command. */
  name?: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Default 60 000 ms; the group is SIGKILLed when it runs out. */
  timeoutMs?: number;
  /** Throw when the exit code is not 0. Default true. */
  check?: boolean;
  /** Lines of output quoted in error messages. Default 40. */
  logLines?: number;
}

export interface CommandResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a command to completion in its own process group, with a timeout.
 * Rejects (when `check`) with the command name, exit status and the last
 * output lines.
 */
export async function runCommand(command: string, args: string[] = [], options: RunCommandOptions = {}): Promise<CommandResult> {
  const { timeoutMs = 60_000, check = true } = options;
  const name = options.name ?? command;
  const tail = new LogTail(options.logLines ?? 40);
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];

  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (chunk: Buffer) => {
    stdout.push(chunk);
    tail.push('stdout', chunk);
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr.push(chunk);
    tail.push('stderr', chunk);
  });

  let timedOut = false;
  const result = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`${name}: could not run ${command}: ${err.message}`, { cause: err }));
    });
    child.once('spawn', () => {
      if (child.pid !== undefined) registerGroup(child.pid);
      timer = setTimeout(() => {
        timedOut = true;
        if (child.pid !== undefined) killGroupSync(child.pid, 'SIGKILL');
      }, timeoutMs);
    });
    // A daemon started by the command may hold our pipes open: give stdio a
    // moment to end after the exit, then cut it.
    child.once('exit', () => {
      setTimeout(() => {
        child.stdout.destroy();
        child.stderr.destroy();
      }, 2_000).unref();
    });
    // 'close' waits for stdio to end, so all output is captured.
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal });
    });
  }).finally(() => {
    if (child.pid !== undefined) liveGroups.delete(child.pid);
  });
  tail.flush();

  const out: CommandResult = {
    ...result,
    stdout: Buffer.concat(stdout).toString(),
    stderr: Buffer.concat(stderr).toString(),
  };
  if (timedOut) {
    throw new Error(`${name} did not finish within ${timeoutMs} ms and was killed.\nLast output:\n${formatTail(tail.text())}`);
  }
  if (check && out.code !== 0) {
    throw new Error(
      `${name} failed (${out.signal ?? `exit code ${String(out.code)}`}).\nLast output:\n${formatTail(tail.text())}`,
    );
  }
  return out;
}
