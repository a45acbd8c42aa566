import type { Kysely } from 'kysely';
import type { CriticalFinding, ReportContent, ReportKind } from '../../core/api/reports.js';
import type { DB } from '../db/schema.js';
import type { ReportRow } from './reportView.js';
import type { DocumentKind } from './deliveryPort.js';
import { guardFinal } from './signedIsFinal.js';

/** What a save writes: the editor's whole state (a draft is saved as the editor shows it). */
export interface DraftFields {
  content: ReportContent;
  critical: CriticalFinding;
  templateId: string | null;
  clientId: string;
}

export interface SignedFields {
  signedAt: Date;
  signerId: string;
  signerName: string;
  seriesInstanceUid: string;
  srSopInstanceUid: string;
  pdfSopInstanceUid: string;
}

export interface StoredDocument {
  kind: DocumentKind;
  sopInstanceUid: string | null;
  mediaType: string;
  bytes: Uint8Array;
}

/**
 * Reports in SQL, nothing else: every write to a draft is ONE conditional
 * UPDATE on (id, version, status = 'draft'), so two tabs, two hubs or a
 * signature racing an autosave can never both win. Pass `db` = a transaction
 * to take part in one.
 */
export class ReportStore {
  constructor(private readonly db: Kysely<DB>) {}

  byId(id: string, db: Kysely<DB> = this.db): Promise<ReportRow | undefined> {
    return db.selectFrom('reports').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** The tele-file's report (not its addenda), if a first save made it. */
  reportOf(teleFileId: string, db: Kysely<DB> = this.db): Promise<ReportRow | undefined> {
    return db.selectFrom('reports').selectAll().where('tele_file_id', '=', teleFileId).where('kind', '=', 'report').executeTakeFirst();
  }

  /** The report and its addenda, oldest first. */
  listFor(teleFileId: string): Promise<ReportRow[]> {
    return this.db.selectFrom('reports').selectAll().where('tele_file_id', '=', teleFileId).orderBy('created_at', 'asc').orderBy('id').execute();
  }

  /** The newest signed document of a tele-file: what the next addendum corrects. */
  latestSigned(teleFileId: string, db: Kysely<DB> = this.db): Promise<ReportRow | undefined> {
    return db.selectFrom('reports').selectAll().where('tele_file_id', '=', teleFileId).where('status', '=', 'signed').orderBy('signed_at', 'desc').limit(1).executeTakeFirst();
  }

  /** How many documents of the tele-file are signed: the next one's DICOM Instance Number is this + 1. */
  async signedCount(teleFileId: string, db: Kysely<DB> = this.db): Promise<number> {
    const row = await db.selectFrom('reports').select((eb) => eb.fn.countAll<string>().as('n')).where('tele_file_id', '=', teleFileId).where('status', '=', 'signed').executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** A new draft at version 1. A second report (or a second addendum to one predecessor) is a unique violation: the caller answers 409. */
  insertDraft(db: Kysely<DB>, input: { teleFileId: string; kind: ReportKind; predecessorId: string | null; fields: DraftFields; by: string }): Promise<ReportRow> {
    return db
      .insertInto('reports')
      .values({
        tele_file_id: input.teleFileId,
        kind: input.kind,
        predecessor_id: input.predecessorId,
        status: 'draft',
        content: JSON.stringify(input.fields.content),
        critical: JSON.stringify(input.fields.critical),
        template_id: input.fields.templateId,
        version: 1,
        created_by: input.by,
        updated_by: input.by,
        last_client_id: input.fields.clientId,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  /** Saves over `baseVersion`; undefined when the draft moved on (another tab) or was signed meanwhile. */
  updateDraft(id: string, baseVersion: number, fields: DraftFields, by: string, db: Kysely<DB> = this.db): Promise<ReportRow | undefined> {
    return guardFinal(() =>
      db
        .updateTable('reports')
        .set({
          content: JSON.stringify(fields.content),
          critical: JSON.stringify(fields.critical),
          template_id: fields.templateId,
          last_client_id: fields.clientId,
          updated_by: by,
          updated_at: new Date(),
          version: baseVersion + 1,
        })
        .where('id', '=', id)
        .where('version', '=', baseVersion)
        .where('status', '=', 'draft')
        .returningAll()
        .executeTakeFirst(),
    );
  }

  /** The draft at `version` becomes signed (final from then on: trigger); undefined when it changed meanwhile. */
  markSigned(db: Kysely<DB>, id: string, version: number, signed: SignedFields): Promise<ReportRow | undefined> {
    return guardFinal(() =>
      db
        .updateTable('reports')
        .set({
          status: 'signed',
          signed_at: signed.signedAt,
          signed_by: signed.signerId,
          signer_name: signed.signerName,
          series_instance_uid: signed.seriesInstanceUid,
          sr_sop_instance_uid: signed.srSopInstanceUid,
          pdf_sop_instance_uid: signed.pdfSopInstanceUid,
          updated_at: signed.signedAt,
          updated_by: signed.signerId,
        })
        .where('id', '=', id)
        .where('version', '=', version)
        .where('status', '=', 'draft')
        .returningAll()
        .executeTakeFirst(),
    );
  }

  async insertDocuments(db: Kysely<DB>, reportId: string, documents: readonly StoredDocument[]): Promise<void> {
    await db
      .insertInto('report_documents')
      .values(documents.map((d) => ({ report_id: reportId, kind: d.kind, sop_instance_uid: d.sopInstanceUid, media_type: d.mediaType, bytes: d.bytes })))
      .execute();
  }

  documentsOf(reportId: string): Promise<{ kind: DocumentKind; sop_instance_uid: string | null; media_type: string; bytes: Uint8Array }[]> {
    return this.db.selectFrom('report_documents').select(['kind', 'sop_instance_uid', 'media_type', 'bytes']).where('report_id', '=', reportId).orderBy('kind').execute();
  }

  /** Display names of the given users (the last editor of each report). */
  async namesOf(ids: readonly string[]): Promise<Map<string, string>> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return new Map();
    const rows = await this.db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', unique).execute();
    return new Map(rows.map((r) => [r.id, r.display_name] as const));
  }
}
