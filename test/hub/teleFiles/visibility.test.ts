import { describe, expect, it } from 'vitest';
import { canSee, onCallGroupsOf, type Reach } from '../../../hub/teleFiles/visibility.js';

const file = { assignee_id: null, target_kind: 'pivot-group' as const, target_id: 'pool-a', status: 'routed' as const, requesting_site_id: 'ch-x' };
const reader = (groups: string[], id = 'u1'): Reach => ({ user: { id, roles: ['radiologist'] }, onCallGroups: groups, requesterSites: [] });

describe('who sees a tele-file', () => {
  it('a reader on call for its pool, including when taken by a colleague', () => {
    expect(canSee(reader(['pool-a']), file)).toBe(true);
    expect(canSee(reader(['pool-a']), { ...file, status: 'claimed', assignee_id: 'u2' })).toBe(true);
  });

  it('not a reader of another pool, nor a refused or cancelled file', () => {
    expect(canSee(reader(['pool-b']), file)).toBe(false);
    expect(canSee(reader(['pool-a']), { ...file, status: 'refused' })).toBe(false);
    expect(canSee(reader(['pool-a']), { ...file, status: 'cancelled' })).toBe(false);
  });

  it('always its own assignee, even off call', () => {
    expect(canSee(reader([], 'u7'), { ...file, status: 'reading', assignee_id: 'u7' })).toBe(true);
  });

  it('a provider-routed file by no pool reader', () => {
    expect(canSee(reader(['pool-a']), { ...file, target_kind: 'provider', target_id: 'imadis' })).toBe(false);
  });

  it('a requester only for their sites; an admin always', () => {
    const requester: Reach = { user: { id: 'r', roles: ['requester'] }, onCallGroups: ['pool-a'], requesterSites: ['ch-x'] };
    expect(canSee(requester, file)).toBe(true);
    expect(canSee(requester, { ...file, requesting_site_id: 'ch-y' })).toBe(false);
    expect(canSee({ user: { id: 'a', roles: ['admin'] }, onCallGroups: [], requesterSites: [] }, { ...file, status: 'refused' })).toBe(true);
  });

  it('an announced file, waiting for its images: its site’s requesters and admins, no reader', () => {
    const announced = { assignee_id: null, target_kind: null, target_id: null, status: 'received' as const, requesting_site_id: 'ch-x' };
    const requester: Reach = { user: { id: 'r', roles: ['requester'] }, onCallGroups: [], requesterSites: ['ch-x'] };
    expect(canSee(requester, announced)).toBe(true);
    expect(canSee({ ...requester, requesterSites: ['ch-y'] }, announced)).toBe(false);
    expect(canSee({ user: { id: 'a', roles: ['admin'] }, onCallGroups: [], requesterSites: [] }, announced)).toBe(true);
    expect(canSee(reader(['pool-a']), announced)).toBe(false);
    // Routed once its images are attached: the pool's readers see it.
    expect(canSee(reader(['pool-a']), { ...announced, status: 'routed', target_kind: 'pivot-group', target_id: 'pool-a' })).toBe(true);
  });

  it('reads pool ids from roster targets', () => {
    expect(onCallGroupsOf([{ kind: 'pivot-group', groupId: 'pool-a' }, { kind: 'subspecialty', subspecialty: 'neuroradiology' }])).toEqual(['pool-a']);
  });
});
