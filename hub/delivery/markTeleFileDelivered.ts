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

/**
 * The tele-files whose report is wholly delivered but which are still
 * "signed" (the hub stopped, or the update failed, between the last document's
 * arrival and the state change): moved now. Run by the hub every 30 s.
 */
export async function sweepDeliveredTeleFiles(db: Kysely<DB>, teleFiles: TeleFileStore): Promise<number> {
  const reports = await db
    .selectFrom('reports')
    .innerJoin('tele_files', 'tele_files.id', 'reports.tele_file_id')
    .select('reports.id')
    .where('reports.kind', '=', 'report')
    .where('reports.status', '=', 'signed')
    .where('tele_files.status', '=', 'signed')
    .where((eb) => eb.exists(eb.selectFrom('delivery_jobs').select('delivery_jobs.id').whereRef('delivery_jobs.report_id', '=', 'reports.id')))
    .where((eb) => eb.not(eb.exists(eb.selectFrom('delivery_jobs').select('delivery_jobs.id').whereRef('delivery_jobs.report_id', '=', 'reports.id').where('delivery_jobs.state', '!=', 'delivered'))))
    .limit(100)
    .execute();
  let moved = 0;
  for (const report of reports) if (await markTeleFileDelivered(db, teleFiles, report.id)) moved += 1;
  return moved;
}
