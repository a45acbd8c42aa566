import { createRequire } from 'node:module';
import type * as DicomParser from 'dicom-parser';

// dicom-parser is CommonJS; Node's ESM loader sees only its default export.
const dicomParser = createRequire(import.meta.url)('dicom-parser') as typeof DicomParser;

/** What the delivery guards and the arrival check read from a document's own bytes (never from the database row). */
export interface DocumentIdentity {
  sopInstanceUid: string;
  sopClassUid: string;
  studyInstanceUid: string;
  patientId: string;
  /** IssuerOfPatientID (0010,0021); empty when absent. */
  issuer: string;
}

/**
 * Reads the identity of a Part-10 document the hub made itself at signature
 * (trusted bytes, small: parsed on the main thread, unlike files from a PACS).
 * Throws an Error naming what is missing.
 */
export function readDocumentIdentity(bytes: Uint8Array): DocumentIdentity {
  let dataSet: DicomParser.DataSet;
  try {
    dataSet = dicomParser.parseDicom(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), { untilTag: 'x7fe00010' });
  } catch (error) {
    // dicom-parser throws strings or { exception } objects, not Errors.
    const message = error instanceof Error ? error.message : typeof error === 'string' ? error : String((error as { exception?: unknown }).exception ?? error);
    throw new Error(`The stored document is not readable DICOM (${message}).`, { cause: error });
  }
  const text = (tag: string) => (dataSet.string(tag) ?? '').trim();
  const identity = {
    sopInstanceUid: text('x00080018'),
    sopClassUid: text('x00080016'),
    studyInstanceUid: text('x0020000d'),
    patientId: text('x00100020'),
    issuer: text('x00100021'),
  };
  for (const [name, value] of [['SOPInstanceUID', identity.sopInstanceUid], ['SOPClassUID', identity.sopClassUid], ['StudyInstanceUID', identity.studyInstanceUid]] as const) {
    if (value === '') throw new Error(`The stored document has no ${name}.`);
  }
  return identity;
}
