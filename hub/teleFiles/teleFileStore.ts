import { sql, type Kysely, type Selectable, type Updateable } from 'kysely';
import type { AnnouncedRequest, ClinicalRequest } from '../../core/api/teleFiles.js';
import type { RoutingDecision } from '../../core/routing.js';
import { studyModalityFamily } from '../../core/modalityFamily.js';
import { transition, type Actor, type TeleFileEvent } from '../../core/teleFile.js';
import type { AuditTrail } from '../audit/auditTrail.js';
import type { DB, TeleFilesTable } from '../db/schema.js';
import { HttpProblem } from '../http/httpProblem.js';
import type { StableStudy } from '../pacs/pacsAdapter.js';

export type TeleFileRow = Selectable<TeleFilesTable>;

export type IngestOutcome =
  /** `notAttachedTo`: an announced tele-file had the study's accession number but another patient ID (audited there). */
  | { kind: 'created'; teleFile: TeleFileRow; notAttachedTo?: string }
  /** The study was attached to the tele-file its requesting site announced (request first), then routed. */
  | { kind: 'attached'; teleFile: TeleFileRow }
  | { kind: 'updated'; teleFile: TeleFileRow }
  | { kind: 'unchanged'; teleFile: TeleFileRow }
  | { kind: 'identity-conflict'; teleFile: TeleFileRow };

function actorLabel(actor: Actor): string {
  return actor.kind === 'person' ? actor.id : `system:${actor.component}`;
}

/** Who announces a request: the person, and where the HTTP request came from. */
export interface Announcer {
  id: string;
  username: string;
  ip?: string;
  requestId?: string;
}

/** PostgreSQL's unique_violation, as `pg` and PGlite both report it. */
function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505';
}

function duplicateAnnouncement(accession: string, siteName: string, existing: Pick<TeleFileRow, 'study_instance_uid'> | null): HttpProblem {
  return new HttpProblem(
    409,
    'conflict',
    existing?.study_instance_uid
      ? `The study with accession number ${accession} from ${siteName} has already reached the hub: complete its clinical request from the worklist instead of announcing it.`
      : `Accession number ${accession} from ${siteName} is already announced and waiting for its images: it is on the worklist, complete that request instead of announcing it again.`,
  );
}

/** The study's issuer, else the requesting site's (core/patientIdentity.ts: never merge across issuers). */
function issuerOf(study: StableStudy, decision: RoutingDecision, siteIssuer: string | null): string {
  const own = study.issuerOfPatientId?.trim();
  if (own) return own;
  if (siteIssuer) return siteIssuer;
  return `UNKNOWN:${study.sourceAet ?? study.institutionName ?? decision.requestingSiteId ?? 'site'}`;
}

/**
 * Tele-files and their transitions. Every change bumps `version` with a
 * conditional UPDATE (so two concurrent changes cannot both win) and appends a
 * row to `tele_file_events`, whose `seq` is the live feed's cursor.
 */
