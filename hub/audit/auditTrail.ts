import { sql, type Kysely } from 'kysely';
import type { AuditAction, AuditEvent, AuditOutcome, AuditPage, AuditQuery } from '../../core/api/audit.js';
import type { DB } from '../db/schema.js';
import { GENESIS_HASH, auditHash } from './auditHash.js';

export interface AuditEntry {
  action: AuditAction;
  outcome?: AuditOutcome;
  actorId?: string | null;
  actorName?: string | null;
  targetType?: string | null;
  targetId?: string | null;
  ip?: string | null;
  requestId?: string | null;
  /** Never patient names or IDs: audit rows are shown to admins and exported. Use internal IDs. */
  details?: Record<string, unknown>;
}

// Any constant: all hubs on one database serialise their appends on it.
const AUDIT_LOCK_KEY = 0x76696769; // "vigi"

/** The append-only, hash-chained audit trail. */
export class AuditTrail {
  constructor(private readonly db: Kysely<DB>) {}

  /**
   * Appends one row. The advisory lock orders concurrent appends (several hub
   * instances on one PostgreSQL) so each row links to the true previous one.
   * Pass `trx` to make the audit row part of a larger transaction.
   */
  async append(entry: AuditEntry, trx?: Kysely<DB>): Promise<void> {
    const run = async (tx: Kysely<DB>) => {
      await sql`select pg_advisory_xact_lock(${AUDIT_LOCK_KEY})`.execute(tx);
      const last = await tx.selectFrom('audit_events').select('hash').orderBy('seq', 'desc').limit(1).executeTakeFirst();
      const prevHash = last?.hash ?? GENESIS_HASH;
      // Millisecond precision so the instant round-trips exactly through timestamptz and Date.
      const at = new Date();
      const row = {
        at,
        actorId: entry.actorId ?? null,
        actorName: entry.actorName ?? null,
        action: entry.action,
        outcome: entry.outcome ?? 'success',
        targetType: entry.targetType ?? null,
        targetId: entry.targetId ?? null,
        ip: entry.ip ?? null,
        requestId: entry.requestId ?? null,
        details: entry.details ?? {},
        prevHash,
      };
      await tx
        .insertInto('audit_events')
        .values({
          at: row.at,
          actor_id: row.actorId,
          actor_name: row.actorName,
          action: row.action,
          outcome: row.outcome,
          target_type: row.targetType,
          target_id: row.targetId,
          ip: row.ip,
          request_id: row.requestId,
          details: JSON.stringify(row.details),
          prev_hash: prevHash,
          hash: auditHash(row),
        })
        .execute();
    };
    if (trx?.isTransaction) return run(trx);
    return (trx ?? this.db).transaction().execute(run);
  }

  async query(query: AuditQuery): Promise<AuditPage> {
    let q = this.db.selectFrom('audit_events').selectAll().orderBy('seq', 'asc').limit(query.limit + 1);
    if (query.action) q = q.where('action', '=', query.action);
    if (query.actor) q = q.where('actor_name', '=', query.actor.toLowerCase());
    if (query.outcome) q = q.where('outcome', '=', query.outcome);
    if (query.from) q = q.where('at', '>=', new Date(query.from));
    if (query.to) q = q.where('at', '<', new Date(query.to));
    if (query.afterSeq !== undefined) q = q.where('seq', '>', String(query.afterSeq));
    const rows = await q.execute();
    const page = rows.slice(0, query.limit);
    const events: AuditEvent[] = page.map((r) => ({
      seq: Number(r.seq),
      at: new Date(r.at).toISOString(),
      actorId: r.actor_id,
      actorName: r.actor_name,
      action: r.action as AuditAction,
      outcome: r.outcome,
      targetType: r.target_type,
      targetId: r.target_id,
      ip: r.ip,
      details: r.details,
      hash: r.hash,
    }));
    const last = events.at(-1);
    return { events, nextAfterSeq: rows.length > query.limit && last ? last.seq : null };
  }
}
