import { describe, expect, it } from 'vitest';
import {
  defaultPdsCalendar,
  holidayOn,
  PdsCalendarConfig,
  type PdsCalendarConfigInput,
  type PdsPeriod,
  pdsPeriodAt,
  pdsPeriodsBetween,
} from '../../core/pdsCalendar.js';

const HOUR = 3_600_000;
const config = (input: PdsCalendarConfigInput = {}): PdsCalendarConfig => PdsCalendarConfig.parse(input);
/** Saturday counted whole, so that a weekend runs Friday 18:00 → Monday 08:00. */
const wholeSaturday = config({ saturdayFrom: '08:00' });
const alsace = config({ holidayState: '67' });

function periodAt(iso: string, c: PdsCalendarConfig = defaultPdsCalendar): PdsPeriod {
  const answer = pdsPeriodAt(new Date(iso), c);
  if (!answer.inPds) throw new Error(`${iso} is not in PDS (next ${answer.nextStart.toISOString()})`);
  return answer.period;
}

function notInPds(iso: string, c: PdsCalendarConfig = defaultPdsCalendar): string {
  const answer = pdsPeriodAt(new Date(iso), c);
  if (answer.inPds) throw new Error(`${iso} is in PDS: ${answer.period.label.en}`);
  return answer.nextStart.toISOString();
}

const span = (p: PdsPeriod): [string, string] => [p.start.toISOString(), p.end.toISOString()];
const hours = (p: PdsPeriod): number => (p.end.getTime() - p.start.getTime()) / HOUR;

describe('PDS calendar: configuration', () => {
  it('defaults to Europe/Paris, 18:00–08:00 nights, weekend from Saturday noon, national holidays', () => {
    expect(defaultPdsCalendar).toMatchObject({ timeZone: 'Europe/Paris', nightStart: '18:00', nightEnd: '08:00', saturdayFrom: '12:00', whitMondayIsHoliday: true, bridgeDays: false });
    expect(defaultPdsCalendar.holidayState).toBeUndefined();
  });

  it('refuses nights that do not cross midnight, a Saturday start outside the day, an unknown zone, a bad time', () => {
    expect(PdsCalendarConfig.safeParse({ nightStart: '07:00', nightEnd: '08:00' }).success).toBe(false);
    expect(PdsCalendarConfig.safeParse({ saturdayFrom: '07:00' }).success).toBe(false);
    expect(PdsCalendarConfig.safeParse({ saturdayFrom: '19:00' }).success).toBe(false);
    expect(PdsCalendarConfig.safeParse({ timeZone: 'Europe/Atlantis' }).success).toBe(false);
    expect(PdsCalendarConfig.safeParse({ nightStart: '25:00' }).success).toBe(false);
    expect(PdsCalendarConfig.safeParse({ holidayState: '75' }).success).toBe(false);
    expect(PdsCalendarConfig.safeParse({ saturdayFrom: '08:00' }).success).toBe(true);
    expect(PdsCalendarConfig.safeParse({ saturdayFrom: '18:00' }).success).toBe(true);
  });
});

