import type { ReportDocumentInput } from './documents/documentInput.js';
import { buildOruR01 } from './documents/oruR01.js';
import { buildEncapsulatedPdf, buildReportPdf } from './documents/reportPdf.js';
import { buildReportSr } from './documents/reportSr.js';
import type { StoredDocument } from './reportStore.js';

/** DICOM objects (SR, Encapsulated PDF) are Part-10 files; the HL7 message is ER7 text. */
const DICOM = 'application/dicom';
const HL7_V2 = 'x-application/hl7-v2+er7';

/**
 * The three documents a signature makes (issue 6), built from one input before
 * the signing transaction: they are pure, so the transaction stays short, and
 * a builder failing leaves nothing signed. Stored byte for byte: every
 * delivery attempt sends exactly what was signed.
 */
export async function signedDocuments(input: ReportDocumentInput, hl7: { sendingFacility: string; receivingFacility: string }): Promise<StoredDocument[]> {
  const sr = buildReportSr(input);
  const pdf = await buildEncapsulatedPdf(input, await buildReportPdf(input));
  const oru = buildOruR01(input, { ...hl7, messageControlId: input.report.id, now: input.report.signedAt });
  return [
    { kind: 'sr', sopInstanceUid: input.uids.srSopInstanceUid, mediaType: DICOM, bytes: sr },
    { kind: 'pdf', sopInstanceUid: input.uids.pdfSopInstanceUid, mediaType: DICOM, bytes: pdf },
    // The outbox decides whether the site takes HL7 (RequestingSite.hl7Results); the message is kept either way.
    { kind: 'hl7', sopInstanceUid: null, mediaType: HL7_V2, bytes: new TextEncoder().encode(oru) },
  ];
}
