import { createHash } from 'node:crypto';
import { canonicalJson } from './canonicalJson.js';

/** The first row's `prev_hash`. */
export const GENESIS_HASH = '0'.repeat(64);

/** The fields of an audit row that its hash covers (everything but `seq` and `hash`). */
export interface HashedAuditFields {
  at: Date;
  actorId: string | null;
  actorName: string | null;
  action: string;
  outcome: string;
  targetType: string | null;
  targetId: string | null;
  ip: string | null;
  requestId: string | null;
  details: Record<string, unknown>;
  prevHash: string;
}

/** SHA-256 over the previous row's hash and this row's canonical content: changing, removing or reordering a row breaks every later link. */
export function auditHash(fields: HashedAuditFields): string {
  const content = canonicalJson({
    v: 1,
    at: fields.at.toISOString(),
    actorId: fields.actorId,
    actorName: fields.actorName,
    action: fields.action,
    outcome: fields.outcome,
    targetType: fields.targetType,
    targetId: fields.targetId,
    ip: fields.ip,
    requestId: fields.requestId,
    details: fields.details,
  });
  return createHash('sha256').update(fields.prevHash).update('\n').update(content).digest('hex');
}