describe('PDS calendar: weekday nights and weekends (March 2026, winter time)', () => {
  it('Friday 17:59 is day time, Friday 18:00 starts the night', () => {
    expect(notInPds('2026-03-20T16:59:00Z')).toBe('2026-03-20T17:00:00.000Z');
    const night = periodAt('2026-03-20T17:00:00Z');
    expect(night.kind).toBe('weeknight');
    expect(span(night)).toEqual(['2026-03-20T17:00:00.000Z', '2026-03-21T07:00:00.000Z']);
  });

  it('Saturday morning is ordinary service by default; the weekend starts at noon', () => {
    expect(notInPds('2026-03-21T09:00:00Z')).toBe('2026-03-21T11:00:00.000Z');
    expect(periodAt('2026-03-21T11:00:00Z').kind).toBe('weekend');
  });

  it('Sunday noon is inside the weekend, which runs Saturday 12:00 → Monday 08:00', () => {
    const weekend = periodAt('2026-03-22T11:00:00Z');
    expect(weekend.kind).toBe('weekend');
    expect(span(weekend)).toEqual(['2026-03-21T11:00:00.000Z', '2026-03-23T07:00:00.000Z']);
    expect(hours(weekend)).toBe(44);
    expect(weekend.label.fr).toBe('Week-end · sam. 21/03 12:00 → lun. 23/03 08:00');
    expect(weekend.label.en).toBe('Weekend · Sat 21/03 12:00 → Mon 23/03 08:00');
  });

  it('Monday 07:59 is still the weekend, Monday 08:00 is day time until 18:00', () => {
    expect(periodAt('2026-03-23T06:59:00Z').kind).toBe('weekend');
    expect(notInPds('2026-03-23T07:00:00Z')).toBe('2026-03-23T17:00:00.000Z');
    expect(periodAt('2026-03-23T06:59:59.999Z').kind).toBe('weekend');
  });

  it('with the whole Saturday in PDS, Friday 18:00 → Monday 08:00 is one period, weeknight then weekend', () => {
    const p = periodAt('2026-03-20T21:00:00Z', wholeSaturday);
    expect(p.kind).toBe('weeknight');
    expect(span(p)).toEqual(['2026-03-20T17:00:00.000Z', '2026-03-23T07:00:00.000Z']);
    expect(p.segments.map((s) => [s.kind, s.start.toISOString(), s.end.toISOString()])).toEqual([
      ['weeknight', '2026-03-20T17:00:00.000Z', '2026-03-21T07:00:00.000Z'],
      ['weekend', '2026-03-21T07:00:00.000Z', '2026-03-23T07:00:00.000Z'],
    ]);
    expect(periodAt('2026-03-21T09:00:00Z', wholeSaturday).kind).toBe('weekend');
  });

  it('with Saturday worked like a weekday, the weekend starts Saturday 18:00', () => {
    const c = config({ saturdayFrom: '18:00' });
    expect(notInPds('2026-03-21T16:59:00Z', c)).toBe('2026-03-21T17:00:00.000Z');
    expect(span(periodAt('2026-03-22T11:00:00Z', c))).toEqual(['2026-03-21T17:00:00.000Z', '2026-03-23T07:00:00.000Z']);
  });
});

describe('PDS calendar: daylight saving', () => {
  it('the weekend across the spring change is one hour shorter in elapsed time', () => {
    const p = periodAt('2026-03-29T01:30:00Z'); // 03:30 CEST, just after the change
    expect(span(p)).toEqual(['2026-03-28T11:00:00.000Z', '2026-03-30T06:00:00.000Z']); // 12:00 CET → 08:00 CEST
    expect(p.end.getTime() - p.start.getTime()).toBe(43 * HOUR);
    // The instant just before the change belongs to the same period.
    expect(span(periodAt('2026-03-29T00:59:59Z'))).toEqual(span(p));
  });

  it('the weekend across the autumn change is one hour longer in elapsed time', () => {
    const p = periodAt('2026-10-25T01:30:00Z'); // 02:30 CET, the second time round
    expect(span(p)).toEqual(['2026-10-24T10:00:00.000Z', '2026-10-26T07:00:00.000Z']); // 12:00 CEST → 08:00 CET
    expect(p.end.getTime() - p.start.getTime()).toBe(45 * HOUR);
  });

  it('keeps 18:00 and 08:00 on the wall clock on both sides of each change', () => {
    // Spring: Friday night in winter time, Monday night in summer time.
    expect(span(periodAt('2026-03-27T20:00:00Z'))).toEqual(['2026-03-27T17:00:00.000Z', '2026-03-28T07:00:00.000Z']);
    expect(span(periodAt('2026-03-30T20:00:00Z'))).toEqual(['2026-03-30T16:00:00.000Z', '2026-03-31T06:00:00.000Z']);
    // Autumn: Friday night in summer time, Monday night in winter time.
    expect(span(periodAt('2026-10-23T20:00:00Z'))).toEqual(['2026-10-23T16:00:00.000Z', '2026-10-24T06:00:00.000Z']);
    expect(span(periodAt('2026-10-26T20:00:00Z'))).toEqual(['2026-10-26T17:00:00.000Z', '2026-10-27T07:00:00.000Z']);
  });

  it('with whole Saturdays, the Friday 18:00 → Monday 08:00 period is 61 h in spring, 63 h in autumn, 62 h otherwise', () => {
    expect(hours(periodAt('2026-03-29T12:00:00Z', wholeSaturday))).toBe(61);
    expect(hours(periodAt('2026-10-25T12:00:00Z', wholeSaturday))).toBe(63);
    expect(hours(periodAt('2026-03-22T12:00:00Z', wholeSaturday))).toBe(62);
  });
});

