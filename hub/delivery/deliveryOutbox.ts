import type { Kysely, Transaction } from 'kysely';
import type { Logger } from 'pino';
import { ATTENTION_STATES, type DeliveryJobView } from '../../core/api/deliveries.js';
import type { DeliveryState, DeliveryStatus } from '../../core/api/reports.js';
import type { RequestingSite } from '../../core/site.js';
import type { AuditTrail } from '../audit/auditTrail.js';
import type { DB } from '../db/schema.js';
import type { OrganisationStore } from '../organisation/organisationStore.js';
import { AdminAlerts } from './adminAlerts.js';
import { backoffDelay, DEFAULT_BACKOFF_MS, LEASE_MS } from './backoff.js';

import { DeliveryError } from './deliveryError.js';
import { aggregateStatus, claimDueJob, finishClaim, toJobView, type DbOrTrx, type DeliveryJobRow } from './deliveryJobs.js';
import { checkGuards } from './guards.js';
import { Hl7Outbox } from './hl7Outbox.js';
import { sitesInForce } from './sitesInForce.js';
import { transportFor } from './transportFor.js';

/** Jobs per pass before the worker yields (stop() and other timers get a turn). */
const PASS_BOUND = 50;

export type DocumentKind = 'sr' | 'pdf' | 'hl7';

export interface DeliveryOutboxDeps {
  db: Kysely<DB>;
  organisation: OrganisationStore;
  audit: AuditTrail;
  logger: Logger;
  dataDir: string;
  now?: () => Date;
  backoffMs?: readonly number[];
  /** Failures before a job is 'failed' (a person must act); default 100, about 24 h with the default backoff. */
  maxAttempts?: number;
  /** How often the worker looks for due jobs; default 2 s. */
  pollMs?: number;
  /** The hub's AE title when it calls a site's PACS (DIMSE); default VIGIE. */
  callingAeTitle?: string;
  /** After a document is recorded delivered: the hub moves the tele-file to delivered when the whole report is (markTeleFileDelivered.ts). */
  onDelivered?: (reportId: string) => Promise<unknown>;
}

export type RetryOutcome = { ok: true; job: DeliveryJobView } | { ok: false; code: 'not-found' | 'conflict'; message: string };

type Outcome = { state: 'delivered'; sent: boolean; sopInstanceUid: string | null } | { state: 'stopped'; reason: string; sopInstanceUid: string | null };

const SYSTEM = { actorName: 'system' } as const;

/**
 * The outbox that brings every signed report to its requesting site exactly
 * once. Jobs are written in the signing transaction; any hub's worker claims
 * a due job with one conditional update (a lease), checks the guards, asks the
 * site whether the document is already there (a hub killed after sending),
 * sends, then verifies arrival before calling it delivered. Failures retry
 * with backoff until a bound, then wait for an admin.
 */
export class DeliveryOutbox {
  readonly alerts: AdminAlerts;
  private readonly now: () => Date;
  private readonly backoffMs: readonly number[];
  private readonly maxAttempts: number;
  private readonly hl7: Hl7Outbox;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = true;
  /** Set by stop(): a pass in progress ends after its current job. */
  private stopping = false;

  constructor(private readonly deps: DeliveryOutboxDeps) {
    this.now = deps.now ?? (() => new Date());
    this.backoffMs = deps.backoffMs ?? DEFAULT_BACKOFF_MS;
    this.maxAttempts = deps.maxAttempts ?? 100;
    this.alerts = new AdminAlerts(deps.db);
    this.hl7 = new Hl7Outbox(deps.dataDir);
  }

  /**
   * Inside the signing transaction: one job per document kind, for the
   * tele-file's requesting site. Idempotent (unique report_id + kind). Never
   * throws for a configuration problem (signing must not fail for it): a site
   * missing from the organisation gets jobs that the guards stop with an alert.
   */
  async enqueue(trx: Kysely<DB> | Transaction<DB>, job: { reportId: string; teleFileId: string; siteId: string; kinds: ReadonlyArray<DocumentKind> }): Promise<void> {
    const site = (await sitesInForce(trx)).find((s): s is RequestingSite => s.kind === 'requesting' && s.id === job.siteId);
    const kinds = [...new Set(job.kinds)].filter((kind) => kind !== 'hl7' || site?.hl7Results === true);
    if (kinds.length === 0) return;
    const endpoint = JSON.stringify(site?.delivery ?? { kind: 'not-configured' });
    const now = this.now();
    await trx
      .insertInto('delivery_jobs')
      .values(kinds.map((kind) => ({ report_id: job.reportId, document_kind: kind, tele_file_id: job.teleFileId, site_id: job.siteId, endpoint, state: 'pending' as const, next_attempt_at: now, created_at: now, updated_at: now })))
      .onConflict((oc) => oc.columns(['report_id', 'document_kind']).doNothing())
      .execute();
    this.wake();
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.stopping = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
    this.stopping = false;
  }

