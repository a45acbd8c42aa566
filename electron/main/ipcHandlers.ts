import { randomUUID } from 'node:crypto';
import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { z } from 'zod';
import { AuditQuery } from '../../core/api/audit.js';
import { EnrolmentConfirmRequest, LocaleRequest, LoginRequest, SecondFactorRequest } from '../../core/api/auth.js';
import type { FieldIssue } from '../../core/api/apiError.js';
import { Organisation, RosterQuery, RoutingSimulation } from '../../core/api/organisation.js';
import { AnnouncedRequest, ClinicalRequest, TeleFileIdParams } from '../../core/api/teleFiles.js';
import { ViewerPreferencesInput } from '../../core/api/viewerPreferences.js';
import { DeliveryState, MacroList, ReportIdParams, ReportTemplateInput, SaveDraftRequest, SignRequest, TemplateIdParams } from '../../core/api/reports.js';
import { AdminAlertParams, DeliveryJobParams } from '../../core/api/deliveries.js';
import { ReadingApiError, type ReadingApi } from '../../core/readingApi.js';
import {
  READING_API_CHANNELS,
  READING_API_METHODS,
  ROSTER_CSV_MAX_BYTES,
  WORKLIST_CHANNELS,
  type IpcError,
  type IpcResult,
  type ReadingApiMethod,
  type ReadingApiPayloads,
  type ReadingApiResult,
  type WorklistEvent,
  type WorklistEventMessage,
} from './ipcChannels.js';
import type { SenderFrame } from './trustedSender.js';
import type { WorklistStreamHandlers } from './worklistStream.js';

export interface ReadingApiHandlerOptions {
  hubClient: ReadingApi;
  isTrustedSender(frame: SenderFrame | null): boolean;
  /** Where refusals and unexpected failures are reported; never given a payload (it may hold a password). */
  log?(message: string, details: Record<string, unknown>): void;
}

interface MethodHandler<M extends ReadingApiMethod> {
  readonly payload: z.ZodType<unknown, ReadingApiPayloads[M]>;
  run(hub: ReadingApi, raw: unknown): Promise<ReadingApiResult<M>>;
}

function handler<M extends ReadingApiMethod, S extends z.ZodType<unknown, ReadingApiPayloads[M]>>(
  payload: S,
  call: (hub: ReadingApi, payload: z.output<S>) => Promise<ReadingApiResult<M>>,
): MethodHandler<M> {
  return { payload, run: (hub, parsed) => call(hub, parsed as z.output<S>) };
}

const NoPayload = z.undefined({ error: 'This request takes no payload.' });

const TeleFileId = TeleFileIdParams;

const ReportId = ReportIdParams;

const RosterCsv = z.object({
  csv: z
    .string()
    .max(ROSTER_CSV_MAX_BYTES, 'The roster CSV is larger than 1 MB: split it by month.')
    .refine((csv) => Buffer.byteLength(csv, 'utf8') <= ROSTER_CSV_MAX_BYTES, 'The roster CSV is larger than 1 MB: split it by month.'),
});

const WorklistSubscribe = z.object({ cursor: z.string().min(1, 'A subscription needs the cursor of the list.').max(200) });
const WorklistUnsubscribe = z.object({ subscriptionId: z.uuid('This is not a subscription id.') });

/** A page follows one list; a few more allow a second window. Beyond that, a renderer bug or worse. */
const MAX_SUBSCRIPTIONS_PER_PAGE = 4;

