import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

let counter = 0;

/**
 * Writes a file so that its final name only ever holds complete content: the
 * bytes go to a hidden temporary name in the same directory (same file
 * system, so rename is atomic), are flushed to disk, then renamed. A crash
 * leaves at worst a stray `.…tmp` file that no `*.dcm` scan picks up.
 */
export async function writeFileAtomic(path: string, bytes: Uint8Array): Promise<void> {
  counter += 1;
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.${counter}.tmp`);
  const handle = await open(temporary, 'wx');
  try {
    await handle.writeFile(bytes);
    await handle.datasync();
  } catch (error) {
    await handle.close();
    await rm(temporary, { force: true });
    throw error;
  }
  await handle.close();
  try {
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