describe('PDS calendar: French public holidays', () => {
  it('14 July (a Tuesday in 2026) counts from 08:00 to 08:00, merged with the night before', () => {
    const p = periodAt('2026-07-14T10:00:00Z');
    expect(p.kind).toBe('holiday');
    expect(span(p)).toEqual(['2026-07-13T16:00:00.000Z', '2026-07-15T06:00:00.000Z']);
    expect(p.segments.map((s) => s.kind)).toEqual(['weeknight', 'holiday']);
    expect(p.segments[1]?.holidays[0]?.name.fr).toBe('Fête Nationale de la France');
    // The eve's night is a weeknight; the night after the holiday is holiday.
    expect(periodAt('2026-07-13T22:00:00Z').kind).toBe('weeknight');
    expect(periodAt('2026-07-15T02:00:00Z').kind).toBe('holiday');
    expect(notInPds('2026-07-15T06:00:00Z')).toBe('2026-07-15T16:00:00.000Z');
  });

  it('Easter Monday extends the weekend to Tuesday 08:00', () => {
    const p = periodAt('2026-04-06T10:00:00Z');
    expect(p.kind).toBe('holiday');
    expect(span(p)).toEqual(['2026-04-04T10:00:00.000Z', '2026-04-07T06:00:00.000Z']);
    expect(p.segments.map((s) => s.kind)).toEqual(['weekend', 'holiday']);
    expect(p.label.fr).toContain('Lundi de Pâques');
    expect(p.label.en).toContain('Easter Monday');
    // Sunday noon of that weekend sees the same, longer period.
    expect(span(periodAt('2026-04-05T10:00:00Z'))).toEqual(span(p));
  });

  it('Ascension Thursday (14 May 2026) is a whole PDS day', () => {
    const p = periodAt('2026-05-14T10:00:00Z');
    expect(p.kind).toBe('holiday');
    expect(span(p)).toEqual(['2026-05-13T16:00:00.000Z', '2026-05-15T06:00:00.000Z']);
  });

  it('Whit Monday is typed public by date-holidays and counts by default; a region can work it', () => {
    expect(holidayOn({ year: 2026, month: 5, day: 25 }, defaultPdsCalendar)?.name.fr).toBe('Lundi de Pentecôte');
    expect(periodAt('2026-05-25T10:00:00Z').kind).toBe('holiday');
    const worked = config({ whitMondayIsHoliday: false });
    expect(holidayOn({ year: 2026, month: 5, day: 25 }, worked)).toBeNull();
    expect(notInPds('2026-05-25T10:00:00Z', worked)).toBe('2026-05-25T16:00:00.000Z');
    // Pentecost Sunday is only an observance: a plain weekend day.
    expect(holidayOn({ year: 2026, month: 5, day: 24 }, defaultPdsCalendar)).toBeNull();
  });

  it('1 May on a weekday (Friday in 2026) runs from Thursday 18:00', () => {
    const p = periodAt('2026-05-01T10:00:00Z');
    expect(p.kind).toBe('holiday');
    expect(span(p)).toEqual(['2026-04-30T16:00:00.000Z', '2026-05-02T06:00:00.000Z']);
    // With whole Saturdays it runs into the weekend.
    expect(span(periodAt('2026-05-01T10:00:00Z', wholeSaturday))).toEqual(['2026-04-30T16:00:00.000Z', '2026-05-04T06:00:00.000Z']);
  });

  it('a holiday on a Sunday (1 November 2026) is a holiday, not a weekend', () => {
    expect(periodAt('2026-11-01T11:00:00Z').kind).toBe('holiday');
    expect(periodAt('2026-10-31T15:00:00Z').kind).toBe('weekend');
  });

  it('Good Friday and 26 December are holidays only in Alsace-Moselle', () => {
    // Good Friday, 3 April 2026.
    expect(notInPds('2026-04-03T10:00:00Z')).toBe('2026-04-03T16:00:00.000Z');
    const goodFriday = periodAt('2026-04-03T10:00:00Z', alsace);
    expect(goodFriday.kind).toBe('holiday');
    // Thursday 18:00 → Saturday 08:00; Saturday morning is worked by default.
    expect(span(goodFriday)).toEqual(['2026-04-02T16:00:00.000Z', '2026-04-04T06:00:00.000Z']);
    // With whole Saturdays: Thursday 18:00 → Tuesday 08:00, Good Friday, the weekend and Easter Monday.
    const easter = periodAt('2026-04-03T10:00:00Z', config({ holidayState: '57', saturdayFrom: '08:00' }));
    expect(span(easter)).toEqual(['2026-04-02T16:00:00.000Z', '2026-04-07T06:00:00.000Z']);
    expect(easter.segments.map((s) => s.kind)).toEqual(['weeknight', 'holiday', 'weekend', 'holiday']);
    // 26 December 2025 was a Friday.
    expect(notInPds('2025-12-26T11:00:00Z')).toBe('2025-12-26T17:00:00.000Z');
    expect(periodAt('2025-12-26T11:00:00Z', config({ holidayState: '68' })).kind).toBe('holiday');
    expect(periodAt('2025-12-26T11:00:00Z', config({ holidayState: '57' })).kind).toBe('holiday');
  });

  it('Christmas and 26 December 2026 (Friday, Saturday) merge into the weekend in Alsace only', () => {
    const national = periodAt('2026-12-25T11:00:00Z');
    expect(span(national)).toEqual(['2026-12-24T17:00:00.000Z', '2026-12-26T07:00:00.000Z']);
    expect(notInPds('2026-12-26T09:00:00Z')).toBe('2026-12-26T11:00:00.000Z');
    const p = periodAt('2026-12-26T09:00:00Z', alsace);
    expect(span(p)).toEqual(['2026-12-24T17:00:00.000Z', '2026-12-28T07:00:00.000Z']);
    expect(p.segments.map((s) => s.kind)).toEqual(['weeknight', 'holiday', 'weekend']);
    expect(p.segments[1]?.holidays.map((h) => h.date)).toEqual(['2026-12-25', '2026-12-26']);
  });

  it('bridge days ("ponts") are PDS only when the region organises them', () => {
    // Friday 15 May 2026, the day after Ascension.
    expect(notInPds('2026-05-15T10:00:00Z')).toBe('2026-05-15T16:00:00.000Z');
    const p = periodAt('2026-05-15T10:00:00Z', config({ bridgeDays: true }));
    expect(p.kind).toBe('holiday');
    expect(span(p)).toEqual(['2026-05-13T16:00:00.000Z', '2026-05-18T06:00:00.000Z']);
    expect(p.label.fr).toContain('pont (Ascension)');
    expect(p.segments.map((s) => s.kind)).toEqual(['weeknight', 'holiday', 'weekend']);
    // A Monday before a Tuesday holiday is bridged too (13 July 2026).
    expect(notInPds('2026-07-13T10:00:00Z')).toBe('2026-07-13T16:00:00.000Z');
    expect(span(periodAt('2026-07-13T10:00:00Z', config({ bridgeDays: true })))).toEqual(['2026-07-11T10:00:00.000Z', '2026-07-15T06:00:00.000Z']);
  });

  it('adds regional days off and removes worked holidays by date', () => {
    const c = config({ extraHolidays: [{ date: '2026-06-10', name: { fr: 'Journée régionale', en: 'Regional day' } }], excludedHolidays: ['2026-07-14'] });
    expect(periodAt('2026-06-10T10:00:00Z', c).label.en).toContain('Regional day');
    expect(notInPds('2026-07-14T10:00:00Z', c)).toBe('2026-07-14T16:00:00.000Z');
  });

  it('holiday lists for overseas departments come with their own zone', () => {
    // 10 June: abolition of slavery in French Guiana.
    const guiana = config({ timeZone: 'America/Cayenne', holidayState: 'GF' });
    const p = periodAt('2026-06-10T15:00:00Z', guiana);
    expect(p.kind).toBe('holiday');
    expect(span(p)).toEqual(['2026-06-09T21:00:00.000Z', '2026-06-11T11:00:00.000Z']);
  });
});

describe('PDS calendar: periods over a range', () => {
  it('lists the periods of a week in order, the first one starting before the range', () => {
    const periods = pdsPeriodsBetween(new Date('2026-03-23T00:00:00Z'), new Date('2026-03-30T00:00:00Z'), defaultPdsCalendar);
    expect(periods.map((p) => p.segments.map((s) => s.kind).join('+'))).toEqual([
      'weekend', // Sat 21 12:00 → Mon 23 08:00
      'weeknight',
      'weeknight',
      'weeknight',
      'weeknight',
      'weeknight', // Fri 27 18:00 → Sat 28 08:00
      'weekend', // Sat 28 12:00 → Mon 30 08:00
    ]);
    expect(periods[0]?.start.toISOString()).toBe('2026-03-21T11:00:00.000Z');
    const total = periods.reduce((sum, p) => sum + p.end.getTime() - p.start.getTime(), 0) / HOUR;
    expect(total).toBe(44 + 5 * 14 + 43);
  });
});
