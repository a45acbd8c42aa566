import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { ApiErrorBody, type ApiErrorCode } from '../../core/api/apiError.js';
import { AuditPage, type AuditQuery } from '../../core/api/audit.js';
import {
  EnrolmentConfirmResponse,
  EnrolmentStartResponse,
  SessionInfo,
  SignInInfo,
} from '../../core/api/auth.js';
import { Organisation, RosterEntryView, RosterImportResult, RoutingSimulationResult } from '../../core/api/organisation.js';
import { RequestingSiteList, TeleFileSummary, TeleFileWorklist } from '../../core/api/teleFiles.js';
import { TeleFilePriors } from '../../core/api/priors.js';
import { ViewerPreferences } from '../../core/api/viewerPreferences.js';
import { MacroList, ReportConflict, ReportList, ReportTemplate, ReportTemplateList, ReportView, type SaveDraftRequest } from '../../core/api/reports.js';
import { AdminAlertList, AdminAlertView, DeliveryJobList, DeliveryJobView } from '../../core/api/deliveries.js';
import { ReadingApiError, type DraftSaveResult, type ReadingApi } from '../../core/readingApi.js';
import { watchWorklistStream, type WorklistStreamHandlers, type WorklistStreamOptions } from './worklistStream.js';

/** What the client needs from a token store (see tokenStore.ts). */
export interface SessionTokenStore {
  load(): Promise<string | null>;
  save(token: string | null): Promise<unknown>;
}

export interface HubClientOptions {
  /** The hub's base URL; a path prefix (behind a reverse proxy) is kept. */
  hubUrl: string | URL;
  tokenStore: SessionTokenStore;
  /** Per request. Sign-in hashes a password (argon2), so this is not a ping timeout. */
  timeoutMs?: number;
  /** The live worklist's reconnection and silence limits (tests shorten them). */
  stream?: Pick<WorklistStreamOptions, 'retryDelaysMs' | 'idleTimeoutMs'>;
}

/** The desktop's ReadingApi: `watchWorklist` also reports whether the feed is live. */
export type HubClient = ReadingApi & {
  watchWorklist(cursor: string, handlers: WorklistStreamHandlers): () => void;
  /** The session token, for the viewer's image requests (dicomWebAuthorization.ts); never sent to the renderer. */
  sessionToken(): Promise<string | null>;
};

const RosterList = z.object({ entries: z.array(RosterEntryView) });

interface CallOptions {
  /** Replaces the whole-request timeout (a stream must outlive it); the caller then bounds the wait for headers. */
  signal?: AbortSignal;
  accept?: string;
  /** A body sent as is with this type, instead of JSON. */
  contentType?: string;
  /** Error statuses returned to the caller as a response instead of thrown (a draft's 409 carries the current version). */
  answerStatuses?: readonly number[];
}

/**
 * ReadingApi over HTTP from the main process, with a bearer token. The hub
 * returns the session token in SessionInfo only to callers that say
 * `X-Vigie-Client: desktop`; the token stays here and never reaches the
 * renderer, so a script injected into the page cannot carry the session away.
 */
