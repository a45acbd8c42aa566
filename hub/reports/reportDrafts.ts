import type { Kysely } from 'kysely';
import type { ReportView, SaveDraftRequest } from '../../core/api/reports.js';
import type { AuditTrail } from '../audit/auditTrail.js';
import type { DB } from '../db/schema.js';
import { HttpProblem } from '../http/httpProblem.js';
import type { TeleFileRow, TeleFileStore } from '../teleFiles/teleFileStore.js';
import type { ReportDelivery } from './deliveryPort.js';
import { assertReportWritable, authorOf, refuseNonAuthor, type Person, type RequestMeta } from './reportAccess.js';
import { ReportConflictError } from './reportConflict.js';
import type { DraftFields, ReportStore } from './reportStore.js';
import { reportView } from './reportViews.js';
import type { ReportRow } from './reportView.js';
import { isUniqueViolation, reportSignedProblem } from './signedIsFinal.js';
import { applyInTransaction } from './teleFileTransition.js';

const fieldsOf = (input: SaveDraftRequest): DraftFields => ({ content: input.content, critical: input.critical, templateId: input.templateId, clientId: input.clientId });

/**
 * Saving drafts (the editor autosaves about once a second). The first save of
 * a tele-file's report creates it (audited once: `report.draft-created`) and
 * starts the reading; every later save is one conditional UPDATE on the
 * version the editor started from — a stale one answers 409 with the current
 * draft, never a silent overwrite — and is not audited (the draft is not the
 * record; the signed report is).
 */
export class ReportDrafts {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly store: ReportStore,
    private readonly teleFiles: TeleFileStore,
    private readonly audit: AuditTrail,
    private readonly delivery: () => ReportDelivery | undefined,
  ) {}

  /** PUT /api/tele-files/:id/report/draft — `teleFile` is one the person may see. */
  async saveReport(teleFile: TeleFileRow, person: Person, input: SaveDraftRequest, meta: RequestMeta): Promise<ReportView> {
    const existing = await this.store.reportOf(teleFile.id);
    if (authorOf(teleFile, existing) !== person.id) return refuseNonAuthor(this.audit, person, teleFile, existing, 'report.write', meta);
    assertReportWritable(teleFile);
    return existing ? this.update(existing, teleFile, person, input, meta) : this.create(teleFile, person, input, meta);
  }

  /** PUT /api/reports/:reportId/draft — an addendum's draft (or the report's, by its id). */
  async saveById(report: ReportRow, teleFile: TeleFileRow, person: Person, input: SaveDraftRequest, meta: RequestMeta): Promise<ReportView> {
    if (authorOf(teleFile, report) !== person.id) return refuseNonAuthor(this.audit, person, teleFile, report, 'report.write', meta);
    if (report.status === 'signed') throw await this.conflict(report, reportSignedProblem().message);
    if (report.kind === 'report') assertReportWritable(teleFile);
    return this.update(report, teleFile, person, input, meta);
  }

  private async create(teleFile: TeleFileRow, person: Person, input: SaveDraftRequest, meta: RequestMeta): Promise<ReportView> {
    let row: ReportRow;
    try {
      row = await this.db.transaction().execute(async (trx) => {
        const file = await this.lockWritable(trx, teleFile.id, person);
        const created = await this.store.insertDraft(trx, { teleFileId: file.id, kind: 'report', predecessorId: null, fields: fieldsOf(input), by: person.id });
        await this.startReading(trx, file, person, meta);
        await this.audit.append(
          { action: 'report.draft-created', actorId: person.id, actorName: person.username, ip: meta.ip, requestId: meta.requestId, targetType: 'report', targetId: created.id, details: { teleFileId: file.id, kind: 'report', templateId: input.templateId } },
          trx,
        );
        return created;
      });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      // Another tab (or hub) made the first save a moment earlier: that one stands.
      const current = (await this.store.reportOf(teleFile.id)) as ReportRow;
      throw await this.conflict(current, 'This report was started meanwhile in another tab or window. Its text is shown now: continue from it.');
    }
    return reportView(this.store, this.delivery(), row);
  }

  private async update(report: ReportRow, teleFile: TeleFileRow, person: Person, input: SaveDraftRequest, meta: RequestMeta): Promise<ReportView> {
    const row = await this.db.transaction().execute(async (trx) => {
      // The report's writer is the tele-file's assignee: hold the tele-file so a reassignment cannot slip between the check and the save.
      const file = report.kind === 'report' ? await this.lockWritable(trx, teleFile.id, person) : null;
      const saved = await this.store.updateDraft(report.id, input.baseVersion, fieldsOf(input), person.id, trx);
      // Back from an escalation (escalated → claimed), the next save resumes the reading.
      if (saved && file) await this.startReading(trx, file, person, meta);
      return saved;
    });
    if (row) return reportView(this.store, this.delivery(), row);
    const current = (await this.store.byId(report.id)) as ReportRow;
    if (current.status === 'signed') throw await this.conflict(current, reportSignedProblem().message);
    const by = current.updated_by === person.id ? 'you, in another tab or window' : 'another reader';
    throw await this.conflict(current, `This draft was saved meanwhile by ${by} (version ${current.version}; yours started from ${input.baseVersion}). Its text is shown now: nothing was overwritten.`);
  }

  /** Reads the tele-file FOR UPDATE and checks it is still the person's to write (it may have been reassigned since the first check). */
  private async lockWritable(trx: Kysely<DB>, teleFileId: string, person: Person): Promise<TeleFileRow> {
    const file = await trx.selectFrom('tele_files').selectAll().where('id', '=', teleFileId).forUpdate().executeTakeFirstOrThrow();
    if (file.assignee_id !== person.id) throw new HttpProblem(403, 'forbidden', 'This tele-file was just given to another reader: its report is no longer yours to write.');
    assertReportWritable(file);
    return file;
  }

  private async startReading(trx: Kysely<DB>, file: TeleFileRow, person: Person, meta: RequestMeta): Promise<void> {
    if (file.status !== 'claimed') return;
    await applyInTransaction(this.teleFiles, trx, file, { type: 'start-reading', actor: { kind: 'person', id: person.id, roles: person.roles } }, { ...meta, actorName: person.username });
  }

  private async conflict(current: ReportRow, message: string): Promise<ReportConflictError> {
    return new ReportConflictError(message, await reportView(this.store, this.delivery(), current));
  }
}
