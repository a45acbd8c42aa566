import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import type { SessionInfo } from '../../core/api/auth.js';
import { ReadingApiError, type ReadingApi } from '../../core/readingApi.js';
import { READING_API_CHANNELS, type IpcResult } from '../../electron/main/ipcChannels.js';
import { registerReadingApiHandlers } from '../../electron/main/ipcHandlers.js';
import { createTrustedSenderCheck, type SenderFrame } from '../../electron/main/trustedSender.js';
import { createVigieBridge, readingApiFromBridge } from '../../electron/preload/vigieBridge.js';

const APP = 'http://127.0.0.1:4173';
const OUR_PAGE: SenderFrame = { url: `${APP}/worklist`, parent: null };

const SESSION: SessionInfo = {
  stage: 'active',
  user: { id: 'u1', username: 'dr.martin', displayName: 'Dr Martin', roles: ['radiologist'], locale: 'fr', mfaEnrolled: true },
  idleExpiresAt: '2025-01-01T02:00:00.000Z',
  absoluteExpiresAt: '2025-01-01T08:00:00.000Z',
};

function fakeHubClient(): { [K in keyof ReadingApi]: ReturnType<typeof vi.fn> } & ReadingApi {
  const unexpected = () => Promise.reject(new Error('unexpected call'));
  return {
    signInInfo: vi.fn(unexpected),
    login: vi.fn(() => Promise.resolve(SESSION)),
    secondFactor: vi.fn(() => Promise.resolve(SESSION)),
    startEnrolment: vi.fn(unexpected),
    confirmEnrolment: vi.fn(unexpected),
    logout: vi.fn(() => Promise.resolve()),
    session: vi.fn(() => Promise.resolve(SESSION)),
    setLocale: vi.fn(() => Promise.resolve()),
    worklist: vi.fn(unexpected),
    audit: vi.fn(() => Promise.resolve({ events: [], nextAfterSeq: null })),
  };
}

