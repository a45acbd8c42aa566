import { spawn } from 'node:child_process';
import path from 'node:path';
import { startHubProcess } from '../test/harness/hub.js';
import { makeTempDir, removeTempDir } from '../test/harness/tempDir.js';
import { loadLoop, type LoadResult } from './loadLoop.js';

const root = path.resolve(import.meta.dirname, '..');

export interface StartupFigures {
  hubMs: number[];
  baselineMs: number[];
}

/** Time from spawn to "ready" of a minimal Fastify server run the same way (tsx): what any Node service pays. */
async function baselineStart(): Promise<number> {
  const started = performance.now();
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'bench/minimalServer.ts')], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) {
        child.kill('SIGTERM');
        resolve();
      }
    });
    child.on('error', reject);
  });
  return performance.now() - started;
}

/** Cold start of the embedded hub (PGlite, demo data already present) to ready, against the minimal server. */
export async function measureStartup(runs: number): Promise<StartupFigures> {
  const dataDir = await makeTempDir('bench-start');
  try {
    // First start creates the database, the demo accounts and studies: not measured.
    const first = await startHubProcess({ dataDir, env: { VIGIE_LOG_LEVEL: 'warn' } });
    await first.stop();
    const hubMs: number[] = [];
    const baselineMs: number[] = [];
    for (let i = 0; i < runs; i += 1) {
      baselineMs.push(await baselineStart());
      const started = performance.now();
      const hub = await startHubProcess({ dataDir });
      hubMs.push(performance.now() - started);
      await hub.stop();
    }
    return { hubMs, baselineMs };
  } finally {
    await removeTempDir(dataDir);
  }
}

export interface ThroughputFigures {
  authenticated: LoadResult;
  health: LoadResult;
}

/** Requests per second on a session-checked route against the unauthenticated health route, same hub, same load. */
export async function measureThroughput(durationMs: number, concurrency: number): Promise<ThroughputFigures> {
  const hub = await startHubProcess({ env: { VIGIE_SECOND_FACTOR_ROLES: '', VIGIE_LOGIN_RATE_PER_MINUTE: '1000' } });
  try {
    const account = await hub.account('dr.lefebvre');
    const login = await fetch(`${hub.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: account.username, password: account.password }) });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    if (login.status !== 200 || !cookie) throw new Error(`bench sign-in failed: ${login.status}`);
    // Warm up both routes (JIT, connection pools).
    await loadLoop(`${hub.url}/api/health`, { concurrency, durationMs: 1000 });
    await loadLoop(`${hub.url}/api/worklist`, { concurrency, durationMs: 1000, headers: { cookie } });
    const health = await loadLoop(`${hub.url}/api/health`, { concurrency, durationMs });
    const authenticated = await loadLoop(`${hub.url}/api/worklist`, { concurrency, durationMs, headers: { cookie } });
    return { authenticated, health };
  } finally {
    await hub.dispose();
  }
}
