import { describe, expect, it } from 'vitest';
import type { AuditTrail } from '../../../hub/audit/auditTrail.js';
import { HttpProblem } from '../../../hub/http/httpProblem.js';
import { DECISION_TTL_MS, StudyAccess } from '../../../hub/dicomweb/studyAccess.js';
import type { TeleFileRow, TeleFileStore } from '../../../hub/teleFiles/teleFileStore.js';
import type { WorklistService } from '../../../hub/teleFiles/worklistService.js';

const STUDY = '1.2.826.0.1.1';
const reader = { id: 'u-1', username: 'dr.a', roles: ['radiologist' as const] };
const meta = { ip: '127.0.0.1', requestId: 'r-1' };

/** A StudyAccess over fakes: one tele-file of STUDY, visible while `onCall` is true. */
function setUp() {
  let now = 1_000_000;
  const state = { onCall: true, reachCalls: 0, audits: [] as string[] };
  const row = { id: 'tf-1', study_instance_uid: STUDY, status: 'routed', target_kind: 'pivot-group', target_id: 'pool', assignee_id: null, requesting_site_id: 'site' } as unknown as TeleFileRow;
  const teleFiles = { byStudyUid: async (uid: string) => (uid === STUDY ? row : undefined), byId: async () => undefined } as unknown as TeleFileStore;
  const worklist = {
    reachOf: async () => {
      state.reachCalls += 1;
      return { user: reader, onCallGroups: state.onCall ? ['pool'] : [], requesterSites: [] };
    },
    visibleRows: async () => [],
  } as unknown as WorklistService;
  const audit = { append: async (event: { action: string }) => void state.audits.push(event.action) } as unknown as AuditTrail;
  const access = new StudyAccess(teleFiles, worklist, audit, { now: () => now });
  return { access, state, advance: (ms: number) => (now += ms) };
}

describe('StudyAccess decision cache', () => {
  it('reuses an "allowed" decision for 10 s, then asks again (a release takes effect after at most 10 s)', async () => {
    const { access, state, advance } = setUp();
    expect((await access.authorise(reader, STUDY, meta)).teleFile.id).toBe('tf-1');
    state.onCall = false;
    advance(DECISION_TTL_MS - 1);
    expect((await access.authorise(reader, STUDY, meta)).priorOf).toBeNull();
    expect(state.reachCalls).toBe(1);
    advance(2);
    await expect(access.authorise(reader, STUDY, meta)).rejects.toBeInstanceOf(HttpProblem);
    expect(state.reachCalls).toBe(2);
    expect(DECISION_TTL_MS).toBe(10_000);
  });

  it('never caches a refusal: each one is checked and audited', async () => {
    const { access, state } = setUp();
    state.onCall = false;
    await expect(access.authorise(reader, STUDY, meta)).rejects.toMatchObject({ status: 403 });
    await expect(access.authorise(reader, STUDY, meta)).rejects.toMatchObject({ status: 403 });
    expect(state.audits).toEqual(['access.denied', 'access.denied']);
    state.onCall = true;
    expect((await access.authorise(reader, STUDY, meta)).teleFile.id).toBe('tf-1');
  });
});
