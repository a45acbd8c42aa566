import { z } from 'zod';
import type { TeleFileChange, TeleFileSummary } from '../../core/api/teleFiles.js';
import { ModalityFamily } from '../../core/modalityFamily.js';
import type { TeleFileStatus } from '../../core/teleFile.js';
import { missingCase } from '../util/missingCase.js';
import { priorityRank } from './priority.js';

/** "à lire" (nobody has it), "pris" (someone reads it), or everything on the list. */
export const STATE_FILTERS = ['to-read', 'taken', 'all'] as const;
export const SORT_ORDERS = ['priority', 'age', 'site'] as const;

/** What the reader chose to see; kept in localStorage so it survives a reload or the next night. */
export const WorklistView = z.object({
  state: z.enum(STATE_FILTERS).catch('all'),
  family: z.union([ModalityFamily, z.literal('all')]).catch('all'),
  siteId: z.string().max(100).catch('all'),
  sort: z.enum(SORT_ORDERS).catch('priority'),
});
export type WorklistView = z.infer<typeof WorklistView>;
export type StateFilter = WorklistView['state'];
export type SortOrder = WorklistView['sort'];

// "Tous" by default: at 3 a.m. a reader must see that a colleague took a file, not wonder where it went.
export const DEFAULT_VIEW: WorklistView = { state: 'all', family: 'all', siteId: 'all', sort: 'priority' };

const STORAGE_KEY = 'vigie.worklist.view';

/** The stored choice, or `fallback` (those who do not read images start on "Tous"). */
export function readStoredView(storage: Pick<Storage, 'getItem'> | undefined, fallback: WorklistView = DEFAULT_VIEW): WorklistView {
  try {
    const text = storage?.getItem(STORAGE_KEY);
    if (!text) return fallback;
    const parsed = WorklistView.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : fallback;
  } catch {
    return fallback;
  }
}

export function storeView(storage: Pick<Storage, 'setItem'> | undefined, view: WorklistView): void {
  try {
    storage?.setItem(STORAGE_KEY, JSON.stringify(view));
  } catch {
    // Not fatal: the choice holds until the page is reloaded.
  }
}

/** Which filter a state falls under. Refused files are never in the main list (admins see them apart). */
export function stateGroup(status: TeleFileStatus): 'to-read' | 'taken' | 'done' | 'refused' {
  switch (status) {
    case 'received':
    case 'routed':
      return 'to-read';
    case 'claimed':
    case 'reading':
    case 'escalated':
      return 'taken';
    case 'signed':
    case 'delivered':
    case 'cancelled':
      return 'done';
    case 'refused':
      return 'refused';
    default:
      return missingCase(status);
  }
}

/**
 * "À lire" is what is left for this reader to deal with: nobody's files and
 * their own (a claimed file must not vanish from under the hand that took it).
 * "Pris" is every file someone has. "Tous" adds signed, delivered, cancelled.
 */
export function matchesView(item: TeleFileSummary, view: WorklistView, meId: string): boolean {
  const group = stateGroup(item.status);
  if (group === 'refused') return false;
  if (view.state === 'to-read' && !(group === 'to-read' || (group === 'taken' && item.assignee?.id === meId))) return false;
  if (view.state === 'taken' && group !== 'taken') return false;
  if (view.family !== 'all' && item.modalityFamily !== view.family) return false;
  if (view.siteId !== 'all' && item.requestingSite?.id !== view.siteId) return false;
  return true;
}

/** When the wait started: the last image's arrival, or the file's creation while images are still coming. */
function waitingSince(item: TeleFileSummary): number {
  return Date.parse(item.imagesReceivedAt ?? item.createdAt);
}

function byAge(a: TeleFileSummary, b: TeleFileSummary): number {
  return waitingSince(a) - waitingSince(b) || a.id.localeCompare(b.id);
}

function byPriority(a: TeleFileSummary, b: TeleFileSummary): number {
  return priorityRank(a.priority) - priorityRank(b.priority);
}

function bySite(a: TeleFileSummary, b: TeleFileSummary): number {
  // No site yet (unknown sender) sorts last.
  const an = a.requestingSite?.name ?? '\uffff';
  const bn = b.requestingSite?.name ?? '\uffff';
  return an.localeCompare(bn, 'fr');
}

/** The comparator of a sort order; every order ends on the age, oldest first, so ties are stable. */
export function comparatorFor(sort: SortOrder): (a: TeleFileSummary, b: TeleFileSummary) => number {
  switch (sort) {
    case 'priority':
      return (a, b) => byPriority(a, b) || byAge(a, b);
    case 'age':
      return byAge;
    case 'site':
      return (a, b) => bySite(a, b) || byPriority(a, b) || byAge(a, b);
    default:
      return missingCase(sort);
  }
}

/** The rows of the main table, filtered and in order. */
export function visibleRows(items: readonly TeleFileSummary[], view: WorklistView, meId: string): TeleFileSummary[] {
  return items.filter((item) => matchesView(item, view, meId)).sort(comparatorFor(view.sort));
}

/** Refused files for the admins' section, most recent first. */
export function refusedRows(items: readonly TeleFileSummary[]): TeleFileSummary[] {
  return items.filter((item) => item.status === 'refused').sort((a, b) => Date.parse(b.updatedAt) - Date.parse(a.updatedAt));
}

/** The requesting sites present in the list, for the site filter. */
export function sitesOf(items: readonly TeleFileSummary[]): { id: string; name: string }[] {
  const sites = new Map<string, string>();
  for (const item of items) if (item.requestingSite) sites.set(item.requestingSite.id, item.requestingSite.name);
  return [...sites].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name, 'fr'));
}

/**
 * Applies a live change or a fresh copy of one file. A copy older than the one
 * held (same file, lower version: a claim's answer and the feed can cross) is
 * ignored, so the list never steps back.
 */
export function applyChange(items: readonly TeleFileSummary[], change: TeleFileChange): TeleFileSummary[] {
  if (change.kind === 'remove') return items.filter((item) => item.id !== change.id);
  const next = change.teleFile;
  const index = items.findIndex((item) => item.id === next.id);
  if (index === -1) return [...items, next];
  const held = items[index];
  if (held !== undefined && held.version > next.version) return [...items];
  const copy = [...items];
  copy[index] = next;
  return copy;
}

/** The selection after a move of `delta` rows; stays on the ends rather than wrapping. */
export function moveSelection(ids: readonly string[], current: string | null, delta: number): string | null {
  if (ids.length === 0) return null;
  const index = current === null ? -1 : ids.indexOf(current);
  if (index === -1) return delta < 0 ? (ids[ids.length - 1] ?? null) : (ids[0] ?? null);
  const next = Math.min(ids.length - 1, Math.max(0, index + delta));
  return ids[next] ?? null;
}

/** What the current reader can do with a file from the list. */
export type RowAction =
  | { readonly kind: 'claim' }
  | { readonly kind: 'release' }
  | { readonly kind: 'taken-by-other'; readonly name: string }
  | { readonly kind: 'none' };

export function rowAction(item: TeleFileSummary, me: { id: string; canRead: boolean }): RowAction {
  const mine = item.assignee !== null && item.assignee.id === me.id;
  if (item.assignee !== null && !mine) return { kind: 'taken-by-other', name: item.assignee.displayName };
  if (!me.canRead) return { kind: 'none' };
  if (item.status === 'routed' && item.assignee === null) return { kind: 'claim' };
  if (mine && (item.status === 'claimed' || item.status === 'escalated')) return { kind: 'release' };
  return { kind: 'none' };
}
