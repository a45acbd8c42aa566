import type { Kysely, Transaction } from 'kysely';
import type { Site } from '../../core/site.js';
import type { DB } from '../db/schema.js';
import { validateOrganisation } from '../organisation/organisationStore.js';

/**
 * The sites of the organisation in force, read through the caller's
 * transaction. OrganisationStore.active() queries on its own connection:
 * inside the signing transaction on PGlite (one connection) it would wait
 * for that very transaction forever.
 */
export async function sitesInForce(trx: Kysely<DB> | Transaction<DB>): Promise<readonly Site[]> {
  const row = await trx.selectFrom('organisation_versions').select('document').orderBy('version', 'desc').limit(1).executeTakeFirst();
  return row ? validateOrganisation(row.document).sites : [];
}
