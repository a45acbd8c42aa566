import type { Kysely } from 'kysely';
import type { RosterEntry } from '../../core/roster.js';
import type { DB } from '../db/schema.js';
import type { DemoAccount } from '../accounts/demoAccounts.js';
import type { OrganisationStore } from './organisationStore.js';
import type { RosterStore } from '../roster/rosterStore.js';
import { DEMO_POOL, demoOrganisation } from './demoOrganisation.js';

const DAY = 86_400_000;

/** First start of the demo: the demo region, and the demo radiologists on call for a year so studies reach them at any hour. */
export async function ensureDemoOrganisation(db: Kysely<DB>, organisation: OrganisationStore, roster: RosterStore, accounts: readonly DemoAccount[], now = new Date()): Promise<void> {
  if (await organisation.active()) return;
  const document = demoOrganisation();
  await organisation.save(document, { id: null, username: 'system' });
  // The demo emergency physician writes requests for the north site's studies.
  for (const site of document.sites) {
    await db.insertInto('sites').values({ code: site.id, name: site.name, kind: site.kind }).onConflict((oc) => oc.column('code').doNothing()).execute();
  }
  const requester = await db.selectFrom('users').select('id').where('username', '=', 'urg.nord').executeTakeFirst();
  const north = await db.selectFrom('sites').select('id').where('code', '=', 'ch-demo-nord').executeTakeFirst();
  if (requester && north) await db.insertInto('user_sites').values({ user_id: requester.id, site_id: north.id }).onConflict((oc) => oc.doNothing()).execute();
  const from = new Date(now.getTime() - DAY);
  const to = new Date(now.getTime() + 400 * DAY);
  const entries: RosterEntry[] = [];
  for (const account of accounts) {
    if (account.roles.includes('radiologist')) entries.push({ personId: account.username, target: { kind: 'pivot-group', groupId: DEMO_POOL }, from, to });
    if (account.roles.includes('neuroradiologist')) entries.push({ personId: account.username, target: { kind: 'subspecialty', subspecialty: 'neuroradiology' }, from, to });
  }
  await roster.add(entries);
}
