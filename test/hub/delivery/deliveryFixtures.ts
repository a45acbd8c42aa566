import { randomInt } from 'node:crypto';
import { encodePart10 } from '../../../hub/demo/writePart10.js';
import { demoOrganisation } from '../../../hub/organisation/demoOrganisation.js';
import type { DeliveryEndpoint, RequestingSite } from '../../../core/site.js';
import type { TestHub } from '../testHub.js';

export const SITE = 'ch-demo-nord';
export const ISSUER = 'CH-DEMO-NORD';

let counter = 0;
export const uid = (): string => `2.25.${Date.now()}${randomInt(1_000_000)}${(counter += 1)}`;

/** The demo region with the north site's delivery endpoint (and HL7 choice) replaced. */
export async function configureSite(hub: TestHub, delivery: DeliveryEndpoint, hl7Results = false): Promise<void> {
  const organisation = demoOrganisation();
  organisation.sites = organisation.sites.map((site) => (site.kind === 'requesting' && site.id === SITE ? ({ ...site, delivery, hl7Results } as RequestingSite) : site));
  await hub.services.organisation.save(organisation, { id: null, username: 'test' });
}

/** A minimal Basic Text SR (Part 10, explicit VR little endian): enough for a PACS to store and index it. */
export function basicTextSr(identity: { patientId: string; issuer: string; studyInstanceUid: string; seriesInstanceUid?: string; sopInstanceUid?: string }): { bytes: Uint8Array; sopInstanceUid: string } {
  const sopInstanceUid = identity.sopInstanceUid ?? uid();
  const bytes = encodePart10({
    SOPClassUID: '1.2.840.10008.5.1.4.1.1.88.11',
    SOPInstanceUID: sopInstanceUid,
    StudyInstanceUID: identity.studyInstanceUid,
    SeriesInstanceUID: identity.seriesInstanceUid ?? uid(),
    Modality: 'SR',
    PatientName: 'TEST^DELIVERY',
    PatientID: identity.patientId,
    IssuerOfPatientID: identity.issuer,
    StudyDate: '20261122',
    StudyTime: '021000',
    AccessionNumber: 'A1',
    SeriesNumber: '900',
    InstanceNumber: '1',
    ContentDate: '20261122',
    ContentTime: '030000',
    ValueType: 'CONTAINER',
    ContinuityOfContent: 'SEPARATE',
    CompletionFlag: 'COMPLETE',
    VerificationFlag: 'UNVERIFIED',
    ConceptNameCodeSequence: [{ CodeValue: '18748-4', CodingSchemeDesignator: 'LN', CodeMeaning: 'Diagnostic Imaging Report' }],
    ContentSequence: [
      { RelationshipType: 'CONTAINS', ValueType: 'TEXT', ConceptNameCodeSequence: [{ CodeValue: '121071', CodingSchemeDesignator: 'DCM', CodeMeaning: 'Finding' }], TextValue: 'Pas de lésion.' },
    ],
  });
  return { bytes, sopInstanceUid };
}

export interface SeededReport {
  reportId: string;
  teleFileId: string;
  studyInstanceUid: string;
  patientId: string;
  sr: { bytes: Uint8Array; sopInstanceUid: string };
  pdf: { bytes: Uint8Array; sopInstanceUid: string };
}

/**
 * A signed report as the report code leaves it: a tele-file of the north
 * site, the signed row and its documents (two DICOM instances standing for
 * the SR and the PDF, and an HL7 message). `documentPatientId` makes the
 * documents name another patient than the tele-file.
 */
export async function seedSignedReport(hub: TestHub, userId: string, options: { documentPatientId?: string; requestingSiteId?: string } = {}): Promise<SeededReport> {
  const db = hub.database.db;
  const patientId = `IPP${randomInt(1_000_000)}`;
  const studyInstanceUid = uid();
  const seriesInstanceUid = uid();
  const teleFile = await db
    .insertInto('tele_files')
    .values({ study_instance_uid: studyInstanceUid, status: 'signed', requesting_site_id: options.requestingSiteId ?? SITE, requesting_site_name: 'CH Demo Nord', patient_name: 'TEST^DELIVERY', patient_id: patientId, issuer: ISSUER, modalities: ['CT'], modality_family: 'ct', number_of_instances: 1 })
    .returning('id')
    .executeTakeFirstOrThrow();
  const documentIdentity = { patientId: options.documentPatientId ?? patientId, issuer: ISSUER, studyInstanceUid, seriesInstanceUid };
  const sr = basicTextSr(documentIdentity);
  const pdf = basicTextSr(documentIdentity);
  const now = new Date();
  const report = await db
    .insertInto('reports')
    .values({ tele_file_id: teleFile.id, kind: 'report', predecessor_id: null, status: 'signed', content: '{}', critical: '{}', template_id: null, version: 1, created_by: userId, updated_by: userId, signed_at: now, signed_by: userId, signer_name: 'Test', series_instance_uid: seriesInstanceUid, sr_sop_instance_uid: sr.sopInstanceUid, pdf_sop_instance_uid: pdf.sopInstanceUid })
    .returning('id')
    .executeTakeFirstOrThrow();
  const hl7 = `MSH|^~\\&|VIGIE|PIVOT|RIS|${SITE}|20261122030000||ORU^R01|${report.id}|P|2.5\rPID|1||${documentIdentity.patientId}^^^${ISSUER}||TEST^DELIVERY\rOBX|1|TX|18748-4^Report^LN||Pas de lésion.||||||F\r`;
  await db
    .insertInto('report_documents')
    .values([
      { report_id: report.id, kind: 'sr', sop_instance_uid: sr.sopInstanceUid, media_type: 'application/dicom', bytes: sr.bytes },
      { report_id: report.id, kind: 'pdf', sop_instance_uid: pdf.sopInstanceUid, media_type: 'application/dicom', bytes: pdf.bytes },
      { report_id: report.id, kind: 'hl7', sop_instance_uid: null, media_type: 'x-application/hl7-v2+er7', bytes: Buffer.from(hl7, 'utf8') },
    ])
    .execute();
  return { reportId: report.id, teleFileId: teleFile.id, studyInstanceUid, patientId, sr, pdf };
}

/** Enqueues the report's jobs as the signing code does (in a transaction). */
export async function enqueue(hub: TestHub, report: SeededReport, kinds: ReadonlyArray<'sr' | 'pdf' | 'hl7'> = ['sr', 'pdf', 'hl7']): Promise<void> {
  await hub.database.db.transaction().execute((trx) => hub.services.delivery.enqueue(trx, { reportId: report.reportId, teleFileId: report.teleFileId, siteId: SITE, kinds }));
}

export async function jobsOf(hub: TestHub, reportId: string) {
  return hub.database.db.selectFrom('delivery_jobs').selectAll().where('report_id', '=', reportId).orderBy('document_kind').execute();
}

export async function auditCount(hub: TestHub, action: string, reportId: string): Promise<number> {
  const rows = await hub.database.db.selectFrom('audit_events').select('details').where('action', '=', action).execute();
  return rows.filter((r) => (r.details as { reportId?: string }).reportId === reportId).length;
}
