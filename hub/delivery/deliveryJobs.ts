import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { DeliveryJobView } from '../../core/api/deliveries.js';
import type { DeliveryState, DeliveryStatus } from '../../core/api/reports.js';
import type { DB, DeliveryJobsTable } from '../db/schema.js';

export type DeliveryJobRow = Selectable<DeliveryJobsTable>;
export type DbOrTrx = Kysely<DB> | Transaction<DB>;

const iso = (d: Date | string | null): string | null => (d === null ? null : new Date(d).toISOString());

/**
 * Claims the next due job in one statement: `for update skip locked` keeps two
 * hubs off the same row, and a job left 'sending' by a killed hub is due again
 * once its lease has passed. Each claim counts as an attempt. `id = (scalar
 * subquery)`, not `id in (…)`: PostgreSQL may run an IN subquery with LIMIT
 * more than once and update several rows (seen here: one claim took two jobs).
 */
export async function claimDueJob(db: Kysely<DB>, now: Date, leaseUntil: Date): Promise<DeliveryJobRow | null> {
  const result = await sql<DeliveryJobRow>`
    update delivery_jobs set state = 'sending', lease_until = ${leaseUntil}, attempts = attempts + 1, updated_at = ${now}
    where id = (
      select id from delivery_jobs
      where next_attempt_at <= ${now}
        and (state in ('pending', 'retrying') or (state = 'sending' and (lease_until is null or lease_until < ${now})))
      order by next_attempt_at
      limit 1
      for update skip locked
    )
    and next_attempt_at <= ${now}
    and (state in ('pending', 'retrying') or (state = 'sending' and (lease_until is null or lease_until < ${now})))
    returning *`.execute(db);
  return result.rows[0] ?? null;
}

/**
 * Moves a claimed job on, only while this hub still holds the claim (same
 * lease): a hub that lost its lease to another never overwrites its outcome.
 */
export async function finishClaim(db: DbOrTrx, job: DeliveryJobRow, set: Partial<{ state: DeliveryState; next_attempt_at: Date; last_error: string | null; stopped_reason: string | null; delivered_at: Date; verified_at: Date }>, now: Date): Promise<boolean> {
  const result = await db
    .updateTable('delivery_jobs')
    .set({ ...set, lease_until: null, updated_at: now })
    .where('id', '=', job.id)
    .where('state', '=', 'sending')
    .where('lease_until', '=', job.lease_until as Date)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export function toJobView(row: DeliveryJobRow): DeliveryJobView {
  const waiting = row.state === 'pending' || row.state === 'retrying' || row.state === 'sending';
  return {
    id: row.id,
    reportId: row.report_id,
    teleFileId: row.tele_file_id,
    siteId: row.site_id,
    kind: row.document_kind,
    state: row.state,
    attempts: row.attempts,
    lastError: row.last_error,
    stoppedReason: row.stopped_reason,
    nextAttemptAt: waiting ? iso(row.next_attempt_at) : null,
    createdAt: iso(row.created_at) as string,
    updatedAt: iso(row.updated_at) as string,
    deliveredAt: iso(row.delivered_at),
  };
}

/**
 * "Least advanced wins", with the states needing a person first: a report is
 * shown stopped or failed as long as one of its documents is, and delivered
 * only when all are.
 */
const RANK: Record<DeliveryState, number> = { stopped: 0, failed: 1, retrying: 2, pending: 3, sending: 4, delivered: 5 };

export function aggregateStatus(jobs: readonly DeliveryJobRow[]): DeliveryStatus | null {
  if (jobs.length === 0) return null;
  const worst = [...jobs].sort((a, b) => RANK[a.state] - RANK[b.state] || b.attempts - a.attempts)[0] as DeliveryJobRow;
  const allDelivered = jobs.every((j) => j.state === 'delivered');
  const lastDelivered = jobs.reduce<Date | null>((latest, j) => (j.delivered_at && (!latest || new Date(j.delivered_at) > latest) ? new Date(j.delivered_at) : latest), null);
  const errorJob = worst.last_error !== null ? worst : allDelivered ? null : jobs.find((j) => j.state !== 'delivered' && j.last_error !== null);
  return {
    state: worst.state,
    lastError: errorJob?.last_error ?? null,
    attempts: worst.attempts,
    nextAttemptAt: worst.state === 'pending' || worst.state === 'retrying' || worst.state === 'sending' ? iso(worst.next_attempt_at) : null,
    deliveredAt: allDelivered ? iso(lastDelivered) : null,
  };
}
