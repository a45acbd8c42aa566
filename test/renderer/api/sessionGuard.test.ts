import { describe, expect, it, vi } from 'vitest';
import type { SessionInfo } from '../../../core/api/auth.js';
import { ReadingApiError, type ReadingApi } from '../../../core/readingApi.js';
import { SessionGuardedApi, isSessionLost } from '../../../renderer/api/sessionGuard.js';

const expired = () => new ReadingApiError(401, { code: 'session-expired', message: 'Expired.', requestId: 'r' });
const notSignedIn = () => new ReadingApiError(401, { code: 'not-signed-in', message: 'No session.', requestId: 'r' });
const worklist = { items: [], asOf: '2026-01-15T17:00:00Z' };

/** A ReadingApi whose methods are vi.fn(), all failing unless a test says otherwise. */
function fakeApi() {
  const fail = () => Promise.reject(new Error('not set up'));
  return {
    signInInfo: vi.fn<ReadingApi['signInInfo']>(fail),
    login: vi.fn<ReadingApi['login']>(fail),
    secondFactor: vi.fn<ReadingApi['secondFactor']>(fail),
    startEnrolment: vi.fn<ReadingApi['startEnrolment']>(fail),
    confirmEnrolment: vi.fn<ReadingApi['confirmEnrolment']>(fail),
    logout: vi.fn<ReadingApi['logout']>(fail),
    session: vi.fn<ReadingApi['session']>(fail),
    setLocale: vi.fn<ReadingApi['setLocale']>(fail),
    worklist: vi.fn<ReadingApi['worklist']>(fail),
    audit: vi.fn<ReadingApi['audit']>(fail),
  } satisfies ReadingApi;
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('isSessionLost', () => {
  it('is true only for 401 session-expired / not-signed-in', () => {
    expect(isSessionLost(expired())).toBe(true);
    expect(isSessionLost(notSignedIn())).toBe(true);
    expect(isSessionLost(new ReadingApiError(401, { code: 'invalid-credentials', message: '', requestId: '' }))).toBe(false);
    expect(isSessionLost(new ReadingApiError(403, { code: 'not-signed-in', message: '', requestId: '' }))).toBe(false);
    expect(isSessionLost(new Error('session-expired'))).toBe(false);
  });
});

describe('SessionGuardedApi', () => {
  it('reports a lost session once, whichever call meets it', async () => {
    const inner = fakeApi();
    inner.session.mockRejectedValue(expired());
    const api = new SessionGuardedApi(inner);
    const lost = vi.fn();
    api.onSessionLost(lost);

    await expect(api.session()).rejects.toThrow(ReadingApiError);
    expect(lost).toHaveBeenCalledWith({ code: 'session-expired' });
  });

  it('does not report a wrong password as a lost session', async () => {
    const inner = fakeApi();
    inner.login.mockRejectedValue(new ReadingApiError(401, { code: 'invalid-credentials', message: '', requestId: '' }));
    const api = new SessionGuardedApi(inner);
    const lost = vi.fn();
    api.onSessionLost(lost);

    await expect(api.login({ username: 'a', password: 'b' })).rejects.toThrow();
    expect(lost).not.toHaveBeenCalled();
  });

  it('holds a work call over a re-sign-in, then sends it again', async () => {
    const inner = fakeApi();
    inner.worklist.mockRejectedValueOnce(expired()).mockResolvedValueOnce(worklist);
    const api = new SessionGuardedApi(inner);
    const lost = vi.fn();
    api.onSessionLost(lost);

    let settled = false;
    const call = api.worklist().finally(() => (settled = true));
    await flush();
    expect(lost).toHaveBeenCalledTimes(1);
    expect(api.heldCount).toBe(1);
    expect(settled).toBe(false);

    api.resume();
    await expect(call).resolves.toEqual(worklist);
    expect(inner.worklist).toHaveBeenCalledTimes(2);
  });

  it('fails held calls when someone else signs in, or on sign-out', async () => {
    const inner = fakeApi();
    inner.setLocale.mockRejectedValue(notSignedIn());
    const api = new SessionGuardedApi(inner);

    const call = api.setLocale('en');
    await flush();
    api.abandon();
    await expect(call).rejects.toMatchObject({ body: { code: 'not-signed-in' } });
    expect(inner.setLocale).toHaveBeenCalledTimes(1);
    expect(api.heldCount).toBe(0);
  });

  it('does not announce a new loss for a 401 to a call sent before the re-sign-in', async () => {
    const inner = fakeApi();
    let answerOld: (error: unknown) => void = () => undefined;
    inner.worklist
      .mockImplementationOnce(() => new Promise((_resolve, reject) => (answerOld = reject)))
      .mockResolvedValueOnce(worklist);
    const api = new SessionGuardedApi(inner);
    const lost = vi.fn();
    api.onSessionLost(lost);

    const call = api.worklist(); // sent under the old session
    api.resume(); // the person signed in again meanwhile
    answerOld(expired()); // the old session's answer arrives late

    await expect(call).resolves.toEqual(worklist);
    expect(lost).not.toHaveBeenCalled();
  });

  it('stops telling a listener that unsubscribed', async () => {
    const inner = fakeApi();
    inner.session.mockRejectedValue(expired());
    const api = new SessionGuardedApi(inner);
    const lost = vi.fn();
    const unsubscribe = api.onSessionLost(lost);
    unsubscribe();
    await expect(api.session()).rejects.toThrow();
    expect(lost).not.toHaveBeenCalled();
  });

  it('passes results and other errors through untouched', async () => {
    const inner = fakeApi();
    const session = { stage: 'second-factor' } as SessionInfo;
    inner.login.mockResolvedValue(session);
    inner.worklist.mockRejectedValue(new ReadingApiError(503, { code: 'service-unavailable', message: '', requestId: '' }));
    const api = new SessionGuardedApi(inner);
    await expect(api.login({ username: 'a', password: 'b' })).resolves.toBe(session);
    await expect(api.worklist()).rejects.toMatchObject({ status: 503 });
    expect(api.heldCount).toBe(0);
  });
});
