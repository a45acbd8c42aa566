// The tele-file (télé-dossier) state machine, as data: the TRANSITIONS table
// is the single statement of which event moves which state where, under which
// guard. The hub persists states and audit records; it never decides a
// transition on its own.
//
// Requirements (stable ids, cited by tests; withdraw in place, never renumber):
//  TF-01 Only the transitions in TRANSITIONS exist; any other (state, event)
//        pair is an 'illegal-transition' error value, never a silent no-op.
//  TF-02 'delivered' and 'cancelled' are final.
//  TF-03 A claim gives the tele-file to exactly one person; only that person
//        or an admin releases it; only an admin reassigns it.
//  TF-04 Only the assignee starts reading, signs, escalates.
//  TF-05 A signed tele-file cannot be cancelled or refused: the signed report
//        stands, corrections are addenda.
//  TF-06 Every transition yields an audit record: who, why, from, to, when.
//  TF-07 Refusing, cancelling, reassigning and re-routing need a reason.
import { z } from 'zod';
import { type DomainError, domainError, missingCase } from './errors.js';
import type { Role } from './roles.js';

export const TELE_FILE_STATES = ['received', 'routed', 'claimed', 'reading', 'signed', 'delivered', 'refused', 'escalated', 'cancelled'] as const;
export const TeleFileStatus = z.enum(TELE_FILE_STATES);
export type TeleFileStatus = z.infer<typeof TeleFileStatus>;

/** TF-02 */
export const FINAL_STATES: readonly TeleFileStatus[] = ['delivered', 'cancelled'];

export const TELE_FILE_EVENTS = [
  'route',
  'refuse',
  'reroute',
  'claim',
  'release',
  'reassign',
  'start-reading',
  'sign',
  'deliver',
  'escalate',
  'escalation-answered',
  'cancel',
] as const;
export type TeleFileEventType = (typeof TELE_FILE_EVENTS)[number];

export type Actor =
  | { readonly kind: 'person'; readonly id: string; readonly roles: readonly Role[] }
  /** A part of the hub acting on its own: the router, the delivery outbox, the PACS watcher. */
  | { readonly kind: 'system'; readonly component: string };

type EventBase<T extends TeleFileEventType> = { readonly type: T; readonly actor: Actor; readonly reason?: string | undefined };

export type TeleFileEvent =
  | EventBase<'route'>
  | EventBase<'refuse'>
  | EventBase<'reroute'>
  | EventBase<'claim'>
  | EventBase<'release'>
  | (EventBase<'reassign'> & { readonly toPersonId: string })
  | EventBase<'start-reading'>
  | EventBase<'sign'>
  | EventBase<'deliver'>
  | EventBase<'escalate'>
  | EventBase<'escalation-answered'>
  | EventBase<'cancel'>;

export type TeleFileState = { readonly status: TeleFileStatus; readonly assigneeId: string | null };

/** Who may fire a transition. */
export type Guard =
  | 'system-or-admin'
  | 'person'
  | 'assignee'
  | 'assignee-or-admin'
  | 'admin'
  /** The escalation's answer comes from a neuroradiologist, an admin, or the hub. */
  | 'neuroradiologist-admin-or-system';

/** What happens to the assignee. */
export type Effect = 'keep-assignee' | 'assign-actor' | 'assign-named-person' | 'clear-assignee';

export type TransitionSpec = {
  readonly event: TeleFileEventType;
  readonly from: readonly TeleFileStatus[];
  readonly to: TeleFileStatus;
  readonly guard: Guard;
  readonly needsReason: boolean;
  readonly effect: Effect;
};

export const TRANSITIONS: readonly TransitionSpec[] = [
  // The router's decision on a new study.
  { event: 'route', from: ['received'], to: 'routed', guard: 'system-or-admin', needsReason: false, effect: 'clear-assignee' },
  { event: 'refuse', from: ['received'], to: 'refused', guard: 'system-or-admin', needsReason: true, effect: 'clear-assignee' },
  // A reader declines a study that cannot be read remotely (wrong exam, unreadable images).
  { event: 'refuse', from: ['claimed', 'reading'], to: 'refused', guard: 'assignee-or-admin', needsReason: true, effect: 'clear-assignee' },
  // An admin fixed the configuration (unknown site, missing rule) and routes again.
  { event: 'reroute', from: ['refused'], to: 'routed', guard: 'admin', needsReason: true, effect: 'clear-assignee' },
  // TF-03
  { event: 'claim', from: ['routed'], to: 'claimed', guard: 'person', needsReason: false, effect: 'assign-actor' },
  { event: 'release', from: ['claimed', 'escalated'], to: 'routed', guard: 'assignee-or-admin', needsReason: false, effect: 'clear-assignee' },
  { event: 'reassign', from: ['routed', 'claimed', 'reading', 'escalated'], to: 'claimed', guard: 'admin', needsReason: true, effect: 'assign-named-person' },
  // TF-04
  { event: 'start-reading', from: ['claimed'], to: 'reading', guard: 'assignee', needsReason: false, effect: 'keep-assignee' },
  { event: 'sign', from: ['reading'], to: 'signed', guard: 'assignee', needsReason: false, effect: 'keep-assignee' },
  { event: 'escalate', from: ['claimed', 'reading'], to: 'escalated', guard: 'assignee', needsReason: false, effect: 'keep-assignee' },
  // Back to the same reader, who resumes with the subspecialist's opinion.
  { event: 'escalation-answered', from: ['escalated'], to: 'claimed', guard: 'neuroradiologist-admin-or-system', needsReason: false, effect: 'keep-assignee' },
  // The requesting site acknowledged the report (delivery outbox).
  { event: 'deliver', from: ['signed'], to: 'delivered', guard: 'system-or-admin', needsReason: false, effect: 'keep-assignee' },
  // TF-05: not from 'signed'. TF-07: always with a reason.
  { event: 'cancel', from: ['received', 'routed', 'claimed', 'reading', 'escalated', 'refused'], to: 'cancelled', guard: 'system-or-admin', needsReason: true, effect: 'keep-assignee' },
];

