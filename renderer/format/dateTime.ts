import { INTL_TAG, type Locale } from '../i18n/locale.js';

/**
 * The hub stores UTC; people read Paris time (ARCHITECTURE "Dates"), whatever
 * the zone of the workstation or of the radiologist's laptop at home.
 */
export const DISPLAY_TIME_ZONE = 'Europe/Paris';

type Instant = Date | string;

function toDate(instant: Instant): Date {
  const date = typeof instant === 'string' ? new Date(instant) : instant;
  if (Number.isNaN(date.getTime())) throw new RangeError(`Not a valid instant: ${String(instant)}`);
  return date;
}

// Intl formatters are costly to build; a worklist formats hundreds of cells.
const cache = new Map<string, Intl.DateTimeFormat>();
function formatter(locale: Locale, kind: 'time' | 'date' | 'dateTime' | 'day'): Intl.DateTimeFormat {
  const key = `${locale}:${kind}`;
  let found = cache.get(key);
  if (!found) {
    // hourCycle h23: "00:30", never "24:30" nor "12:30 am".
    const time = { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' } as const;
    const date = { day: '2-digit', month: '2-digit', year: 'numeric' } as const;
    const options: Intl.DateTimeFormatOptions =
      kind === 'time' ? time : kind === 'date' ? date : kind === 'dateTime' ? { ...date, ...time } : { ...date };
    found = new Intl.DateTimeFormat(INTL_TAG[locale], { ...options, timeZone: DISPLAY_TIME_ZONE });
    cache.set(key, found);
  }
  return found;
}

/** HH:MM in Paris, e.g. 2026-01-15T17:00:00Z → "18:00". */
export function formatTime(instant: Instant, locale: Locale): string {
  return formatter(locale, 'time').format(toDate(instant));
}

/** Day and time in Paris, e.g. "15/01/2026 18:00" (fr) or "15/01/2026, 18:00" (en-GB). */
export function formatDateTime(instant: Instant, locale: Locale): string {
  return formatter(locale, 'dateTime').format(toDate(instant));
}

/** Whether two instants fall on the same calendar day in Paris. */
export function isSameParisDay(a: Instant, b: Instant): boolean {
  const day = formatter('fr', 'day');
  return day.format(toDate(a)) === day.format(toDate(b));
}

/**
 * When someone may try again (account lock, rate limit): just HH:MM when it is
 * today in Paris, with the date otherwise, so "at 00:10" is never ambiguous.
 */
export function formatRetryTime(retryAt: Instant, locale: Locale, now: Instant = new Date()): string {
  return isSameParisDay(retryAt, now) ? formatTime(retryAt, locale) : formatDateTime(retryAt, locale);
}