const HANDLERS: { readonly [M in ReadingApiMethod]: MethodHandler<M> } = {
  signInInfo: handler(NoPayload, (hub) => hub.signInInfo()),
  login: handler(LoginRequest, (hub, request) => hub.login(request)),
  secondFactor: handler(SecondFactorRequest, (hub, { code }) => hub.secondFactor(code)),
  startEnrolment: handler(NoPayload, (hub) => hub.startEnrolment()),
  confirmEnrolment: handler(EnrolmentConfirmRequest, (hub, { code }) => hub.confirmEnrolment(code)),
  logout: handler(NoPayload, (hub) => hub.logout()),
  session: handler(NoPayload, (hub) => hub.session()),
  setLocale: handler(LocaleRequest, (hub, { locale }) => hub.setLocale(locale)),
  worklist: handler(NoPayload, (hub) => hub.worklist()),
  teleFile: handler(TeleFileId, (hub, { id }) => hub.teleFile(id)),
  priors: handler(TeleFileId, (hub, { id }) => hub.priors(id)),
  claim: handler(TeleFileId, (hub, { id }) => hub.claim(id)),
  release: handler(TeleFileId, (hub, { id }) => hub.release(id)),
  submitClinicalRequest: handler(z.object({ id: TeleFileIdParams.shape.id, request: ClinicalRequest }), (hub, { id, request }) =>
    hub.submitClinicalRequest(id, request),
  ),
  announceRequest: handler(AnnouncedRequest, (hub, request) => hub.announceRequest(request)),
  requestingSites: handler(NoPayload, (hub) => hub.requestingSites()),
  organisation: handler(NoPayload, (hub) => hub.organisation()),
  saveOrganisation: handler(Organisation, (hub, organisation) => hub.saveOrganisation(organisation)),
  roster: handler(RosterQuery, (hub, range) => hub.roster(range)),
  importRoster: handler(RosterCsv, (hub, { csv }) => hub.importRoster(csv)),
  simulateRouting: handler(RoutingSimulation, (hub, request) => hub.simulateRouting(request)),
  audit: handler(AuditQuery.partial(), (hub, query) => hub.audit(query)),
  viewerPreferences: handler(NoPayload, (hub) => hub.viewerPreferences()),
  saveViewerPreferences: handler(ViewerPreferencesInput, (hub, preferences) => hub.saveViewerPreferences(preferences)),
  reports: handler(z.object({ teleFileId: TeleFileIdParams.shape.id }), (hub, { teleFileId }) => hub.reports(teleFileId)),
  saveDraft: handler(z.object({ teleFileId: TeleFileIdParams.shape.id, request: SaveDraftRequest }), (hub, { teleFileId, request }) =>
    hub.saveDraft(teleFileId, request),
  ),
  saveAddendumDraft: handler(ReportId.extend({ request: SaveDraftRequest }), (hub, { reportId, request }) => hub.saveAddendumDraft(reportId, request)),
  signReport: handler(ReportId.extend({ request: SignRequest }), (hub, { reportId, request }) => hub.signReport(reportId, request)),
  createAddendum: handler(ReportId, (hub, { reportId }) => hub.createAddendum(reportId)),
  reportTemplates: handler(NoPayload, (hub) => hub.reportTemplates()),
  saveReportTemplate: handler(TemplateIdParams.extend({ input: ReportTemplateInput }), (hub, { id, input }) => hub.saveReportTemplate(id, input)),
  macros: handler(NoPayload, (hub) => hub.macros()),
  saveMacros: handler(MacroList, (hub, list) => hub.saveMacros(list)),
  deliveries: handler(z.object({ state: DeliveryState.optional() }), (hub, query) => hub.deliveries(query.state === undefined ? {} : { state: query.state })),
  retryDelivery: handler(z.object({ jobId: DeliveryJobParams.shape.id }), (hub, { jobId }) => hub.retryDelivery(jobId)),
  adminAlerts: handler(z.object({ open: z.boolean().optional() }), (hub, query) => hub.adminAlerts(query.open === undefined ? {} : { open: query.open })),
  acknowledgeAlert: handler(z.object({ alertId: AdminAlertParams.shape.id }), (hub, { alertId }) => hub.acknowledgeAlert(alertId)),
};

/**
 * One ipcMain.handle per ReadingApi method. Each checks who is asking, then
 * parses the payload from unknown (the renderer is untrusted input like any
 * HTTP client), then calls the hub client. Returns a function that removes the
 * handlers.
 */