/** TF-06: what the hub writes to the audit trail for each transition. */
export type TransitionAudit = {
  readonly event: TeleFileEventType;
  readonly from: TeleFileStatus;
  readonly to: TeleFileStatus;
  readonly actor: Actor;
  readonly reason: string | null;
  readonly assigneeBefore: string | null;
  readonly assigneeAfter: string | null;
};

export type TransitionErrorCode = 'illegal-transition' | 'not-allowed' | 'reason-required' | 'assignee-required';

export type TransitionResult =
  | { readonly ok: true; readonly state: TeleFileState; readonly audit: TransitionAudit }
  | { readonly ok: false; readonly error: DomainError<TransitionErrorCode> };

export function specFor(status: TeleFileStatus, event: TeleFileEventType): TransitionSpec | undefined {
  return TRANSITIONS.find((t) => t.event === event && t.from.includes(status));
}

/** Events that can apply in a state (before guards): what a UI may offer. */
export function eventsFrom(status: TeleFileStatus): TeleFileEventType[] {
  return TELE_FILE_EVENTS.filter((e) => specFor(status, e) !== undefined);
}

export function transition(state: TeleFileState, event: TeleFileEvent): TransitionResult {
  const spec = specFor(state.status, event.type);
  if (!spec) {
    const final = FINAL_STATES.includes(state.status);
    return {
      ok: false,
      error: domainError(
        'illegal-transition',
        `Action « ${event.type} » impossible sur un télé-dossier à l'état « ${state.status} »${final ? ' (état final)' : ''}.`,
        `Cannot ${event.type} a tele-file in state "${state.status}"${final ? ' (final state)' : ''}.`,
        { status: state.status, event: event.type },
      ),
    };
  }
  if (!guardAllows(spec.guard, state, event.actor)) {
    return {
      ok: false,
      error: domainError(
        'not-allowed',
        `Action « ${event.type} » réservée à : ${guardText(spec.guard).fr}.`,
        `Only ${guardText(spec.guard).en} may ${event.type} this tele-file.`,
        { status: state.status, event: event.type, guard: spec.guard },
      ),
    };
  }
  const reason = event.reason?.trim() ? event.reason.trim() : null;
  if (spec.needsReason && reason === null) {
    return {
      ok: false,
      error: domainError('reason-required', `Action « ${event.type} » : indiquez un motif.`, `${event.type}: give a reason.`, { event: event.type }),
    };
  }
  if (event.type === 'reassign' && !event.toPersonId.trim()) {
    return {
      ok: false,
      error: domainError('assignee-required', 'Réattribution : indiquez à qui.', 'reassign: name the person who takes the tele-file.', { event: event.type }),
    };
  }
  const assigneeId = nextAssignee(spec.effect, state, event);
  return {
    ok: true,
    state: { status: spec.to, assigneeId },
    audit: { event: event.type, from: state.status, to: spec.to, actor: event.actor, reason, assigneeBefore: state.assigneeId, assigneeAfter: assigneeId },
  };
}

function isAdmin(actor: Actor): boolean {
  return actor.kind === 'person' && actor.roles.includes('admin');
}

function guardAllows(guard: Guard, state: TeleFileState, actor: Actor): boolean {
  const isAssignee = actor.kind === 'person' && state.assigneeId !== null && actor.id === state.assigneeId;
  switch (guard) {
    case 'system-or-admin':
      return actor.kind === 'system' || isAdmin(actor);
    case 'person':
      return actor.kind === 'person';
    case 'assignee':
      return isAssignee;
    case 'assignee-or-admin':
      return isAssignee || isAdmin(actor);
    case 'admin':
      return isAdmin(actor);
    case 'neuroradiologist-admin-or-system':
      return actor.kind === 'system' || isAdmin(actor) || (actor.kind === 'person' && actor.roles.includes('neuroradiologist'));
    default:
      return missingCase(guard);
  }
}

function guardText(guard: Guard): { fr: string; en: string } {
  switch (guard) {
    case 'system-or-admin':
      return { fr: 'le hub ou un administrateur', en: 'the hub or an admin' };
    case 'person':
      return { fr: 'un lecteur connecté', en: 'a signed-in reader' };
    case 'assignee':
      return { fr: 'le radiologue qui a pris le dossier', en: 'the radiologist who claimed it' };
    case 'assignee-or-admin':
      return { fr: 'le radiologue qui a pris le dossier ou un administrateur', en: 'the radiologist who claimed it or an admin' };
    case 'admin':
      return { fr: 'un administrateur', en: 'an admin' };
    case 'neuroradiologist-admin-or-system':
      return { fr: 'un neuroradiologue, un administrateur ou le hub', en: 'a neuroradiologist, an admin or the hub' };
    default:
      return missingCase(guard);
  }
}

function nextAssignee(effect: Effect, state: TeleFileState, event: TeleFileEvent): string | null {
  switch (effect) {
    case 'keep-assignee':
      return state.assigneeId;
    case 'clear-assignee':
      return null;
    case 'assign-actor':
      return event.actor.kind === 'person' ? event.actor.id : null;
    case 'assign-named-person':
      return event.type === 'reassign' ? event.toPersonId.trim() : state.assigneeId;
    default:
      return missingCase(effect);
  }
}
