import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { GENESIS_HASH, auditHash } from './auditHash.js';

export type AuditVerification =
  | { ok: true; rows: number; lastHash: string }
  | { ok: false; rows: number; brokenSeq: string; reason: string };

const BATCH = 2000;

/** Walks the whole chain in order and names the first row whose content or link does not match. */
export async function verifyAuditChain(db: Kysely<DB>): Promise<AuditVerification> {
  let prevHash = GENESIS_HASH;
  let afterSeq = '0';
  let rows = 0;
  for (;;) {
    const batch = await db
      .selectFrom('audit_events')
      .selectAll()
      .where('seq', '>', afterSeq)
      .orderBy('seq', 'asc')
      .limit(BATCH)
      .execute();
    for (const row of batch) {
      rows += 1;
      if (row.prev_hash !== prevHash) {
        return { ok: false, rows, brokenSeq: row.seq, reason: `row ${row.seq} does not link to the row before it (a row was removed, inserted or reordered before it)` };
      }
      const expected = auditHash({
        at: new Date(row.at),
        actorId: row.actor_id,
        actorName: row.actor_name,
        action: row.action,
        outcome: row.outcome,
        targetType: row.target_type,
        targetId: row.target_id,
        ip: row.ip,
        requestId: row.request_id,
        details: row.details,
        prevHash: row.prev_hash,
      });
      if (expected !== row.hash) {
        return { ok: false, rows, brokenSeq: row.seq, reason: `row ${row.seq} (${row.action} at ${new Date(row.at).toISOString()}) was changed after it was written` };
      }
      prevHash = row.hash;
      afterSeq = row.seq;
    }
    if (batch.length < BATCH) return { ok: true, rows, lastHash: prevHash };
  }
}
