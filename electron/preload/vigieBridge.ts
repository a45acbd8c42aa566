import type { TeleFileChange } from '../../core/api/teleFiles.js';
import { ReadingApiError, type ReadingApi } from '../../core/readingApi.js';
import {
  READING_API_CHANNELS,
  WORKLIST_CHANNELS,
  type IpcError,
  type IpcResult,
  type ReadingApiChannel,
  type ReadingApiMethod,
  type ReadingApiPayloads,
  type ReadingApiResult,
  type WorklistEventMessage,
} from '../main/ipcChannels.js';

/** The live worklist's handlers as they cross the contextBridge: errors travel as data (see below). */
export interface BridgeWorklistHandlers {
  onChange(change: TeleFileChange, cursor: string): void;
  onReset(): void;
  onStatus?(status: 'live' | 'reconnecting'): void;
  onError?(error: IpcError): void;
}

/**
 * The object the preload exposes as `window.vigie`. Its methods resolve with
 * an IpcResult instead of rejecting because the contextBridge copies only the
 * `message` of an Error: a ReadingApiError's status and body would not survive
 * the crossing. The renderer turns it into a ReadingApi with
 * `readingApiFromBridge(window.vigie)`. No Electron import here, so the
 * renderer can use these types and the tests can load this file.
 *
 * In the renderer: `declare global { interface Window { vigie?: VigieBridge } }`.
 */
export type VigieBridge = {
  readonly [M in ReadingApiMethod]: (...args: Parameters<ReadingApi[M]>) => Promise<IpcResult<ReadingApiResult<M>>>;
} & {
  /** Functions cross the contextBridge as proxies: the handlers run in the page, the returned stop in the preload. */
  readonly watchWorklist: (cursor: string, handlers: BridgeWorklistHandlers) => () => void;
};

/** ipcRenderer.invoke, injected. */
export type Invoke = (channel: ReadingApiChannel | (typeof WORKLIST_CHANNELS)['subscribe' | 'unsubscribe'], payload: unknown) => Promise<unknown>;
/** ipcRenderer.on for the event channel, injected; returns the function that removes the listener. */
export type Listen = (channel: (typeof WORKLIST_CHANNELS)['event'], listener: (message: WorklistEventMessage) => void) => () => void;

const noListen: Listen = () => () => undefined;

/** Each ReadingApi method is one invoke on its channel, carrying one payload that main validates. */
export function createVigieBridge(invoke: Invoke, listen: Listen = noListen): VigieBridge {
  function send<M extends ReadingApiMethod>(method: M, payload: ReadingApiPayloads[M]): Promise<IpcResult<ReadingApiResult<M>>> {
    return invoke(READING_API_CHANNELS[method], payload).then(
      (result) => result as IpcResult<ReadingApiResult<M>>,
      () => shellSilent<ReadingApiResult<M>>(method),
    );
  }

  function watchWorklist(cursor: string, handlers: BridgeWorklistHandlers): () => void {
    let subscriptionId: string | null = null;
    let stopped = false;
    // Events that arrive before the subscription id (the invoke's answer) are held, then replayed.
    const early: WorklistEventMessage[] = [];
    const deliver = (message: WorklistEventMessage) => {
      switch (message.type) {
        case 'change':
          handlers.onChange(message.change, message.cursor);
          break;
        case 'reset':
          handlers.onReset();
          break;
        case 'status':
          handlers.onStatus?.(message.status);
          break;
        case 'error':
          handlers.onError?.(message.error);
          break;
      }
    };
    const stopListening = listen(WORKLIST_CHANNELS.event, (message) => {
      if (stopped) return;
      if (subscriptionId === null) early.push(message);
      else if (message.subscriptionId === subscriptionId) deliver(message);
    });
    invoke(WORKLIST_CHANNELS.subscribe, { cursor }).then(
      (raw) => {
        const result = raw as IpcResult<{ subscriptionId: string }>;
        if (!result.ok) {
          stopListening();
          if (!stopped) handlers.onError?.(result.error);
          return;
        }
        subscriptionId = result.value.subscriptionId;
        if (stopped) {
          void invoke(WORKLIST_CHANNELS.unsubscribe, { subscriptionId }).catch(() => undefined);
          return;
        }
        for (const message of early.splice(0)) if (message.subscriptionId === subscriptionId) deliver(message);
      },
      () => {
        stopListening();
        const silent = shellSilent<never>('watchWorklist');
        if (!stopped && !silent.ok) handlers.onError?.(silent.error);
      },
    );
    return () => {
      if (stopped) return;
      stopped = true;
      stopListening();
      if (subscriptionId !== null) void invoke(WORKLIST_CHANNELS.unsubscribe, { subscriptionId }).catch(() => undefined);
    };
  }

  return {
    signInInfo: () => send('signInInfo', undefined),
    login: (request) => send('login', request),
    secondFactor: (code) => send('secondFactor', { code }),
    startEnrolment: () => send('startEnrolment', undefined),
    confirmEnrolment: (code) => send('confirmEnrolment', { code }),
    logout: () => send('logout', undefined),
    session: () => send('session', undefined),
    setLocale: (locale) => send('setLocale', { locale }),
    worklist: () => send('worklist', undefined),
    watchWorklist,
    teleFile: (id) => send('teleFile', { id }),
    priors: (id) => send('priors', { id }),
    claim: (id) => send('claim', { id }),
    release: (id) => send('release', { id }),
    submitClinicalRequest: (id, request) => send('submitClinicalRequest', { id, request }),
    announceRequest: (request) => send('announceRequest', request),
    requestingSites: () => send('requestingSites', undefined),
    organisation: () => send('organisation', undefined),
    saveOrganisation: (organisation) => send('saveOrganisation', organisation),
    roster: (range) => send('roster', range),
    importRoster: (csv) => send('importRoster', { csv }),
    simulateRouting: (request) => send('simulateRouting', request),
    audit: (query) => send('audit', query),
    viewerPreferences: () => send('viewerPreferences', undefined),
    saveViewerPreferences: (preferences) => send('saveViewerPreferences', preferences),
    reports: (teleFileId) => send('reports', { teleFileId }),
    saveDraft: (teleFileId, request) => send('saveDraft', { teleFileId, request }),
    saveAddendumDraft: (reportId, request) => send('saveAddendumDraft', { reportId, request }),
    signReport: (reportId, request) => send('signReport', { reportId, request }),
    createAddendum: (reportId) => send('createAddendum', { reportId }),
    reportTemplates: () => send('reportTemplates', undefined),
    saveReportTemplate: (id, input) => send('saveReportTemplate', { id, input }),
    macros: () => send('macros', undefined),
    saveMacros: (list) => send('saveMacros', list),
    deliveries: (query) => send('deliveries', query),
    retryDelivery: (jobId) => send('retryDelivery', { jobId }),
    adminAlerts: (query) => send('adminAlerts', query),
    acknowledgeAlert: (alertId) => send('acknowledgeAlert', { alertId }),
  };
}

