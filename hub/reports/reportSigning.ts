import { CriticalFinding, missingCommunication, missingSections, ReportContent, type ReportView, type SignRequest } from '../../core/api/reports.js';
import { transition } from '../../core/teleFile.js';
import type { FieldIssue } from '../../core/api/apiError.js';
import { pacsProblem } from '../dicomweb/responses.js';
import { HttpProblem } from '../http/httpProblem.js';
import { PacsUnavailableError } from '../pacs/pacsErrors.js';
import type { DicomJsonDataset } from '../pacs/pacsAdapter.js';
import type { Services } from '../services.js';
import type { TeleFileRow } from '../teleFiles/teleFileStore.js';
import { deliveryOf } from './deliveryPort.js';
import { documentParties } from './documentParties.js';
import type { ReportDocumentInput } from './documents/documentInput.js';
import { newUid } from './documents/uids.js';
import { reauthenticate } from './reauthenticate.js';
import { authorOf, refuseNonAuthor, type Person, type RequestMeta } from './reportAccess.js';
import { ReportConflictError } from './reportConflict.js';
import type { ReportStore } from './reportStore.js';
import { reportView } from './reportViews.js';
import type { ReportRow } from './reportView.js';
import { reportSignedProblem } from './signedIsFinal.js';
import { signedDocuments } from './signedDocuments.js';
import { applyInTransaction } from './teleFileTransition.js';

/** Thrown inside the signing transaction when the draft moved on: rolls everything back, answered as a 409 with the current draft. */
class DraftMoved extends Error {}

/**
 * Signing (issue 6): the author confirms who they are (password or TOTP),
 * the draft they saw is the one stored, nothing required is missing, and the
 * patient and site shown are the tele-file's. The documents are built from the
 * PACS's own study attributes, then ONE transaction makes the report final,
 * stores the documents, moves the tele-file to signed (a report; an addendum
 * leaves it as it is), enqueues the delivery and writes the audit row.
 */
export class ReportSigning {
  constructor(
    private readonly services: Services,
    private readonly store: ReportStore,
  ) {}

  async sign(report: ReportRow, teleFile: TeleFileRow, person: Person, input: SignRequest, meta: RequestMeta & { client: 'web' | 'desktop' }): Promise<ReportView> {
    const { services, store } = this;
    if (authorOf(teleFile, report) !== person.id) return refuseNonAuthor(services.audit, person, teleFile, report, 'report.sign', meta);
    if (report.status === 'signed') throw reportSignedProblem();
    if (input.version !== report.version) throw await this.conflict(report, `This draft changed since you opened the signature (version ${report.version}, you saw ${input.version}): read it again, then sign.`);
    this.assertComplete(report);
    this.assertSameIdentity(teleFile, input);
    this.assertSignable(teleFile, report, person);

    const user = await services.users.findById(person.id);
    if (!user) throw new HttpProblem(401, 'not-signed-in', 'Your account no longer exists.');
    await reauthenticate(services, user, { password: input.password, code: input.code }, meta);

    const signedAt = new Date();
    const documentInput = await this.documentInput(report, teleFile, person, signedAt);
    const organisation = (await services.organisation.active())?.organisation ?? null;
    const parties = documentParties(organisation, teleFile);
    const documents = await signedDocuments(documentInput, { sendingFacility: parties.reader, receivingFacility: parties.requestingSite.name });

    const delivery = deliveryOf(services);
    // The outbox reads the organisation (2 s cache) through its own connection inside enqueue: on PGlite, with one
    // connection held by this transaction, a cache miss there would wait forever. Warm it just before.
    await services.organisation.active();
    let signed: ReportRow;
    try {
      signed = await services.db.transaction().execute(async (trx) => {
        const row = await store.markSigned(trx, report.id, input.version, {
          signedAt,
          signerId: person.id,
          signerName: person.display_name,
          ...documentInput.uids,
        });
        if (!row) throw new DraftMoved();
        await store.insertDocuments(trx, row.id, documents);
        if (report.kind === 'report') {
          const file = await trx.selectFrom('tele_files').selectAll().where('id', '=', teleFile.id).forUpdate().executeTakeFirstOrThrow();
          await applyInTransaction(services.teleFiles, trx, file, { type: 'sign', actor: { kind: 'person', id: person.id, roles: person.roles } }, { ...meta, actorName: person.username });
        }
        await delivery?.enqueue(trx, { reportId: row.id, teleFileId: teleFile.id, siteId: parties.requestingSite.id, kinds: ['sr', 'pdf', 'hl7'] });
        await services.audit.append(
          {
            action: 'report.signed',
            actorId: person.id,
            actorName: person.username,
            ip: meta.ip,
            requestId: meta.requestId,
            targetType: 'report',
            targetId: row.id,
            // Identifiers only: the audit trail is shown to admins and exported (never the patient's name).
            details: {
              teleFileId: teleFile.id,
              kind: row.kind,
              predecessorId: row.predecessor_id,
              seriesInstanceUid: documentInput.uids.seriesInstanceUid,
              srSopInstanceUid: documentInput.uids.srSopInstanceUid,
              pdfSopInstanceUid: documentInput.uids.pdfSopInstanceUid,
              critical: documentInput.report.critical.flagged,
              reauthenticatedWith: input.code !== undefined ? 'totp' : 'password',
              delivery: delivery ? 'enqueued' : 'no-outbox',
            },
          },
          trx,
        );
        return row;
      });
    } catch (error) {
      if (!(error instanceof DraftMoved)) throw error;
      const current = (await store.byId(report.id)) as ReportRow;
      if (current.status === 'signed') throw await this.conflict(current, reportSignedProblem().message);
      throw await this.conflict(current, 'This draft was saved again while you were signing: read it again, then sign.');
    }
    return reportView(store, delivery, signed);
  }

