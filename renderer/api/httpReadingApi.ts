import { z } from 'zod';
import { ApiErrorBody, type ApiErrorCode } from '../../core/api/apiError.js';
import { AuditPage, type AuditQuery } from '../../core/api/audit.js';
import {
  EnrolmentConfirmResponse,
  EnrolmentStartResponse,
  SessionInfo,
  SignInInfo,
  type LoginRequest,
} from '../../core/api/auth.js';
import type { OrganisationInput, RoutingSimulation } from '../../core/api/organisation.js';
import { RequestingSiteList, TeleFileSummary, TeleFileWorklist, type AnnouncedRequest, type ClinicalRequest } from '../../core/api/teleFiles.js';
import { TeleFilePriors } from '../../core/api/priors.js';
import { ViewerPreferences, type ViewerPreferencesInput } from '../../core/api/viewerPreferences.js';
import { MacroList, ReportConflict, ReportList, ReportTemplate, ReportTemplateList, ReportView, type DeliveryState, type ReportTemplateInput, type SaveDraftRequest, type SignRequest } from '../../core/api/reports.js';
import { ReadingApiError, type DraftSaveResult, type ReadingApi } from '../../core/readingApi.js';
import { watchLiveWorklist, type EventSourceLike, type WorklistWatchHandlers } from './liveWorklist.js';

export interface HttpReadingApiOptions {
  /** Give up on a request after this long: a hung hub must not freeze the screen at 3 a.m. */
  timeoutMs?: number;
  fetch?: typeof fetch;
  /** Opens the live worklist stream; the browser's EventSource by default (it sends the session cookie same-origin). */
  eventSource?: (url: string) => EventSourceLike;
  /** Waits between reconnections of the live stream (tests shorten them). */
  retryDelaysMs?: readonly number[];
}

/**
 * The admin schemas pull in the PDS calendar and its holiday tables (~1.5 MB):
 * loaded on first use, so a reader's worklist never downloads them.
 */
const adminSchemas = () =>
  import('../../core/api/organisation.js').then((schemas) => ({
    ...schemas,
    RosterList: z.object({ entries: z.array(schemas.RosterEntryView) }),
  }));

/** The delivery admin schemas: small, but only admins need them. */
const deliverySchemas = () => import('../../core/api/deliveries.js');

/** A body sent as is, not as JSON (the roster CSV). */
class TextBody {
  constructor(
    readonly contentType: string,
    readonly text: string,
  ) {}
}

const DEFAULT_TIMEOUT_MS = 20_000;

/**
 * ReadingApi over plain HTTP to the hub (the web client). The session lives in
 * an httpOnly cookie the browser sends itself (`credentials: 'same-origin'`);
 * this class never sees a token.
 *
 * Every answer is checked against the core schema: a response this client does
 * not understand becomes a ReadingApiError, never a half-typed object.
 */
export class HttpReadingApi implements ReadingApi {
  private readonly timeoutMs: number;
  private readonly fetchImpl: typeof fetch;
  private readonly openEventSource: (url: string) => EventSourceLike;
  private readonly retryDelaysMs: readonly number[] | undefined;

  /** @param baseUrl the hub's origin, or '' for the origin that served the page. */
  constructor(
    private readonly baseUrl: string,
    options: HttpReadingApiOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.openEventSource = options.eventSource ?? ((url) => new EventSource(url));
    this.retryDelaysMs = options.retryDelaysMs;
  }

