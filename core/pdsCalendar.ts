// The PDS calendar: is an instant inside the on-call period ("permanence des
// soins", PDS), which kind of period, and when does it start and end.
//
// Model: every calendar day D owns one "on-call day", from D at nightEnd to
// D+1 at nightEnd. Its PDS part starts
//   - at nightEnd (the whole on-call day) for a public holiday or a Sunday,
//   - at saturdayFrom on a Saturday,
//   - at nightStart on any other day.
// A period is the maximal run of contiguous PDS parts, so Friday's night runs
// into the weekend when the weekend starts at nightEnd, and a Monday holiday
// extends the weekend to Tuesday nightEnd. A holiday therefore counts from
// 08:00 that day to 08:00 the next (the night before belongs to the day
// before, as in every French rota). All boundaries are wall-clock times in
// the region's zone; elapsed time is whatever the zone makes it (a night
// across the spring change is one hour shorter, autumn one hour longer).
import Holidays from 'date-holidays';
import { z } from 'zod';
import { InvariantError, type Localized, missingCase } from './errors.js';
import {
  addDays,
  type CivilDate,
  civilDateOf,
  formatShortInstant,
  instantAt,
  isoDate,
  isValidTimeZone,
  parseIsoDate,
  parseWallTime,
  weekdayOf,
} from './wallClock.js';

export const PDS_KINDS = ['weeknight', 'weekend', 'holiday'] as const;
export const PdsKind = z.enum(PDS_KINDS);
export type PdsKind = z.infer<typeof PdsKind>;

/**
 * date-holidays' French subdivisions. '57', '67', '68' are Alsace-Moselle
 * (adds Good Friday and 26 December); the others are overseas departments,
 * whose zone must then be set in `timeZone` too.
 */
export const HOLIDAY_STATES = ['57', '67', '68', 'GF', 'GP', 'MQ', 'RE', 'YT', 'MF', 'BL'] as const;

const WallTimeText = z.string().refine((t) => parseWallTime(t) !== null, { message: 'Expected a time HH:MM between 00:00 and 23:59.' });
const IsoDateText = z.string().refine((t) => parseIsoDate(t) !== null, { message: 'Expected a date YYYY-MM-DD.' });

export const PdsCalendarConfig = z
  .object({
    timeZone: z.string().refine(isValidTimeZone, { message: 'Unknown IANA time zone.' }).default('Europe/Paris'),
    /** Weekday nights: from nightStart to nightEnd the next morning. */
    nightStart: WallTimeText.default('18:00'),
    nightEnd: WallTimeText.default('08:00'),
    /**
     * When the weekend starts on Saturday. Default noon: the Code de la santé
     * publique (R6315-1) and the hospital PDS definition ("le week-end, sauf
     * le samedi matin") leave Saturday morning to ordinary service. A region
     * whose contract covers the whole Saturday sets nightEnd (08:00); one that
     * treats Saturday as a weekday sets nightStart.
     */
    saturdayFrom: WallTimeText.default('12:00'),
    /** Alsace-Moselle: '57', '67' or '68'. Absent: the 11 national holidays. */
    holidayState: z.enum(HOLIDAY_STATES).optional(),
    /**
     * Whit Monday is a legal holiday (date-holidays types it 'public') but is
     * also the "journée de solidarité" that many hospitals work: a region choice.
     */
    whitMondayIsHoliday: z.boolean().default(true),
    /**
     * "Ponts" of R6315-1: a Monday before a holiday, a Friday or a Saturday
     * after one, become whole PDS days. Off unless the region organises them.
     */
    bridgeDays: z.boolean().default(false),
    /** Local days off the region adds (e.g. a regional day), counted as holidays. */
    extraHolidays: z.array(z.object({ date: IsoDateText, name: z.object({ fr: z.string().min(1), en: z.string().min(1) }) })).default([]),
    /** Dates of holidays the region works anyway. */
    excludedHolidays: z.array(IsoDateText).default([]),
  })
  .superRefine((c, ctx) => {
    const start = parseWallTime(c.nightStart) ?? 0;
    const end = parseWallTime(c.nightEnd) ?? 0;
    const saturday = parseWallTime(c.saturdayFrom) ?? 0;
    if (end >= start) {
      ctx.addIssue({ code: 'custom', path: ['nightEnd'], message: 'nightEnd must come before nightStart on the same day (e.g. 08:00 and 18:00).' });
    }
    if (saturday < end || saturday > start) {
      ctx.addIssue({ code: 'custom', path: ['saturdayFrom'], message: 'saturdayFrom must lie between nightEnd and nightStart.' });
    }
  });
export type PdsCalendarConfig = z.output<typeof PdsCalendarConfig>;
export type PdsCalendarConfigInput = z.input<typeof PdsCalendarConfig>;

export const defaultPdsCalendar: PdsCalendarConfig = PdsCalendarConfig.parse({});

