import type { RosterTarget } from '../../core/roster.js';
import type { UserRow } from '../accounts/users.js';
import type { TeleFileRow } from './teleFileStore.js';

/** What a person may see right now: the pivot groups they are on call for, and the sites they request for. */
export interface Reach {
  user: Pick<UserRow, 'id' | 'roles'>;
  onCallGroups: readonly string[];
  requesterSites: readonly string[];
}

export function onCallGroupsOf(targets: readonly RosterTarget[]): string[] {
  return targets.flatMap((t) => (t.kind === 'pivot-group' ? [t.groupId] : []));
}

const OPEN = new Set(['routed', 'claimed', 'reading', 'escalated', 'signed']);

/**
 * A reader sees the open tele-files of the pools they are on call for (taken
 * ones too, marked as taken) and always their own; a requester sees their
 * sites' files, including those they announced that still wait for their
 * images ('received': readers see a file only once it is routed); an admin
 * sees everything, refused ones included.
 */
export function canSee(reach: Reach, file: Pick<TeleFileRow, 'assignee_id' | 'target_kind' | 'target_id' | 'status' | 'requesting_site_id'>): boolean {
  if (reach.user.roles.includes('admin')) return true;
  if (file.assignee_id === reach.user.id) return true;
  if (reach.user.roles.includes('requester') && file.requesting_site_id && reach.requesterSites.includes(file.requesting_site_id)) return true;
  const reads = reach.user.roles.includes('radiologist') || reach.user.roles.includes('neuroradiologist');
  return reads && file.target_kind === 'pivot-group' && file.target_id !== null && reach.onCallGroups.includes(file.target_id) && OPEN.has(file.status);
}