export class TeleFileStore {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly audit: AuditTrail,
  ) {}

  byId(id: string): Promise<TeleFileRow | undefined> {
    return this.db.selectFrom('tele_files').selectAll().where('id', '=', id).executeTakeFirst();
  }

  byIds(ids: readonly string[]): Promise<TeleFileRow[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.db.selectFrom('tele_files').selectAll().where('id', 'in', ids).execute();
  }

  byStudyUid(uid: string): Promise<TeleFileRow | undefined> {
    return this.db.selectFrom('tele_files').selectAll().where('study_instance_uid', '=', uid).executeTakeFirst();
  }

  /**
   * One study from the pivot PACS → one tele-file. A study seen again (more
   * instances, a replayed change, reconciliation) updates its counts and never
   * creates a second tele-file; a study whose patient identity changed is not
   * merged but reported (identity-conflict).
   */
  async ingest(study: StableStudy, decide: () => Promise<{ decision: RoutingDecision; siteIssuer: string | null }>): Promise<IngestOutcome> {
    const existing = await this.byStudyUid(study.studyInstanceUid);
    if (existing) return this.refresh(existing, study);
    const { decision, siteIssuer } = await decide();
    const issuer = issuerOf(study, decision, siteIssuer);
    let notAttachedTo: string | undefined;
    const announced = await this.announcedFor(issuer, study.accessionNumber);
    if (announced) {
      if (announced.patient_id === study.patientId.trim()) {
        const attached = await this.attach(announced, study, decision);
        if (attached) return attached;
        // The announcement changed meanwhile (another hub attached this study, an admin cancelled it): look again.
        const now = await this.byStudyUid(study.studyInstanceUid);
        if (now) return this.refresh(now, study);
      } else {
        notAttachedTo = announced.id;
        await this.audit.append({
          action: 'tele-file.identity-conflict',
          outcome: 'failure',
          actorName: 'system',
          targetType: 'tele-file',
          targetId: announced.id,
          details: {
            reason: 'a study with the announced accession number arrived for another patient ID of the same issuer; not attached (never merge two patients): the study gets its own tele-file',
            accessionNumber: announced.announced_accession_number,
            issuer,
          },
        });
      }
    }
    const created = await this.create(study, decision, issuer);
    return created.kind === 'created' && notAttachedTo !== undefined ? { ...created, notAttachedTo } : created;
  }

  /**
   * The tele-file announced for this study, if any: same issuer (the patient
   * namespace of the requesting site) and accession number, still waiting for
   * its images. Oldest first, should two sites share an issuer. Also read by
   * ingest's prior rule: an announced study is never kept as a prior.
   */
  async announcedFor(issuer: string, accessionNumber: string): Promise<TeleFileRow | undefined> {
    const accession = accessionNumber.trim();
    if (!accession) return undefined;
    return this.db
      .selectFrom('tele_files')
      .selectAll()
      .where('issuer', '=', issuer)
      .where('announced_accession_number', '=', accession)
      .where('study_instance_uid', 'is', null)
      .where('status', '=', 'received')
      .orderBy('created_at', 'asc')
      .limit(1)
      .executeTakeFirst();
  }

  /** The study's own facts, as a tele-file row holds them. */
  private studyFacts(study: StableStudy) {
    return {
      study_instance_uid: study.studyInstanceUid,
      source_aet: study.sourceAet,
      institution_name: study.institutionName,
      patient_sex: study.patientSex || null,
      patient_birth_date: study.patientBirthDate || null,
      accession_number: study.accessionNumber || null,
      study_description: study.studyDescription || null,
      body_part: study.bodyPartExamined,
      modalities: study.modalitiesInStudy,
      modality_family: studyModalityFamily(study.modalitiesInStudy),
      number_of_instances: study.numberOfInstances,
      images_received_at: study.receivedAt,
    };
  }

  private async create(study: StableStudy, decision: RoutingDecision, issuer: string): Promise<IngestOutcome> {
    return this.db.transaction().execute(async (trx) => {
      const inserted = await trx
        .insertInto('tele_files')
        .values({
          ...this.studyFacts(study),
          status: 'received',
          patient_name: study.patientName,
          patient_id: study.patientId,
          issuer,
          // A clinical question carried by the DICOM request attributes counts as the request's question.
          question: study.reasonForRequestedProcedure ?? study.reasonForStudy ?? null,
          indication: study.additionalPatientHistory ?? null,
        })
        .onConflict((oc) => oc.column('study_instance_uid').doNothing())
        .returningAll()
        .executeTakeFirst();
      if (!inserted) {
        // Another hub instance created it between our read and our insert.
        const row = (await trx.selectFrom('tele_files').selectAll().where('study_instance_uid', '=', study.studyInstanceUid).executeTakeFirstOrThrow()) as TeleFileRow;
        return { kind: 'unchanged', teleFile: row } as const;
      }
      await this.appendEvent(trx, inserted.id, 'created', null, 'received', 'system:ingest', null);
      await this.audit.append({ action: 'tele-file.created', actorName: 'system', targetType: 'tele-file', targetId: inserted.id, details: { modalities: study.modalitiesInStudy, instances: study.numberOfInstances } }, trx);
      return { kind: 'created', teleFile: await this.decideInTransaction(trx, inserted, decision) } as const;
    });
  }

  /**
   * Request first: the announced tele-file gets the study (its facts and
   * images), keeps its clinical request, and is routed like any new study.
   * Null when the announcement changed meanwhile (conditional on its version
   * and on still having no study).
   */
  private async attach(announced: TeleFileRow, study: StableStudy, decision: RoutingDecision): Promise<IngestOutcome | null> {
    try {
      return await this.db.transaction().execute(async (trx) => {
        const attached = await trx
          .updateTable('tele_files')
          .set({
            ...this.studyFacts(study),
            // The PACS's name is the reference once the images are there; what the physician typed was a placeholder.
            patient_name: study.patientName || announced.patient_name,
            // The physician's request stands; the DICOM request attributes only fill what it left empty.
            question: announced.question ?? study.reasonForRequestedProcedure ?? study.reasonForStudy ?? null,
            indication: announced.indication ?? study.additionalPatientHistory ?? null,
            updated_at: new Date(),
            version: announced.version + 1,
          })
          .where('id', '=', announced.id)
          .where('version', '=', announced.version)
          .where('study_instance_uid', 'is', null)
          .returningAll()
          .executeTakeFirst();
        if (!attached) return null;
        await this.appendEvent(trx, attached.id, 'images-attached', announced.status, attached.status, 'system:ingest', `accession number ${announced.announced_accession_number ?? ''}`);
        await this.audit.append(
          {
            action: 'tele-file.images-attached',
            actorName: 'system',
            targetType: 'tele-file',
            targetId: attached.id,
            details: {
              accessionNumber: announced.announced_accession_number,
              announcedModality: announced.announced_modality,
              modalities: study.modalitiesInStudy,
              instances: study.numberOfInstances,
              modalityAsAnnounced: announced.announced_modality === null || study.modalitiesInStudy.includes(announced.announced_modality),
            },
          },
          trx,
        );
        return { kind: 'attached', teleFile: await this.decideInTransaction(trx, attached, decision) } as const;
      });
    } catch (error) {
      // Another hub created this study's own tele-file meanwhile: the caller looks it up.
      if (isUniqueViolation(error)) return null;
      throw error;
    }
  }

  /** The router's decision on a received tele-file: the route or refuse transition, with its explanation. */
  private decideInTransaction(trx: Kysely<DB>, row: TeleFileRow, decision: RoutingDecision): Promise<TeleFileRow> {
    const system: Actor = { kind: 'system', component: 'router' };
    // An announced tele-file keeps its site when the sender is not recognised: its requesters still see it refused.
    const requestingSiteId = decision.requestingSiteId ?? row.requesting_site_id;
    return decision.outcome === 'routed'
      ? this.applyInTransaction(trx, row, { type: 'route', actor: system }, {
          requesting_site_id: requestingSiteId,
          target_kind: decision.target.kind,
          target_id: decision.target.kind === 'pivot-group' ? decision.target.groupId : decision.target.providerId,
          target_name: decision.target.name,
          routing_fr: decision.explanation.fr,
          routing_en: decision.explanation.en,
          overflow_provider_id: decision.overflowDeadline?.providerId ?? null,
          overflow_at: decision.overflowDeadline?.at ?? null,
        })
      : this.applyInTransaction(trx, row, { type: 'refuse', actor: system, reason: decision.reason.code }, {
          requesting_site_id: requestingSiteId,
          refusal_code: decision.reason.code,
          refusal_fr: decision.reason.message.fr,
          refusal_en: decision.reason.message.en,
          routing_fr: decision.explanation.fr,
          routing_en: decision.explanation.en,
        });
  }

  /**
   * Request first: a tele-file for a study announced by its requesting site
   * before the images. It waits in 'received' with no study; ingest attaches
   * the study with the same issuer and accession number. One open
   * announcement per site and accession number (the database enforces it too).
   */
  async announce(request: AnnouncedRequest, site: { id: string; name: string; issuer: string }, by: Announcer): Promise<TeleFileRow> {
    const accession = request.accessionNumber;
    try {
      return await this.db.transaction().execute(async (trx) => {
        const open = await trx
          .selectFrom('tele_files')
          .select(['id', 'study_instance_uid'])
          .where('requesting_site_id', '=', site.id)
          .where('status', 'not in', ['delivered', 'cancelled'])
          .where((eb) => eb.or([eb('announced_accession_number', '=', accession), eb('accession_number', '=', accession)]))
          .limit(1)
          .executeTakeFirst();
        if (open) throw duplicateAnnouncement(accession, site.name, open);
        const inserted = await trx
          .insertInto('tele_files')
          .values({
            study_instance_uid: null,
            status: 'received',
            requesting_site_id: site.id,
            requesting_site_name: site.name,
            patient_name: request.patientName ?? '',
            patient_id: request.patientId,
            issuer: site.issuer,
            accession_number: accession,
            announced_accession_number: accession,
            announced_modality: request.modality,
            modalities: [request.modality],
            modality_family: studyModalityFamily([request.modality]),
            number_of_instances: 0,
            images_received_at: null,
            indication: request.indication,
            question: request.question,
            priority: request.priority,
            contact_phone: request.contactPhone,
            requested_by: request.requestedBy,
            request_received_at: new Date(),
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        await this.appendEvent(trx, inserted.id, 'announced', null, 'received', by.id, null);
        const meta = { actorId: by.id, actorName: by.username, ip: by.ip ?? null, requestId: by.requestId ?? null, targetType: 'tele-file', targetId: inserted.id };
        await this.audit.append({ ...meta, action: 'tele-file.created', details: { announced: true, site: site.id, modalities: [request.modality] } }, trx);
        await this.audit.append({ ...meta, action: 'tele-file.request', details: { priority: request.priority, announced: true } }, trx);
        return inserted;
      });
    } catch (error) {
      // Two announcements at once: the unique index let one in.
      if (isUniqueViolation(error)) throw duplicateAnnouncement(accession, site.name, null);
      throw error;
    }
  }

  private async refresh(existing: TeleFileRow, study: StableStudy): Promise<IngestOutcome> {
    const sameIdentity = existing.patient_id === study.patientId && (!study.issuerOfPatientId || study.issuerOfPatientId === existing.issuer);
    if (!sameIdentity) {
      await this.audit.append({ action: 'tele-file.identity-conflict', outcome: 'failure', actorName: 'system', targetType: 'tele-file', targetId: existing.id, details: { reason: 'patient identity of the study changed at the PACS; not merged' } });
      return { kind: 'identity-conflict', teleFile: existing };
    }
    const receivedAt = new Date(study.receivedAt);
    const changed = existing.number_of_instances !== study.numberOfInstances || existing.modalities.join() !== study.modalitiesInStudy.join();
    if (!changed) return { kind: 'unchanged', teleFile: existing };
    const updated = await this.update(existing, {
      number_of_instances: study.numberOfInstances,
      modalities: study.modalitiesInStudy,
      images_received_at: existing.images_received_at && new Date(existing.images_received_at) > receivedAt ? existing.images_received_at : receivedAt,
    }, 'images-updated', 'system:ingest', null);
    return { kind: 'updated', teleFile: updated };
  }

  /** Applies a state-machine event; an illegal or refused one is a 409/403/400 a person can read. */
  async apply(id: string, event: TeleFileEvent, changes: Updateable<TeleFilesTable> = {}, meta: { ip?: string; requestId?: string; actorName?: string } = {}): Promise<TeleFileRow> {
    return this.db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('tele_files').selectAll().where('id', '=', id).executeTakeFirst();
      if (!row) throw new HttpProblem(404, 'not-found', 'No such tele-file.');
      return this.applyInTransaction(trx, row, event, changes, meta);
    });
  }

  private async applyInTransaction(trx: Kysely<DB>, row: TeleFileRow, event: TeleFileEvent, changes: Updateable<TeleFilesTable>, meta: { ip?: string; requestId?: string; actorName?: string } = {}): Promise<TeleFileRow> {
    const result = transition({ status: row.status, assigneeId: row.assignee_id }, event);
    if (!result.ok) {
      const status = result.error.code === 'not-allowed' ? 403 : result.error.code === 'illegal-transition' ? 409 : 400;
      throw new HttpProblem(status, status === 403 ? 'forbidden' : status === 409 ? 'conflict' : 'validation-failed', result.error.message.en);
    }
    const { state, audit } = result;
    const updated = await trx
      .updateTable('tele_files')
      .set({
        ...changes,
        status: state.status,
        assignee_id: state.assigneeId,
        claimed_at: state.assigneeId && state.assigneeId !== row.assignee_id ? new Date() : state.assigneeId ? row.claimed_at : null,
        updated_at: new Date(),
        version: row.version + 1,
      })
      .where('id', '=', row.id)
      .where('version', '=', row.version)
      .returningAll()
      .executeTakeFirst();
    if (!updated) throw new HttpProblem(409, 'conflict', 'This tele-file changed while you acted on it. The list is up to date again: check it and try once more.');
    await this.appendEvent(trx, row.id, audit.event, audit.from, audit.to, actorLabel(audit.actor), audit.reason);
    await this.audit.append(
      {
        action: 'tele-file.transition',
        actorId: audit.actor.kind === 'person' ? audit.actor.id : null,
        actorName: meta.actorName ?? (audit.actor.kind === 'person' ? null : 'system'),
        ip: meta.ip ?? null,
        requestId: meta.requestId ?? null,
        targetType: 'tele-file',
        targetId: row.id,
        details: { event: audit.event, from: audit.from, to: audit.to, reason: audit.reason, assigneeBefore: audit.assigneeBefore, assigneeAfter: audit.assigneeAfter },
      },
      trx,
    );
    return updated;
  }

  /**
   * Claim in a shared pool: exactly one reader wins, by a single conditional
   * UPDATE on the row still being routed and unassigned. The loser gets a 409 naming who has it.
   */
  async claim(id: string, actor: Extract<Actor, { kind: 'person' }>, meta: { ip?: string; requestId?: string; actorName?: string }): Promise<TeleFileRow> {
    // Inside the transaction, read through it: PGlite has one connection, and a second query would wait forever.
    const takenBy = async (assigneeId: string, db: Kysely<DB> = this.db) => {
      const holder = await db.selectFrom('users').select('display_name').where('id', '=', assigneeId).executeTakeFirst();
      return new HttpProblem(409, 'conflict', `Already taken by ${holder?.display_name ?? 'another reader'}.`);
    };
    try {
      return await this.db.transaction().execute(async (trx) => {
        const row = await trx.selectFrom('tele_files').selectAll().where('id', '=', id).executeTakeFirst();
        if (!row) throw new HttpProblem(404, 'not-found', 'No such tele-file.');
        if (row.assignee_id && row.assignee_id !== actor.id) throw await takenBy(row.assignee_id, trx);
        return this.applyInTransaction(trx, row, { type: 'claim', actor }, {}, meta);
      });
    } catch (error) {
      // Lost the race: say who won rather than "it changed".
      if (error instanceof HttpProblem && error.status === 409) {
        const now = await this.byId(id);
        if (now?.assignee_id && now.assignee_id !== actor.id) throw await takenBy(now.assignee_id);
      }
      throw error;
    }
  }

  async recordClinicalRequest(row: TeleFileRow, request: ClinicalRequest, by: { id: string; username: string; ip?: string; requestId?: string }): Promise<TeleFileRow> {
    return this.db.transaction().execute(async (trx) => {
      const updated = await this.update(row, {
        indication: request.indication,
        question: request.question,
        priority: request.priority,
        contact_phone: request.contactPhone,
        requested_by: request.requestedBy,
        request_received_at: new Date(),
      }, 'request', by.id, null, trx);
      await this.audit.append({ action: 'tele-file.request', actorId: by.id, actorName: by.username, ip: by.ip ?? null, requestId: by.requestId ?? null, targetType: 'tele-file', targetId: row.id, details: { priority: request.priority } }, trx);
      return updated;
    });
  }

  /** A change that is not a state transition (counts, request), still versioned and fed live. */
  private async update(row: TeleFileRow, changes: Updateable<TeleFilesTable>, event: string, actor: string, reason: string | null, db: Kysely<DB> = this.db): Promise<TeleFileRow> {
    const run = async (trx: Kysely<DB>) => {
      const updated = await trx
        .updateTable('tele_files')
        .set({ ...changes, updated_at: new Date(), version: sql<number>`version + 1` })
        .where('id', '=', row.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      await this.appendEvent(trx, row.id, event, row.status, updated.status, actor, reason);
      return updated;
    };
    return db.isTransaction ? run(db) : db.transaction().execute(run);
  }

  private async appendEvent(trx: Kysely<DB>, teleFileId: string, event: string, from: string | null, to: string | null, actor: string, reason: string | null): Promise<void> {
    await trx.insertInto('tele_file_events').values({ tele_file_id: teleFileId, event, from_status: from, to_status: to, actor, reason }).execute();
  }

  /** Newest event sequence number: the live feed's head. */
  async headSeq(): Promise<string> {
    const row = await this.db.selectFrom('tele_file_events').select((eb) => eb.fn.max('seq').as('seq')).executeTakeFirst();
    return String(row?.seq ?? 0);
  }

  /** Change events after `afterSeq` (one row per event), oldest first. */
  async eventsSince(afterSeq: string, limit = 2000): Promise<{ teleFileId: string; seq: string }[]> {
    const rows = await this.db.selectFrom('tele_file_events').select(['tele_file_id', 'seq']).where('seq', '>', afterSeq).orderBy('seq').limit(limit).execute();
    return rows.map((r) => ({ teleFileId: r.tele_file_id, seq: String(r.seq) }));
  }

  /**
   * Overflow: a pool's tele-file still unclaimed at its deadline goes to the
   * provider the coverage names. Conditional on still being routed and
   * unclaimed, so a claim at the last second wins over the overflow.
   */
  async overflowDue(now: Date, providerName: (id: string) => string): Promise<TeleFileRow[]> {
    const due = await this.db.selectFrom('tele_files').selectAll().where('status', '=', 'routed').where('assignee_id', 'is', null).where('target_kind', '=', 'pivot-group').where('overflow_at', '<=', now).execute();
    const moved: TeleFileRow[] = [];
    for (const row of due) {
      const providerId = row.overflow_provider_id as string;
      const updated = await this.db.transaction().execute(async (trx) => {
        const result = await trx
          .updateTable('tele_files')
          .set({ target_kind: 'provider', target_id: providerId, target_name: providerName(providerId), overflow_at: null, updated_at: now, version: row.version + 1 })
          .where('id', '=', row.id)
          .where('version', '=', row.version)
          .returningAll()
          .executeTakeFirst();
        if (!result) return null;
        await this.appendEvent(trx, row.id, 'overflow', 'routed', 'routed', 'system:overflow', `unclaimed in ${row.target_id} at the deadline`);
        await this.audit.append({ action: 'tele-file.overflow', actorName: 'system', targetType: 'tele-file', targetId: row.id, details: { from: row.target_id, to: providerId } }, trx);
        return result;
      });
      if (updated) moved.push(updated);
    }
    return moved;
  }

  /** Unclaimed tele-files waiting in each pivot group (overflow by load). */
  async waitingByGroup(): Promise<Record<string, number>> {
    const rows = await this.db.selectFrom('tele_files').select(['target_id', (eb) => eb.fn.countAll<string>().as('n')]).where('status', '=', 'routed').where('target_kind', '=', 'pivot-group').groupBy('target_id').execute();
    return Object.fromEntries(rows.map((r) => [r.target_id ?? '', Number(r.n)]));
  }
}
