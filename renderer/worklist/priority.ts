import type { Priority } from '../../core/api/teleFiles.js';
import { missingCase } from '../util/missingCase.js';

/**
 * How a priority shows: a tone (colour), a shape and a word, so that it reads
 * without colour vision and on a dimmed screen. `pending`: the emergency
 * physician's request has not arrived, so nobody has set a priority yet.
 */
export type PriorityTone = 'vital' | 'urgent' | 'standard' | 'pending';

export function priorityTone(priority: Priority | null): PriorityTone {
  return priority ?? 'pending';
}

/**
 * Shapes, not only colours (WCAG 1.4.1): ▲ vital, ◆ urgent, ○ standard, ◌ (dotted: not
 * set yet) waiting for the request. All from Geometric Shapes, which every system font has.
 */
export function priorityIcon(tone: PriorityTone): string {
  switch (tone) {
    case 'vital':
      return '▲';
    case 'urgent':
      return '◆';
    case 'standard':
      return '○';
    case 'pending':
      return '◌';
    default:
      return missingCase(tone);
  }
}

/**
 * Sort rank, most pressing first. A file still waiting for its request ranks
 * after urgent and before standard: it may well be a vital emergency whose
 * request is being typed, so it must not sink to the bottom of the list.
 */
export function priorityRank(priority: Priority | null): number {
  switch (priority) {
    case 'vital':
      return 0;
    case 'urgent':
      return 1;
    case null:
      return 2;
    case 'standard':
      return 3;
    default:
      return missingCase(priority);
  }
}