/** An ipcMain that keeps its handlers so the test can invoke them as Electron would. */
function fakeIpcMain() {
  const handlers = new Map<string, (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown>();
  const ipcMain = {
    handle: (channel: string, listener: (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown) => {
      if (handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
      handlers.set(channel, listener);
    },
    removeHandler: (channel: string) => handlers.delete(channel),
  };
  return {
    ipcMain: ipcMain as unknown as IpcMain,
    handlers,
    invoke(channel: string, frame: SenderFrame | null, ...args: unknown[]): Promise<IpcResult<unknown>> {
      const handler = handlers.get(channel);
      if (!handler) return Promise.reject(new Error(`No handler registered for '${channel}'`));
      return Promise.resolve(handler({ senderFrame: frame } as unknown as IpcMainInvokeEvent, ...args)) as Promise<
        IpcResult<unknown>
      >;
    },
  };
}

function setUp() {
  const hubClient = fakeHubClient();
  const ipc = fakeIpcMain();
  const log = vi.fn();
  const unregister = registerReadingApiHandlers(ipc.ipcMain, {
    hubClient,
    isTrustedSender: createTrustedSenderCheck(APP),
    log,
  });
  return { hubClient, ipc, log, unregister };
}

describe('registerReadingApiHandlers', () => {
  it('registers one handler per ReadingApi channel, and removes them all', () => {
    const { ipc, unregister } = setUp();
    expect([...ipc.handlers.keys()].sort()).toEqual(Object.values(READING_API_CHANNELS).sort());
    unregister();
    expect(ipc.handlers.size).toBe(0);
  });

  it('refuses a sender that is not our page, without calling the hub', async () => {
    const { hubClient, ipc, log } = setUp();
    const request = { username: 'dr.martin', password: 'secret' };
    const senders: (SenderFrame | null)[] = [
      { url: 'https://evil.example/', parent: null },
      { url: 'http://127.0.0.1:4174/', parent: null },
      { url: 'file:///tmp/index.html', parent: null },
      { url: `${APP}/embedded`, parent: OUR_PAGE as SenderFrame['parent'] },
      null,
    ];
    for (const frame of senders) {
      const result = await ipc.invoke(READING_API_CHANNELS.login, frame, request);
      expect(result).toMatchObject({ ok: false, error: { status: 403, body: { code: 'forbidden' } } });
    }
    expect(hubClient.login).not.toHaveBeenCalled();
    expect(JSON.stringify(log.mock.calls)).not.toContain('secret');
  });

  it('refuses a malformed payload with a message that names the field, without calling the hub', async () => {
    const { hubClient, ipc } = setUp();
    const result = await ipc.invoke(READING_API_CHANNELS.login, OUR_PAGE, { username: 'dr.martin', password: '' });
    expect(result).toMatchObject({
      ok: false,
      error: {
        status: 400,
        body: {
          code: 'validation-failed',
          message: 'The login request is not valid: password: Enter your password.',
          fields: [{ field: 'password', message: 'Enter your password.' }],
        },
      },
    });
    for (const payload of [undefined, 'dr.martin', { username: 42, password: 'x' }]) {
      expect(await ipc.invoke(READING_API_CHANNELS.login, OUR_PAGE, payload)).toMatchObject({
        ok: false,
        error: { status: 400, body: { code: 'validation-failed' } },
      });
    }
    expect(await ipc.invoke(READING_API_CHANNELS.setLocale, OUR_PAGE, { locale: 'de' })).toMatchObject({
      ok: false,
      error: { status: 400 },
    });
    expect(await ipc.invoke(READING_API_CHANNELS.session, OUR_PAGE, { sneaky: true })).toMatchObject({
      ok: false,
      error: { status: 400, body: { message: 'The session request is not valid: This request takes no payload.' } },
    });
    expect(await ipc.invoke(READING_API_CHANNELS.logout, OUR_PAGE, undefined, 'extra')).toMatchObject({
      ok: false,
      error: { status: 400 },
    });
    expect(hubClient.login).not.toHaveBeenCalled();
    expect(hubClient.setLocale).not.toHaveBeenCalled();
    expect(hubClient.session).not.toHaveBeenCalled();
  });

  it('passes a valid payload, as parsed, to the hub client and resolves with its answer', async () => {
    const { hubClient, ipc } = setUp();
    const login = await ipc.invoke(READING_API_CHANNELS.login, OUR_PAGE, { username: '  dr.martin ', password: 'pw' });
    expect(login).toEqual({ ok: true, value: SESSION });
    // The schema trims the username: the hub gets what was validated, not what was sent.
    expect(hubClient.login).toHaveBeenCalledWith({ username: 'dr.martin', password: 'pw' });

    expect(await ipc.invoke(READING_API_CHANNELS.secondFactor, OUR_PAGE, { code: ' 123456 ' })).toEqual({ ok: true, value: SESSION });
    expect(hubClient.secondFactor).toHaveBeenCalledWith('123456');

    expect(await ipc.invoke(READING_API_CHANNELS.setLocale, OUR_PAGE, { locale: 'en' })).toEqual({ ok: true, value: undefined });
    expect(hubClient.setLocale).toHaveBeenCalledWith('en');

    await ipc.invoke(READING_API_CHANNELS.audit, OUR_PAGE, { action: 'login.failure' });
    expect(hubClient.audit).toHaveBeenCalledWith({ action: 'login.failure', limit: 100 });

    expect(await ipc.invoke(READING_API_CHANNELS.session, OUR_PAGE)).toEqual({ ok: true, value: SESSION });
  });

  it("carries the hub's status and error body back as data", async () => {
    const { hubClient, ipc } = setUp();
    const body = { code: 'invalid-credentials' as const, message: 'Wrong username or password.', requestId: 'req-7' };
    hubClient.login.mockRejectedValueOnce(new ReadingApiError(401, body));
    expect(await ipc.invoke(READING_API_CHANNELS.login, OUR_PAGE, { username: 'a', password: 'b' })).toEqual({
      ok: false,
      error: { status: 401, body },
    });
  });

  it('turns an unexpected failure into a 500 without its details, and logs it', async () => {
    const { hubClient, ipc, log } = setUp();
    hubClient.worklist.mockRejectedValueOnce(new TypeError('boom at /home/x'));
    const result = await ipc.invoke(READING_API_CHANNELS.worklist, OUR_PAGE);
    expect(result).toMatchObject({ ok: false, error: { status: 500, body: { code: 'internal-error' } } });
    expect(JSON.stringify(result)).not.toContain('boom');
    expect(log).toHaveBeenCalledWith('A ReadingApi call failed in the desktop shell', expect.objectContaining({ method: 'worklist' }));
  });
});

describe('the preload bridge over these handlers', () => {
  it('gives the renderer a ReadingApi whose failures are ReadingApiErrors with the status and body', async () => {
    const { hubClient, ipc } = setUp();
    // Structured clone stands for the copies IPC and the contextBridge make.
    const api = readingApiFromBridge(
      createVigieBridge(async (channel, payload) => structuredClone(await ipc.invoke(channel, OUR_PAGE, structuredClone(payload)))),
    );
    await expect(api.login({ username: 'dr.martin', password: 'pw' })).resolves.toEqual(SESSION);
    await expect(api.secondFactor('123456')).resolves.toEqual(SESSION);

    const error = await api.login({ username: 'dr.martin', password: '' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ReadingApiError);
    expect(error).toMatchObject({ status: 400, body: { code: 'validation-failed' } });

    hubClient.logout.mockRejectedValueOnce(
      new ReadingApiError(401, { code: 'session-expired', message: 'Your session has expired.', requestId: 'r' }),
    );
    await expect(api.logout()).rejects.toMatchObject({ name: 'ReadingApiError', status: 401, body: { code: 'session-expired' } });
  });

  it('answers 503 when main has no handler yet', async () => {
    const api = readingApiFromBridge(createVigieBridge(() => Promise.reject(new Error("No handler registered for 'vigie:api:session'"))));
    await expect(api.session()).rejects.toMatchObject({ status: 503, body: { code: 'service-unavailable' } });
  });
});
