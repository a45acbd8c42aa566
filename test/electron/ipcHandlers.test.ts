import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import type { SessionInfo } from '../../core/api/auth.js';
import type { TeleFileSummary } from '../../core/api/teleFiles.js';
import { ReadingApiError, type ReadingApi } from '../../core/readingApi.js';
import { READING_API_CHANNELS, WORKLIST_CHANNELS, type IpcResult, type WorklistEventMessage } from '../../electron/main/ipcChannels.js';
import { registerReadingApiHandlers } from '../../electron/main/ipcHandlers.js';
import { createTrustedSenderCheck, type SenderFrame } from '../../electron/main/trustedSender.js';
import type { WorklistStreamHandlers } from '../../electron/main/worklistStream.js';
import { createVigieBridge, readingApiFromBridge } from '../../electron/preload/vigieBridge.js';

const APP = 'http://127.0.0.1:4173';
const OUR_PAGE: SenderFrame = { url: `${APP}/worklist`, parent: null };

const SESSION: SessionInfo = {
  stage: 'active',
  user: { id: 'u1', username: 'dr.martin', displayName: 'Dr Martin', roles: ['radiologist'], locale: 'fr', mfaEnrolled: true },
  idleExpiresAt: '2025-01-01T02:00:00.000Z',
  absoluteExpiresAt: '2025-01-01T08:00:00.000Z',
};

const TELE_FILE_ID = '2f1c9a52-3b7e-4c1d-9a0e-6d5b8f7e1a23';
const TELE_FILE: TeleFileSummary = {
  id: TELE_FILE_ID,
  status: 'claimed',
  priority: 'vital',
  requestingSite: { id: 'ch-montdidier', name: 'CH Montdidier' },
  modalities: ['CT'],
  modalityFamily: 'cross-sectional',
  bodyPart: 'HEAD',
  studyDescription: 'TDM cérébrale',
  clinicalQuestion: 'Hématome ?',
  imagesReceivedAt: '2026-01-15T01:50:00.000Z',
  numberOfInstances: 120,
  requestReceived: true,
  target: { kind: 'pivot-group', id: 'amiens', name: 'Amiens' },
  assignee: { id: 'u1', username: 'dr.martin', displayName: 'Dr Martin' },
  claimedAt: '2026-01-15T02:00:00.000Z',
  refusal: null,
  routingExplanation: null,
  patient: { name: 'DUPONT^JEAN', sex: 'M', birthDate: '19580312', patientId: 'P1', issuer: 'CHM' },
  studyInstanceUid: '1.2.3',
  accessionNumber: null,
  createdAt: '2026-01-15T01:49:00.000Z',
  updatedAt: '2026-01-15T02:00:00.000Z',
  version: 3,
  delivery: null,
  clinicalIndication: null,
  firstFramePath: null,
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
    watchWorklist: vi.fn(() => () => undefined),
    teleFile: vi.fn(unexpected),
    priors: vi.fn(unexpected),
    claim: vi.fn(() => Promise.resolve(TELE_FILE)),
    release: vi.fn(() => Promise.resolve(TELE_FILE)),
    submitClinicalRequest: vi.fn(() => Promise.resolve(TELE_FILE)),
    announceRequest: vi.fn(() => Promise.resolve({ ...TELE_FILE, status: 'received', studyInstanceUid: null, imagesReceivedAt: null })),
    requestingSites: vi.fn(() => Promise.resolve({ sites: [{ id: 'ch-montdidier', name: 'CH Montdidier' }] })),
    organisation: vi.fn(unexpected),
    saveOrganisation: vi.fn((organisation: unknown) => Promise.resolve(organisation)),
    roster: vi.fn(() => Promise.resolve({ entries: [] })),
    importRoster: vi.fn(() => Promise.resolve({ ok: false, errors: [] })),
    simulateRouting: vi.fn(unexpected),
    audit: vi.fn(() => Promise.resolve({ events: [], nextAfterSeq: null })),
    viewerPreferences: vi.fn(() => Promise.resolve({ hotkeys: {}, cacheBudgetMb: 1024, defaultLayout: '1x1' })),
    saveViewerPreferences: vi.fn((preferences: unknown) => Promise.resolve(preferences)),
    reports: vi.fn(() => Promise.resolve({ teleFileId: TELE_FILE_ID, reports: [] })),
    saveDraft: vi.fn(unexpected),
    saveAddendumDraft: vi.fn(unexpected),
    signReport: vi.fn(unexpected),
    createAddendum: vi.fn(unexpected),
    reportTemplates: vi.fn(() => Promise.resolve({ templates: [] })),
    saveReportTemplate: vi.fn(unexpected),
    macros: vi.fn(() => Promise.resolve({ macros: [] })),
    saveMacros: vi.fn((list: unknown) => Promise.resolve(list)),
    deliveries: vi.fn(() => Promise.resolve({ jobs: [] })),
    retryDelivery: vi.fn(unexpected),
    adminAlerts: vi.fn(() => Promise.resolve({ alerts: [] })),
    acknowledgeAlert: vi.fn(unexpected),
  } as { [K in keyof ReadingApi]: ReturnType<typeof vi.fn> } & ReadingApi;
}

