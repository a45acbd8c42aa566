import { describe, expect, it } from 'vitest';
import {
  type Actor,
  eventsFrom,
  FINAL_STATES,
  TELE_FILE_EVENTS,
  TELE_FILE_STATES,
  type TeleFileEvent,
  type TeleFileEventType,
  type TeleFileState,
  type TeleFileStatus,
  transition,
  TRANSITIONS,
} from '../../core/teleFile.js';

const router: Actor = { kind: 'system', component: 'router' };
const drX: Actor = { kind: 'person', id: 'dr.x', roles: ['radiologist'] };
const drY: Actor = { kind: 'person', id: 'dr.y', roles: ['radiologist'] };
const admin: Actor = { kind: 'person', id: 'admin', roles: ['admin'] };
const neuro: Actor = { kind: 'person', id: 'dr.n', roles: ['radiologist', 'neuroradiologist'] };
/** Passes every guard when the tele-file is assigned to them: isolates the table from the guards. */
const everyone: Actor = { kind: 'person', id: 'dr.all', roles: ['radiologist', 'neuroradiologist', 'admin'] };

function event(type: TeleFileEventType, actor: Actor, reason = 'motif'): TeleFileEvent {
  return type === 'reassign' ? { type, actor, reason, toPersonId: 'dr.y' } : { type, actor, reason };
}

/**
 * TF-01: the legal transitions, written out independently of TRANSITIONS so
 * that a change to the table has to be made twice, on purpose.
 */
const LEGAL: Record<TeleFileStatus, Partial<Record<TeleFileEventType, TeleFileStatus>>> = {
  received: { route: 'routed', refuse: 'refused', cancel: 'cancelled' },
  routed: { claim: 'claimed', reassign: 'claimed', cancel: 'cancelled' },
  claimed: { refuse: 'refused', release: 'routed', reassign: 'claimed', 'start-reading': 'reading', escalate: 'escalated', cancel: 'cancelled' },
  reading: { refuse: 'refused', reassign: 'claimed', sign: 'signed', escalate: 'escalated', cancel: 'cancelled' },
  signed: { deliver: 'delivered' },
  delivered: {},
  refused: { reroute: 'routed', cancel: 'cancelled' },
  escalated: { release: 'routed', reassign: 'claimed', 'escalation-answered': 'claimed', cancel: 'cancelled' },
  cancelled: {},
};

describe('tele-file state machine: the table (TF-01, TF-02, TF-05)', () => {
  const pairs = TELE_FILE_STATES.flatMap((status) => TELE_FILE_EVENTS.map((type) => [status, type] as const));
  const illegal = pairs.filter(([status, type]) => LEGAL[status][type] === undefined);
  const legal = pairs.filter(([status, type]) => LEGAL[status][type] !== undefined);

  it('has 9 states × 12 events, 24 legal pairs and 84 illegal ones', () => {
    expect(pairs).toHaveLength(108);
    expect(legal).toHaveLength(24);
    expect(illegal).toHaveLength(84);
    expect(TRANSITIONS.reduce((n, t) => n + t.from.length, 0)).toBe(24);
  });

  it.each(illegal)('refuses %s + %s as an error value', (status, type) => {
    const result = transition({ status, assigneeId: 'dr.all' }, event(type, everyone));
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('illegal-transition');
      expect(result.error.details).toEqual({ status, event: type });
      expect(result.error.message.fr).toContain(`« ${type} »`);
    }
  });

  it.each(legal)('allows %s + %s', (status, type) => {
    const result = transition({ status, assigneeId: 'dr.all' }, event(type, everyone));
    expect(result.ok && result.state.status).toBe(LEGAL[status][type]);
  });

  it('has no way out of delivered and cancelled, and no cancel or refuse once signed', () => {
    for (const status of FINAL_STATES) expect(eventsFrom(status)).toEqual([]);
    expect(eventsFrom('signed')).toEqual(['deliver']);
    const cancel = transition({ status: 'signed', assigneeId: 'dr.x' }, event('cancel', admin));
    expect(cancel.ok).toBe(false);
    const done = transition({ status: 'delivered', assigneeId: 'dr.x' }, event('cancel', admin));
    expect(!done.ok && done.error.message.en).toBe('Cannot cancel a tele-file in state "delivered" (final state).');
  });
});

