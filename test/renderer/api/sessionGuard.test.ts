import { describe, expect, it, vi } from 'vitest';
import type { SessionInfo } from '../../../core/api/auth.js';
import { ReadingApiError, type ReadingApi } from '../../../core/readingApi.js';
import type { WorklistWatchHandlers } from '../../../renderer/api/liveWorklist.js';
import { SessionGuardedApi, isSessionLost } from '../../../renderer/api/sessionGuard.js';

const expired = () => new ReadingApiError(401, { code: 'session-expired', message: 'Expired.', requestId: 'r' });
const notSignedIn = () => new ReadingApiError(401, { code: 'not-signed-in', message: 'No session.', requestId: 'r' });
const worklist = { items: [], asOf: '2026-01-15T17:00:00Z', cursor: 'c-0' };

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
    watchWorklist: vi.fn<(cursor: string, handlers: WorklistWatchHandlers) => () => void>(() => () => undefined),
    teleFile: vi.fn<ReadingApi['teleFile']>(fail),
    priors: vi.fn<ReadingApi['priors']>(fail),
    claim: vi.fn<ReadingApi['claim']>(fail),
    release: vi.fn<ReadingApi['release']>(fail),
    submitClinicalRequest: vi.fn<ReadingApi['submitClinicalRequest']>(fail),
    announceRequest: vi.fn<ReadingApi['announceRequest']>(fail),
    requestingSites: vi.fn<ReadingApi['requestingSites']>(fail),
    organisation: vi.fn<ReadingApi['organisation']>(fail),
    saveOrganisation: vi.fn<ReadingApi['saveOrganisation']>(fail),
    roster: vi.fn<ReadingApi['roster']>(fail),
    importRoster: vi.fn<ReadingApi['importRoster']>(fail),
    simulateRouting: vi.fn<ReadingApi['simulateRouting']>(fail),
    audit: vi.fn<ReadingApi['audit']>(fail),
    viewerPreferences: vi.fn<ReadingApi['viewerPreferences']>(fail),
    saveViewerPreferences: vi.fn<ReadingApi['saveViewerPreferences']>(fail),
    reports: vi.fn<ReadingApi['reports']>(fail),
    saveDraft: vi.fn<ReadingApi['saveDraft']>(fail),
    saveAddendumDraft: vi.fn<ReadingApi['saveAddendumDraft']>(fail),
    signReport: vi.fn<ReadingApi['signReport']>(fail),
    createAddendum: vi.fn<ReadingApi['createAddendum']>(fail),
    reportTemplates: vi.fn<ReadingApi['reportTemplates']>(fail),
    saveReportTemplate: vi.fn<ReadingApi['saveReportTemplate']>(fail),
    macros: vi.fn<ReadingApi['macros']>(fail),
    saveMacros: vi.fn<ReadingApi['saveMacros']>(fail),
    deliveries: vi.fn<ReadingApi['deliveries']>(fail),
    retryDelivery: vi.fn<ReadingApi['retryDelivery']>(fail),
    adminAlerts: vi.fn<ReadingApi['adminAlerts']>(fail),
    acknowledgeAlert: vi.fn<ReadingApi['acknowledgeAlert']>(fail),
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

describe('SessionGuardedApi.watchWorklist', () => {
  /** The inner transport's subscriptions, each with its handlers and whether it was stopped. */
  function watched(inner: ReturnType<typeof fakeApi>) {
    const subscriptions: { cursor: string; handlers: WorklistWatchHandlers; stopped: boolean }[] = [];
    inner.watchWorklist.mockImplementation((cursor, handlers) => {
      const entry = { cursor, handlers, stopped: false };
      subscriptions.push(entry);
      return () => {
        entry.stopped = true;
      };
    });
    return subscriptions;
  }

  function recorder() {
    const events: string[] = [];
    const handlers: WorklistWatchHandlers = {
      onChange: (_change, cursor) => events.push(`change@${cursor}`),
      onReset: () => events.push('reset'),
      onStatus: (status) => events.push(status),
      onError: (error) => events.push(`error:${(error as ReadingApiError).body.code}`),
    };
    return { events, handlers };
  }

  it('passes changes, resets and statuses through', () => {
    const inner = fakeApi();
    const subscriptions = watched(inner);
    const api = new SessionGuardedApi(inner);
    const { events, handlers } = recorder();
    api.watchWorklist('c-1', handlers);
    const first = subscriptions[0]!;
    expect(first.cursor).toBe('c-1');
    first.handlers.onStatus?.('live');
    first.handlers.onChange({ kind: 'remove', id: 'a' }, 'c-2');
    first.handlers.onReset();
    first.handlers.onError?.(new ReadingApiError(0, { code: 'service-unavailable', message: '', requestId: '' }));
    expect(events).toEqual(['live', 'change@c-2', 'reset', 'error:service-unavailable']);
  });

  it('on a lost session, reports it, waits, and resumes from the last cursor once the same person is back', () => {
    const inner = fakeApi();
    const subscriptions = watched(inner);
    const api = new SessionGuardedApi(inner);
    const lost = vi.fn();
    api.onSessionLost(lost);
    const { events, handlers } = recorder();
    api.watchWorklist('c-1', handlers);
    subscriptions[0]!.handlers.onChange({ kind: 'remove', id: 'a' }, 'c-5');
    subscriptions[0]!.handlers.onError?.(expired());

    expect(lost).toHaveBeenCalledWith({ code: 'session-expired' });
    expect(events).toEqual(['change@c-5', 'reconnecting']);
    expect(api.heldCount).toBe(1);
    expect(subscriptions).toHaveLength(1);

    api.resume();
    expect(subscriptions).toHaveLength(2);
    expect(subscriptions[1]!.cursor).toBe('c-5');
    expect(api.heldCount).toBe(0);
  });

  it('ends with the 401 when someone else signs in, and forgets a stopped subscription', () => {
    const inner = fakeApi();
    const subscriptions = watched(inner);
    const api = new SessionGuardedApi(inner);
    const { events, handlers } = recorder();
    api.watchWorklist('c-1', handlers);
    subscriptions[0]!.handlers.onError?.(notSignedIn());
    api.abandon();
    expect(events).toEqual(['reconnecting', 'error:not-signed-in']);
    expect(subscriptions).toHaveLength(1);

    const second = recorder();
    const stop = api.watchWorklist('c-9', second.handlers);
    subscriptions[1]!.handlers.onError?.(expired());
    expect(api.heldCount).toBe(1);
    stop();
    expect(api.heldCount).toBe(0);
    api.resume();
    expect(subscriptions).toHaveLength(2);
  });

  it('stops the transport when stopped', () => {
    const inner = fakeApi();
    const subscriptions = watched(inner);
    const api = new SessionGuardedApi(inner);
    const stop = api.watchWorklist('c-1', recorder().handlers);
    stop();
    expect(subscriptions[0]!.stopped).toBe(true);
  });

  it('never replays a signature after a re-sign-in: it fails, and the loss is still reported', async () => {
    const inner = fakeApi();
    inner.signReport.mockRejectedValue(expired());
    const api = new SessionGuardedApi(inner);
    const lost = vi.fn();
    api.onSessionLost(lost);
    await expect(api.signReport('r1', { password: 'pw', version: 2, confirmedPatientId: 'P1', confirmedSiteId: 's' })).rejects.toMatchObject({ status: 401 });
    expect(lost).toHaveBeenCalledTimes(1);
    expect(api.heldCount).toBe(0);
    api.resume();
    expect(inner.signReport).toHaveBeenCalledTimes(1);
  });
});
