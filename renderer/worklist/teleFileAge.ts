import type { Priority } from '../../core/api/teleFiles.js';

const MS_PER_MINUTE = 60_000;

/** How often the age column ticks: a minute-precise clock would only add motion at 3 a.m. */
export const AGE_TICK_MS = 30_000;

/**
 * Minutes waited since the images arrived (the age timer starts there), or
 * null while they are still being received. Never negative: the hub's clock
 * and the workstation's may differ by a few seconds.
 */
export function ageMinutes(imagesReceivedAt: string | null, now: Date): number | null {
  if (imagesReceivedAt === null) return null;
  const since = Date.parse(imagesReceivedAt);
  if (Number.isNaN(since)) return null;
  return Math.max(0, Math.floor((now.getTime() - since) / MS_PER_MINUTE));
}

/** `{ minutes: 7 }` under an hour, `{ hours: 1, minutes: '05' }` from an hour on (shown "7 min", "1 h 05"). */
export type AgeParts = { readonly kind: 'minutes'; readonly minutes: number } | { readonly kind: 'hours'; readonly hours: number; readonly minutes: string };

export function ageParts(minutes: number): AgeParts {
  if (minutes < 60) return { kind: 'minutes', minutes };
  return { kind: 'hours', hours: Math.floor(minutes / 60), minutes: String(minutes % 60).padStart(2, '0') };
}

/**
 * After how long a tele-file waits too long for its priority: 30 min for a
 * vital emergency, 60 min for an urgent one; none for the rest.
 */
export function overdueAfterMinutes(priority: Priority | null): number | null {
  if (priority === 'vital') return 30;
  if (priority === 'urgent') return 60;
  return null;
}

export function isOverdue(priority: Priority | null, minutes: number | null): boolean {
  const limit = overdueAfterMinutes(priority);
  return limit !== null && minutes !== null && minutes >= limit;
}
