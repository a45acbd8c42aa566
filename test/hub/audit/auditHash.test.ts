import { describe, expect, it } from 'vitest';
import { GENESIS_HASH, auditHash, type HashedAuditFields } from '../../../hub/audit/auditHash.js';
import { canonicalJson } from '../../../hub/audit/canonicalJson.js';

const row: HashedAuditFields = {
  at: new Date('2026-11-22T23:00:00.123Z'),
  actorId: null,
  actorName: 'dr.x',
  action: 'login.success',
  outcome: 'success',
  targetType: null,
  targetId: null,
  ip: '127.0.0.1',
  requestId: 'r1',
  details: { b: 1, a: { d: [1, 2], c: 'x' } },
  prevHash: GENESIS_HASH,
};

describe('audit hash', () => {
  it('does not depend on key order (jsonb reorders keys)', () => {
    expect(canonicalJson({ b: 1, a: { d: 2, c: 3 } })).toBe('{"a":{"c":3,"d":2},"b":1}');
    expect(auditHash(row)).toBe(auditHash({ ...row, details: { a: { c: 'x', d: [1, 2] }, b: 1 } }));
  });

  it.each([
    ['actorName', { actorName: 'dr.y' }],
    ['at', { at: new Date('2026-11-22T23:00:00.124Z') }],
    ['details', { details: { b: 2, a: { d: [1, 2], c: 'x' } } }],
    ['prevHash', { prevHash: 'f'.repeat(64) }],
    ['outcome', { outcome: 'failure' }],
  ])('changes when %s changes', (_name, change) => {
    expect(auditHash({ ...row, ...change })).not.toBe(auditHash(row));
  });
});
