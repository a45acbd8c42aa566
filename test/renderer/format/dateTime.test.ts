import { describe, expect, it } from 'vitest';
import { formatDateTime, formatRetryTime, formatTime, isSameParisDay } from '../../../renderer/format/dateTime.js';

describe('formatTime (Europe/Paris)', () => {
  it('shows winter time as UTC+1', () => {
    expect(formatTime('2026-01-15T17:00:00Z', 'fr')).toBe('18:00');
    expect(formatTime('2026-01-15T17:00:00Z', 'en')).toBe('18:00');
  });

  it('follows the spring switch: 02:00 CET jumps to 03:00 CEST on 29 March 2026', () => {
    expect(formatTime('2026-03-29T00:30:00Z', 'fr')).toBe('01:30');
    expect(formatTime('2026-03-29T01:00:00Z', 'fr')).toBe('03:00');
    expect(formatTime('2026-03-29T01:30:00Z', 'fr')).toBe('03:30');
  });

  it('shows both passes through 02:30 on the autumn night (25 October 2026)', () => {
    expect(formatTime('2026-10-25T00:30:00Z', 'fr')).toBe('02:30');
    expect(formatTime('2026-10-25T01:30:00Z', 'fr')).toBe('02:30');
  });

  it('uses a 24-hour clock from 00:00, in English too', () => {
    expect(formatTime('2026-01-14T23:05:00Z', 'fr')).toBe('00:05');
    expect(formatTime('2026-01-14T23:05:00Z', 'en')).toBe('00:05');
    expect(formatTime(new Date('2026-07-01T12:45:00Z'), 'en')).toBe('14:45');
  });

  it('refuses what is not an instant', () => {
    expect(() => formatTime('tomorrow', 'fr')).toThrow(RangeError);
  });
});

describe('formatDateTime', () => {
  it('puts the day first, in Paris time', () => {
    expect(formatDateTime('2026-01-14T23:05:00Z', 'fr')).toBe('15/01/2026 00:05');
    expect(formatDateTime('2026-01-14T23:05:00Z', 'en')).toMatch(/^15\/01\/2026,? 00:05$/);
  });
});

describe('formatRetryTime', () => {
  it('gives only HH:MM when the retry is today in Paris', () => {
    expect(formatRetryTime('2026-01-15T17:15:00Z', 'fr', new Date('2026-01-15T17:00:00Z'))).toBe('18:15');
  });

  it('adds the date when the retry falls after midnight in Paris', () => {
    // 22:50 UTC is 23:50 in Paris; 23:10 UTC is 00:10 the next day.
    expect(formatRetryTime('2026-01-15T23:10:00Z', 'fr', new Date('2026-01-15T22:50:00Z'))).toBe('16/01/2026 00:10');
  });

  it('compares days in Paris, not in UTC', () => {
    // 23:30 UTC on the 15th is already the 16th in Paris.
    expect(isSameParisDay('2026-01-15T23:30:00Z', '2026-01-16T08:00:00Z')).toBe(true);
    expect(isSameParisDay('2026-01-15T22:30:00Z', '2026-01-16T08:00:00Z')).toBe(false);
  });
});