export function createHubClient({ hubUrl, tokenStore, timeoutMs = 20_000, stream = {} }: HubClientOptions): HubClient {
  const base = new URL(hubUrl);
  if (!base.pathname.endsWith('/')) base.pathname += '/';
  let token: string | null = null;
  let tokenLoaded: Promise<void> | null = null;

  function currentToken(): Promise<string | null> {
    tokenLoaded ??= tokenStore.load().then(
      (stored) => {
        token ??= stored;
      },
      () => undefined,
    );
    return tokenLoaded.then(() => token);
  }

  async function remember(next: string | null): Promise<void> {
    token = next;
    tokenLoaded = Promise.resolve();
    // Failing to persist only costs a sign-in after a restart; the store reports why, the session goes on.
    await tokenStore.save(next).catch(() => undefined);
  }

  async function adopt(info: SessionInfo): Promise<SessionInfo> {
    if (info.token !== undefined) await remember(info.token);
    return withoutToken(info);
  }

  async function call(method: string, path: string, body?: unknown, options: CallOptions = {}): Promise<Response> {
    const url = new URL(path, base);
    const used = await currentToken();
    const headers: Record<string, string> = { Accept: options.accept ?? 'application/json', 'X-Vigie-Client': 'desktop' };
    if (used !== null) headers.Authorization = `Bearer ${used}`;
    if (body !== undefined) headers['Content-Type'] = options.contentType ?? 'application/json';
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers,
        body: body === undefined ? null : options.contentType !== undefined ? String(body) : JSON.stringify(body),
        // The API never redirects; following one could hand the bearer token to another host.
        redirect: 'error',
        signal: options.signal ?? AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw unreachable(error, base, timeoutMs);
    }
    if (response.ok || options.answerStatuses?.includes(response.status)) return response;
    // Only forget the token this request carried: a newer one may have arrived meanwhile.
    if (response.status === 401 && used !== null && token === used) await remember(null);
    throw await errorFrom(response, method, url);
  }

  async function json<S extends z.ZodType>(schema: S, method: string, path: string, body?: unknown, options?: CallOptions): Promise<z.output<S>> {
    return parseBody(schema, method, await call(method, path, body, options));
  }

  async function parseBody<S extends z.ZodType>(schema: S, method: string, response: Response): Promise<z.output<S>> {
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw unexpectedAnswer(method, response);
    }
    const result = schema.safeParse(parsed);
    if (!result.success) throw unexpectedAnswer(method, response);
    return result.data;
  }

  /** A draft save: a 409 with the current version is an answer (DraftSaveResult), not an error. */
  async function draft(path: string, request: SaveDraftRequest): Promise<DraftSaveResult> {
    const response = await call('PUT', path, request, { answerStatuses: [409] });
    if (response.status !== 409) return { saved: true, report: await parseBody(ReportView, 'PUT', response) };
    const text = await response.text();
    const conflict = ReportConflict.safeParse(parseJsonText(text));
    if (conflict.success) return { saved: false, current: conflict.data.current };
    const body = ApiErrorBody.safeParse(parseJsonText(text));
    if (body.success) throw new ReadingApiError(409, body.data.error);
    throw unexpectedAnswer('PUT', response);
  }

  async function noContent(method: string, path: string, body?: unknown): Promise<void> {
    const response = await call(method, path, body);
    // Drain so the connection can be reused.
    await response.arrayBuffer();
  }

  /** The live stream: the timeout bounds the wait for the hub's headers only, never the stream itself. */
  async function openStream(path: string, signal: AbortSignal): Promise<Response> {
    const controller = new AbortController();
    const forward = () => controller.abort(signal.reason);
    if (signal.aborted) forward();
    else signal.addEventListener('abort', forward, { once: true });
    const timer = setTimeout(() => controller.abort(new DOMException('No answer in time.', 'TimeoutError')), timeoutMs);
    try {
      const response = await call('GET', path, undefined, { signal: controller.signal, accept: 'text/event-stream' });
      if (!(response.headers.get('content-type') ?? '').startsWith('text/event-stream')) {
        await response.body?.cancel().catch(() => undefined);
        throw unexpectedAnswer('GET', response);
      }
      return response;
    } finally {
      clearTimeout(timer);
    }
  }

  const teleFilePath = (id: string, action = '') => `api/tele-files/${encodeURIComponent(id)}${action}`;
  const reportPath = (id: string, action: string) => `api/reports/${encodeURIComponent(id)}${action}`;

  return {
    sessionToken: currentToken,
    signInInfo: () => json(SignInInfo, 'GET', 'api/sign-in-info'),
    login: async (request) => adopt(await json(SessionInfo, 'POST', 'api/auth/login', request)),
    secondFactor: async (code) => adopt(await json(SessionInfo, 'POST', 'api/auth/second-factor', { code })),
    startEnrolment: () => json(EnrolmentStartResponse, 'POST', 'api/auth/enrolment'),
    confirmEnrolment: async (code) => {
      const response = await json(EnrolmentConfirmResponse, 'POST', 'api/auth/enrolment/confirm', { code });
      return { ...response, session: await adopt(response.session) };
    },
    logout: async () => {
      try {
        await noContent('POST', 'api/auth/logout');
      } finally {
        // Signing out must end the session on this machine even when the hub cannot be told.
        await remember(null);
      }
    },
    session: async () => adopt(await json(SessionInfo, 'GET', 'api/session')),
    setLocale: (locale) => noContent('PUT', 'api/me/locale', { locale }),
    worklist: () => json(TeleFileWorklist, 'GET', 'api/worklist'),
    watchWorklist: (cursor, handlers) =>
      watchWorklistStream(cursor, handlers, {
        ...stream,
        open: (since, signal) => openStream(`api/worklist/events?since=${encodeURIComponent(since)}`, signal),
      }),
    teleFile: (id) => json(TeleFileSummary, 'GET', teleFilePath(id)),
    priors: (id) => json(TeleFilePriors, 'GET', teleFilePath(id, '/priors')),
    claim: (id) => json(TeleFileSummary, 'POST', teleFilePath(id, '/claim')),
    release: (id) => json(TeleFileSummary, 'POST', teleFilePath(id, '/release')),
    submitClinicalRequest: (id, request) => json(TeleFileSummary, 'POST', teleFilePath(id, '/request'), request),
    announceRequest: (request) => json(TeleFileSummary, 'POST', 'api/tele-files', request),
    requestingSites: () => json(RequestingSiteList, 'GET', 'api/me/requesting-sites'),
    organisation: () => json(Organisation, 'GET', 'api/admin/organisation'),
    saveOrganisation: (organisation) => json(Organisation, 'PUT', 'api/admin/organisation', organisation),
    roster: ({ from, to }) => json(RosterList, 'GET', `api/admin/roster?${new URLSearchParams({ from, to }).toString()}`),
    importRoster: (csv) => json(RosterImportResult, 'POST', 'api/admin/roster/import', csv, { contentType: 'text/csv; charset=utf-8' }),
    simulateRouting: (request) => json(RoutingSimulationResult, 'POST', 'api/admin/routing/simulate', request),
    audit: (query) => json(AuditPage, 'GET', `api/audit${auditSearch(query)}`),
    viewerPreferences: () => json(ViewerPreferences, 'GET', 'api/me/preferences/viewer'),
    saveViewerPreferences: (preferences) => json(ViewerPreferences, 'PUT', 'api/me/preferences/viewer', preferences),
    reports: (teleFileId) => json(ReportList, 'GET', teleFilePath(teleFileId, '/reports')),
    saveDraft: (teleFileId, request) => draft(teleFilePath(teleFileId, '/report/draft'), request),
    saveAddendumDraft: (reportId, request) => draft(reportPath(reportId, '/draft'), request),
    signReport: (reportId, request) => json(ReportView, 'POST', reportPath(reportId, '/sign'), request),
    createAddendum: (reportId) => json(ReportView, 'POST', reportPath(reportId, '/addendum')),
    reportTemplates: () => json(ReportTemplateList, 'GET', 'api/report-templates'),
    saveReportTemplate: (id, input) => json(ReportTemplate, 'PUT', `api/report-templates/${encodeURIComponent(id)}`, input),
    macros: () => json(MacroList, 'GET', 'api/me/macros'),
    saveMacros: (list) => json(MacroList, 'PUT', 'api/me/macros', list),
    deliveries: ({ state }) => json(DeliveryJobList, 'GET', `api/admin/deliveries${state === undefined ? '' : `?state=${encodeURIComponent(state)}`}`),
    retryDelivery: (jobId) => json(DeliveryJobView, 'POST', `api/admin/deliveries/${encodeURIComponent(jobId)}/retry`),
    adminAlerts: ({ open }) => json(AdminAlertList, 'GET', `api/admin/alerts${open === undefined ? '' : `?open=${String(open)}`}`),
    acknowledgeAlert: (alertId) => json(AdminAlertView, 'POST', `api/admin/alerts/${encodeURIComponent(alertId)}/acknowledge`),
  };
}

