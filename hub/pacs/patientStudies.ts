import { firstNumber, firstString, stringValues, TAG, type DicomJsonDataset } from './dicomJson.js';

/**
 * One study of a patient as the PACS lists it: what the hub needs to decide
 * whether it is a prior of a tele-file (same PatientID, same issuer, same
 * requesting site) and what the viewer shows in its priors list.
 *
 * `patientId` is PHI: never log it.
 */
export interface PatientStudy {
  studyInstanceUid: string;
  patientId: string;
  /** (0010,0021); null when the study carries none (the site's issuer then applies). */
  issuerOfPatientId: string | null;
  /** DA (YYYYMMDD) or ''. */
  studyDate: string;
  /** TM or ''. */
  studyTime: string;
  studyDescription: string;
  modalitiesInStudy: string[];
  numberOfSeries: number | null;
  numberOfInstances: number | null;
  /** How the site is recognised (core/site.ts findRequestingSite): calling AE title first… */
  sourceAet: string | null;
  /** …then InstitutionName. */
  institutionName: string | null;
}

/** Attributes asked of a QIDO study search for a PatientStudy (some are not in a study row by default). */
export const PATIENT_STUDY_FIELDS = [
  TAG.IssuerOfPatientID,
  TAG.InstitutionName,
  TAG.StudyDescription,
  TAG.ModalitiesInStudy,
  TAG.NumberOfStudyRelatedSeries,
  TAG.NumberOfStudyRelatedInstances,
];

/** A QIDO study row → PatientStudy; undefined without a StudyInstanceUID. */
export function patientStudyFromRow(row: DicomJsonDataset, sourceAet: string | null): PatientStudy | undefined {
  const studyInstanceUid = firstString(row, TAG.StudyInstanceUID);
  if (studyInstanceUid === undefined) return undefined;
  const issuer = firstString(row, TAG.IssuerOfPatientID)?.trim();
  const aet = sourceAet?.trim();
  return {
    studyInstanceUid,
    patientId: firstString(row, TAG.PatientID) ?? '',
    issuerOfPatientId: issuer ? issuer : null,
    studyDate: firstString(row, TAG.StudyDate) ?? '',
    studyTime: firstString(row, TAG.StudyTime) ?? '',
    studyDescription: firstString(row, TAG.StudyDescription) ?? '',
    modalitiesInStudy: [...new Set(stringValues(row, TAG.ModalitiesInStudy))].sort(),
    numberOfSeries: firstNumber(row, TAG.NumberOfStudyRelatedSeries) ?? null,
    numberOfInstances: firstNumber(row, TAG.NumberOfStudyRelatedInstances) ?? null,
    sourceAet: aet ? aet : null,
    institutionName: firstString(row, TAG.InstitutionName) ?? null,
  };
}

/** Who a study belongs to: the tele-file's patient (issuer + PatientID) at its requesting site. */
export interface PatientAtSite {
  patientId: string;
  issuer: string;
  siteId: string;
}
