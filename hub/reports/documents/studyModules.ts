import { firstString, TAG, type DicomJsonDataset } from '../../pacs/dicomJson.js';
import type { ReportDocumentInput } from './documentInput.js';

/** Patient and General Study attributes, as dcmjs naturalized keywords. */
export interface StudyModules {
  PatientName: string;
  PatientID: string;
  IssuerOfPatientID: string;
  PatientBirthDate: string;
  PatientSex: string;
  StudyInstanceUID: string;
  StudyDate: string;
  StudyTime: string;
  ReferringPhysicianName: string;
  StudyID: string;
  AccessionNumber: string;
  StudyDescription?: string;
}

const REFERRING_PHYSICIAN = '00080090';

/**
 * The patient and study identity of the report's DICOM objects, copied from
 * the imaging study so that the PACS files them under the same patient and
 * study. The tele-file's copy only fills what the images leave empty.
 * Type 2 attributes are present even when empty.
 */
export function studyModules(input: ReportDocumentInput): StudyModules {
  const { study, teleFile } = input;
  const get = (tag: string): string => firstString(study, tag) ?? '';
  const studyInstanceUid = get(TAG.StudyInstanceUID);
  if (studyInstanceUid === '') throw new Error('the study metadata has no StudyInstanceUID');
  const modules: StudyModules = {
    PatientName: get(TAG.PatientName) || teleFile.patientName,
    PatientID: get(TAG.PatientID) || teleFile.patientId,
    IssuerOfPatientID: get(TAG.IssuerOfPatientID) || teleFile.issuer,
    PatientBirthDate: get(TAG.PatientBirthDate),
    PatientSex: get(TAG.PatientSex),
    StudyInstanceUID: studyInstanceUid,
    StudyDate: get(TAG.StudyDate),
    StudyTime: get(TAG.StudyTime),
    ReferringPhysicianName: get(REFERRING_PHYSICIAN),
    StudyID: get(TAG.StudyID),
    AccessionNumber: get(TAG.AccessionNumber) || (teleFile.accessionNumber ?? ''),
  };
  const description = get(TAG.StudyDescription);
  if (description !== '') modules.StudyDescription = description;
  return modules;
}

/** The imaging instance whose metadata was given: the evidence the SR references. */
export function studyInstanceReference(study: DicomJsonDataset): { seriesInstanceUid: string; sopClassUid: string; sopInstanceUid: string } | null {
  const seriesInstanceUid = firstString(study, TAG.SeriesInstanceUID);
  const sopClassUid = firstString(study, TAG.SOPClassUID);
  const sopInstanceUid = firstString(study, TAG.SOPInstanceUID);
  if (!seriesInstanceUid || !sopClassUid || !sopInstanceUid) return null;
  return { seriesInstanceUid, sopClassUid, sopInstanceUid };
}
