/** Shared pieces of the PACS adapter tests. */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { ChangesPage, PacsAdapter, StableStudy } from '../../../hub/pacs/pacsAdapter.js';
import { waitFor } from '../../harness/waitFor.js';

/** Every `.dcm` file under `dir`, sorted. */
export async function dcmFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.dcm'))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

export interface Collected {
  studies: StableStudy[];
  /** The cursor before the page that returned the awaited study. */
  cursorBefore: string | null;
  /** The cursor after the last page read. */
  cursor: string;
}

/**
 * Calls changes() from `start`, following cursors, until `uid` shows up;
 * then keeps polling for `settleMs` to catch duplicates. Returns every study
 * seen on the way.
 */
export async function collectUntil(adapter: PacsAdapter, start: string | null, uid: string, options: { timeoutMs?: number; settleMs?: number } = {}): Promise<Collected> {
  const studies: StableStudy[] = [];
  let cursor: string | null = start;
  let cursorBefore: string | null = start;
  await waitFor(
    async () => {
      const page: ChangesPage = await adapter.changes(cursor);
      if (page.studies.some((s) => s.studyInstanceUid === uid)) cursorBefore = cursor;
      studies.push(...page.studies);
      cursor = page.cursor;
      return studies.some((s) => s.studyInstanceUid === uid);
    },
    { what: `study ${uid} from changes()`, timeoutMs: options.timeoutMs ?? 20_000, intervalMs: 250 },
  );
  const settleUntil = Date.now() + (options.settleMs ?? 2_500);
  while (Date.now() < settleUntil) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    const page: ChangesPage = await adapter.changes(cursor);
    studies.push(...page.studies);
    cursor = page.cursor;
  }
  return { studies, cursorBefore, cursor: cursor as string };
}