export function withoutToken(info: SessionInfo): SessionInfo {
  const copy = { ...info };
  delete copy.token;
  return copy;
}

function parseJsonText(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function auditSearch(query: Partial<AuditQuery>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined) search.set(name, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

async function errorFrom(response: Response, method: string, url: URL): Promise<ReadingApiError> {
  const text = await response.text().catch(() => '');
  try {
    const body = ApiErrorBody.safeParse(JSON.parse(text));
    if (body.success) return new ReadingApiError(response.status, body.data.error);
  } catch {
    // Not JSON: a proxy's error page, for instance. Described below.
  }
  return localError(
    response.status,
    codeForStatus(response.status),
    `The hub answered ${response.status} ${response.statusText} to ${method} ${url.pathname}.`,
    response,
  );
}

function unexpectedAnswer(method: string, response: Response): ReadingApiError {
  const { pathname } = new URL(response.url);
  return localError(502, 'internal-error', `The hub sent an answer Vigie does not understand to ${method} ${pathname}.`, response);
}

function unreachable(error: unknown, base: URL, timeoutMs: number): ReadingApiError {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return localError(504, 'service-unavailable', `The hub at ${base.origin} did not answer within ${timeoutMs / 1000} s.`);
  }
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const detail = cause instanceof Error ? ((cause as NodeJS.ErrnoException).code ?? cause.message) : String(cause);
  return localError(503, 'service-unavailable', `The hub at ${base.origin} cannot be reached (${detail}).`);
}

function localError(status: number, code: ApiErrorCode, message: string, response?: Response): ReadingApiError {
  const requestId = response?.headers.get('x-request-id') ?? `desktop-${randomUUID()}`;
  return new ReadingApiError(status, { code, message, requestId });
}

function codeForStatus(status: number): ApiErrorCode {
  const byStatus: Partial<Record<number, ApiErrorCode>> = {
    400: 'bad-request',
    401: 'not-signed-in',
    403: 'forbidden',
    404: 'not-found',
    409: 'conflict',
    413: 'payload-too-large',
    415: 'unsupported-media-type',
    422: 'validation-failed',
    429: 'too-many-requests',
    503: 'service-unavailable',
  };
  return byStatus[status] ?? (status >= 500 ? 'internal-error' : 'bad-request');
}