/** Only when main has no handler yet (startup) or crashed mid-call: our handlers never reject. */
function shellSilent<T>(method: string): IpcResult<T> {
  return {
    ok: false,
    error: {
      status: 503,
      body: { code: 'service-unavailable', message: `The desktop shell did not answer the ${method} request.`, requestId: 'desktop-preload' },
    },
  };
}

/** The renderer's side of the bridge: a ReadingApi that throws ReadingApiError, as the HTTP transport does. */
export function readingApiFromBridge(bridge: VigieBridge): ReadingApi {
  return {
    signInInfo: () => bridge.signInInfo().then(unwrap),
    login: (request) => bridge.login(request).then(unwrap),
    secondFactor: (code) => bridge.secondFactor(code).then(unwrap),
    startEnrolment: () => bridge.startEnrolment().then(unwrap),
    confirmEnrolment: (code) => bridge.confirmEnrolment(code).then(unwrap),
    logout: () => bridge.logout().then(unwrap),
    session: () => bridge.session().then(unwrap),
    setLocale: (locale) => bridge.setLocale(locale).then(unwrap),
    worklist: () => bridge.worklist().then(unwrap),
    // `onStatus` is passed on when the caller gave one (the renderer's live mark), though ReadingApi does not name it yet.
    watchWorklist: (cursor, handlers: Parameters<ReadingApi['watchWorklist']>[1] & { onStatus?(status: 'live' | 'reconnecting'): void }) =>
      bridge.watchWorklist(cursor, {
        onChange: (change, next) => handlers.onChange(change, next),
        onReset: () => handlers.onReset(),
        onStatus: (status) => handlers.onStatus?.(status),
        onError: (error) => handlers.onError?.(new ReadingApiError(error.status, error.body)),
      }),
    teleFile: (id) => bridge.teleFile(id).then(unwrap),
    priors: (id) => bridge.priors(id).then(unwrap),
    claim: (id) => bridge.claim(id).then(unwrap),
    release: (id) => bridge.release(id).then(unwrap),
    submitClinicalRequest: (id, request) => bridge.submitClinicalRequest(id, request).then(unwrap),
    announceRequest: (request) => bridge.announceRequest(request).then(unwrap),
    requestingSites: () => bridge.requestingSites().then(unwrap),
    organisation: () => bridge.organisation().then(unwrap),
    saveOrganisation: (organisation) => bridge.saveOrganisation(organisation).then(unwrap),
    roster: (range) => bridge.roster(range).then(unwrap),
    importRoster: (csv) => bridge.importRoster(csv).then(unwrap),
    simulateRouting: (request) => bridge.simulateRouting(request).then(unwrap),
    audit: (query) => bridge.audit(query).then(unwrap),
    viewerPreferences: () => bridge.viewerPreferences().then(unwrap),
    saveViewerPreferences: (preferences) => bridge.saveViewerPreferences(preferences).then(unwrap),
    reports: (teleFileId) => bridge.reports(teleFileId).then(unwrap),
    saveDraft: (teleFileId, request) => bridge.saveDraft(teleFileId, request).then(unwrap),
    saveAddendumDraft: (reportId, request) => bridge.saveAddendumDraft(reportId, request).then(unwrap),
    signReport: (reportId, request) => bridge.signReport(reportId, request).then(unwrap),
    createAddendum: (reportId) => bridge.createAddendum(reportId).then(unwrap),
    reportTemplates: () => bridge.reportTemplates().then(unwrap),
    saveReportTemplate: (id, input) => bridge.saveReportTemplate(id, input).then(unwrap),
    macros: () => bridge.macros().then(unwrap),
    saveMacros: (list) => bridge.saveMacros(list).then(unwrap),
    deliveries: (query) => bridge.deliveries(query).then(unwrap),
    retryDelivery: (jobId) => bridge.retryDelivery(jobId).then(unwrap),
    adminAlerts: (query) => bridge.adminAlerts(query).then(unwrap),
    acknowledgeAlert: (alertId) => bridge.acknowledgeAlert(alertId).then(unwrap),
  };
}

export function unwrap<T>(result: IpcResult<T>): T {
  if (result.ok) return result.value;
  throw new ReadingApiError(result.error.status, result.error.body);
}
