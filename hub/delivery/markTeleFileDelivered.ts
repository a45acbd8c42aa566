import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { TeleFileStore } from '../teleFiles/teleFileStore.js';

/**
 * When every document of a report has arrived and been verified at the site,
 * the tele-file moves signed → delivered (TF 'deliver', by the outbox): the
 * worklist then says "delivered" without anyone looking at jobs. Addenda
 * arrive later on an already delivered file and change nothing here.
 * Returns whether the tele-file moved.
 */
export async function markTeleFileDelivered(db: Kysely<DB>, teleFiles: TeleFileStore, reportId: string): Promise<boolean> {
  const waiting = await db.selectFrom('delivery_jobs').select('id').where('report_id', '=', reportId).where('state', '!=', 'delivered').executeTakeFirst();
  if (waiting) return false;
  const report = await db.selectFrom('reports').select(['tele_file_id', 'kind', 'status']).where('id', '=', reportId).executeTakeFirst();
  if (!report || report.kind !== 'report' || report.status !== 'signed') return false;
  const teleFile = await teleFiles.byId(report.tele_file_id);
  if (teleFile?.status !== 'signed') return false;
  await teleFiles.apply(teleFile.id, { type: 'deliver', actor: { kind: 'system', component: 'delivery-outbox' } }, {}, { actorName: 'delivery-outbox' });
  return true;
}
