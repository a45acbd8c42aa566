import { z } from 'zod';
import type { ReportView } from '../../core/api/reports.js';
import { DraftFields, fieldsOf, sameFields } from './draftFields.js';

/**
 * The draft as last typed, kept in this browser's localStorage until the hub
 * has it: a crash, a reload or a network cut loses no more than what was
 * typed since the last keystroke was written here (every edit is).
 *
 * It holds report text (PHI) on the workstation: it is keyed by user, removed
 * as soon as the hub has the same text, and never kept for a signed report.
 */
export const LocalCopy = z.object({
  v: z.literal(1),
  fields: DraftFields,
  /** The hub version these edits started from (SaveDraftRequest.baseVersion). */
  baseVersion: z.number().int().min(0),
  /** When the last edit was made (ms since the epoch, this machine's clock). */
  editedAt: z.number(),
});
export type LocalCopy = z.infer<typeof LocalCopy>;

/** One draft's key: the tele-file's report, or an addendum (by its report id); per user, since workstations are shared. */
export function localCopyKey(userId: string, target: { kind: 'report'; teleFileId: string } | { kind: 'addendum'; reportId: string }): string {
  return target.kind === 'report' ? `vigie.report-draft.${userId}.tele-file.${target.teleFileId}` : `vigie.report-draft.${userId}.addendum.${target.reportId}`;
}

/** What localStorage offers that this needs (tests pass a Map-backed one). */
export type KeyValueStore = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

export function readLocalCopy(store: KeyValueStore | undefined, key: string): LocalCopy | null {
  try {
    const text = store?.getItem(key);
    if (text === null || text === undefined) return null;
    const parsed = LocalCopy.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** false when the browser refused (quota, private mode): the panel then cannot promise a local copy. */
export function writeLocalCopy(store: KeyValueStore | undefined, key: string, copy: LocalCopy): boolean {
  if (store === undefined) return false;
  try {
    store.setItem(key, JSON.stringify(copy));
    return true;
  } catch {
    return false;
  }
}

export function removeLocalCopy(store: KeyValueStore | undefined, key: string): void {
  try {
    store?.removeItem(key);
  } catch {
    // Nothing to do: a copy that cannot be removed is replaced at the next edit or ignored once stale.
  }
}

export type StartingPoint =
  | { readonly source: 'hub' }
  /** Unsaved local edits newer than the hub's draft: restored, then saved (a stale base meets the hub's 409 and the person chooses). */
  | { readonly source: 'local'; readonly copy: LocalCopy; readonly staleBase: boolean };

/**
 * Where an editor reopened on this machine starts: from the local copy when
 * it holds edits made after the hub's version was saved, else from the hub.
 * A signed report is final: its local copy is only stale.
 */
export function startingPoint(hub: ReportView | null, copy: LocalCopy | null): StartingPoint {
  if (copy === null) return { source: 'hub' };
  if (hub === null) return { source: 'local', copy, staleBase: copy.baseVersion > 0 };
  if (hub.status === 'signed' || sameFields(copy.fields, fieldsOf(hub))) return { source: 'hub' };
  if (copy.baseVersion >= hub.version) return { source: 'local', copy, staleBase: false };
  // The hub moved on since these edits began (another tab or workstation): keep them only if typed after that save.
  const hubSavedAt = Date.parse(hub.updatedAt);
  if (!Number.isNaN(hubSavedAt) && copy.editedAt > hubSavedAt) return { source: 'local', copy, staleBase: true };
  return { source: 'hub' };
}
