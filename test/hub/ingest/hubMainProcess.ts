/**
 * The hub as a process, started like `npm start` minus its first step:
 * build/start.mjs rebuilds the web client whenever renderer/ or core/ is newer
 * than dist/web, so an unrelated renderer edit in progress (or a broken
 * renderer build) would stop an ingest test from starting the hub, and each
 * rebuild costs seconds. Ingest needs no web client: this runs the same entry
 * (`hub/main.ts` through tsx, as start.mjs imports it) with the same
 * environment and readiness line as test/harness/hub.ts startHubProcess().
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { DemoAccountInfo, HubProcess } from '../../harness/hub.js';
import { startProcess } from '../../harness/processes.js';

const root = path.resolve(import.meta.dirname, '../../..');

export async function startHubMainProcess(options: { dataDir: string; env?: Record<string, string>; startTimeoutMs?: number }): Promise<HubProcess> {
  const { dataDir } = options;
  const processHandle = await startProcess({
    name: 'Vigie hub (hub/main.ts)',
    command: process.execPath,
    args: ['--import', 'tsx', path.join(root, 'hub/main.ts')],
    cwd: root,
    env: { ...process.env, VIGIE_DATA: dataDir, VIGIE_PORT: '0', VIGIE_LOG_LEVEL: 'warn', ...options.env },
    ready: { logLine: /Vigie is ready at http:\/\/\S+/ },
    startTimeoutMs: options.startTimeoutMs ?? 60_000,
    stopGraceMs: 15_000,
  });
  const match = /Vigie is ready at (http:\/\/\S+)/.exec(processHandle.logTail());
  if (!match?.[1]) {
    await processHandle.kill();
    throw new Error(`the hub did not print its URL:\n${processHandle.logTail()}`);
  }
  const demoAccounts = async () => JSON.parse(await readFile(path.join(dataDir, 'demo-accounts.json'), 'utf8')) as DemoAccountInfo[];
  return {
    url: match[1],
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
    // The data directory belongs to the caller (it outlives restarts).
    async dispose() {
      await processHandle.stop();
    },
  };
}
