import type { AuditQuery } from '../../core/api/audit.js';
import type { LoginRequest } from '../../core/api/auth.js';
import type { OrganisationInput, RoutingSimulation } from '../../core/api/organisation.js';
import type { AnnouncedRequest, ClinicalRequest, TeleFileChange } from '../../core/api/teleFiles.js';
import type { ViewerPreferencesInput } from '../../core/api/viewerPreferences.js';
import type { DeliveryState, MacroList, ReportTemplateInput, SaveDraftRequest, SignRequest } from '../../core/api/reports.js';
import { ReadingApiError, type ReadingApi } from '../../core/readingApi.js';
import type { WorklistWatchHandlers } from './liveWorklist.js';

/** The hub answered that there is no valid session (it expired, was revoked, or never was). */
export function isSessionLost(error: unknown): error is ReadingApiError {
  return (
    error instanceof ReadingApiError &&
    error.status === 401 &&
    (error.body.code === 'session-expired' || error.body.code === 'not-signed-in')
  );
}

export interface SessionLostEvent {
  readonly code: 'session-expired' | 'not-signed-in';
}
export type SessionLostListener = (event: SessionLostEvent) => void;

/**
 * Wraps a ReadingApi so that losing the session is handled in one place, not
 * per page: any call answered 401 `session-expired`/`not-signed-in` emits
 * 'session-lost', and the app shows the sign-in page over what was on screen.
 *
 * Work calls (everything after sign-in) are then held, not failed: once the
 * same person has signed in again (`resume()`), they are sent again, so a
 * click made just as the session expired still takes effect. If someone else
 * signs in, or the person signs out (`abandon()`), they fail instead.
 * Sign-in steps fail at once: the sign-in page starts over.
 */
export class SessionGuardedApi implements ReadingApi {
  private readonly listeners = new Set<SessionLostListener>();
  private held: { resume: () => void; abandon: () => void }[] = [];
  /** Bumped at each re-sign-in: a 401 for a call sent before it is stale news, not a new loss. */
  private epoch = 0;

  constructor(private readonly inner: ReadingApi) {}

