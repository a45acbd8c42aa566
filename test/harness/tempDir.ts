/** Temporary directories for tests, all under os.tmpdir() and named `vigie-test-…`. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { registerTempDirForExit } from './processes.js';

const PREFIX = 'vigie-test-';
const unregisterByDir = new Map<string, () => void>();

/**
 * Creates a fresh directory `<tmpdir>/vigie-test-<label>-XXXXXX`. It is
 * removed by removeTempDir(), or at process exit if a test forgot.
 */
export async function makeTempDir(label = 'tmp'): Promise<string> {
  const safeLabel = label.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 40);
  const dir = await mkdtemp(join(tmpdir(), `${PREFIX}${safeLabel}-`));
  unregisterByDir.set(dir, registerTempDirForExit(dir));
  return dir;
}

/** Removes a directory made by makeTempDir(). Refuses anything else. Idempotent. */
export async function removeTempDir(dir: string): Promise<void> {
  const absolute = resolve(dir);
  if (dirname(absolute) !== resolve(tmpdir()) || !basename(absolute).startsWith(PREFIX)) {
    throw new Error(`refusing to remove ${absolute}: not a ${PREFIX}* directory directly under ${tmpdir()}`);
  }
  await rm(absolute, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  unregisterByDir.get(absolute)?.();
  unregisterByDir.delete(absolute);
}
