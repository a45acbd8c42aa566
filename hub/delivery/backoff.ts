/** Delays between attempts: quick at first (a PACS restarting), then every 15 minutes. */
export const DEFAULT_BACKOFF_MS: readonly number[] = [5_000, 15_000, 60_000, 5 * 60_000, 15 * 60_000];

/**
 * A job still failing after this long since it was created becomes 'failed':
 * a person must look (the site's PACS moved, a firewall changed…). The
 * delivered report is a medical record; silence is not an option.
 */
export const GIVE_UP_AFTER_MS = 24 * 60 * 60_000;

/** How long a claimed job belongs to the hub that claimed it; a killed hub's job is taken again after this. */
export const LEASE_MS = 2 * 60_000;

/** The delay before the next attempt after `attempts` failures (1 = first failure). */
export function backoffDelay(attempts: number, schedule: readonly number[] = DEFAULT_BACKOFF_MS): number {
  if (schedule.length === 0) return DEFAULT_BACKOFF_MS[0] as number;
  const index = Math.min(Math.max(attempts, 1), schedule.length) - 1;
  return schedule[index] as number;
}
