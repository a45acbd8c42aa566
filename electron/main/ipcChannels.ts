import type { z } from 'zod';
import type { ApiErrorBody } from '../../core/api/apiError.js';
import type { AuditQuery } from '../../core/api/audit.js';
import type {
  EnrolmentConfirmRequest,
  LocaleRequest,
  LoginRequest,
  SecondFactorRequest,
} from '../../core/api/auth.js';
import type { OrganisationInput, RosterQuery, RoutingSimulation } from '../../core/api/organisation.js';
import type { AnnouncedRequest, ClinicalRequest, TeleFileChange } from '../../core/api/teleFiles.js';
import type { ViewerPreferencesInput } from '../../core/api/viewerPreferences.js';
import type { DeliveryState, MacroList, ReportTemplateInput, SaveDraftRequest, SignRequest } from '../../core/api/reports.js';
import type { ReadingApi } from '../../core/readingApi.js';

/**
 * Every request/answer ReadingApi method, once. The main-process handlers and
 * the preload bridge both derive their channels from this list, so a method
 * added to ReadingApi fails the type-check below until it is wired on both
 * sides. Subscriptions (`watchWorklist`) are not a request and an answer:
 * they have their own channels below.
 */
export const READING_API_METHODS = [
  'signInInfo',
  'login',
  'secondFactor',
  'startEnrolment',
  'confirmEnrolment',
  'logout',
  'session',
  'setLocale',
  'worklist',
  'teleFile',
  'priors',
  'claim',
  'release',
  'submitClinicalRequest',
  'announceRequest',
  'requestingSites',
  'organisation',
  'saveOrganisation',
  'roster',
  'importRoster',
  'simulateRouting',
  'audit',
  'viewerPreferences',
  'saveViewerPreferences',
  'reports',
  'saveDraft',
  'saveAddendumDraft',
  'signReport',
  'createAddendum',
  'reportTemplates',
  'saveReportTemplate',
  'macros',
  'saveMacros',
  'deliveries',
  'retryDelivery',
  'adminAlerts',
  'acknowledgeAlert',
] as const satisfies readonly (keyof ReadingApi)[];

export type ReadingApiMethod = (typeof READING_API_METHODS)[number];

/** ReadingApi methods that push events to the renderer instead of answering once. */
export const READING_API_SUBSCRIPTIONS = ['watchWorklist'] as const satisfies readonly (keyof ReadingApi)[];
export type ReadingApiSubscription = (typeof READING_API_SUBSCRIPTIONS)[number];

type MissingMethods = Exclude<keyof ReadingApi, ReadingApiMethod | ReadingApiSubscription>;
// Fails to compile, naming the missing methods, when the list falls behind ReadingApi.
const everyMethodListed: [MissingMethods] extends [never] ? true : { missing: MissingMethods } = true;
void everyMethodListed;

export type ReadingApiChannel<M extends ReadingApiMethod = ReadingApiMethod> = `vigie:api:${M}`;

// Namespaced so our handlers cannot collide with channels Electron or a future module registers.
export function readingApiChannel<M extends ReadingApiMethod>(method: M): ReadingApiChannel<M> {
  return `vigie:api:${method}`;
}

export const READING_API_CHANNELS = Object.freeze(
  Object.fromEntries(READING_API_METHODS.map((method) => [method, readingApiChannel(method)])),
) as { readonly [M in ReadingApiMethod]: ReadingApiChannel<M> };

/** What each channel carries from the preload to main: one payload argument, validated in main. */
export interface ReadingApiPayloads {
  signInInfo: undefined;
  login: z.input<typeof LoginRequest>;
  secondFactor: z.input<typeof SecondFactorRequest>;
  startEnrolment: undefined;
  confirmEnrolment: z.input<typeof EnrolmentConfirmRequest>;
  logout: undefined;
  session: undefined;
  setLocale: z.input<typeof LocaleRequest>;
  worklist: undefined;
  teleFile: { id: string };
  priors: { id: string };
  claim: { id: string };
  release: { id: string };
  submitClinicalRequest: { id: string; request: z.input<typeof ClinicalRequest> };
  announceRequest: z.input<typeof AnnouncedRequest>;
  requestingSites: undefined;
  organisation: undefined;
  saveOrganisation: OrganisationInput;
  roster: z.input<typeof RosterQuery>;
  importRoster: { csv: string };
  simulateRouting: z.input<typeof RoutingSimulation>;
  audit: Partial<z.input<typeof AuditQuery>>;
  viewerPreferences: undefined;
  saveViewerPreferences: ViewerPreferencesInput;
  reports: { teleFileId: string };
  saveDraft: { teleFileId: string; request: z.input<typeof SaveDraftRequest> };
  saveAddendumDraft: { reportId: string; request: z.input<typeof SaveDraftRequest> };
  signReport: { reportId: string; request: z.input<typeof SignRequest> };
  createAddendum: { reportId: string };
  reportTemplates: undefined;
  saveReportTemplate: { id: string; input: z.input<typeof ReportTemplateInput> };
  macros: undefined;
  saveMacros: z.input<typeof MacroList>;
  deliveries: { state?: DeliveryState };
  retryDelivery: { jobId: string };
  adminAlerts: { open?: boolean };
  acknowledgeAlert: { alertId: string };
}

/**
 * The live worklist over IPC: the renderer invokes `subscribe` with the list's
 * cursor and gets a subscription id; main forwards each event of the hub's SSE
 * stream on `event` (webContents.send) tagged with that id, until the renderer
 * invokes `unsubscribe` or its page goes away.
 */
export const WORKLIST_CHANNELS = {
  subscribe: 'vigie:api:watchWorklist',
  unsubscribe: 'vigie:api:unwatchWorklist',
  event: 'vigie:event:worklist',
} as const;

export interface WorklistSubscribePayload {
  cursor: string;
}
export interface WorklistUnsubscribePayload {
  subscriptionId: string;
}

/** One event of a subscription, as main sends it (structured-clonable data only). */
export type WorklistEvent =
  | { readonly type: 'change'; readonly change: TeleFileChange; readonly cursor: string }
  | { readonly type: 'reset' }
  | { readonly type: 'status'; readonly status: 'live' | 'reconnecting' }
  | { readonly type: 'error'; readonly error: IpcError };

export type WorklistEventMessage = { readonly subscriptionId: string } & WorklistEvent;

/** The roster CSV cap, as the web client's (renderer/admin/rosterCsvInput.ts): a month is tens of kB. */
export const ROSTER_CSV_MAX_BYTES = 1_000_000;

export type ReadingApiResult<M extends ReadingApiMethod> = Awaited<ReturnType<ReadingApi[M]>>;

/**
 * What each handler resolves with. Handlers never reject: Electron passes only
 * `message` of an Error thrown in a handler or across the contextBridge, so the
 * status and the hub's error body travel as data and the renderer rebuilds a
 * ReadingApiError from them.
 */
export type IpcResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: IpcError };

export interface IpcError {
  readonly status: number;
  readonly body: ApiErrorBody['error'];
}
