import type { TeleFileSummary } from '../../core/api/teleFiles.js';
import { comparatorFor, stateGroup } from './worklistView.js';

/**
 * The tele-file to read after `currentId`: the reader's own claimed files
 * with images, in priority order (then age), the one after the current in
 * that order, wrapping to the first; null when there is no other.
 */
export function nextTeleFile(items: readonly TeleFileSummary[], meId: string, currentId: string): TeleFileSummary | null {
  const mine = items
    .filter((item) => item.assignee?.id === meId && stateGroup(item.status) === 'taken' && item.studyInstanceUid !== null)
    .sort(comparatorFor('priority'));
  if (mine.length === 0) return null;
  const at = mine.findIndex((item) => item.id === currentId);
  const candidates = at < 0 ? mine : [...mine.slice(at + 1), ...mine.slice(0, at)];
  return candidates.find((item) => item.id !== currentId) ?? null;
}