export type HolidayInfo = {
  readonly date: string;
  readonly name: Localized;
  readonly source: 'public' | 'regional' | 'bridge';
};

/** One contiguous piece of a period with a single kind. */
export type PdsSegment = {
  readonly kind: PdsKind;
  readonly start: Date;
  readonly end: Date;
  /** Names of the holidays inside a 'holiday' segment. */
  readonly holidays: readonly HolidayInfo[];
};

export type PdsPeriod = {
  /** Kind of the segment that holds the instant asked about (coverage matches on it). */
  readonly kind: PdsKind;
  /** Start and end of the whole continuous period (e.g. Friday 18:00 → Tuesday 08:00). */
  readonly start: Date;
  readonly end: Date;
  readonly segments: readonly PdsSegment[];
  readonly label: Localized;
};

export type PdsAnswer = { readonly inPds: true; readonly period: PdsPeriod } | { readonly inPds: false; readonly nextStart: Date };

// --- holidays --------------------------------------------------------------

const publicHolidayCache = new Map<string, ReadonlyMap<string, HolidayInfo & { rule: string }>>();

function publicHolidays(year: number, state: string | undefined): ReadonlyMap<string, HolidayInfo & { rule: string }> {
  const key = `${state ?? ''}|${year}`;
  let map = publicHolidayCache.get(key);
  if (!map) {
    const hd = state === undefined ? new Holidays('FR') : new Holidays('FR', state);
    // Only 'public': the list also holds observances (Pentecost Sunday, Mother's Day).
    const fr = hd.getHolidays(year, 'fr').filter((h) => h.type === 'public');
    const en = hd.getHolidays(year, 'en').filter((h) => h.type === 'public');
    const built = new Map<string, HolidayInfo & { rule: string }>();
    for (const h of fr) {
      // h.date is "YYYY-MM-DD hh:mm:ss" in the country's zone: keep the day only and
      // compute boundaries ourselves in the region's zone.
      const date = h.date.slice(0, 10);
      const english = en.find((e) => e.rule === h.rule)?.name ?? h.name;
      built.set(date, { date, name: { fr: h.name, en: english }, source: 'public', rule: h.rule });
    }
    map = built;
    publicHolidayCache.set(key, map);
  }
  return map;
}

const WHIT_MONDAY_RULE = 'easter 50';

/** The public or regional holiday on that date, if the region keeps it (bridges excluded). */
export function holidayOn(date: CivilDate, config: PdsCalendarConfig): HolidayInfo | null {
  const iso = isoDate(date);
  if (config.excludedHolidays.includes(iso)) return null;
  const extra = config.extraHolidays.find((h) => h.date === iso);
  if (extra) return { date: iso, name: extra.name, source: 'regional' };
  const found = publicHolidays(date.year, config.holidayState).get(iso);
  if (!found) return null;
  if (found.rule === WHIT_MONDAY_RULE && !config.whitMondayIsHoliday) return null;
  return { date: found.date, name: found.name, source: found.source };
}

function bridgeOn(date: CivilDate, config: PdsCalendarConfig): HolidayInfo | null {
  if (!config.bridgeDays) return null;
  const weekday = weekdayOf(date);
  // Monday before a Tuesday holiday; Friday after a Thursday holiday; Saturday after a
  // holiday Friday, or after a Thursday holiday whose Friday is bridged.
  const of =
    weekday === 1
      ? holidayOn(addDays(date, 1), config)
      : weekday === 5
        ? holidayOn(addDays(date, -1), config)
        : weekday === 6
          ? (holidayOn(addDays(date, -1), config) ?? holidayOn(addDays(date, -2), config))
          : null;
  if (!of) return null;
  return {
    date: isoDate(date),
    name: { fr: `pont (${of.name.fr})`, en: `bridge day (${of.name.en})` },
    source: 'bridge',
  };
}

// --- on-call days ----------------------------------------------------------

type DaySegment = PdsSegment & { readonly wholeDay: boolean };

function segmentOf(day: CivilDate, config: PdsCalendarConfig): DaySegment {
  const tz = config.timeZone;
  const nightEnd = parseWallTime(config.nightEnd) ?? 0;
  const end = instantAt(addDays(day, 1), nightEnd, tz);
  const holiday = holidayOn(day, config) ?? bridgeOn(day, config);
  if (holiday) return { kind: 'holiday', start: instantAt(day, nightEnd, tz), end, holidays: [holiday], wholeDay: true };
  const weekday = weekdayOf(day);
  if (weekday === 0) return { kind: 'weekend', start: instantAt(day, nightEnd, tz), end, holidays: [], wholeDay: true };
  if (weekday === 6) {
    const from = parseWallTime(config.saturdayFrom) ?? 0;
    // saturdayFrom === nightStart means "Saturday is a weekday": only its night is PDS,
    // still counted as weekend because the following Sunday is.
    return { kind: 'weekend', start: instantAt(day, from, tz), end, holidays: [], wholeDay: from === nightEnd };
  }
  const nightStart = parseWallTime(config.nightStart) ?? 0;
  return { kind: 'weeknight', start: instantAt(day, nightStart, tz), end, holidays: [], wholeDay: false };
}

