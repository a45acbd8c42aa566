import type { CriticalFinding, ReportContent, ReportKind } from '../../../core/api/reports.js';
import type { DicomJsonDataset } from '../../pacs/pacsAdapter.js';

/** Everything the signed report's documents (SR, PDF, HL7) are made from; built by the report routes at signature. */
export interface ReportDocumentInput {
  report: { id: string; kind: ReportKind; content: ReportContent; critical: CriticalFinding; signedAt: Date; signer: { username: string; displayName: string } };
  /** For an addendum: the signed document it corrects (its SR is referenced as predecessor). */
  predecessor: { srSopInstanceUid: string; seriesInstanceUid: string; signedAt: Date } | null;
  /** One instance's WADO-RS metadata (DICOM JSON) of the imaging study: patient and general study modules are copied from it. */
  study: DicomJsonDataset;
  teleFile: { patientName: string; patientId: string; issuer: string; accessionNumber: string | null; requestingSite: { id: string; name: string }; clinicalQuestion: string | null };
  /** Letterhead: the organisation that reads (provider / pivot). */
  letterhead: { organisationName: string; address?: string };
  uids: { seriesInstanceUid: string; srSopInstanceUid: string; pdfSopInstanceUid: string };
  /** Series numbers used for the SR and PDF series, and the instance numbers (addenda increment). */
  instanceNumber: number;
}