export function registerReadingApiHandlers(
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>,
  options: ReadingApiHandlerOptions,
): () => void {
  for (const method of READING_API_METHODS) {
    ipcMain.handle(READING_API_CHANNELS[method], (event: IpcMainInvokeEvent, ...args: unknown[]) =>
      handle(method, event.senderFrame, args, options),
    );
  }
  const subscriptions = new WorklistSubscriptions(options);
  ipcMain.handle(WORKLIST_CHANNELS.subscribe, (event: IpcMainInvokeEvent, ...args: unknown[]) =>
    subscriptions.subscribe(event.senderFrame, event.sender as unknown as EventSink, args),
  );
  ipcMain.handle(WORKLIST_CHANNELS.unsubscribe, (event: IpcMainInvokeEvent, ...args: unknown[]) =>
    subscriptions.unsubscribe(event.senderFrame, event.sender as unknown as EventSink, args),
  );
  return () => {
    for (const method of READING_API_METHODS) ipcMain.removeHandler(READING_API_CHANNELS[method]);
    ipcMain.removeHandler(WORKLIST_CHANNELS.subscribe);
    ipcMain.removeHandler(WORKLIST_CHANNELS.unsubscribe);
    subscriptions.stopAll();
  };
}

/** What main needs of the renderer's webContents to push events to it. */
export interface EventSink {
  readonly id: number;
  send(channel: string, message: WorklistEventMessage): void;
  isDestroyed(): boolean;
  once(event: 'destroyed', listener: () => void): unknown;
}

/**
 * Live worklist subscriptions, each an SSE stream from main to the hub,
 * forwarded to the page that asked. A page may only stop its own; all of a
 * page's streams stop when it goes away (reload, crash, closed window).
 */
class WorklistSubscriptions {
  private readonly byId = new Map<string, { sink: EventSink; stop: () => void }>();
  private readonly watchedSinks = new WeakSet<EventSink>();

  constructor(private readonly options: ReadingApiHandlerOptions) {}

  subscribe(frame: SenderFrame | null, sink: EventSink, args: unknown[]): IpcResult<{ subscriptionId: string }> {
    const refused = this.check('watchWorklist', frame, args, WorklistSubscribe);
    if (!refused.ok) return refused;
    if ([...this.byId.values()].filter((s) => s.sink === sink).length >= MAX_SUBSCRIPTIONS_PER_PAGE) {
      return failure(429, 'too-many-requests', `This page already follows the worklist ${MAX_SUBSCRIPTIONS_PER_PAGE} times; stop one first.`);
    }
    const subscriptionId = randomUUID();
    const send = (event: WorklistEvent) => {
      if (!this.byId.has(subscriptionId)) return;
      if (sink.isDestroyed()) {
        this.stop(subscriptionId);
        return;
      }
      sink.send(WORKLIST_CHANNELS.event, { subscriptionId, ...event });
    };
    const handlers: WorklistStreamHandlers = {
      onChange: (change, cursor) => send({ type: 'change', change, cursor }),
      onReset: () => send({ type: 'reset' }),
      onStatus: (status) => send({ type: 'status', status }),
      onError: (error) => send({ type: 'error', error: asIpcError(error, this.options.log) }),
    };
    // Registered before the stream starts, so that its first events find it.
    const entry: { sink: EventSink; stop: () => void } = { sink, stop: () => undefined };
    this.byId.set(subscriptionId, entry);
    entry.stop = this.options.hubClient.watchWorklist(refused.value.cursor, handlers);
    if (!this.watchedSinks.has(sink)) {
      this.watchedSinks.add(sink);
      sink.once('destroyed', () => {
        for (const [id, held] of this.byId) if (held.sink === sink) this.stop(id);
      });
    }
    return { ok: true, value: { subscriptionId } };
  }

