import { describe, expect, it } from 'vitest';
import { ageMinutes, ageParts, isOverdue } from '../../../renderer/worklist/teleFileAge.js';
import { priorityIcon, priorityRank, priorityTone } from '../../../renderer/worklist/priority.js';

const now = new Date('2026-01-15T02:10:00.000Z');

describe('age since the images arrived', () => {
  it('counts whole minutes, never below zero, and nothing while images arrive', () => {
    expect(ageMinutes('2026-01-15T02:10:00.000Z', now)).toBe(0);
    expect(ageMinutes('2026-01-15T02:02:30.000Z', now)).toBe(7);
    expect(ageMinutes('2026-01-15T00:05:00.000Z', now)).toBe(125);
    // The hub's clock a few seconds ahead of the workstation's.
    expect(ageMinutes('2026-01-15T02:10:20.000Z', now)).toBe(0);
    expect(ageMinutes(null, now)).toBeNull();
    expect(ageMinutes('yesterday', now)).toBeNull();
  });

  it('reads as minutes under an hour, hours and two-digit minutes after', () => {
    expect(ageParts(0)).toEqual({ kind: 'minutes', minutes: 0 });
    expect(ageParts(59)).toEqual({ kind: 'minutes', minutes: 59 });
    expect(ageParts(60)).toEqual({ kind: 'hours', hours: 1, minutes: '00' });
    expect(ageParts(65)).toEqual({ kind: 'hours', hours: 1, minutes: '05' });
    expect(ageParts(13 * 60 + 42)).toEqual({ kind: 'hours', hours: 13, minutes: '42' });
  });

  it('is overdue from 30 min for a vital emergency, 60 min for urgent, never for the rest', () => {
    expect(isOverdue('vital', 29)).toBe(false);
    expect(isOverdue('vital', 30)).toBe(true);
    expect(isOverdue('urgent', 59)).toBe(false);
    expect(isOverdue('urgent', 60)).toBe(true);
    expect(isOverdue('standard', 600)).toBe(false);
    expect(isOverdue(null, 600)).toBe(false);
    expect(isOverdue('vital', null)).toBe(false);
  });
});

describe('priority', () => {
  it('has a tone and a distinct shape for each level, and "pending" when the request has not come', () => {
    expect(priorityTone(null)).toBe('pending');
    expect(priorityTone('vital')).toBe('vital');
    const shapes = (['vital', 'urgent', 'standard', 'pending'] as const).map(priorityIcon);
    expect(new Set(shapes).size).toBe(4);
  });

  it('ranks a pending request after urgent and before standard', () => {
    expect([priorityRank('vital'), priorityRank('urgent'), priorityRank(null), priorityRank('standard')]).toEqual([0, 1, 2, 3]);
  });
});
