/**
 * Which study each of the reader's tele-files holds, as the worklist last
 * listed it (the summary itself: the viewer's banner can open with it). Opening a tele-file can then ask for its study's metadata (and
 * first image) at once, alongside the tele-file itself, instead of after it:
 * one round trip less before the first image. The hub still checks each
 * request against the reader's tele-files; the viewer still takes the study
 * from the tele-file it receives, and a hint that disagrees is only a wasted
 * request.
 */
import type { TeleFileSummary } from '../../core/api/teleFiles.js';

const listedByTeleFile = new Map<string, TeleFileSummary>();
const MAX_HINTS = 2_000;

export function rememberStudies(items: readonly TeleFileSummary[]): void {
  for (const item of items) {
    if (item.studyInstanceUid === null) continue;
    listedByTeleFile.delete(item.id);
    listedByTeleFile.set(item.id, item);
  }
  while (listedByTeleFile.size > MAX_HINTS) {
    const oldest = listedByTeleFile.keys().next().value;
    if (oldest === undefined) break;
    listedByTeleFile.delete(oldest);
  }
}

/** The tele-file as the worklist last listed it (the viewer opens with it while asking the hub for the current one). */
export function listedTeleFile(teleFileId: string): TeleFileSummary | null {
  return listedByTeleFile.get(teleFileId) ?? null;
}