  signInInfo() {
    return this.request('GET', '/api/sign-in-info', SignInInfo);
  }
  login(request: LoginRequest) {
    return this.request('POST', '/api/auth/login', SessionInfo, request);
  }
  secondFactor(code: string) {
    return this.request('POST', '/api/auth/second-factor', SessionInfo, { code });
  }
  startEnrolment() {
    return this.request('POST', '/api/auth/enrolment', EnrolmentStartResponse);
  }
  confirmEnrolment(code: string) {
    return this.request('POST', '/api/auth/enrolment/confirm', EnrolmentConfirmResponse, { code });
  }
  logout() {
    return this.request('POST', '/api/auth/logout', null);
  }
  session() {
    return this.request('GET', '/api/session', SessionInfo);
  }
  setLocale(locale: 'fr' | 'en') {
    return this.request('PUT', '/api/me/locale', null, { locale });
  }
  worklist() {
    return this.request('GET', '/api/worklist', TeleFileWorklist);
  }
  watchWorklist(cursor: string, handlers: WorklistWatchHandlers) {
    return watchLiveWorklist(cursor, handlers, {
      url: (since) => `${this.baseUrl}/api/worklist/events?since=${encodeURIComponent(since)}`,
      open: this.openEventSource,
      checkSession: () => this.session(),
      ...(this.retryDelaysMs ? { retryDelaysMs: this.retryDelaysMs } : {}),
    });
  }
  teleFile(id: string) {
    return this.request('GET', `/api/tele-files/${encodeURIComponent(id)}`, TeleFileSummary);
  }
  priors(id: string) {
    return this.request('GET', `/api/tele-files/${encodeURIComponent(id)}/priors`, TeleFilePriors);
  }
  claim(id: string) {
    return this.request('POST', `/api/tele-files/${encodeURIComponent(id)}/claim`, TeleFileSummary);
  }
  release(id: string) {
    return this.request('POST', `/api/tele-files/${encodeURIComponent(id)}/release`, TeleFileSummary);
  }
  submitClinicalRequest(id: string, request: ClinicalRequest) {
    return this.request('POST', `/api/tele-files/${encodeURIComponent(id)}/request`, TeleFileSummary, request);
  }
  announceRequest(request: AnnouncedRequest) {
    return this.request('POST', '/api/tele-files', TeleFileSummary, request);
  }
  requestingSites() {
    return this.request('GET', '/api/me/requesting-sites', RequestingSiteList);
  }
  async organisation() {
    const { Organisation } = await adminSchemas();
    return this.request('GET', '/api/admin/organisation', Organisation);
  }
  async saveOrganisation(organisation: OrganisationInput) {
    const { Organisation } = await adminSchemas();
    return this.request('PUT', '/api/admin/organisation', Organisation, organisation);
  }
  async roster(range: { from: string; to: string }) {
    const { RosterList } = await adminSchemas();
    const search = new URLSearchParams({ from: range.from, to: range.to });
    return this.request('GET', `/api/admin/roster?${search.toString()}`, RosterList);
  }
  async importRoster(csv: string) {
    const { RosterImportResult } = await adminSchemas();
    return this.request('POST', '/api/admin/roster/import', RosterImportResult, new TextBody('text/csv; charset=utf-8', csv));
  }
  async simulateRouting(request: RoutingSimulation) {
    const { RoutingSimulationResult } = await adminSchemas();
    return this.request('POST', '/api/admin/routing/simulate', RoutingSimulationResult, request);
  }
  audit(query: Partial<AuditQuery>) {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined) params.set(key, String(value));
    }
    const search = params.toString() === '' ? '' : `?${params.toString()}`;
    return this.request('GET', `/api/audit${search}`, AuditPage);
  }
  viewerPreferences() {
    return this.request('GET', '/api/me/preferences/viewer', ViewerPreferences);
  }
  saveViewerPreferences(preferences: ViewerPreferencesInput) {
    return this.request('PUT', '/api/me/preferences/viewer', ViewerPreferences, preferences);
  }
  reports(teleFileId: string) {
    return this.request('GET', `/api/tele-files/${encodeURIComponent(teleFileId)}/reports`, ReportList);
  }
  saveDraft(teleFileId: string, request: SaveDraftRequest) {
    return this.draft(`/api/tele-files/${encodeURIComponent(teleFileId)}/report/draft`, request);
  }
  saveAddendumDraft(reportId: string, request: SaveDraftRequest) {
    return this.draft(`/api/reports/${encodeURIComponent(reportId)}/draft`, request);
  }
  signReport(reportId: string, request: SignRequest) {
    return this.request('POST', `/api/reports/${encodeURIComponent(reportId)}/sign`, ReportView, request);
  }
  createAddendum(reportId: string) {
    return this.request('POST', `/api/reports/${encodeURIComponent(reportId)}/addendum`, ReportView);
  }
  reportTemplates() {
    return this.request('GET', '/api/report-templates', ReportTemplateList);
  }
  saveReportTemplate(id: string, input: ReportTemplateInput) {
    return this.request('PUT', `/api/report-templates/${encodeURIComponent(id)}`, ReportTemplate, input);
  }
  macros() {
    return this.request('GET', '/api/me/macros', MacroList);
  }
  saveMacros(list: MacroList) {
    return this.request('PUT', '/api/me/macros', MacroList, list);
  }
  async deliveries(query: { state?: DeliveryState }) {
    const { DeliveryJobList } = await deliverySchemas();
    const search = query.state === undefined ? '' : `?${new URLSearchParams({ state: query.state }).toString()}`;
    return this.request('GET', `/api/admin/deliveries${search}`, DeliveryJobList);
  }
  async retryDelivery(jobId: string) {
    const { DeliveryJobView } = await deliverySchemas();
    return this.request('POST', `/api/admin/deliveries/${encodeURIComponent(jobId)}/retry`, DeliveryJobView);
  }
  async adminAlerts(query: { open?: boolean }) {
    const { AdminAlertList } = await deliverySchemas();
    const search = query.open === undefined ? '' : `?open=${String(query.open)}`;
    return this.request('GET', `/api/admin/alerts${search}`, AdminAlertList);
  }
  async acknowledgeAlert(alertId: string) {
    const { AdminAlertView } = await deliverySchemas();
    return this.request('POST', `/api/admin/alerts/${encodeURIComponent(alertId)}/acknowledge`, AdminAlertView);
  }

  /** A draft save: 409 `conflict` with the current version is an answer (DraftSaveResult), not an error. */
  private async draft(path: string, request: SaveDraftRequest): Promise<DraftSaveResult> {
    const { response, text } = await this.exchange('PUT', path, request);
    if (response.status === 409) {
      const conflict = ReportConflict.safeParse(parseJson(text));
      if (conflict.success) return { saved: false, current: conflict.data.current };
    }
    if (!response.ok) throw errorFromResponse(response, text);
    return { saved: true, report: this.parse(response, text, 'PUT', path, ReportView) };
  }

  private request(method: string, path: string, schema: null, body?: unknown): Promise<void>;
  private request<S extends z.ZodType>(method: string, path: string, schema: S, body?: unknown): Promise<z.infer<S>>;
  private async request(method: string, path: string, schema: z.ZodType | null, body?: unknown): Promise<unknown> {
    const { response, text } = await this.exchange(method, path, body);
    if (!response.ok) throw errorFromResponse(response, text);
    if (schema === null) return undefined;
    return this.parse(response, text, method, path, schema);
  }

  private parse<S extends z.ZodType>(response: Response, text: string, method: string, path: string, schema: S): z.infer<S> {
    const parsed = schema.safeParse(parseJson(text));
    if (!parsed.success) {
      throw clientError(
        response.status,
        'internal-error',
        `The hub's answer to ${method} ${path.split('?')[0] ?? path} does not match this client's contract.`,
        requestIdOf(response),
      );
    }
    return parsed.data;
  }

  /** One HTTP exchange: the response and its text, whatever the status; a network failure or timeout throws. */
  private async exchange(method: string, path: string, body?: unknown): Promise<{ response: Response; text: string }> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    // No Content-Type without a body: Fastify answers 400 to an empty JSON body.
    if (body instanceof TextBody) headers['Content-Type'] = body.contentType;
    else if (body !== undefined) headers['Content-Type'] = 'application/json';

    let response: Response;
    try {
      response = await this.fetchImpl(`${this.baseUrl}${path}`, {
        method,
        headers,
        credentials: 'same-origin',
        cache: 'no-store',
        body: body === undefined ? null : body instanceof TextBody ? body.text : JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (cause) {
      throw clientError(0, 'service-unavailable', `The hub is not responding (${describeCause(cause)}).`, '');
    }

    const text = await response.text().catch(() => '');
    return { response, text };
  }
}

/** The hub's error body when it sent one; otherwise an error that still says what happened. */
export function errorFromResponse(response: Pick<Response, 'status' | 'headers'>, text: string): ReadingApiError {
  const parsed = ApiErrorBody.safeParse(parseJson(text));
  if (parsed.success) return new ReadingApiError(response.status, parsed.data.error);
  // No error body: a reverse proxy, or a hub that is starting or stopping.
  const gateway = response.status === 502 || response.status === 503 || response.status === 504;
  return clientError(
    response.status,
    gateway ? 'service-unavailable' : 'internal-error',
    gateway
      ? `The hub is not responding (HTTP ${response.status} from the network).`
      : `The hub answered HTTP ${response.status} without an error description.`,
    requestIdOf(response),
  );
}

function clientError(status: number, code: ApiErrorCode, message: string, requestId: string): ReadingApiError {
  return new ReadingApiError(status, { code, message, requestId });
}

function requestIdOf(response: Pick<Response, 'headers'>): string {
  return response.headers.get('x-request-id') ?? '';
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function describeCause(cause: unknown): string {
  if (cause instanceof DOMException && cause.name === 'TimeoutError') return 'no answer in time';
  if (cause instanceof Error) return cause.message;
  return 'network error';
}