/** The calendar day whose on-call day (nightEnd → next nightEnd) holds the instant. */
function onCallDayOf(instant: Date, config: PdsCalendarConfig): CivilDate {
  const date = civilDateOf(instant, config.timeZone);
  const nightEnd = parseWallTime(config.nightEnd) ?? 0;
  return instant.getTime() < instantAt(date, nightEnd, config.timeZone).getTime() ? addDays(date, -1) : date;
}

// A period cannot outlast a run of days off; a year bounds any configuration
// (every week has working days unless extraHolidays says otherwise).
const MAX_DAYS_IN_PERIOD = 366;

export function pdsPeriodAt(instant: Date, config: PdsCalendarConfig): PdsAnswer {
  const day = onCallDayOf(instant, config);
  const here = segmentOf(day, config);
  const t = instant.getTime();
  if (t < here.start.getTime()) return { inPds: false, nextStart: here.start };
  if (t >= here.end.getTime()) throw new InvariantError(`Instant ${instant.toISOString()} is past its on-call day ${isoDate(day)}.`);

  const pieces: DaySegment[] = [here];
  let first = day;
  for (let n = 0; pieces[0]?.wholeDay; n++) {
    if (n > MAX_DAYS_IN_PERIOD) throw new InvariantError('PDS period longer than a year: check extraHolidays.');
    first = addDays(first, -1);
    pieces.unshift(segmentOf(first, config));
  }
  let last = day;
  for (let n = 0; ; n++) {
    if (n > MAX_DAYS_IN_PERIOD) throw new InvariantError('PDS period longer than a year: check extraHolidays.');
    const next = segmentOf(addDays(last, 1), config);
    if (!next.wholeDay) break;
    pieces.push(next);
    last = addDays(last, 1);
  }

  const segments = mergeSameKind(pieces);
  const holding = segments.find((s) => t >= s.start.getTime() && t < s.end.getTime());
  const start = segments[0]?.start;
  const end = segments[segments.length - 1]?.end;
  if (!holding || !start || !end) throw new InvariantError('A PDS period must hold the instant it was built for.');
  return {
    inPds: true,
    period: { kind: holding.kind, start, end, segments, label: periodLabel(segments, start, end, config.timeZone) },
  };
}

/** Every PDS period that overlaps [from, to), in order (the first may start before `from`). */
export function pdsPeriodsBetween(from: Date, to: Date, config: PdsCalendarConfig): PdsPeriod[] {
  const periods: PdsPeriod[] = [];
  let t = from;
  while (t.getTime() < to.getTime()) {
    const answer = pdsPeriodAt(t, config);
    if (answer.inPds) {
      periods.push(answer.period);
      t = answer.period.end;
    } else {
      t = answer.nextStart;
    }
  }
  return periods;
}

function mergeSameKind(pieces: readonly DaySegment[]): PdsSegment[] {
  const out: PdsSegment[] = [];
  for (const p of pieces) {
    const previous = out[out.length - 1];
    if (previous && previous.kind === p.kind && previous.end.getTime() === p.start.getTime()) {
      out[out.length - 1] = { ...previous, end: p.end, holidays: [...previous.holidays, ...p.holidays] };
    } else {
      out.push({ kind: p.kind, start: p.start, end: p.end, holidays: p.holidays });
    }
  }
  return out;
}

export function pdsKindLabel(kind: PdsKind): Localized {
  switch (kind) {
    case 'weeknight':
      return { fr: 'nuit de semaine', en: 'weeknight' };
    case 'weekend':
      return { fr: 'week-end', en: 'weekend' };
    case 'holiday':
      return { fr: 'jour férié', en: 'public holiday' };
    default:
      return missingCase(kind);
  }
}

function segmentLabel(segment: PdsSegment): Localized {
  const base = pdsKindLabel(segment.kind);
  if (segment.holidays.length === 0) return base;
  return {
    fr: `${base.fr} (${segment.holidays.map((h) => h.name.fr).join(', ')})`,
    en: `${base.en} (${segment.holidays.map((h) => h.name.en).join(', ')})`,
  };
}

function periodLabel(segments: readonly PdsSegment[], start: Date, end: Date, timeZone: string): Localized {
  const parts = segments.map(segmentLabel);
  const fr = parts.map((p) => p.fr).join(' + ');
  const en = parts.map((p) => p.en).join(' + ');
  return {
    fr: `${fr[0]?.toUpperCase() ?? ''}${fr.slice(1)} · ${formatShortInstant(start, timeZone, 'fr')} → ${formatShortInstant(end, timeZone, 'fr')}`,
    en: `${en[0]?.toUpperCase() ?? ''}${en.slice(1)} · ${formatShortInstant(start, timeZone, 'en')} → ${formatShortInstant(end, timeZone, 'en')}`,
  };
}
