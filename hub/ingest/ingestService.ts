import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { route, type RoutingDecision } from '../../core/routing.js';
import { findRequestingSite } from '../../core/site.js';
import type { DB } from '../db/schema.js';
import type { OrganisationStore } from '../organisation/organisationStore.js';
import type { PacsAdapter, StableStudy } from '../pacs/pacsAdapter.js';
import { PacsCursorError } from '../pacs/pacsErrors.js';
import type { RosterStore } from '../roster/rosterStore.js';
import type { IngestOutcome, TeleFileStore } from '../teleFiles/teleFileStore.js';
import { findPriorOwner, PRIOR_AGE_MS } from './priorRule.js';

/** What receiving one study did: a tele-file outcome, or "kept as a prior" (no tele-file). */
export type ReceiveOutcome = IngestOutcome | { kind: 'prior'; studyInstanceUid: string; newerStudyInstanceUid: string };

export interface IngestOptions {
  pollMs: number;
  /**
   * A PACS restarted between two polls never errors, yet loses its pending
   * "stable" events: a periodic look-back catches those. Default 5 minutes.
   */
  periodicReconcileMs?: number;
  /** How far back start-up reconciliation looks (a killed PACS never replays its pending events). */
  reconcileWindowMs: number;
  /** A study became (or stays) a tele-file to read: the hub may prepare it for the viewer. */
  onReadable?: (studyInstanceUid: string) => void;
}

/**
 * Watches the pivot PACS and turns each complete study into one routed
 * tele-file: the one its requesting site announced (request first, matched by
 * issuer, accession number and patient ID), else a new one. The cursor is saved only after a page is processed, so a crash
 * replays the page (at least once); the tele-file store makes a replay a no-op
 * (at most one tele-file per study).
 */
