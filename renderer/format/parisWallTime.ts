import { civilDateOf, instantAt, isoDate, parseIsoDate, parseWallTime, wallClockAt, type CivilDate } from '../../core/wallClock.js';
import { DISPLAY_TIME_ZONE } from './dateTime.js';

/**
 * A date and time typed by a person in Paris time, as an instant. On the
 * spring change 02:00–02:59 does not exist (the clock jumps to 03:00) and on
 * the autumn change 02:00–02:59 happens twice: the answer says so, so that
 * the simulator can tell the admin which instant it used.
 */
export type ParisInstant =
  | { readonly ok: true; readonly iso: string; readonly note: 'exact' | 'skipped' | 'repeated' }
  | { readonly ok: false; readonly problem: 'date' | 'time' };

const HOUR_MS = 3_600_000;

/** @param date 'YYYY-MM-DD' (an `<input type="date">`), @param time 'HH:MM' (an `<input type="time">`). */
export function parisWallTimeToInstant(date: string, time: string): ParisInstant {
  const day = parseIsoDate(date);
  if (day === null) return { ok: false, problem: 'date' };
  const minutes = parseWallTime(time.slice(0, 5));
  if (minutes === null) return { ok: false, problem: 'time' };
  const instant = instantAt(day, minutes, DISPLAY_TIME_ZONE);
  const shown = wallClockAt(instant, DISPLAY_TIME_ZONE);
  const asTyped = shown.year === day.year && shown.month === day.month && shown.day === day.day && shown.hour * 60 + shown.minute === minutes;
  let note: 'exact' | 'skipped' | 'repeated' = 'exact';
  if (!asTyped) note = 'skipped';
  else {
    // instantAt gives the earlier of two; the same wall time an hour later means it happens twice.
    const later = wallClockAt(new Date(instant.getTime() + HOUR_MS), DISPLAY_TIME_ZONE);
    if (later.day === shown.day && later.hour === shown.hour && later.minute === shown.minute) note = 'repeated';
  }
  return { ok: true, iso: instant.toISOString(), note };
}

/** Today's date and the current time in Paris, for the form's defaults: 'YYYY-MM-DD' and 'HH:MM'. */
export function parisNow(now: Date = new Date()): { date: string; time: string } {
  const w = wallClockAt(now, DISPLAY_TIME_ZONE);
  return { date: isoDate(w), time: `${String(w.hour).padStart(2, '0')}:${String(w.minute).padStart(2, '0')}` };
}

/** A calendar month in Paris as the instants [start, end): what the roster page asks the hub for. */
export function parisMonthRange(month: string): { from: string; to: string } | null {
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  if (!m) return null;
  const first = parseIsoDate(`${m[1]}-${m[2]}-01`);
  if (first === null) return null;
  const next: CivilDate = first.month === 12 ? { year: first.year + 1, month: 1, day: 1 } : { year: first.year, month: first.month + 1, day: 1 };
  return { from: instantAt(first, 0, DISPLAY_TIME_ZONE).toISOString(), to: instantAt(next, 0, DISPLAY_TIME_ZONE).toISOString() };
}

/** 'YYYY-MM' of the month it is in Paris (an `<input type="month">` value). */
export function parisMonthOf(now: Date = new Date()): string {
  return isoDate(civilDateOf(now, DISPLAY_TIME_ZONE)).slice(0, 7);
}

/** 'YYYY-MM' of the month before or after. */
export function shiftMonth(month: string, delta: number): string {
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  if (!m) return month;
  const index = Number(m[1]) * 12 + (Number(m[2]) - 1) + delta;
  return `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
}
