import { describe, expect, it } from 'vitest';
import { onCallAt, RosterEntry, rosterTargetKey, sameRosterTarget, targetsOfPersonAt } from '../../core/roster.js';
import { roster } from './fixtures/region.js';

const aab = { kind: 'pivot-group', groupId: 'aab' } as const;
const neuro = { kind: 'subspecialty', subspecialty: 'neuroradiology' } as const;

describe('roster', () => {
  it('answers who is on call for a pool at an instant', () => {
    expect(onCallAt(roster, aab, new Date('2026-03-22T01:10:00Z'))).toEqual(['dr.x', 'dr.y']);
    expect(onCallAt(roster, aab, new Date('2026-03-20T20:00:00Z'))).toEqual(['dr.z']);
    expect(onCallAt(roster, aab, new Date('2026-03-25T20:00:00Z'))).toEqual([]);
  });

  it('treats entries as half-open: the hand-over instant belongs to the next shift only', () => {
    // dr.z ends and the gap starts at Saturday 08:00 (07:00Z); dr.x and dr.y start at 12:00 (11:00Z).
    expect(onCallAt(roster, aab, new Date('2026-03-21T06:59:59.999Z'))).toEqual(['dr.z']);
    expect(onCallAt(roster, aab, new Date('2026-03-21T07:00:00Z'))).toEqual([]);
    expect(onCallAt(roster, aab, new Date('2026-03-21T11:00:00Z'))).toEqual(['dr.x', 'dr.y']);
  });

  it('keeps subspecialties apart from pools, and lists a person once', () => {
    expect(onCallAt(roster, neuro, new Date('2026-03-22T01:10:00Z'))).toEqual(['dr.n']);
    const doubled = [...roster, { ...roster[1]!, from: new Date('2026-03-22T00:00:00Z') }];
    expect(onCallAt(doubled, aab, new Date('2026-03-22T01:10:00Z'))).toEqual(['dr.x', 'dr.y']);
    expect(sameRosterTarget(aab, neuro)).toBe(false);
    expect(sameRosterTarget(aab, { kind: 'pivot-group', groupId: 'amiens' })).toBe(false);
    expect(rosterTargetKey(neuro)).toBe('subspecialty:neuroradiology');
  });

  it('lists the targets a person is on call for', () => {
    const both = [...roster, { personId: 'dr.x', target: neuro, from: new Date('2026-03-22T00:00:00Z'), to: new Date('2026-03-22T06:00:00Z') }];
    expect(targetsOfPersonAt(both, 'dr.x', new Date('2026-03-22T01:10:00Z'))).toEqual([aab, neuro]);
    expect(targetsOfPersonAt(both, 'dr.x', new Date('2026-03-22T07:00:00Z'))).toEqual([aab]);
  });

  it('refuses an entry that ends before it starts', () => {
    const entry = { personId: 'dr.x', target: aab, from: new Date('2026-03-22T00:00:00Z'), to: new Date('2026-03-22T00:00:00Z') };
    expect(RosterEntry.safeParse(entry).success).toBe(false);
    expect(RosterEntry.safeParse({ ...entry, to: new Date('2026-03-22T01:00:00Z') }).success).toBe(true);
    expect(RosterEntry.safeParse({ ...entry, personId: 'dr x', to: new Date('2026-03-22T01:00:00Z') }).success).toBe(false);
  });
});
