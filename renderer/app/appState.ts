import type { SessionInfo, UserSummary } from '../../core/api/auth.js';
import { missingCase } from '../util/missingCase.js';

/** Screens of the signed-in workspace (the report editor comes later). */
export type WorkScreen =
  | { name: 'worklist' }
  /** The diagnostic viewer on a tele-file's study. */
  | { name: 'viewer'; teleFileId: string }
  | { name: 'clinical-request'; teleFileId: string }
  /** Request first: announce a study before its images. */
  | { name: 'new-request' }
  | { name: 'organisation' }
  | { name: 'roster' }
  | { name: 'simulator' }
  /** Report deliveries needing attention, and the delivery alerts (admin). */
  | { name: 'deliveries' };

/** Sign-in steps, shown in place of the workspace. */
export type AuthStep =
  | { name: 'sign-in' }
  | { name: 'second-factor' }
  | { name: 'enrolment' }
  | { name: 'recovery-codes'; codes: readonly string[] };

export type SignInNotice = 'session-expired' | 'signed-out' | null;

export interface AppState {
  status: 'starting' | 'ready';
  session: SessionInfo | null;
  /**
   * What the signed-in person has open. It outlives a lost session: the UI
   * keeps it mounted but hidden under the sign-in page, with every form as it
   * was, until the same person is back (or someone else signs in).
   */
  workspace: { userId: string; user: UserSummary; screen: WorkScreen } | null;
  /** The sign-in step on screen; null when the workspace shows. */
  auth: AuthStep | null;
  notice: SignInNotice;
  /** Prefilled on the sign-in page after a lost session. */
  username: string;
}

export type AppEvent =
  | { type: 'started'; session: SessionInfo | null }
  /** From sign-in, second factor: the session moved on a stage. */
  | { type: 'session-received'; session: SessionInfo }
  /** From the periodic check: fresher expiry times, nothing else changes. */
  | { type: 'session-refreshed'; session: SessionInfo }
  | { type: 'enrolled'; session: SessionInfo; recoveryCodes: readonly string[] }
  | { type: 'recovery-codes-noted' }
  | { type: 'session-lost' }
  | { type: 'signed-out' }
  /** "Back to sign-in" from a later step: start over, keeping any workspace left by a lost session. */
  | { type: 'sign-in-restarted' }
  | { type: 'navigated'; screen: WorkScreen };

export const initialAppState: AppState = {
  status: 'starting',
  session: null,
  workspace: null,
  auth: null,
  notice: null,
  username: '',
};

/** Whether an active session for this person brings back the workspace left when the session was lost. */
export function returnsToWorkspace(state: AppState, session: SessionInfo): boolean {
  return state.workspace !== null && state.workspace.userId === session.user.id;
}

function enterWorkspace(state: AppState, session: SessionInfo): AppState {
  return {
    ...state,
    session,
    auth: null,
    notice: null,
    username: '',
    workspace: returnsToWorkspace(state, session)
      ? state.workspace
      : { userId: session.user.id, user: session.user, screen: { name: 'worklist' } },
  };
}

function receiveSession(state: AppState, session: SessionInfo): AppState {
  switch (session.stage) {
    case 'second-factor':
      return { ...state, session, auth: { name: 'second-factor' } };
    case 'enrolment':
      return { ...state, session, auth: { name: 'enrolment' } };
    case 'active':
      return enterWorkspace(state, session);
    default:
      return missingCase(session.stage);
  }
}

export function appReducer(state: AppState, event: AppEvent): AppState {
  switch (event.type) {
    case 'started':
      return event.session === null
        ? { ...state, status: 'ready', auth: { name: 'sign-in' } }
        : { ...receiveSession(state, event.session), status: 'ready' };
    case 'session-received':
      return receiveSession(state, event.session);
    case 'session-refreshed':
      // A check sent before the session was lost may answer after: it must not undo the loss.
      if (state.session === null || state.session.user.id !== event.session.user.id) return state;
      return { ...state, session: event.session };
    case 'enrolled':
      return { ...state, session: event.session, auth: { name: 'recovery-codes', codes: event.recoveryCodes } };
    case 'recovery-codes-noted':
      return state.session === null ? state : enterWorkspace(state, state.session);
    case 'session-lost':
      // Before sign-in a 401 is the normal answer, not news.
      if (state.session === null) return state;
      return {
        ...state,
        session: null,
        auth: { name: 'sign-in' },
        notice: 'session-expired',
        username: state.session.user.username,
      };
    case 'signed-out':
      return { ...initialAppState, status: 'ready', auth: { name: 'sign-in' }, notice: 'signed-out' };
    case 'sign-in-restarted':
      return {
        ...state,
        session: null,
        auth: { name: 'sign-in' },
        notice: null,
        username: state.session?.user.username ?? state.username,
      };
    case 'navigated':
      return state.workspace === null ? state : { ...state, workspace: { ...state.workspace, screen: event.screen } };
    default:
      return missingCase(event);
  }
}