  unsubscribe(frame: SenderFrame | null, sink: EventSink, args: unknown[]): IpcResult<void> {
    const refused = this.check('unwatchWorklist', frame, args, WorklistUnsubscribe);
    if (!refused.ok) return refused;
    const held = this.byId.get(refused.value.subscriptionId);
    // Unknown, already stopped, or another page's: nothing to do, and nothing to tell.
    if (held !== undefined && held.sink === sink) this.stop(refused.value.subscriptionId);
    return { ok: true, value: undefined };
  }

  stopAll(): void {
    for (const id of [...this.byId.keys()]) this.stop(id);
  }

  private stop(id: string): void {
    const held = this.byId.get(id);
    if (held === undefined) return;
    this.byId.delete(id);
    held.stop();
  }

  private check<T>(
    name: string,
    frame: SenderFrame | null,
    args: unknown[],
    schema: z.ZodType<T>,
  ): { ok: true; value: T } | { ok: false; error: IpcError } {
    if (!this.options.isTrustedSender(frame)) {
      this.options.log?.('Refused a ReadingApi call from a page that is not Vigie', { method: name, senderUrl: frame?.url ?? null });
      return failure(403, 'forbidden', `The ${name} request was refused: it did not come from Vigie's own page.`);
    }
    if (args.length > 1) return failure(400, 'validation-failed', `The ${name} request is not valid: it takes a single payload.`);
    const parsed = schema.safeParse(args[0]);
    if (!parsed.success) return invalid(name, parsed.error);
    return { ok: true, value: parsed.data };
  }
}

function asIpcError(error: unknown, log: ReadingApiHandlerOptions['log']): IpcError {
  if (error instanceof ReadingApiError) return { status: error.status, body: error.body };
  log?.('The live worklist failed in the desktop shell', { error });
  return failure(500, 'internal-error', 'The desktop shell failed while following the worklist; see its log.').error;
}

function invalid(name: string, error: z.ZodError): { ok: false; error: IpcError } {
  const fields: FieldIssue[] = error.issues.map((issue) => ({
    field: issue.path.map(String).join('.'),
    message: issue.message,
  }));
  const summary = fields.map(({ field, message }) => (field ? `${field}: ${message}` : message)).join('; ');
  return failure(400, 'validation-failed', `The ${name} request is not valid: ${summary}`, fields);
}

async function handle<M extends ReadingApiMethod>(
  method: M,
  senderFrame: SenderFrame | null,
  args: unknown[],
  { hubClient, isTrustedSender, log }: ReadingApiHandlerOptions,
): Promise<IpcResult<ReadingApiResult<M>>> {
  if (!isTrustedSender(senderFrame)) {
    log?.('Refused a ReadingApi call from a page that is not Vigie', { method, senderUrl: senderFrame?.url ?? null });
    return failure(403, 'forbidden', `The ${method} request was refused: it did not come from Vigie's own page.`);
  }
  if (args.length > 1) {
    return failure(400, 'validation-failed', `The ${method} request is not valid: it takes a single payload.`);
  }
  const spec: MethodHandler<M> = HANDLERS[method];
  const parsed = spec.payload.safeParse(args[0]);
  if (!parsed.success) return invalid(method, parsed.error);
  try {
    return { ok: true, value: await spec.run(hubClient, parsed.data) };
  } catch (error) {
    if (error instanceof ReadingApiError) return { ok: false, error: { status: error.status, body: error.body } };
    log?.('A ReadingApi call failed in the desktop shell', { method, error });
    return failure(500, 'internal-error', `The desktop shell failed while handling ${method}; see its log.`);
  }
}

function failure(
  status: number,
  code: IpcError['body']['code'],
  message: string,
  fields?: FieldIssue[],
): { ok: false; error: IpcError } {
  const body: IpcError['body'] = { code, message, requestId: `desktop-${randomUUID()}` };
  if (fields) body.fields = fields;
  return { ok: false, error: { status, body } };
}