describe('tele-file state machine: guards (TF-03, TF-04, TF-07)', () => {
  const routed: TeleFileState = { status: 'routed', assigneeId: null };
  const claimedByX: TeleFileState = { status: 'claimed', assigneeId: 'dr.x' };

  it('lets a person claim, never the hub, and gives the tele-file to the claimant', () => {
    const claimed = transition(routed, event('claim', drX));
    expect(claimed.ok && claimed.state).toEqual({ status: 'claimed', assigneeId: 'dr.x' });
    const bySystem = transition(routed, event('claim', router));
    expect(!bySystem.ok && bySystem.error.code).toBe('not-allowed');
  });

  it('lets only the claimant or an admin release, and only an admin reassign', () => {
    const byOther = transition(claimedByX, event('release', drY));
    expect(!byOther.ok && byOther.error.code).toBe('not-allowed');
    expect(!byOther.ok && byOther.error.message.fr).toBe('Action « release » réservée à : le radiologue qui a pris le dossier ou un administrateur.');
    const byAdmin = transition(claimedByX, event('release', admin));
    expect(byAdmin.ok && byAdmin.state).toEqual({ status: 'routed', assigneeId: null });
    const released = transition(claimedByX, event('release', drX));
    expect(released.ok && released.state.status).toBe('routed');
    const reassignByX = transition(claimedByX, event('reassign', drX));
    expect(!reassignByX.ok && reassignByX.error.code).toBe('not-allowed');
    const reassigned = transition(claimedByX, event('reassign', admin));
    expect(reassigned.ok && reassigned.state).toEqual({ status: 'claimed', assigneeId: 'dr.y' });
    const toNobody = transition(claimedByX, { type: 'reassign', actor: admin, reason: 'fin de garde', toPersonId: '  ' });
    expect(!toNobody.ok && toNobody.error.code).toBe('assignee-required');
  });

  it('lets only the assignee read, sign and escalate', () => {
    for (const [state, type] of [
      [claimedByX, 'start-reading'],
      [{ status: 'reading', assigneeId: 'dr.x' }, 'sign'],
      [claimedByX, 'escalate'],
    ] as const) {
      const other = transition(state, event(type, drY));
      expect(!other.ok && other.error.code).toBe('not-allowed');
      const adminTry = transition(state, event(type, admin));
      expect(!adminTry.ok && adminTry.error.code).toBe('not-allowed');
      expect(transition(state, event(type, drX)).ok).toBe(true);
    }
  });

  it('returns an escalated tele-file to the same reader when the neuroradiologist answers', () => {
    const escalated: TeleFileState = { status: 'escalated', assigneeId: 'dr.x' };
    const byRadiologist = transition(escalated, event('escalation-answered', drY));
    expect(!byRadiologist.ok && byRadiologist.error.code).toBe('not-allowed');
    const answered = transition(escalated, event('escalation-answered', neuro));
    expect(answered.ok && answered.state).toEqual({ status: 'claimed', assigneeId: 'dr.x' });
  });

  it('needs a reason to refuse, cancel, reassign and re-route', () => {
    const cases: [TeleFileState, TeleFileEventType, Actor][] = [
      [{ status: 'received', assigneeId: null }, 'refuse', router],
      [routed, 'cancel', admin],
      [claimedByX, 'reassign', admin],
      [{ status: 'refused', assigneeId: null }, 'reroute', admin],
    ];
    for (const [state, type, actor] of cases) {
      const blank = transition(state, event(type, actor, '   '));
      expect(!blank.ok && blank.error.code).toBe('reason-required');
      expect(transition(state, event(type, actor, 'configuration corrigée')).ok).toBe(true);
    }
    // Routing needs none.
    expect(transition({ status: 'received', assigneeId: null }, { type: 'route', actor: router }).ok).toBe(true);
  });
});

describe('tele-file state machine: audit and the ordinary path (TF-06)', () => {
  it('goes received → routed → claimed → reading → signed → delivered, with an audit record at each step', () => {
    const steps: TeleFileEvent[] = [
      { type: 'route', actor: router },
      { type: 'claim', actor: drX },
      { type: 'start-reading', actor: drX },
      { type: 'sign', actor: drX },
      { type: 'deliver', actor: { kind: 'system', component: 'delivery' } },
    ];
    let state: TeleFileState = { status: 'received', assigneeId: null };
    const audits = [];
    for (const step of steps) {
      const result = transition(state, step);
      if (!result.ok) throw new Error(result.error.message.en);
      state = result.state;
      audits.push(result.audit);
    }
    expect(state).toEqual({ status: 'delivered', assigneeId: 'dr.x' });
    expect(audits.map((a) => `${a.from}→${a.to}`)).toEqual(['received→routed', 'routed→claimed', 'claimed→reading', 'reading→signed', 'signed→delivered']);
    expect(audits[1]).toEqual({ event: 'claim', from: 'routed', to: 'claimed', actor: drX, reason: null, assigneeBefore: null, assigneeAfter: 'dr.x' });
  });

  it('records who cancelled and why', () => {
    const result = transition({ status: 'reading', assigneeId: 'dr.x' }, { type: 'cancel', actor: admin, reason: '  patient transféré  ' });
    expect(result.ok && result.audit).toEqual({
      event: 'cancel',
      from: 'reading',
      to: 'cancelled',
      actor: admin,
      reason: 'patient transféré',
      assigneeBefore: 'dr.x',
      assigneeAfter: 'dr.x',
    });
  });
});
