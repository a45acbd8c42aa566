import { describe, expect, it } from 'vitest';
import { deliveryPollMs, mergeSigned } from '../../../renderer/app/report/useReportData.js';
import { reportView } from './reportFixture.js';

const status = (state: 'pending' | 'retrying' | 'delivered' | 'failed') => ({ state, lastError: null, attempts: 1, nextAttemptAt: null, deliveredAt: null });

describe('deliveryPollMs (how often the panel reads delivery states again)', () => {
  it('soon after signing, less often while retrying, never once all are settled or nothing is signed', () => {
    expect(deliveryPollMs([reportView()])).toBeNull();
    expect(deliveryPollMs([reportView({ status: 'signed', delivery: null })])).toBe(3_000);
    expect(deliveryPollMs([reportView({ status: 'signed', delivery: status('pending') })])).toBe(3_000);
    expect(deliveryPollMs([reportView({ status: 'signed', delivery: status('retrying') })])).toBe(15_000);
    expect(deliveryPollMs([reportView({ status: 'signed', delivery: status('delivered') }), reportView({ status: 'signed', delivery: status('failed') })])).toBeNull();
  });
});

describe('mergeSigned (a delivery refresh)', () => {
  it('takes signed documents and new ones from the hub, keeps the drafts this tab edits', () => {
    const signedOld = reportView({ id: 'a', status: 'signed', delivery: status('pending') });
    const draftMine = reportView({ id: 'b', kind: 'addendum', version: 3 });
    const fresh = [reportView({ id: 'a', status: 'signed', delivery: status('delivered') }), reportView({ id: 'b', kind: 'addendum', version: 2 }), reportView({ id: 'c', kind: 'addendum' })];
    const merged = mergeSigned([signedOld, draftMine], fresh);
    expect(merged.map((r) => [r.id, r.delivery?.state ?? null, r.version])).toEqual([
      ['a', 'delivered', 1],
      ['b', null, 3],
      ['c', null, 1],
    ]);
  });
});