  /** A new job: look soon rather than at the next poll (the signing transaction commits first). */
  private wake(): void {
    if (this.stopped || this.running) return;
    if (this.timer) clearTimeout(this.timer);
    this.schedule(250);
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      let more = false;
      this.running = this.pass()
        .then((full) => {
          more = full;
        })
        .catch((error: unknown) => this.deps.logger.error({ err: error }, 'delivery pass failed'))
        .finally(() => {
          this.running = null;
          // A backlog (a site back after an outage) is worked through without the idle poll between passes.
          this.schedule(more ? 0 : (this.deps.pollMs ?? 2_000));
        });
    }, delay);
    this.timer.unref();
  }

  /** One pass over due jobs (tests call it directly). */
  async runOnce(): Promise<void> {
    await this.pass();
  }

  /** One bounded pass; true when it stopped at the bound with jobs possibly still due (the next pass then starts at once). */
  private async pass(): Promise<boolean> {
    // A bound per pass so stop() never waits behind a long queue.
    for (let i = 0; i < PASS_BOUND; i++) {
      const now = this.now();
      const job = await claimDueJob(this.deps.db, now, new Date(now.getTime() + LEASE_MS));
      if (!job) return false;
      await this.work(job);
      if (this.stopping) return false;
    }
    return true;
  }

  /** Aggregated per report (the least advanced job wins) for the worklist and the report view. */
  async statusOf(reportIds: readonly string[]): Promise<Map<string, DeliveryStatus>> {
    const result = new Map<string, DeliveryStatus>();
    if (reportIds.length === 0) return result;
    const rows = await this.deps.db.selectFrom('delivery_jobs').selectAll().where('report_id', 'in', [...new Set(reportIds)]).execute();
    const byReport = new Map<string, DeliveryJobRow[]>();
    for (const row of rows) byReport.set(row.report_id, [...(byReport.get(row.report_id) ?? []), row]);
    for (const [reportId, jobs] of byReport) {
      const status = aggregateStatus(jobs);
      if (status) result.set(reportId, status);
    }
    return result;
  }

  /** Jobs for the admin page: those needing attention (retrying, failed, stopped), or one state. */
  async list(state?: DeliveryState): Promise<DeliveryJobView[]> {
    const states: DeliveryState[] = state ? [state] : [...ATTENTION_STATES];
    const rows = await this.deps.db.selectFrom('delivery_jobs').selectAll().where('state', 'in', states).orderBy('updated_at', 'desc').limit(1000).execute();
    return rows.map(toJobView);
  }

  /**
   * An admin retries a failed or stopped job: pending now, attempts from zero.
   * A stopped job's guards are checked again first (409 with the reason while
   * the cause remains); the retry takes the site's current address, which the
   * admin has checked by retrying.
   */
  async retry(jobId: string, actor: { id: string; username: string; ip?: string; requestId?: string }): Promise<RetryOutcome> {
    const db = this.deps.db;
    const job = await db.selectFrom('delivery_jobs').selectAll().where('id', '=', jobId).executeTakeFirst();
    if (!job) return { ok: false, code: 'not-found', message: `No delivery job has the id ${jobId}.` };
    if (job.state !== 'failed' && job.state !== 'stopped') return { ok: false, code: 'conflict', message: `This delivery is ${job.state}: only a failed or stopped delivery can be retried.` };
    const guard = await this.guard(db, job, { acceptNewEndpoint: true });
    if (!guard.ok) return { ok: false, code: 'conflict', message: `Still blocked: ${guard.reason}` };
    const now = this.now();
    const updated = await db.transaction().execute(async (trx) => {
      const row = await trx
        .updateTable('delivery_jobs')
        .set({ state: 'pending', attempts: 0, next_attempt_at: now, lease_until: null, last_error: null, stopped_reason: null, endpoint: JSON.stringify(guard.site.delivery), updated_at: now })
        .where('id', '=', job.id)
        .where('state', '=', job.state)
        .returningAll()
        .executeTakeFirst();
      if (!row) return null;
      await this.deps.audit.append({ action: 'delivery.retried', actorId: actor.id, actorName: actor.username, ip: actor.ip ?? null, requestId: actor.requestId ?? null, targetType: 'delivery-job', targetId: job.id, details: { ...this.auditDetails(job, null), from: job.state, attempts: job.attempts } }, trx);
      return row;
    });
    if (!updated) return { ok: false, code: 'conflict', message: 'This delivery changed meanwhile: reload and try again.' };
    this.deps.logger.info({ job: job.id, report: job.report_id, site: job.site_id, kind: job.document_kind, by: actor.username }, 'delivery retried by an admin');
    this.wake();
    return { ok: true, job: toJobView(updated) };
  }

  private auditDetails(job: DeliveryJobRow, sopInstanceUid: string | null): Record<string, unknown> {
    return { jobId: job.id, reportId: job.report_id, teleFileId: job.tele_file_id, siteId: job.site_id, kind: job.document_kind, sopInstanceUid };
  }

  private async guard(db: DbOrTrx, job: DeliveryJobRow, options: { acceptNewEndpoint?: boolean } = {}) {
    const [teleFile, document, active] = await Promise.all([
      db.selectFrom('tele_files').select(['requesting_site_id', 'patient_id', 'issuer']).where('id', '=', job.tele_file_id).executeTakeFirst(),
      db.selectFrom('report_documents').select(['bytes', 'sop_instance_uid']).where('report_id', '=', job.report_id).where('kind', '=', job.document_kind).executeTakeFirst(),
      this.deps.organisation.active(),
    ]);
    return checkGuards({ job, teleFile, document: document ? { bytes: new Uint8Array(document.bytes) } : undefined, sites: active?.organisation.sites ?? null }, options);
  }

  /** One claimed job, to its outcome; every failure becomes 'retrying' (or 'failed' past the bound). */
  private async work(job: DeliveryJobRow): Promise<void> {
    let outcome: Outcome;
    try {
      outcome = await this.attempt(job);
    } catch (error) {
      await this.recordFailure(job, error);
      return;
    }
    if (outcome.state === 'stopped') await this.recordStop(job, outcome.reason, outcome.sopInstanceUid);
    else await this.recordDelivered(job, outcome.sent, outcome.sopInstanceUid);
  }

  private async attempt(job: DeliveryJobRow): Promise<Outcome> {
    const guard = await this.guard(this.deps.db, job);
    if (!guard.ok) return { state: 'stopped', reason: guard.reason, sopInstanceUid: null };
    const document = await this.deps.db.selectFrom('report_documents').select('bytes').where('report_id', '=', job.report_id).where('kind', '=', job.document_kind).executeTakeFirstOrThrow();
    const bytes = new Uint8Array(document.bytes);
    if (job.document_kind === 'hl7' || guard.identity === null) {
      if (await this.hl7.holds(job.site_id, job.report_id, bytes)) return { state: 'delivered', sent: false, sopInstanceUid: null };
      await this.hl7.write(job.site_id, job.report_id, bytes);
      if (!(await this.hl7.holds(job.site_id, job.report_id, bytes))) throw new DeliveryError('The HL7 message was written but reads back different: check the disk.');
      return { state: 'delivered', sent: true, sopInstanceUid: null };
    }
    const identity = guard.identity;
    const transport = transportFor(guard.site.delivery, this.deps.callingAeTitle ?? 'VIGIE');
    // A hub killed after sending and before recording: the site has it already, never send a second copy.
    if (await transport.hasInstance(identity)) return { state: 'delivered', sent: false, sopInstanceUid: identity.sopInstanceUid };
    const atSite = await transport.studyPatientIds(identity.studyInstanceUid);
    if (atSite.some((patientId) => patientId !== identity.patientId)) {
      return { state: 'stopped', reason: `The study of this report is at site "${job.site_id}" under another patient ID: the patient ID of this study was changed at the site. Nothing was sent; check with the site.`, sopInstanceUid: identity.sopInstanceUid };
    }
    await transport.send(bytes, identity);
    await this.deps.audit.append({ action: 'delivery.sent', ...SYSTEM, targetType: 'delivery-job', targetId: job.id, details: { ...this.auditDetails(job, identity.sopInstanceUid), transport: guard.site.delivery.kind, attempt: job.attempts } });
    this.deps.logger.info({ job: job.id, report: job.report_id, site: job.site_id, kind: job.document_kind, to: transport.description }, 'report document sent');
    if (!(await transport.hasInstance(identity))) {
      throw new DeliveryError(`The site's PACS accepted the document but does not list it (${transport.description}); the next attempt checks again before sending.`);
    }
    return { state: 'delivered', sent: true, sopInstanceUid: identity.sopInstanceUid };
  }

  private async recordDelivered(job: DeliveryJobRow, sent: boolean, sopInstanceUid: string | null): Promise<void> {
    const now = this.now();
    const done = await this.deps.db.transaction().execute(async (trx) => {
      if (!(await finishClaim(trx, job, { state: 'delivered', delivered_at: now, verified_at: now, last_error: null }, now))) return false;
      await this.deps.audit.append({ action: 'delivery.delivered', ...SYSTEM, targetType: 'delivery-job', targetId: job.id, details: { ...this.auditDetails(job, sopInstanceUid), sentThisAttempt: sent, attempts: job.attempts } }, trx);
      return true;
    });
    if (done) {
      this.deps.logger.info({ job: job.id, report: job.report_id, site: job.site_id, kind: job.document_kind, sentThisAttempt: sent }, 'report document delivered and verified at the site');
      // The document is safe at the site; a failed state update is caught up by the hub's 30 s sweep (sweepDeliveredTeleFiles).
      await this.deps.onDelivered?.(job.report_id).catch((error: unknown) => this.deps.logger.warn({ err: error, report: job.report_id }, 'tele-file not marked delivered'));
    }
    else this.deps.logger.warn({ job: job.id }, 'delivery lease lost before recording; the other hub records it');
  }

  private async recordStop(job: DeliveryJobRow, reason: string, sopInstanceUid: string | null): Promise<void> {
    const now = this.now();
    const done = await this.deps.db.transaction().execute(async (trx) => {
      if (!(await finishClaim(trx, job, { state: 'stopped', stopped_reason: reason, last_error: reason }, now))) return false;
      await this.alerts.raise({ kind: 'delivery.stopped', severity: 'critical', message: `Delivery of report ${job.report_id} (${job.document_kind.toUpperCase()}) to site "${job.site_id}" was stopped: ${reason}`, subjectType: 'delivery-job', subjectId: job.id }, trx);
      await this.deps.audit.append({ action: 'delivery.stopped', ...SYSTEM, outcome: 'failure', targetType: 'delivery-job', targetId: job.id, details: { ...this.auditDetails(job, sopInstanceUid), reason } }, trx);
      return true;
    });
    if (done) this.deps.logger.warn({ job: job.id, report: job.report_id, site: job.site_id, kind: job.document_kind, reason }, 'delivery stopped by a guard; admin alerted');
  }

  private async recordFailure(job: DeliveryJobRow, error: unknown): Promise<void> {
    const now = this.now();
    const message = error instanceof DeliveryError ? error.message : `Unexpected error while delivering: ${(error as Error)?.message ?? String(error)}`;
    const giveUp = (error instanceof DeliveryError && error.permanent) || job.attempts >= this.maxAttempts;
    const done = await this.deps.db.transaction().execute(async (trx) => {
      if (giveUp) {
        if (!(await finishClaim(trx, job, { state: 'failed', last_error: message }, now))) return false;
        await this.alerts.raise({ kind: 'delivery.failed', severity: 'critical', message: `Delivery of report ${job.report_id} (${job.document_kind.toUpperCase()}) to site "${job.site_id}" failed after ${job.attempts} attempts: ${message} Retry it once the cause is fixed.`, subjectType: 'delivery-job', subjectId: job.id }, trx);
        await this.deps.audit.append({ action: 'delivery.failed', ...SYSTEM, outcome: 'failure', targetType: 'delivery-job', targetId: job.id, details: { ...this.auditDetails(job, null), error: message, attempts: job.attempts } }, trx);
        return true;
      }
      return finishClaim(trx, job, { state: 'retrying', last_error: message, next_attempt_at: new Date(now.getTime() + backoffDelay(job.attempts, this.backoffMs)) }, now);
    });
    if (done) this.deps.logger.warn({ job: job.id, report: job.report_id, site: job.site_id, kind: job.document_kind, attempts: job.attempts, error: message, failed: giveUp }, giveUp ? 'delivery failed; admin alerted' : 'delivery failed; will retry');
  }
}