  /** 400 naming each missing section (`content.<section>`) and each missing part of a critical finding's communication (`critical.communication.<part>`). */
  private assertComplete(report: ReportRow): void {
    const view = { content: ReportContent.parse(report.content), critical: CriticalFinding.parse(report.critical) };
    const fields: FieldIssue[] = [
      ...missingSections(report.kind, view.content).map((section) => ({ field: `content.${section}`, message: 'This section is empty: write it before signing.' })),
      ...missingCommunication(view.critical).map((part) => ({
        field: `critical.communication.${part}`,
        message: { to: 'Say to whom the critical finding was communicated.', means: 'Say how it was communicated.', at: 'Say when it was communicated.' }[part],
      })),
    ];
    if (fields.length === 0) return;
    throw new HttpProblem(400, 'validation-failed', `The report cannot be signed yet: ${fields.map((f) => f.field).join(', ')} missing.`, { fields });
  }

  /** The person confirmed a patient and a site: they must be this tele-file's (else they looked at another). */
  private assertSameIdentity(teleFile: TeleFileRow, input: SignRequest): void {
    if (input.confirmedPatientId !== teleFile.patient_id || input.confirmedSiteId !== (teleFile.requesting_site_id ?? '')) {
      throw new HttpProblem(409, 'conflict', 'The patient or the site you confirmed is not this tele-file’s: nothing was signed. Check that the report is open beside the right images.');
    }
  }

  /** A report needs its tele-file in reading (TF-04); an addendum, a tele-file already signed or delivered. Checked before the PACS is asked. */
  private assertSignable(teleFile: TeleFileRow, report: ReportRow, person: Person): void {
    if (!teleFile.requesting_site_id) throw new HttpProblem(409, 'conflict', 'This tele-file has no requesting site: the report would have nowhere to go. Ask an admin to route it.');
    if (!teleFile.study_instance_uid) throw new HttpProblem(409, 'conflict', 'The images of this tele-file have not reached the pivot PACS yet: a report is signed on images.');
    if (report.kind === 'addendum') {
      if (teleFile.status !== 'signed' && teleFile.status !== 'delivered') throw new HttpProblem(409, 'conflict', `This tele-file is ${teleFile.status}: an addendum corrects a signed report.`);
      return;
    }
    const check = transition({ status: teleFile.status, assigneeId: teleFile.assignee_id }, { type: 'sign', actor: { kind: 'person', id: person.id, roles: person.roles } });
    if (!check.ok) throw new HttpProblem(409, 'conflict', `This report cannot be signed now: ${check.error.message.en}`);
  }

  private async documentInput(report: ReportRow, teleFile: TeleFileRow, person: Person, signedAt: Date): Promise<ReportDocumentInput> {
    const { services, store } = this;
    const study = await this.studyAttributes(teleFile.study_instance_uid as string);
    const predecessor = report.predecessor_id ? await store.byId(report.predecessor_id) : undefined;
    const organisation = (await services.organisation.active())?.organisation ?? null;
    const parties = documentParties(organisation, teleFile);
    const root = services.config.uidRoot;
    return {
      report: { id: report.id, kind: report.kind, content: ReportContent.parse(report.content), critical: CriticalFinding.parse(report.critical), signedAt, signer: { username: person.username, displayName: person.display_name } },
      predecessor:
        predecessor?.sr_sop_instance_uid && predecessor.series_instance_uid && predecessor.signed_at
          ? { srSopInstanceUid: predecessor.sr_sop_instance_uid, seriesInstanceUid: predecessor.series_instance_uid, signedAt: new Date(predecessor.signed_at) }
          : null,
      study,
      teleFile: {
        patientName: teleFile.patient_name,
        patientId: teleFile.patient_id,
        issuer: teleFile.issuer,
        accessionNumber: teleFile.accession_number,
        requestingSite: parties.requestingSite,
        clinicalQuestion: teleFile.question,
      },
      letterhead: { organisationName: parties.reader },
      uids: { seriesInstanceUid: newUid(root), srSopInstanceUid: newUid(root), pdfSopInstanceUid: newUid(root) },
      // The report is instance 1 of the tele-file's documents, each addendum the next.
      instanceNumber: (await store.signedCount(teleFile.id)) + 1,
    };
  }

  /** One instance's metadata: the documents copy the patient and study modules from the PACS, not from the tele-file. */
  private async studyAttributes(studyInstanceUid: string): Promise<DicomJsonDataset> {
    const pacs = this.services.pacs;
    if (!pacs) throw new HttpProblem(503, 'service-unavailable', 'No pivot PACS is configured on this hub: the report was not signed (its documents need the study from the PACS).');
    let datasets: DicomJsonDataset[];
    try {
      datasets = await pacs.studyMetadata(studyInstanceUid);
    } catch (error) {
      if (error instanceof PacsUnavailableError) {
        throw new HttpProblem(503, 'service-unavailable', 'The pivot PACS is not responding (Le PACS pivot ne répond pas): the report was not signed, your draft is kept. Try again in a minute; if it lasts, call IT.');
      }
      throw pacsProblem(error) ?? error;
    }
    const first = datasets[0];
    if (!first) throw new HttpProblem(409, 'conflict', 'The pivot PACS has no image of this study any more: the report was not signed. Call IT.');
    return first;
  }

  private async conflict(current: ReportRow, message: string): Promise<ReportConflictError> {
    return new ReportConflictError(message, await reportView(this.store, deliveryOf(this.services), current));
  }
}
