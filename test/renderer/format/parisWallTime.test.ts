import { describe, expect, it } from 'vitest';
import { parisMonthOf, parisMonthRange, parisNow, parisWallTimeToInstant, shiftMonth } from '../../../renderer/format/parisWallTime.js';

describe('Paris wall-clock time to an instant (the routing simulator)', () => {
  it('is UTC+1 in winter and UTC+2 in summer', () => {
    expect(parisWallTimeToInstant('2026-01-15', '02:10')).toEqual({ ok: true, iso: '2026-01-15T01:10:00.000Z', note: 'exact' });
    expect(parisWallTimeToInstant('2026-07-14', '23:30')).toEqual({ ok: true, iso: '2026-07-14T21:30:00.000Z', note: 'exact' });
  });

  it('on the spring night, an hour that does not exist moves forward, and says so', () => {
    // 29 March 2026: 02:00 Paris becomes 03:00.
    expect(parisWallTimeToInstant('2026-03-29', '01:59')).toEqual({ ok: true, iso: '2026-03-29T00:59:00.000Z', note: 'exact' });
    expect(parisWallTimeToInstant('2026-03-29', '02:30')).toEqual({ ok: true, iso: '2026-03-29T01:30:00.000Z', note: 'skipped' });
    expect(parisWallTimeToInstant('2026-03-29', '03:00')).toEqual({ ok: true, iso: '2026-03-29T01:00:00.000Z', note: 'exact' });
  });

  it('on the autumn night, an hour that happens twice is the first one, and says so', () => {
    // 25 October 2026: 03:00 Paris goes back to 02:00.
    expect(parisWallTimeToInstant('2026-10-25', '02:30')).toEqual({ ok: true, iso: '2026-10-25T00:30:00.000Z', note: 'repeated' });
    expect(parisWallTimeToInstant('2026-10-25', '01:30')).toEqual({ ok: true, iso: '2026-10-24T23:30:00.000Z', note: 'exact' });
    expect(parisWallTimeToInstant('2026-10-25', '03:00')).toEqual({ ok: true, iso: '2026-10-25T02:00:00.000Z', note: 'exact' });
  });

  it('refuses what is not a date or a time, and takes seconds from a time input', () => {
    expect(parisWallTimeToInstant('2026-02-30', '10:00')).toEqual({ ok: false, problem: 'date' });
    expect(parisWallTimeToInstant('', '10:00')).toEqual({ ok: false, problem: 'date' });
    expect(parisWallTimeToInstant('2026-02-10', '24:00')).toEqual({ ok: false, problem: 'time' });
    expect(parisWallTimeToInstant('2026-02-10', '10:00:30')).toMatchObject({ ok: true, iso: '2026-02-10T09:00:00.000Z' });
  });

  it('gives the form defaults in Paris time, whatever the machine zone', () => {
    expect(parisNow(new Date('2026-03-28T23:30:00Z'))).toEqual({ date: '2026-03-29', time: '00:30' });
  });
});

describe('a month of the roster in Paris time', () => {
  it('runs from midnight Paris on the first to midnight on the first of the next month, across a DST change', () => {
    expect(parisMonthRange('2026-03')).toEqual({ from: '2026-02-28T23:00:00.000Z', to: '2026-03-31T22:00:00.000Z' });
    expect(parisMonthRange('2026-12')).toEqual({ from: '2026-11-30T23:00:00.000Z', to: '2026-12-31T23:00:00.000Z' });
    expect(parisMonthRange('2026-13')).toBeNull();
    expect(parisMonthRange('March')).toBeNull();
  });

  it('knows the current month in Paris and steps between months across years', () => {
    expect(parisMonthOf(new Date('2026-03-31T22:30:00Z'))).toBe('2026-04');
    expect(shiftMonth('2026-01', -1)).toBe('2025-12');
    expect(shiftMonth('2026-12', 1)).toBe('2027-01');
    expect(shiftMonth('2026-06', 0)).toBe('2026-06');
  });
});
