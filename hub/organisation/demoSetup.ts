import type { RosterEntry } from '../../core/roster.js';
import type { DemoAccount } from '../accounts/demoAccounts.js';
import type { OrganisationStore } from './organisationStore.js';
import type { RosterStore } from '../roster/rosterStore.js';
import { DEMO_POOL, demoOrganisation } from './demoOrganisation.js';

const DAY = 86_400_000;

/** First start of the demo: the demo region, and the demo radiologists on call for a year so studies reach them at any hour. */
export async function ensureDemoOrganisation(organisation: OrganisationStore, roster: RosterStore, accounts: readonly DemoAccount[], now = new Date()): Promise<void> {
  if (await organisation.active()) return;
  await organisation.save(demoOrganisation(), { id: null, username: 'system' });
  const from = new Date(now.getTime() - DAY);
  const to = new Date(now.getTime() + 400 * DAY);
  const entries: RosterEntry[] = [];
  for (const account of accounts) {
    if (account.roles.includes('radiologist')) entries.push({ personId: account.username, target: { kind: 'pivot-group', groupId: DEMO_POOL }, from, to });
    if (account.roles.includes('neuroradiologist')) entries.push({ personId: account.username, target: { kind: 'subspecialty', subspecialty: 'neuroradiology' }, from, to });
  }
  await roster.add(entries);
}
