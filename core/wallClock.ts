// Wall-clock time in a named time zone, without a time-zone library: the PDS
// calendar and the rota are written in local time (Europe/Paris) while
// instants are stored in UTC (ARCHITECTURE.md "Dates"). Intl.DateTimeFormat is
// the only source of zone rules; everything else is arithmetic on UTC days.

/** A calendar date with no zone: month 1–12, day 1–31. */
export type CivilDate = { readonly year: number; readonly month: number; readonly day: number };

/** 0 = Sunday … 6 = Saturday, as Date#getUTCDay. */
export type Weekday = 0 | 1 | 2 | 3 | 4 | 5 | 6;

export type WallClock = CivilDate & {
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly weekday: Weekday;
};

const MS_PER_MINUTE = 60_000;
const MS_PER_DAY = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    // hourCycle h23: some engines print midnight as "24" with hour12: false.
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

// en-US prints "3/29/2026, 02:10:00". `format` is about three times faster than
// `formatToParts`, which stays as the fallback should an ICU build print otherwise.
const EN_US = /^(\d{1,2})\/(\d{1,2})\/(\d{4}), (\d{2}):(\d{2}):(\d{2})$/;

let lastWallClock: { ms: number; timeZone: string; value: WallClock } | undefined;

export function wallClockAt(instant: Date, timeZone: string): WallClock {
  const ms = instant.getTime();
  if (Number.isNaN(ms)) throw new RangeError('Invalid Date');
  if (lastWallClock && lastWallClock.ms === ms && lastWallClock.timeZone === timeZone) return lastWallClock.value;
  const formatter = formatterFor(timeZone);
  const m = EN_US.exec(formatter.format(instant));
  let fields: [number, number, number, number, number, number];
  if (m) {
    fields = [Number(m[3]), Number(m[1]), Number(m[2]), Number(m[4]), Number(m[5]), Number(m[6])];
  } else {
    const parts: Record<string, number> = {};
    for (const p of formatter.formatToParts(instant)) {
      if (p.type !== 'literal') parts[p.type] = Number(p.value);
    }
    fields = [parts.year ?? NaN, parts.month ?? NaN, parts.day ?? NaN, parts.hour ?? NaN, parts.minute ?? NaN, parts.second ?? NaN];
  }
  const [year, month, day, hour, minute, second] = fields;
  const value: WallClock = { year, month, day, hour, minute, second, weekday: weekdayOf({ year, month, day }) };
  lastWallClock = { ms, timeZone, value };
  return value;
}

/** Offset of the zone from UTC at that instant, in ms (Paris: +1 h in winter, +2 h in summer). */
export function zoneOffsetMs(instant: Date, timeZone: string): number {
  const w = wallClockAt(instant, timeZone);
  const wallAsUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  const wholeSeconds = Math.floor(instant.getTime() / 1000) * 1000;
  return wallAsUtc - wholeSeconds;
}

/**
 * The instant at which the wall clock of `timeZone` shows `date` at
 * `minutes` after midnight. Like Temporal's 'compatible' disambiguation: a
 * time that happens twice (autumn) gives the earlier instant; a time that
 * does not exist (spring gap) is pushed forward by the size of the gap.
 */
export function instantAt(date: CivilDate, minutes: number, timeZone: string): Date {
  // Routing asks for the same few boundaries (08:00, 18:00 of nearby days) over
  // and over; each answer costs several Intl calls. Memoise, bounded.
  const key = `${timeZone}|${date.year}-${date.month}-${date.day}|${minutes}`;
  const known = instantCache.get(key);
  if (known !== undefined) return new Date(known);
  const computed = computeInstantAt(date, minutes, timeZone);
  if (instantCache.size >= INSTANT_CACHE_MAX) instantCache.clear();
  instantCache.set(key, computed);
  return new Date(computed);
}

const INSTANT_CACHE_MAX = 20_000;
const instantCache = new Map<string, number>();

function computeInstantAt(date: CivilDate, minutes: number, timeZone: string): number {
  const wallAsUtc = Date.UTC(date.year, date.month - 1, date.day) + minutes * MS_PER_MINUTE;
  // Zone offsets a day apart bracket any transition near this wall time.
  const before = zoneOffsetMs(new Date(wallAsUtc - MS_PER_DAY), timeZone);
  const after = zoneOffsetMs(new Date(wallAsUtc + MS_PER_DAY), timeZone);
  const candidates = [wallAsUtc - before, wallAsUtc - after]
    .filter((t) => zoneOffsetMs(new Date(t), timeZone) + t === wallAsUtc)
    .sort((a, b) => a - b);
  return candidates[0] ?? wallAsUtc - before;
}

export function weekdayOf(date: CivilDate): Weekday {
  return new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay() as Weekday;
}

export function addDays(date: CivilDate, days: number): CivilDate {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day) + days * MS_PER_DAY);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

export function civilDateOf(instant: Date, timeZone: string): CivilDate {
  const w = wallClockAt(instant, timeZone);
  return { year: w.year, month: w.month, day: w.day };
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** 'YYYY-MM-DD' */
export function isoDate(date: CivilDate): string {
  return `${pad(date.year, 4)}-${pad(date.month)}-${pad(date.day)}`;
}

/** A real calendar date (no 31 February), or null. */
export function civilDate(year: number, month: number, day: number): CivilDate | null {
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return null;
  if (year < 1900 || year > 2200 || month < 1 || month > 12 || day < 1) return null;
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCMonth() === month - 1 && d.getUTCDate() === day ? { year, month, day } : null;
}

export function parseIsoDate(text: string): CivilDate | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  return m ? civilDate(Number(m[1]), Number(m[2]), Number(m[3])) : null;
}

/** 'HH:MM' (00:00–23:59) → minutes after midnight, or null. */
export function parseWallTime(text: string): number | null {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(text);
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
}

export function formatWallTime(minutes: number): string {
  return `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
}

/** 'HH:MM' as the wall clock of `timeZone` shows it at `instant`. */
export function formatTimeOfDay(instant: Date, timeZone: string): string {
  const w = wallClockAt(instant, timeZone);
  return `${pad(w.hour)}:${pad(w.minute)}`;
}

const WEEKDAYS_FR = ['dimanche', 'lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi'] as const;
const WEEKDAYS_EN = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;

// Own day names rather than Intl locales: the text must not depend on the ICU
// data a given Node or browser build ships with.
export function weekdayName(weekday: Weekday, lang: 'fr' | 'en'): string {
  return (lang === 'fr' ? WEEKDAYS_FR : WEEKDAYS_EN)[weekday];
}

/** 'lun. 30/03 08:00' / 'Mon 30/03 08:00': short enough for a worklist line. */
export function formatShortInstant(instant: Date, timeZone: string, lang: 'fr' | 'en'): string {
  const w = wallClockAt(instant, timeZone);
  const name = weekdayName(w.weekday, lang);
  const short = lang === 'fr' ? `${name.slice(0, 3)}.` : name.slice(0, 3);
  return `${short} ${pad(w.day)}/${pad(w.month)} ${pad(w.hour)}:${pad(w.minute)}`;
}