/** A webContents as main sees it: what it was sent, and a 'destroyed' event the test can fire. */
class FakePage {
  static nextId = 1;
  readonly id = FakePage.nextId++;
  readonly sent: WorklistEventMessage[] = [];
  destroyed = false;
  private readonly onDestroyed: (() => void)[] = [];
  send(channel: string, message: WorklistEventMessage) {
    expect(channel).toBe(WORKLIST_CHANNELS.event);
    this.sent.push(structuredClone(message));
  }
  isDestroyed() {
    return this.destroyed;
  }
  once(event: 'destroyed', listener: () => void) {
    expect(event).toBe('destroyed');
    this.onDestroyed.push(listener);
  }
  destroy() {
    this.destroyed = true;
    for (const listener of this.onDestroyed.splice(0)) listener();
  }
}
const defaultPage = new FakePage();

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
      return this.invokeAs(defaultPage, channel, frame, ...args);
    },
    /** As `invoke`, from a given page (webContents): subscriptions belong to the page that made them. */
    invokeAs(sender: FakePage, channel: string, frame: SenderFrame | null, ...args: unknown[]): Promise<IpcResult<unknown>> {
      const handler = handlers.get(channel);
      if (!handler) return Promise.reject(new Error(`No handler registered for '${channel}'`));
      return Promise.resolve(handler({ senderFrame: frame, sender } as unknown as IpcMainInvokeEvent, ...args)) as Promise<
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
    expect([...ipc.handlers.keys()].sort()).toEqual(
      [...Object.values(READING_API_CHANNELS), WORKLIST_CHANNELS.subscribe, WORKLIST_CHANNELS.unsubscribe].sort(),
    );
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

describe('the tele-file, organisation and roster channels', () => {
  it('accept a tele-file id only as a UUID', async () => {
    const { hubClient, ipc } = setUp();
    for (const payload of [undefined, 'x', { id: '../admin' }, { id: 42 }]) {
      expect(await ipc.invoke(READING_API_CHANNELS.claim, OUR_PAGE, payload)).toMatchObject({ ok: false, error: { status: 400 } });
    }
    expect(hubClient.claim).not.toHaveBeenCalled();
    expect(await ipc.invoke(READING_API_CHANNELS.claim, OUR_PAGE, { id: TELE_FILE_ID })).toEqual({ ok: true, value: TELE_FILE });
    expect(hubClient.claim).toHaveBeenCalledWith(TELE_FILE_ID);
    await ipc.invoke(READING_API_CHANNELS.release, OUR_PAGE, { id: TELE_FILE_ID });
    expect(hubClient.release).toHaveBeenCalledWith(TELE_FILE_ID);
  });

  it('check the clinical request with the schema the hub uses, and name the field', async () => {
    const { hubClient, ipc } = setUp();
    const request = { indication: ' Chute, AVK ', question: 'Hématome ?', priority: 'vital', contactPhone: '03 22 66 80 00', requestedBy: 'Dr Urgences' };
    const bad = await ipc.invoke(READING_API_CHANNELS.submitClinicalRequest, OUR_PAGE, { id: TELE_FILE_ID, request: { ...request, contactPhone: 'call me' } });
    expect(bad).toMatchObject({ ok: false, error: { status: 400, body: { fields: [{ field: 'request.contactPhone' }] } } });
    expect(await ipc.invoke(READING_API_CHANNELS.submitClinicalRequest, OUR_PAGE, { id: TELE_FILE_ID, request: { ...request, priority: 'asap' } })).toMatchObject({
      ok: false,
    });
    expect(hubClient.submitClinicalRequest).not.toHaveBeenCalled();
    await ipc.invoke(READING_API_CHANNELS.submitClinicalRequest, OUR_PAGE, { id: TELE_FILE_ID, request });
    expect(hubClient.submitClinicalRequest).toHaveBeenCalledWith(TELE_FILE_ID, { ...request, indication: 'Chute, AVK' });
  });

  it('check an announced request (request first) with the schema the hub uses, and name each field', async () => {
    const { hubClient, ipc } = setUp();
    const request = {
      requestingSiteId: 'ch-montdidier',
      accessionNumber: ' A2026-42 ',
      patientId: 'IPP-1',
      patientName: 'DUPONT Jean',
      modality: 'ct',
      indication: 'Chute, AVK',
      question: 'Hématome ?',
      priority: 'vital',
      contactPhone: '03 22 66 80 00',
      requestedBy: 'Dr Urgences',
    };
    const bad = await ipc.invoke(READING_API_CHANNELS.announceRequest, OUR_PAGE, { ...request, accessionNumber: 'A'.repeat(17), modality: '', patientId: undefined });
    expect(bad).toMatchObject({ ok: false, error: { status: 400 } });
    const fields = (bad as { ok: false; error: { body: { fields: { field: string }[] } } }).error.body.fields.map((f) => f.field).sort();
    expect(fields).toEqual(['accessionNumber', 'modality', 'patientId']);
    expect(await ipc.invoke(READING_API_CHANNELS.announceRequest, OUR_PAGE, undefined)).toMatchObject({ ok: false, error: { status: 400 } });
    expect(hubClient.announceRequest).not.toHaveBeenCalled();
    expect(await ipc.invoke(READING_API_CHANNELS.announceRequest, OUR_PAGE, request)).toMatchObject({ ok: true, value: { status: 'received', studyInstanceUid: null } });
    expect(hubClient.announceRequest).toHaveBeenCalledWith({ ...request, accessionNumber: 'A2026-42', modality: 'CT' });
    expect(await ipc.invoke(READING_API_CHANNELS.requestingSites, OUR_PAGE, { sneaky: true })).toMatchObject({ ok: false, error: { status: 400 } });
    expect(await ipc.invoke(READING_API_CHANNELS.requestingSites, OUR_PAGE)).toEqual({ ok: true, value: { sites: [{ id: 'ch-montdidier', name: 'CH Montdidier' }] } });
  });

  it('refuse a roster CSV over 1 MB (in bytes, not characters) before it reaches the hub', async () => {
    const { hubClient, ipc } = setUp();
    // 600 000 characters, 1 200 000 bytes in UTF-8.
    const accents = 'é'.repeat(600_000);
    expect(await ipc.invoke(READING_API_CHANNELS.importRoster, OUR_PAGE, { csv: accents })).toMatchObject({
      ok: false,
      error: { status: 400, body: { fields: [{ field: 'csv', message: expect.stringContaining('1 MB') }] } },
    });
    expect(await ipc.invoke(READING_API_CHANNELS.importRoster, OUR_PAGE, 'date_debut;heure_debut')).toMatchObject({ ok: false });
    expect(hubClient.importRoster).not.toHaveBeenCalled();
    await ipc.invoke(READING_API_CHANNELS.importRoster, OUR_PAGE, { csv: 'date_debut;heure_debut\n' });
    expect(hubClient.importRoster).toHaveBeenCalledWith('date_debut;heure_debut\n');
  });

  it('check the roster range, the organisation and the simulation with core schemas', async () => {
    const { hubClient, ipc } = setUp();
    expect(await ipc.invoke(READING_API_CHANNELS.roster, OUR_PAGE, { from: '2026-03-01', to: '2026-04-01' })).toMatchObject({ ok: false, error: { status: 400 } });
    await ipc.invoke(READING_API_CHANNELS.roster, OUR_PAGE, { from: '2026-02-28T23:00:00.000Z', to: '2026-03-31T22:00:00.000Z' });
    expect(hubClient.roster).toHaveBeenCalledWith({ from: '2026-02-28T23:00:00.000Z', to: '2026-03-31T22:00:00.000Z' });

    expect(await ipc.invoke(READING_API_CHANNELS.saveOrganisation, OUR_PAGE, { sites: 'none' })).toMatchObject({ ok: false, error: { status: 400 } });
    const organisation = { sites: [{ kind: 'pivot', id: 'chu-amiens', name: 'CHU Amiens' }], coverage: { pivotGroups: [], rules: [] }, pdsCalendar: {} };
    await ipc.invoke(READING_API_CHANNELS.saveOrganisation, OUR_PAGE, organisation);
    // Parsed: the calendar's defaults are filled in before the hub sees it.
    expect(hubClient.saveOrganisation).toHaveBeenCalledWith(expect.objectContaining({ pdsCalendar: expect.objectContaining({ nightStart: '18:00' }) }));

    expect(await ipc.invoke(READING_API_CHANNELS.simulateRouting, OUR_PAGE, { modalities: [], at: '2026-03-29T00:10:00Z' })).toMatchObject({
      ok: false,
      error: { body: { fields: [{ field: 'modalities', message: 'Give at least one modality, e.g. CT.' }] } },
    });
    expect(hubClient.simulateRouting).not.toHaveBeenCalled();
  });

  it('check viewer preferences with the core schema, refusing a key bound to two actions before the hub sees it', async () => {
    const { hubClient, ipc } = setUp();
    expect(await ipc.invoke(READING_API_CHANNELS.viewerPreferences, OUR_PAGE)).toEqual({ ok: true, value: { hotkeys: {}, cacheBudgetMb: 1024, defaultLayout: '1x1' } });
    const clash = await ipc.invoke(READING_API_CHANNELS.saveViewerPreferences, OUR_PAGE, { hotkeys: { 'tool.zoom': ['w'] } });
    expect(clash).toMatchObject({ ok: false, error: { status: 400, body: { fields: [{ field: 'hotkeys.tool.zoom', message: expect.stringContaining('tool.windowLevel') }] } } });
    expect(hubClient.saveViewerPreferences).not.toHaveBeenCalled();
    await ipc.invoke(READING_API_CHANNELS.saveViewerPreferences, OUR_PAGE, { hotkeys: { 'tool.probe': ['x'] }, cacheBudgetMb: 2048 });
    expect(hubClient.saveViewerPreferences).toHaveBeenCalledWith({ hotkeys: { 'tool.probe': ['x'] }, cacheBudgetMb: 2048, defaultLayout: '1x1' });
  });
});

describe('the report channels', () => {
  const REPORT_ID = '7d0c1b7e-2f4a-4a43-9a6f-0d6f5e3b2a10';
  const draft = {
    content: { indication: 'Chute', technique: '', findings: '', conclusion: '' },
    critical: { flagged: false, communication: { to: '', means: null, at: null } },
    templateId: null,
    baseVersion: 0,
    clientId: 'tab-12345678',
  };

  it('pass a checked draft on, and the conflict back as data, not as an error', async () => {
    const { hubClient, ipc } = setUp();
    const current = { id: REPORT_ID, version: 4 };
    hubClient.saveDraft.mockResolvedValue({ saved: false, current });
    expect(await ipc.invoke(READING_API_CHANNELS.saveDraft, OUR_PAGE, { teleFileId: TELE_FILE_ID, request: draft })).toEqual({
      ok: true,
      value: { saved: false, current },
    });
    expect(hubClient.saveDraft).toHaveBeenCalledWith(TELE_FILE_ID, draft);
  });

  it('refuse a draft with an unknown field or an over-long section before the hub sees it', async () => {
    const { hubClient, ipc } = setUp();
    const extra = await ipc.invoke(READING_API_CHANNELS.saveDraft, OUR_PAGE, { teleFileId: TELE_FILE_ID, request: { ...draft, signed: true } });
    expect(extra).toMatchObject({ ok: false, error: { status: 400, body: { code: 'validation-failed' } } });
    const long = { ...draft, content: { ...draft.content, findings: 'x'.repeat(20_001) } };
    expect(await ipc.invoke(READING_API_CHANNELS.saveAddendumDraft, OUR_PAGE, { reportId: REPORT_ID, request: long })).toMatchObject({ ok: false, error: { status: 400 } });
    expect(await ipc.invoke(READING_API_CHANNELS.createAddendum, OUR_PAGE, { reportId: '../admin' })).toMatchObject({ ok: false, error: { status: 400 } });
    expect(hubClient.saveDraft).not.toHaveBeenCalled();
    expect(hubClient.saveAddendumDraft).not.toHaveBeenCalled();
    expect(hubClient.createAddendum).not.toHaveBeenCalled();
  });

  it('refuse a signature whose code is not six digits, and pass a good one with what was confirmed', async () => {
    const { hubClient, ipc } = setUp();
    hubClient.signReport.mockResolvedValue({ id: REPORT_ID });
    const bad = { version: 2, code: '12a456', confirmedPatientId: 'P1', confirmedSiteId: 'ch-montdidier' };
    expect(await ipc.invoke(READING_API_CHANNELS.signReport, OUR_PAGE, { reportId: REPORT_ID, request: bad })).toMatchObject({ ok: false, error: { status: 400 } });
    expect(hubClient.signReport).not.toHaveBeenCalled();
    const good = { ...bad, code: '123456' };
    expect(await ipc.invoke(READING_API_CHANNELS.signReport, OUR_PAGE, { reportId: REPORT_ID, request: good })).toEqual({ ok: true, value: { id: REPORT_ID } });
    expect(hubClient.signReport).toHaveBeenCalledWith(REPORT_ID, good);
  });

  it('check macros with the core schema (no two with one shortcut)', async () => {
    const { hubClient, ipc } = setUp();
    const twice = { macros: [{ shortcut: 'nl', text: 'A' }, { shortcut: 'nl', text: 'B' }] };
    expect(await ipc.invoke(READING_API_CHANNELS.saveMacros, OUR_PAGE, twice)).toMatchObject({ ok: false, error: { status: 400 } });
    expect(hubClient.saveMacros).not.toHaveBeenCalled();
    expect(await ipc.invoke(READING_API_CHANNELS.macros, OUR_PAGE)).toEqual({ ok: true, value: { macros: [] } });
  });
});

describe('live worklist subscriptions', () => {
  function setUpWatch() {
    const context = setUp();
    const streams: { cursor: string; handlers: WorklistStreamHandlers; stop: ReturnType<typeof vi.fn> }[] = [];
    context.hubClient.watchWorklist.mockImplementation((cursor: string, handlers: WorklistStreamHandlers) => {
      const stop = vi.fn();
      streams.push({ cursor, handlers, stop });
      return stop;
    });
    return { ...context, streams };
  }

  it('open one hub stream per subscription and forward its events to the page that asked, tagged with its id', async () => {
    const { ipc, streams } = setUpWatch();
    const page = new FakePage();
    const result = await ipc.invokeAs(page, WORKLIST_CHANNELS.subscribe, OUR_PAGE, { cursor: 'c-41' });
    expect(result).toMatchObject({ ok: true, value: { subscriptionId: expect.stringMatching(/^[0-9a-f-]{36}$/) } });
    const subscriptionId = (result as { value: { subscriptionId: string } }).value.subscriptionId;
    expect(streams).toHaveLength(1);
    expect(streams[0]?.cursor).toBe('c-41');

    const stream = streams[0]!;
    stream.handlers.onStatus?.('live');
    stream.handlers.onChange({ kind: 'upsert', teleFile: TELE_FILE }, 'c-42');
    stream.handlers.onChange({ kind: 'remove', id: TELE_FILE_ID }, 'c-43');
    stream.handlers.onReset();
    stream.handlers.onError?.(new ReadingApiError(401, { code: 'session-expired', message: 'Expired.', requestId: 'r' }));
    stream.handlers.onError?.(new TypeError('boom at /home/x'));
    expect(page.sent).toEqual([
      { subscriptionId, type: 'status', status: 'live' },
      { subscriptionId, type: 'change', change: { kind: 'upsert', teleFile: TELE_FILE }, cursor: 'c-42' },
      { subscriptionId, type: 'change', change: { kind: 'remove', id: TELE_FILE_ID }, cursor: 'c-43' },
      { subscriptionId, type: 'reset' },
      { subscriptionId, type: 'error', error: { status: 401, body: { code: 'session-expired', message: 'Expired.', requestId: 'r' } } },
      { subscriptionId, type: 'error', error: { status: 500, body: expect.objectContaining({ code: 'internal-error' }) } },
    ]);
    expect(JSON.stringify(page.sent)).not.toContain('boom');
  });

  it('refuse another origin and a malformed cursor without opening a stream', async () => {
    const { hubClient, ipc } = setUpWatch();
    expect(await ipc.invoke(WORKLIST_CHANNELS.subscribe, { url: 'https://evil.example/', parent: null }, { cursor: 'c' })).toMatchObject({
      ok: false,
      error: { status: 403 },
    });
    for (const payload of [undefined, { cursor: '' }, { cursor: 'x'.repeat(201) }, 'c']) {
      expect(await ipc.invoke(WORKLIST_CHANNELS.subscribe, OUR_PAGE, payload)).toMatchObject({ ok: false, error: { status: 400 } });
    }
    expect(hubClient.watchWorklist).not.toHaveBeenCalled();
  });

  it('let a page stop only its own subscription', async () => {
    const { ipc, streams } = setUpWatch();
    const page = new FakePage();
    const other = new FakePage();
    const result = (await ipc.invokeAs(page, WORKLIST_CHANNELS.subscribe, OUR_PAGE, { cursor: 'c' })) as { value: { subscriptionId: string } };
    const { subscriptionId } = result.value;
    expect(await ipc.invokeAs(other, WORKLIST_CHANNELS.unsubscribe, OUR_PAGE, { subscriptionId })).toEqual({ ok: true, value: undefined });
    expect(streams[0]?.stop).not.toHaveBeenCalled();
    expect(await ipc.invokeAs(page, WORKLIST_CHANNELS.unsubscribe, OUR_PAGE, { subscriptionId: 'not-a-uuid' })).toMatchObject({ ok: false, error: { status: 400 } });
    await ipc.invokeAs(page, WORKLIST_CHANNELS.unsubscribe, OUR_PAGE, { subscriptionId });
    expect(streams[0]?.stop).toHaveBeenCalledTimes(1);
    // Stopped: late events from the stream go nowhere.
    streams[0]?.handlers.onReset();
    expect(page.sent).toEqual([]);
  });

  it("stop a page's streams when the page goes away, and all of them when the handlers are removed", async () => {
    const { ipc, streams, unregister } = setUpWatch();
    const page = new FakePage();
    const kept = new FakePage();
    await ipc.invokeAs(page, WORKLIST_CHANNELS.subscribe, OUR_PAGE, { cursor: 'a' });
    await ipc.invokeAs(page, WORKLIST_CHANNELS.subscribe, OUR_PAGE, { cursor: 'b' });
    await ipc.invokeAs(kept, WORKLIST_CHANNELS.subscribe, OUR_PAGE, { cursor: 'c' });
    page.destroy();
    expect(streams.map((s) => s.stop.mock.calls.length)).toEqual([1, 1, 0]);
    unregister();
    expect(streams.map((s) => s.stop.mock.calls.length)).toEqual([1, 1, 1]);
  });

  it('cap the streams one page may hold', async () => {
    const { ipc } = setUpWatch();
    const page = new FakePage();
    for (let i = 0; i < 4; i += 1) expect(await ipc.invokeAs(page, WORKLIST_CHANNELS.subscribe, OUR_PAGE, { cursor: 'c' })).toMatchObject({ ok: true });
    expect(await ipc.invokeAs(page, WORKLIST_CHANNELS.subscribe, OUR_PAGE, { cursor: 'c' })).toMatchObject({ ok: false, error: { status: 429 } });
  });

  it('reach the renderer through the preload bridge as a ReadingApi subscription, errors as ReadingApiErrors', async () => {
    const { ipc, streams } = setUpWatch();
    const page = new FakePage();
    const listeners = new Set<(message: WorklistEventMessage) => void>();
    // Main's sends reach the preload's ipcRenderer.on listeners.
    page.send = (channel, message) => {
      expect(channel).toBe(WORKLIST_CHANNELS.event);
      for (const listener of listeners) listener(structuredClone(message));
    };
    const bridge = createVigieBridge(
      async (channel, payload) => structuredClone(await ipc.invokeAs(page, channel, OUR_PAGE, structuredClone(payload))),
      (_channel, listener) => {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    );
    const api = readingApiFromBridge(bridge);
    const changes: string[] = [];
    const errors: unknown[] = [];
    const statuses: string[] = [];
    const handlers = {
      onChange: (_change: unknown, cursor: string) => changes.push(cursor),
      onReset: () => changes.push('reset'),
      onError: (error: unknown) => errors.push(error),
      onStatus: (status: string) => statuses.push(status),
    };
    const stop = api.watchWorklist('c-1', handlers);
    await vi.waitFor(() => expect(streams).toHaveLength(1));
    await new Promise((resolve) => setTimeout(resolve, 0));
    const stream = streams[0]!;
    stream.handlers.onStatus?.('live');
    stream.handlers.onChange({ kind: 'remove', id: TELE_FILE_ID }, 'c-2');
    stream.handlers.onReset();
    stream.handlers.onError?.(new ReadingApiError(401, { code: 'session-expired', message: 'Expired.', requestId: 'r' }));
    expect(statuses).toEqual(['live']);
    expect(changes).toEqual(['c-2', 'reset']);
    expect(errors[0]).toBeInstanceOf(ReadingApiError);
    expect(errors[0]).toMatchObject({ status: 401, body: { code: 'session-expired' } });
    stop();
    await vi.waitFor(() => expect(stream.stop).toHaveBeenCalledTimes(1));
    expect(listeners.size).toBe(0);
  });
});
