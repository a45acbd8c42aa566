import type {
  EnrolmentConfirmResponse,
  EnrolmentStartResponse,
  LoginRequest,
  SessionInfo,
  SignInInfo,
} from './api/auth.js';
import type { ApiErrorBody } from './api/apiError.js';
import type { AuditPage, AuditQuery } from './api/audit.js';
import type { Organisation, OrganisationInput, RosterEntryView, RosterImportResult, RoutingSimulation, RoutingSimulationResult } from './api/organisation.js';
import type { AnnouncedRequest, ClinicalRequest, RequestingSiteList, TeleFileChange, TeleFileSummary, TeleFileWorklist } from './api/teleFiles.js';
import type { TeleFilePriors } from './api/priors.js';
import type { ViewerPreferences, ViewerPreferencesInput } from './api/viewerPreferences.js';
import type {
  DeliveryState,
  MacroList,
  ReportList,
  ReportTemplate,
  ReportTemplateInput,
  ReportTemplateList,
  ReportView,
  SaveDraftRequest,
  SignRequest,
} from './api/reports.js';
import type { AdminAlertList, AdminAlertView, DeliveryJobList, DeliveryJobView } from './api/deliveries.js';

/**
 * A draft save either took (the hub's new version) or met a newer version
 * saved elsewhere — another tab or workstation (409 `ReportConflict`, whose
 * body carries `current`: core/api/reports.ts, docs/api.md "Reports"). The conflict is an answer, not an error: the editor
 * must show both versions and let the person choose, so it travels as data
 * through every transport (an Error's extra fields do not survive IPC).
 */
export type DraftSaveResult = { readonly saved: true; readonly report: ReportView } | { readonly saved: false; readonly current: ReportView };

/**
 * The one interface the renderer talks to. Two transports implement it: plain
 * HTTP to the hub (web client) and the Electron preload bridge (desktop).
 *
 * HTTP routes (all JSON, all under the hub's origin):
 *   GET  /api/health                      public liveness, no session
 *   GET  /api/sign-in-info                public, SignInInfo
 *   POST /api/auth/login                  LoginRequest → SessionInfo (stage may be second-factor/enrolment)
 *   POST /api/auth/second-factor          SecondFactorRequest → SessionInfo (stage active)
 *   POST /api/auth/enrolment              → EnrolmentStartResponse (stage enrolment, or active to re-enrol)
 *   POST /api/auth/enrolment/confirm      EnrolmentConfirmRequest → EnrolmentConfirmResponse
 *   POST /api/auth/logout                 → 204
 *   GET  /api/session                     → SessionInfo, or 401 not-signed-in / session-expired
 *   PUT  /api/me/locale                   LocaleRequest → 204
 *   GET  /api/me/requesting-sites         → RequestingSiteList (the sites this person may announce requests for)
 *   GET  /api/me/preferences/viewer       → ViewerPreferences (the defaults when none saved)
 *   PUT  /api/me/preferences/viewer       ViewerPreferencesInput → ViewerPreferences (400 names a key bound to two actions)
 *   GET  /api/worklist                    → TeleFileWorklist (the tele-files this person may see now)
 *   GET  /api/worklist/events             text/event-stream of TeleFileChange (Last-Event-ID / ?since=cursor)
 *   POST /api/tele-files                  AnnouncedRequest → 201 TeleFileSummary (request first, waiting for images;
 *                                         requester of that site or admin; 409 if the site announced that accession already)
 *   GET  /api/tele-files/:id              → TeleFileSummary (403 + audit row if not theirs to see)
 *   POST /api/tele-files/:id/claim        → TeleFileSummary (409 conflict if someone else has it)
 *   POST /api/tele-files/:id/release      → TeleFileSummary
 *   POST /api/tele-files/:id/reassign     ReassignRequest → TeleFileSummary (admin, with a reason)
 *   POST /api/tele-files/:id/request      ClinicalRequest → TeleFileSummary (requester of that site, or admin)
 *   GET  /api/audit?…                     AuditQuery → AuditPage (admin)
 *   GET  /api/admin/organisation          → Organisation (admin)
 *   PUT  /api/admin/organisation          Organisation → Organisation (validated as a whole)
 *   GET  /api/admin/roster?from&to        → { entries: RosterEntryView[] }
 *   POST /api/admin/roster/import         text/csv body → RosterImportResult (all or nothing)
 *   POST /api/admin/routing/simulate      RoutingSimulation → RoutingSimulationResult
 *   Reports (core/api/reports.ts): GET /api/tele-files/:id/reports, PUT /api/tele-files/:id/report/draft,
 *   PUT /api/reports/:id/draft, POST /api/reports/:id/sign, POST /api/reports/:id/addendum,
 *   GET|PUT /api/report-templates[/:id], GET|PUT /api/me/macros
 *   Deliveries (core/api/deliveries.ts, admin): GET /api/admin/deliveries?state, POST /api/admin/deliveries/:id/retry,
 *   GET /api/admin/alerts?open, POST /api/admin/alerts/:id/acknowledge
 * Failures: ApiErrorBody with the HTTP status.
 */
