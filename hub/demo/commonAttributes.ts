import type { NaturalDataset } from './dcmjs.js';
import type { DicomDateTime } from './dicomValues.js';
import type { DemoStudyIdentity } from './plan.js';

export interface SeriesIdentity {
  seriesInstanceUid: string;
  seriesNumber: number;
  description: string;
  start: DicomDateTime;
}

export interface InstanceIdentity {
  sopClassUid: string;
  sopInstanceUid: string;
  instanceNumber: number;
}

/**
 * Patient, General Study, General Series, General Equipment and SOP Common
 * attributes shared by every demo object. ReferringPhysicianName is empty on
 * purpose (type 2: present, no value) so no invented person is named.
 */
export function commonAttributes(study: DemoStudyIdentity, series: SeriesIdentity, instance: InstanceIdentity): NaturalDataset {
  const { patient } = study;
  return {
    SOPClassUID: instance.sopClassUid,
    SOPInstanceUID: instance.sopInstanceUid,
    InstanceCreationDate: series.start.date,
    InstanceCreationTime: series.start.time,
    StudyDate: study.start.date,
    SeriesDate: series.start.date,
    ContentDate: series.start.date,
    StudyTime: study.start.time,
    SeriesTime: series.start.time,
    ContentTime: series.start.time,
    AccessionNumber: study.accessionNumber,
    Modality: study.modality,
    Manufacturer: 'VIGIE',
    InstitutionName: patient.site.institutionName,
    ReferringPhysicianName: '',
    StationName: 'DEMO',
    StudyDescription: study.description,
    SeriesDescription: series.description,
    ManufacturerModelName: 'DEMO SYNTHETIQUE',
    PatientName: patient.name,
    PatientID: patient.id,
    IssuerOfPatientID: patient.site.issuerOfPatientId,
    PatientBirthDate: patient.birthDate,
    PatientSex: patient.sex,
    DeviceSerialNumber: 'DEMO-0',
    SoftwareVersions: 'VIGIE_0_1',
    StudyInstanceUID: study.studyInstanceUid,
    SeriesInstanceUID: series.seriesInstanceUid,
    StudyID: study.studyId,
    SeriesNumber: series.seriesNumber,
    InstanceNumber: instance.instanceNumber,
    BurnedInAnnotation: 'NO',
    LossyImageCompression: '00',
  };
}