  onSessionLost(listener: SessionLostListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The same person signed in again: send the held calls again. */
  resume(): void {
    this.epoch += 1;
    const held = this.held;
    this.held = [];
    for (const call of held) call.resume();
  }

  /** Someone else signed in, or the person signed out: held calls fail with their 401. */
  abandon(): void {
    this.epoch += 1;
    const held = this.held;
    this.held = [];
    for (const call of held) call.abandon();
  }

  /** How many calls wait for a re-sign-in (for tests and diagnostics). */
  get heldCount(): number {
    return this.held.length;
  }

  // Public, or where a 401 means something else (wrong password): passed through.
  signInInfo() {
    return this.inner.signInInfo();
  }
  login(request: LoginRequest) {
    return this.inner.login(request);
  }
  logout() {
    return this.inner.logout();
  }

  // Sign-in steps and the session check: a lost session is reported, and the call fails.
  secondFactor(code: string) {
    return this.reportLoss(() => this.inner.secondFactor(code));
  }
  startEnrolment() {
    return this.reportLoss(() => this.inner.startEnrolment());
  }
  confirmEnrolment(code: string) {
    return this.reportLoss(() => this.inner.confirmEnrolment(code));
  }
  session() {
    return this.reportLoss(() => this.inner.session());
  }

  // Work: held across a re-sign-in.
  setLocale(locale: 'fr' | 'en') {
    return this.holdOnLoss(() => this.inner.setLocale(locale));
  }
  worklist() {
    return this.holdOnLoss(() => this.inner.worklist());
  }
  audit(query: Partial<AuditQuery>) {
    return this.holdOnLoss(() => this.inner.audit(query));
  }
  teleFile(id: string) {
    return this.holdOnLoss(() => this.inner.teleFile(id));
  }
  priors(id: string) {
    return this.holdOnLoss(() => this.inner.priors(id));
  }
  claim(id: string) {
    return this.holdOnLoss(() => this.inner.claim(id));
  }
  release(id: string) {
    return this.holdOnLoss(() => this.inner.release(id));
  }
  submitClinicalRequest(id: string, request: ClinicalRequest) {
    return this.holdOnLoss(() => this.inner.submitClinicalRequest(id, request));
  }
  announceRequest(request: AnnouncedRequest) {
    return this.holdOnLoss(() => this.inner.announceRequest(request));
  }
  requestingSites() {
    return this.holdOnLoss(() => this.inner.requestingSites());
  }
  organisation() {
    return this.holdOnLoss(() => this.inner.organisation());
  }
  saveOrganisation(organisation: OrganisationInput) {
    return this.holdOnLoss(() => this.inner.saveOrganisation(organisation));
  }
  roster(range: { from: string; to: string }) {
    return this.holdOnLoss(() => this.inner.roster(range));
  }
  importRoster(csv: string) {
    return this.holdOnLoss(() => this.inner.importRoster(csv));
  }
  simulateRouting(request: RoutingSimulation) {
    return this.holdOnLoss(() => this.inner.simulateRouting(request));
  }
  viewerPreferences() {
    return this.holdOnLoss(() => this.inner.viewerPreferences());
  }
  saveViewerPreferences(preferences: ViewerPreferencesInput) {
    return this.holdOnLoss(() => this.inner.saveViewerPreferences(preferences));
  }
  reports(teleFileId: string) {
    return this.holdOnLoss(() => this.inner.reports(teleFileId));
  }
  // A draft save held across a re-sign-in is sent again with the same baseVersion: if another tab saved meanwhile, the hub answers conflict.
  saveDraft(teleFileId: string, request: SaveDraftRequest) {
    return this.holdOnLoss(() => this.inner.saveDraft(teleFileId, request));
  }
  saveAddendumDraft(reportId: string, request: SaveDraftRequest) {
    return this.holdOnLoss(() => this.inner.saveAddendumDraft(reportId, request));
  }
  // Signing is itself a re-authentication (its 401 is `invalid-credentials`), and it is never replayed after a
  // re-sign-in: a signature must follow from a click made with the patient shown, not from a queued call.
  signReport(reportId: string, request: SignRequest) {
    return this.reportLoss(() => this.inner.signReport(reportId, request));
  }
  createAddendum(reportId: string) {
    return this.holdOnLoss(() => this.inner.createAddendum(reportId));
  }
  reportTemplates() {
    return this.holdOnLoss(() => this.inner.reportTemplates());
  }
  saveReportTemplate(id: string, input: ReportTemplateInput) {
    return this.holdOnLoss(() => this.inner.saveReportTemplate(id, input));
  }
  macros() {
    return this.holdOnLoss(() => this.inner.macros());
  }
  saveMacros(list: MacroList) {
    return this.holdOnLoss(() => this.inner.saveMacros(list));
  }
  deliveries(query: { state?: DeliveryState }) {
    return this.holdOnLoss(() => this.inner.deliveries(query));
  }
  retryDelivery(jobId: string) {
    return this.holdOnLoss(() => this.inner.retryDelivery(jobId));
  }
  adminAlerts(query: { open?: boolean }) {
    return this.holdOnLoss(() => this.inner.adminAlerts(query));
  }
  acknowledgeAlert(alertId: string) {
    return this.holdOnLoss(() => this.inner.acknowledgeAlert(alertId));
  }

  /**
   * The live feed, held like the work calls: when the transport reports a lost
   * session, the feed pauses (status 'reconnecting') and the loss is reported;
   * once the same person is back it restarts from the last cursor it got, so
   * no change is missed. If someone else signs in, it ends with the 401.
   */
  watchWorklist(cursor: string, handlers: WorklistWatchHandlers): () => void {
    let lastCursor = cursor;
    let stopInner: (() => void) | null = null;
    let stopped = false;
    let heldEntry: { resume: () => void; abandon: () => void } | null = null;

    const start = () => {
      const epoch = this.epoch;
      const inner: WorklistWatchHandlers = {
        onChange: (change: TeleFileChange, next: string) => {
          lastCursor = next;
          handlers.onChange(change, next);
        },
        onReset: () => handlers.onReset(),
        onStatus: (status) => handlers.onStatus?.(status),
        onError: (error: unknown) => {
          if (stopped) return;
          if (!isSessionLost(error)) {
            handlers.onError?.(error);
            return;
          }
          // The transport has stopped by itself on a lost session.
          stopInner = null;
          handlers.onStatus?.('reconnecting');
          if (epoch !== this.epoch) {
            start();
            return;
          }
          const entry = {
            resume: () => {
              heldEntry = null;
              if (!stopped) start();
            },
            abandon: () => {
              heldEntry = null;
              if (!stopped) handlers.onError?.(error);
            },
          };
          heldEntry = entry;
          this.held.push(entry);
          this.emit(error);
        },
      };
      stopInner = this.inner.watchWorklist(lastCursor, inner);
    };

    start();
    return () => {
      stopped = true;
      stopInner?.();
      stopInner = null;
      if (heldEntry !== null) {
        const entry = heldEntry;
        this.held = this.held.filter((held) => held !== entry);
      }
    };
  }

  private async reportLoss<T>(call: () => Promise<T>): Promise<T> {
    const epoch = this.epoch;
    try {
      return await call();
    } catch (error) {
      if (isSessionLost(error) && epoch === this.epoch) this.emit(error);
      throw error;
    }
  }

  private async holdOnLoss<T>(call: () => Promise<T>): Promise<T> {
    for (;;) {
      const epoch = this.epoch;
      try {
        return await call();
      } catch (error) {
        if (!isSessionLost(error)) throw error;
        // Sent before the latest re-sign-in: just send it again under the new session.
        if (epoch !== this.epoch) continue;
        const wait = new Promise<void>((resolve, reject) => {
          this.held.push({ resume: resolve, abandon: () => reject(error) });
        });
        this.emit(error);
        await wait;
      }
    }
  }

  private emit(error: ReadingApiError): void {
    const event: SessionLostEvent = { code: error.body.code === 'session-expired' ? 'session-expired' : 'not-signed-in' };
    for (const listener of [...this.listeners]) listener(event);
  }
}
