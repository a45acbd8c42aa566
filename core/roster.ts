// The on-call roster: who is on call for which pivot group or subspecialty,
// from when to when. Entries are half-open intervals [from, to) so that a
// hand-over at 08:00 never puts two shifts, or none, on the same instant.
import { z } from 'zod';
import { missingCase } from './errors.js';
import { GroupId } from './coverage.js';
import { Subspecialty } from './site.js';

/** A reader's username, as in accounts (letters, digits, dot, dash, underscore). */
export const PersonId = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[a-zA-Z0-9._-]+$/, { message: 'A person id is a username: letters, digits, dot, dash and underscore.' });
export type PersonId = z.infer<typeof PersonId>;

export const RosterTarget = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('pivot-group'), groupId: GroupId }),
  z.object({ kind: z.literal('subspecialty'), subspecialty: Subspecialty }),
]);
export type RosterTarget = z.infer<typeof RosterTarget>;

export const RosterEntry = z
  .object({ personId: PersonId, target: RosterTarget, from: z.date(), to: z.date() })
  .refine((e) => e.from.getTime() < e.to.getTime(), { message: 'A roster entry ends after it starts.', path: ['to'] });
export type RosterEntry = z.infer<typeof RosterEntry>;

export function sameRosterTarget(a: RosterTarget, b: RosterTarget): boolean {
  switch (a.kind) {
    case 'pivot-group':
      return b.kind === 'pivot-group' && a.groupId === b.groupId;
    case 'subspecialty':
      return b.kind === 'subspecialty' && a.subspecialty === b.subspecialty;
    default:
      return missingCase(a);
  }
}

/** Stable text key of a target, for maps and messages (e.g. `pivot-group:amiens`). */
export function rosterTargetKey(target: RosterTarget): string {
  switch (target.kind) {
    case 'pivot-group':
      return `pivot-group:${target.groupId}`;
    case 'subspecialty':
      return `subspecialty:${target.subspecialty}`;
    default:
      return missingCase(target);
  }
}

export function coversInstant(entry: RosterEntry, instant: Date): boolean {
  const t = instant.getTime();
  return entry.from.getTime() <= t && t < entry.to.getTime();
}

/** People on call for the target at that instant, in roster order, each once. */
export function onCallAt(roster: readonly RosterEntry[], target: RosterTarget, instant: Date): PersonId[] {
  const people: PersonId[] = [];
  for (const entry of roster) {
    if (sameRosterTarget(entry.target, target) && coversInstant(entry, instant) && !people.includes(entry.personId)) {
      people.push(entry.personId);
    }
  }
  return people;
}

/** Targets a person is on call for at that instant (what their worklist shows). */
export function targetsOfPersonAt(roster: readonly RosterEntry[], personId: PersonId, instant: Date): RosterTarget[] {
  const targets: RosterTarget[] = [];
  for (const entry of roster) {
    if (entry.personId === personId && coversInstant(entry, instant) && !targets.some((t) => sameRosterTarget(t, entry.target))) {
      targets.push(entry.target);
    }
  }
  return targets;
}
