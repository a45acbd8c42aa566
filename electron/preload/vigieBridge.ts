import { ReadingApiError, type ReadingApi } from '../../core/readingApi.js';
import {
  READING_API_CHANNELS,
  type IpcResult,
  type ReadingApiChannel,
  type ReadingApiMethod,
  type ReadingApiPayloads,
  type ReadingApiResult,
} from '../main/ipcChannels.js';

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
};

/** ipcRenderer.invoke, injected. */
export type Invoke = (channel: ReadingApiChannel, payload: unknown) => Promise<unknown>;

/** Each ReadingApi method is one invoke on its channel, carrying one payload that main validates. */
export function createVigieBridge(invoke: Invoke): VigieBridge {
  function send<M extends ReadingApiMethod>(method: M, payload: ReadingApiPayloads[M]): Promise<IpcResult<ReadingApiResult<M>>> {
    return invoke(READING_API_CHANNELS[method], payload).then(
      (result) => result as IpcResult<ReadingApiResult<M>>,
      // Only when main has no handler yet (startup) or crashed mid-call: our handlers never reject.
      () => ({
        ok: false,
        error: {
          status: 503,
          body: {
            code: 'service-unavailable',
            message: `The desktop shell did not answer the ${method} request.`,
            requestId: 'desktop-preload',
          },
        },
      }),
    );
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
    audit: (query) => send('audit', query),
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
    audit: (query) => bridge.audit(query).then(unwrap),
  };
}

export function unwrap<T>(result: IpcResult<T>): T {
  if (result.ok) return result.value;
  throw new ReadingApiError(result.error.status, result.error.body);
}
