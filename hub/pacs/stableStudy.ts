import { z } from 'zod';
import { TAG, firstString, sequenceItems, type DicomJsonDataset } from './dicomJson.js';
import { UID_MAX_LENGTH, uidProblem } from './uid.js';

const DicomUid = z
  .string()
  .max(UID_MAX_LENGTH)
  .refine((value) => uidProblem(value) === null, { message: 'not a legal DICOM UID' });

/**
 * A study the PACS holds completely ("stable": no new instance for the
 * PACS's stability delay), as the hub needs it to create and route a
 * tele-file. Attributes DICOM requires in every study (type 1/2 of the
 * Patient and General Study modules) are strings, '' when empty; those from
 * optional places are null when absent.
 *
 * `patientName` and `patientId` are PHI: never log them.
 */
export const StableStudySchema = z.object({
  studyInstanceUid: DicomUid,
  patientId: z.string(),
  /** (0010,0021): the namespace of patientId; a patient is the pair (issuer, ID). */
  issuerOfPatientId: z.string().nullable(),
  /** PN in DICOM form, "FAMILY^GIVEN". */
  patientName: z.string(),
  patientSex: z.string(),
  /** DA, YYYYMMDD or ''. */
  patientBirthDate: z.string(),
  /** DA, YYYYMMDD or '': the acquisition date, in the requesting site's local time. */
  studyDate: z.string(),
  /** TM, HHMMSS[.ffffff] or ''. */
  studyTime: z.string(),
  accessionNumber: z.string(),
  studyDescription: z.string(),
  /** Distinct Modality values of the study's series, sorted. */
  modalitiesInStudy: z.array(z.string()),
  /** Of the series with the most instances (the main acquisition). */
  bodyPartExamined: z.string().nullable(),
  institutionName: z.string().nullable(),
  /** The calling AE title that sent the study (Orthanc's RemoteAET; a file's Source AE Title). */
  sourceAet: z.string().nullable(),
  numberOfSeries: z.number().int().nonnegative(),
  numberOfInstances: z.number().int().nonnegative(),
  /** When the PACS received the study's last instance, as well as the adapter can tell (see README). */
  receivedAt: z.coerce.date(),
  /** (0032,1060), top level or in the Request Attributes Sequence. */
  requestedProcedureDescription: z.string().nullable(),
  /** (0040,1002), top level or in the Request Attributes Sequence. */
  reasonForRequestedProcedure: z.string().nullable(),
  /** (0032,1030), retired but still sent by some RIS. */
  reasonForStudy: z.string().nullable(),
  /** (0010,21B0) */
  additionalPatientHistory: z.string().nullable(),
});

export type StableStudy = z.infer<typeof StableStudySchema>;

/** One series as seen by the adapter, for the study-level counts. */
export interface SeriesSummary {
  modality: string | null;
  bodyPartExamined: string | null;
  instanceCount: number;
}

export interface StableStudyInput {
  studyInstanceUid: string;
  /** DICOM JSON of one instance of the study (patient, study and request attributes). */
  instance: DicomJsonDataset;
  series: readonly SeriesSummary[];
  sourceAet: string | null;
  receivedAt: Date;
  /** The PACS's own instance count when it has one (QIDO NumberOfStudyRelatedInstances); else the series sum. */
  numberOfInstances?: number;
}

/** A request attribute from the top level, else from the first Request Attributes Sequence item that has it. */
function requestAttribute(instance: DicomJsonDataset, tag: string): string | null {
  const top = firstString(instance, tag);
  if (top !== undefined) return top;
  for (const item of sequenceItems(instance, TAG.RequestAttributesSequence)) {
    const nested = firstString(item, tag);
    if (nested !== undefined) return nested;
  }
  return null;
}

function mainBodyPart(series: readonly SeriesSummary[]): string | null {
  let best: SeriesSummary | undefined;
  for (const s of series) {
    if (s.bodyPartExamined === null || s.bodyPartExamined === '') continue;
    if (best === undefined || s.instanceCount > best.instanceCount) best = s;
  }
  return best?.bodyPartExamined ?? null;
}

/**
 * Builds a StableStudy from one instance's attributes and the series
 * summaries. Throws a ZodError when the result breaks the schema (an illegal
 * StudyInstanceUID): the caller reports the study as unusable.
 */
export function buildStableStudy(input: StableStudyInput): StableStudy {
  const { instance, series } = input;
  const text = (tag: string): string => firstString(instance, tag) ?? '';
  const optional = (tag: string): string | null => firstString(instance, tag) ?? null;
  const modalities = [...new Set(series.map((s) => s.modality).filter((m): m is string => m !== null && m !== ''))].sort();
  return StableStudySchema.parse({
    studyInstanceUid: input.studyInstanceUid,
    patientId: text(TAG.PatientID),
    issuerOfPatientId: optional(TAG.IssuerOfPatientID),
    patientName: text(TAG.PatientName),
    patientSex: text(TAG.PatientSex),
    patientBirthDate: text(TAG.PatientBirthDate),
    studyDate: text(TAG.StudyDate),
    studyTime: text(TAG.StudyTime),
    accessionNumber: text(TAG.AccessionNumber),
    studyDescription: text(TAG.StudyDescription),
    modalitiesInStudy: modalities,
    bodyPartExamined: mainBodyPart(series),
    institutionName: optional(TAG.InstitutionName),
    sourceAet: input.sourceAet === null || input.sourceAet.trim() === '' ? null : input.sourceAet.trim(),
    numberOfSeries: series.length,
    numberOfInstances: input.numberOfInstances ?? series.reduce((n, s) => n + s.instanceCount, 0),
    receivedAt: input.receivedAt,
    requestedProcedureDescription: requestAttribute(instance, TAG.RequestedProcedureDescription),
    reasonForRequestedProcedure: requestAttribute(instance, TAG.ReasonForTheRequestedProcedure),
    reasonForStudy: optional(TAG.ReasonForStudy),
    additionalPatientHistory: optional(TAG.AdditionalPatientHistory),
  });
}
