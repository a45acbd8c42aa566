import { describe, expect, it } from 'vitest';
import type { SessionInfo, SessionStage } from '../../../core/api/auth.js';
import { appReducer, initialAppState, returnsToWorkspace, type AppEvent, type AppState } from '../../../renderer/app/appState.js';

function session(stage: SessionStage, userId = 'u1', username = 'martin'): SessionInfo {
  return {
    stage,
    user: { id: userId, username, displayName: 'Dr Martin', roles: ['radiologist'], locale: 'fr', mfaEnrolled: true },
    idleExpiresAt: '2026-01-15T18:00:00Z',
    absoluteExpiresAt: '2026-01-16T06:00:00Z',
  };
}

const run = (...events: AppEvent[]): AppState => events.reduce(appReducer, initialAppState);

describe('app state', () => {
  it('starts on the sign-in page without a session', () => {
    expect(run({ type: 'started', session: null })).toMatchObject({ status: 'ready', auth: { name: 'sign-in' }, workspace: null });
  });

  it('starts on the worklist with an active session', () => {
    const state = run({ type: 'started', session: session('active') });
    expect(state.auth).toBeNull();
    expect(state.workspace).toMatchObject({ userId: 'u1', user: { id: 'u1' }, screen: { name: 'worklist' } });
  });

  it('goes password → second factor → worklist', () => {
    const afterPassword = run({ type: 'started', session: null }, { type: 'session-received', session: session('second-factor') });
    expect(afterPassword.auth).toEqual({ name: 'second-factor' });
    const signedIn = appReducer(afterPassword, { type: 'session-received', session: session('active') });
    expect(signedIn.auth).toBeNull();
    expect(signedIn.workspace?.screen).toEqual({ name: 'worklist' });
  });

  it('goes password → enrolment → recovery codes → worklist', () => {
    const state = run(
      { type: 'started', session: null },
      { type: 'session-received', session: session('enrolment') },
      { type: 'enrolled', session: session('active'), recoveryCodes: ['aaaaa-bbbbb'] },
    );
    expect(state.auth).toEqual({ name: 'recovery-codes', codes: ['aaaaa-bbbbb'] });
    const done = appReducer(state, { type: 'recovery-codes-noted' });
    expect(done.auth).toBeNull();
    expect(done.workspace?.screen).toEqual({ name: 'worklist' });
  });

  it('keeps the workspace behind the sign-in page when the session is lost, with the username prefilled', () => {
    const signedIn = run({ type: 'started', session: session('active') });
    const lost = appReducer(signedIn, { type: 'session-lost' });
    expect(lost).toMatchObject({ session: null, auth: { name: 'sign-in' }, notice: 'session-expired', username: 'martin' });
    expect(lost.workspace).toBe(signedIn.workspace);
  });

  it('returns the same person to the same workspace after re-sign-in, through the second factor', () => {
    const lost = run({ type: 'started', session: session('active') }, { type: 'session-lost' });
    const before = lost.workspace;
    expect(returnsToWorkspace(lost, session('active'))).toBe(true);
    const back = [
      { type: 'session-received', session: session('second-factor') },
      { type: 'session-received', session: session('active') },
    ].reduce<AppState>((state, event) => appReducer(state, event as AppEvent), lost);
    expect(back.auth).toBeNull();
    expect(back.notice).toBeNull();
    expect(back.workspace).toBe(before);
  });

  it('gives someone else a fresh workspace', () => {
    const lost = run({ type: 'started', session: session('active') }, { type: 'session-lost' });
    expect(returnsToWorkspace(lost, session('active', 'u2', 'durand'))).toBe(false);
    const other = appReducer(lost, { type: 'session-received', session: session('active', 'u2', 'durand') });
    expect(other.workspace).toMatchObject({ userId: 'u2', user: { id: 'u2' }, screen: { name: 'worklist' } });
  });

  it('ignores a lost-session report when nobody is signed in', () => {
    const state = run({ type: 'started', session: null });
    expect(appReducer(state, { type: 'session-lost' })).toBe(state);
  });

  it('does not let a late session check undo a loss', () => {
    const lost = run({ type: 'started', session: session('active') }, { type: 'session-lost' });
    expect(appReducer(lost, { type: 'session-refreshed', session: session('active') })).toBe(lost);
  });

  it('drops everything on sign-out', () => {
    const out = run({ type: 'started', session: session('active') }, { type: 'signed-out' });
    expect(out).toMatchObject({ session: null, workspace: null, auth: { name: 'sign-in' }, notice: 'signed-out', username: '' });
  });

  it('"back to sign-in" from the second factor keeps a workspace left by a lost session', () => {
    const state = run(
      { type: 'started', session: session('active') },
      { type: 'session-lost' },
      { type: 'session-received', session: session('second-factor') },
      { type: 'sign-in-restarted' },
    );
    expect(state).toMatchObject({ session: null, auth: { name: 'sign-in' }, notice: null, username: 'martin' });
    expect(state.workspace).not.toBeNull();
  });
});