export interface ReadingApi {
  signInInfo(): Promise<SignInInfo>;
  login(request: LoginRequest): Promise<SessionInfo>;
  secondFactor(code: string): Promise<SessionInfo>;
  startEnrolment(): Promise<EnrolmentStartResponse>;
  confirmEnrolment(code: string): Promise<EnrolmentConfirmResponse>;
  logout(): Promise<void>;
  session(): Promise<SessionInfo>;
  setLocale(locale: 'fr' | 'en'): Promise<void>;
  worklist(): Promise<TeleFileWorklist>;
  /**
   * Live worklist changes after `cursor` (from `worklist()`); reconnects and
   * resumes by itself. `onReset` asks the caller to reload the list. Returns a
   * function that stops the subscription.
   */
  watchWorklist(
    cursor: string,
    handlers: { onChange(change: TeleFileChange, cursor: string): void; onReset(): void; onError?(error: unknown): void; onStatus?(status: 'live' | 'reconnecting'): void },
  ): () => void;
  teleFile(id: string): Promise<TeleFileSummary>;
  /** The same patient's other studies at the same requesting site, newest first (GET /api/tele-files/:id/priors). */
  priors(id: string): Promise<TeleFilePriors>;
  claim(id: string): Promise<TeleFileSummary>;
  release(id: string): Promise<TeleFileSummary>;
  submitClinicalRequest(id: string, request: ClinicalRequest): Promise<TeleFileSummary>;
  /** Request first: a tele-file for a study whose images have not arrived yet (matched later by accession number). */
  announceRequest(request: AnnouncedRequest): Promise<TeleFileSummary>;
  /** The requesting sites this person may announce requests for (none for readers). */
  requestingSites(): Promise<RequestingSiteList>;
  organisation(): Promise<Organisation>;
  saveOrganisation(organisation: OrganisationInput): Promise<Organisation>;
  roster(range: { from: string; to: string }): Promise<{ entries: RosterEntryView[] }>;
  importRoster(csv: string): Promise<RosterImportResult>;
  simulateRouting(request: RoutingSimulation): Promise<RoutingSimulationResult>;
  audit(query: Partial<AuditQuery>): Promise<AuditPage>;
  /** This person's viewer preferences (hotkeys, cache budget, layout), kept on the hub for every workstation. */
  viewerPreferences(): Promise<ViewerPreferences>;
  saveViewerPreferences(preferences: ViewerPreferencesInput): Promise<ViewerPreferences>;
  /** The tele-file's report and its addenda, oldest first (empty before the first save). */
  reports(teleFileId: string): Promise<ReportList>;
  /** Saves the tele-file's report draft (creating it at baseVersion 0). */
  saveDraft(teleFileId: string, request: SaveDraftRequest): Promise<DraftSaveResult>;
  /** Saves an addendum's draft. */
  saveAddendumDraft(reportId: string, request: SaveDraftRequest): Promise<DraftSaveResult>;
  /** Signs a draft (report or addendum) after re-authentication; 400 lists what is missing. */
  signReport(reportId: string, request: SignRequest): Promise<ReportView>;
  /** Opens a draft addendum to a signed report. */
  createAddendum(reportId: string): Promise<ReportView>;
  reportTemplates(): Promise<ReportTemplateList>;
  saveReportTemplate(id: string, input: ReportTemplateInput): Promise<ReportTemplate>;
  /** This person's macros (shortcut → text), kept on the hub for every workstation. */
  macros(): Promise<MacroList>;
  saveMacros(list: MacroList): Promise<MacroList>;
  /** Delivery jobs needing attention (admin), or those in one state. */
  deliveries(query: { state?: DeliveryState }): Promise<DeliveryJobList>;
  retryDelivery(jobId: string): Promise<DeliveryJobView>;
  adminAlerts(query: { open?: boolean }): Promise<AdminAlertList>;
  acknowledgeAlert(alertId: string): Promise<AdminAlertView>;
}

/** What a transport throws when the hub answers with an error body. */
export class ReadingApiError extends Error {
  override readonly name = 'ReadingApiError';
  constructor(
    readonly status: number,
    readonly body: ApiErrorBody['error'],
  ) {
    super(body.message);
  }
}
