import type { Kysely } from 'kysely';
import type { DeliveryStatus } from '../../core/api/reports.js';
import type { DB } from '../db/schema.js';
import { aggregateStatus, type DeliveryJobRow } from './deliveryJobs.js';

/**
 * Delivery state per tele-file, over the jobs of its report and addenda (the
 * least advanced wins: an addendum still retrying shows as retrying), in one
 * query for a whole worklist.
 */
export async function deliveryByTeleFile(db: Kysely<DB>, teleFileIds: readonly string[]): Promise<Map<string, DeliveryStatus>> {
  const result = new Map<string, DeliveryStatus>();
  if (teleFileIds.length === 0) return result;
  const rows = (await db.selectFrom('delivery_jobs').selectAll().where('tele_file_id', 'in', [...new Set(teleFileIds)]).execute()) as DeliveryJobRow[];
  const byTeleFile = new Map<string, DeliveryJobRow[]>();
  for (const row of rows) byTeleFile.set(row.tele_file_id, [...(byTeleFile.get(row.tele_file_id) ?? []), row]);
  for (const [id, jobs] of byTeleFile) {
    const status = aggregateStatus(jobs);
    if (status) result.set(id, status);
  }
  return result;
}