export class IngestService {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;
  private lastError: string | null = null;
  private lastSuccessAt: Date | null = null;
  /** Set at start and after any failure: the next successful poll first reconciles from there. */
  private reconcileFrom: Date | null = null;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly adapter: PacsAdapter,
    private readonly teleFiles: TeleFileStore,
    private readonly organisation: OrganisationStore,
    private readonly roster: RosterStore,
    private readonly logger: Logger,
    private readonly options: IngestOptions,
  ) {}

  /** For /api/health and the admin pages: is the pivot PACS answering. Never credentials. */
  get status(): { pacs: string; reachable: boolean; lastError: string | null; lastSuccessAt: string | null } {
    return { pacs: this.adapter.description, reachable: this.lastError === null && this.lastSuccessAt !== null, lastError: this.lastError, lastSuccessAt: this.lastSuccessAt?.toISOString() ?? null };
  }

  private lastPeriodicReconcile = Date.now();

  async start(): Promise<void> {
    this.reconcileFrom = new Date(Date.now() - this.options.reconcileWindowMs);
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.pollOnce()
        .then((more) => this.schedule(more ? 0 : this.options.pollMs))
        .catch((error: unknown) => {
          this.report(error, 'poll');
          // A PACS killed meanwhile never replays its pending "stable" events: look back once it answers again.
          this.reconcileFrom ??= new Date((this.lastSuccessAt?.getTime() ?? Date.now() - this.options.reconcileWindowMs) - 10 * 60_000);
          this.schedule(this.options.pollMs * 4);
        })
        .finally(() => (this.running = null));
    }, delay);
    this.timer.unref();
  }

  private report(error: unknown, during: string): void {
    this.lastError = (error as Error).message ?? String(error);
    this.logger.warn({ err: { message: this.lastError, name: (error as Error).name }, during, pacs: this.adapter.description }, 'PACS ingest problem; will retry');
  }

  /** Every study received since `since` goes through ingest again: nothing lost while the hub or the PACS was down. */
  async reconcile(since = new Date(Date.now() - this.options.reconcileWindowMs)): Promise<number> {
    const studies = await this.adapter.reconcile(since);
    for (const study of studies) await this.receive(study);
    return studies.length;
  }

  private get cursorKey(): string {
    return `${this.adapter.kind}:${this.adapter.description}`;
  }

  private async saveCursor(cursor: string): Promise<void> {
    await this.db
      .insertInto('ingest_cursors')
      .values({ adapter: this.cursorKey, cursor, updated_at: new Date() })
      .onConflict((oc) => oc.column('adapter').doUpdateSet({ cursor, updated_at: new Date() }))
      .execute();
  }

  /** One page of changes; true when more are waiting. */
  async pollOnce(): Promise<boolean> {
    const saved = await this.db.selectFrom('ingest_cursors').select('cursor').where('adapter', '=', this.cursorKey).executeTakeFirst();
    // First start against a PACS with history: begin the feed at "now" (saved before reconciling, so a study
    // becoming stable in between is in the feed), and let reconciliation cover the recent window.
    let cursor = saved?.cursor;
    if (cursor === undefined) {
      cursor = await this.adapter.headCursor();
      await this.saveCursor(cursor);
    }
    const periodic = this.options.periodicReconcileMs ?? 5 * 60_000;
    if (!this.reconcileFrom && Date.now() - this.lastPeriodicReconcile > periodic) this.reconcileFrom = new Date(Date.now() - 3 * periodic);
    if (this.reconcileFrom) {
      await this.reconcile(this.reconcileFrom);
      this.reconcileFrom = null;
      this.lastPeriodicReconcile = Date.now();
    }
    let page;
    try {
      page = await this.adapter.changes(cursor);
    } catch (error) {
      if (!(error instanceof PacsCursorError)) throw error;
      // The saved cursor belongs to another kind of feed (configuration changed): restart from now and reconcile.
      await this.saveCursor(await this.adapter.headCursor());
      await this.reconcile();
      return true;
    }
    for (const study of page.studies) await this.receive(study);
    await this.saveCursor(page.cursor);
    this.lastError = null;
    this.lastSuccessAt = new Date();
    return !page.done;
  }

  /**
   * A study from the PACS feed: kept as a prior when it is an old study of a
   * patient who has a newer one at the same site (priorRule.ts,
   * docs/decisions.md), else turned into a tele-file by ingestStudy. A study
   * that already has a tele-file, or that its site announced, is never a prior.
   */
  async receive(study: StableStudy): Promise<ReceiveOutcome> {
    if (!(await this.teleFiles.byStudyUid(study.studyInstanceUid))) {
      const active = await this.organisation.active();
      const owner = active ? await findPriorOwner(study, active.organisation.sites, (patientId) => this.adapter.patientStudies(patientId), PRIOR_AGE_MS) : null;
      if (owner !== null && !(await this.teleFiles.announcedFor(owner.issuer, study.accessionNumber))) {
        this.logger.info({ modalities: study.modalitiesInStudy }, 'study kept as a prior (an older study of a patient with a newer one at the same site): no tele-file');
        this.logger.debug({ study: study.studyInstanceUid, newer: owner.newerStudyInstanceUid }, 'prior study');
        return { kind: 'prior', studyInstanceUid: study.studyInstanceUid, newerStudyInstanceUid: owner.newerStudyInstanceUid };
      }
    }
    return this.ingestStudy(study);
  }

  /** One study → one tele-file (created, attached, updated…), whatever its date: the caller decided it is to be read. */
  async ingestStudy(study: StableStudy): Promise<IngestOutcome> {
    const outcome = await this.teleFiles.ingest(study, () => this.decide(study));
    if (outcome.kind !== 'identity-conflict' && outcome.kind !== 'unchanged' && outcome.teleFile.status !== 'refused') this.options.onReadable?.(study.studyInstanceUid);
    if (outcome.kind === 'created') this.logger.info({ teleFile: outcome.teleFile.id, status: outcome.teleFile.status, modalities: study.modalitiesInStudy }, 'tele-file created');
    if (outcome.kind === 'attached') this.logger.info({ teleFile: outcome.teleFile.id, status: outcome.teleFile.status, modalities: study.modalitiesInStudy }, 'study attached to its announced request');
    if (outcome.kind === 'created' && outcome.notAttachedTo) this.logger.warn({ teleFile: outcome.teleFile.id, announced: outcome.notAttachedTo }, 'study matches an announced request by accession number but not by patient ID; not attached');
    if (outcome.kind === 'identity-conflict') this.logger.warn({ teleFile: outcome.teleFile.id }, 'study patient identity changed at the PACS; not merged');
    return outcome;
  }

  /** Routes at the instant of decision, with the organisation and roster in force then. */
  async decide(study: StableStudy, now = new Date()): Promise<{ decision: RoutingDecision; siteIssuer: string | null }> {
    const active = await this.organisation.active();
    const sender = { callingAeTitle: study.sourceAet ?? undefined, institutionName: study.institutionName ?? undefined };
    if (!active) {
      const decision: RoutingDecision = {
        outcome: 'refused',
        requestingSiteId: null,
        family: 'other',
        reason: { code: 'no-coverage', message: { fr: 'Aucune organisation configurée', en: 'No organisation is configured' } },
        period: null,
        explanation: { fr: "Aucune organisation n'est configurée sur ce hub : un administrateur doit la saisir.", en: 'No organisation is configured on this hub: an administrator must enter it.' },
      };
      return { decision, siteIssuer: null };
    }
    const roster = await this.roster.entriesAt(now);
    const people = roster.length > 0 ? await this.db.selectFrom('users').select(['username', 'display_name']).where('username', 'in', [...new Set(roster.map((e) => e.personId))]).execute() : [];
    const decision = route({ sender, modalitiesInStudy: study.modalitiesInStudy }, now, {
      sites: active.organisation.sites,
      coverage: active.coverage,
      roster,
      pdsConfig: active.organisation.pdsCalendar,
      displayNames: Object.fromEntries(people.map((p) => [p.username, p.display_name])),
      waitingByGroup: await this.teleFiles.waitingByGroup(),
    });
    const site = findRequestingSite(active.organisation.sites, sender)?.site;
    return { decision, siteIssuer: site?.pacs.issuerOfPatientId ?? null };
  }
}
