import { describe, expect, it } from 'vitest';
import {
  addDays,
  civilDate,
  formatShortInstant,
  instantAt,
  isValidTimeZone,
  parseIsoDate,
  parseWallTime,
  wallClockAt,
  zoneOffsetMs,
} from '../../core/wallClock.js';

const PARIS = 'Europe/Paris';
const HOUR = 3_600_000;

describe('wall clock in a time zone', () => {
  it('reads Paris wall time on both sides of daylight saving', () => {
    expect(wallClockAt(new Date('2026-01-15T17:00:00Z'), PARIS)).toMatchObject({ year: 2026, month: 1, day: 15, hour: 18, minute: 0, weekday: 4 });
    expect(wallClockAt(new Date('2026-07-15T16:00:00Z'), PARIS)).toMatchObject({ hour: 18, weekday: 3 });
    expect(wallClockAt(new Date('2026-03-28T23:30:00Z'), PARIS)).toMatchObject({ day: 29, hour: 0, minute: 30, weekday: 0 });
  });

  it('agrees with Intl formatToParts at every hour of 2026 and both change nights', () => {
    const reference = new Intl.DateTimeFormat('en-GB', {
      timeZone: PARIS,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    const start = Date.UTC(2026, 0, 1);
    for (let t = start; t < Date.UTC(2027, 0, 1); t += HOUR + 61_000) {
      const parts = Object.fromEntries(reference.formatToParts(new Date(t)).map((p) => [p.type, p.value]));
      const w = wallClockAt(new Date(t), PARIS);
      expect([w.year, w.month, w.day, w.hour, w.minute, w.second]).toEqual(
        [parts.year, parts.month, parts.day, parts.hour, parts.minute, parts.second].map(Number),
      );
    }
  });

  it('gives the zone offset: +1 h in winter, +2 h in summer', () => {
    expect(zoneOffsetMs(new Date('2026-01-01T12:00:00Z'), PARIS)).toBe(HOUR);
    expect(zoneOffsetMs(new Date('2026-07-01T12:00:00Z'), PARIS)).toBe(2 * HOUR);
  });

  it('puts 18:00 and 08:00 at the right UTC instants around the spring change (29 March 2026)', () => {
    expect(instantAt({ year: 2026, month: 3, day: 28 }, 18 * 60, PARIS).toISOString()).toBe('2026-03-28T17:00:00.000Z');
    expect(instantAt({ year: 2026, month: 3, day: 29 }, 8 * 60, PARIS).toISOString()).toBe('2026-03-29T06:00:00.000Z');
  });

  it('puts 18:00 and 08:00 at the right UTC instants around the autumn change (25 October 2026)', () => {
    expect(instantAt({ year: 2026, month: 10, day: 24 }, 18 * 60, PARIS).toISOString()).toBe('2026-10-24T16:00:00.000Z');
    expect(instantAt({ year: 2026, month: 10, day: 25 }, 8 * 60, PARIS).toISOString()).toBe('2026-10-25T07:00:00.000Z');
  });

  it('makes a 20:00→08:00 night 11 h in spring and 13 h in autumn, an 18:00→08:00 night 13 h and 15 h', () => {
    const night = (d: { year: number; month: number; day: number }, start: number): number =>
      (instantAt(addDays(d, 1), 8 * 60, PARIS).getTime() - instantAt(d, start * 60, PARIS).getTime()) / HOUR;
    expect(night({ year: 2026, month: 3, day: 28 }, 20)).toBe(11);
    expect(night({ year: 2026, month: 10, day: 24 }, 20)).toBe(13);
    expect(night({ year: 2026, month: 3, day: 28 }, 18)).toBe(13);
    expect(night({ year: 2026, month: 10, day: 24 }, 18)).toBe(15);
    expect(night({ year: 2026, month: 3, day: 21 }, 18)).toBe(14);
  });

  it('pushes a wall time inside the spring gap forward, and takes the first of a repeated autumn time', () => {
    // 02:30 does not exist on 29 March 2026: 03:30 CEST = 01:30Z.
    expect(instantAt({ year: 2026, month: 3, day: 29 }, 2 * 60 + 30, PARIS).toISOString()).toBe('2026-03-29T01:30:00.000Z');
    // 02:30 happens twice on 25 October 2026: first at 00:30Z (CEST), again at 01:30Z (CET).
    expect(instantAt({ year: 2026, month: 10, day: 25 }, 2 * 60 + 30, PARIS).toISOString()).toBe('2026-10-25T00:30:00.000Z');
  });

  it('works for a zone west of UTC without daylight saving (French Guiana)', () => {
    expect(instantAt({ year: 2026, month: 7, day: 1 }, 18 * 60, 'America/Cayenne').toISOString()).toBe('2026-07-01T21:00:00.000Z');
  });

  it('validates zones, dates and times', () => {
    expect(isValidTimeZone('Europe/Paris')).toBe(true);
    expect(isValidTimeZone('Europe/Atlantis')).toBe(false);
    expect(civilDate(2026, 2, 29)).toBeNull();
    expect(civilDate(2028, 2, 29)).toEqual({ year: 2028, month: 2, day: 29 });
    expect(parseIsoDate('2026-13-01')).toBeNull();
    expect(parseWallTime('23:59')).toBe(23 * 60 + 59);
    expect(parseWallTime('24:00')).toBeNull();
    expect(parseWallTime('8:00')).toBeNull();
    expect(addDays({ year: 2026, month: 12, day: 31 }, 1)).toEqual({ year: 2027, month: 1, day: 1 });
    expect(() => wallClockAt(new Date('nope'), PARIS)).toThrow(RangeError);
  });

  it('formats short instants in French and English', () => {
    const t = new Date('2026-03-30T06:00:00Z');
    expect(formatShortInstant(t, PARIS, 'fr')).toBe('lun. 30/03 08:00');
    expect(formatShortInstant(t, PARIS, 'en')).toBe('Mon 30/03 08:00');
  });
});
