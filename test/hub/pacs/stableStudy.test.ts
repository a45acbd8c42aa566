import { describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import type { DicomJsonDataset } from '../../../hub/pacs/dicomJson.js';
import { StableStudySchema, buildStableStudy } from '../../../hub/pacs/stableStudy.js';

const instance: DicomJsonDataset = {
  '00080020': { vr: 'DA', Value: ['20240427'] },
  '00080030': { vr: 'TM', Value: ['221700'] },
  '00080050': { vr: 'SH', Value: ['ACC1'] },
  '00080080': { vr: 'LO', Value: ['CH DEMO NORD (FICTIF)'] },
  '00081030': { vr: 'LO', Value: ['SCANNER CEREBRAL'] },
  '00100010': { vr: 'PN', Value: [{ Alphabetic: 'DEMO^CRANE' }] },
  '00100020': { vr: 'LO', Value: ['DEMO-0001'] },
  '00100021': { vr: 'LO', Value: ['CH-DEMO-NORD'] },
  '00100040': { vr: 'CS', Value: ['M'] },
  '001021B0': { vr: 'LT', Value: ['Chute, anticoagulé'] },
  '00400275': {
    vr: 'SQ',
    Value: [
      {
        '00321060': { vr: 'LO', Value: ['TDM CEREBRALE SANS INJECTION'] },
        '00401002': { vr: 'LO', Value: ['Céphalées brutales, recherche hémorragie'] },
      },
    ],
  },
};

describe('buildStableStudy', () => {
  it('takes request attributes from the Request Attributes Sequence and the main body part', () => {
    const study = buildStableStudy({
      studyInstanceUid: '1.2.3',
      instance,
      series: [
        { modality: 'CT', bodyPartExamined: 'HEAD', instanceCount: 300 },
        { modality: 'CT', bodyPartExamined: 'NECK', instanceCount: 40 },
        { modality: 'SR', bodyPartExamined: null, instanceCount: 1 },
      ],
      sourceAet: ' CH_DEMO_NORD ',
      receivedAt: new Date('2024-04-27T20:30:00Z'),
    });
    expect(study).toEqual({
      studyInstanceUid: '1.2.3',
      patientId: 'DEMO-0001',
      issuerOfPatientId: 'CH-DEMO-NORD',
      patientName: 'DEMO^CRANE',
      patientSex: 'M',
      patientBirthDate: '',
      studyDate: '20240427',
      studyTime: '221700',
      accessionNumber: 'ACC1',
      studyDescription: 'SCANNER CEREBRAL',
      modalitiesInStudy: ['CT', 'SR'],
      bodyPartExamined: 'HEAD',
      institutionName: 'CH DEMO NORD (FICTIF)',
      sourceAet: 'CH_DEMO_NORD',
      numberOfSeries: 3,
      numberOfInstances: 341,
      receivedAt: new Date('2024-04-27T20:30:00Z'),
      requestedProcedureDescription: 'TDM CEREBRALE SANS INJECTION',
      reasonForRequestedProcedure: 'Céphalées brutales, recherche hémorragie',
      reasonForStudy: null,
      additionalPatientHistory: 'Chute, anticoagulé',
    });
    // The schema round-trips through JSON (receivedAt as a string).
    expect(StableStudySchema.parse(JSON.parse(JSON.stringify(study)))).toEqual(study);
  });

  it('refuses an illegal StudyInstanceUID', () => {
    expect(() => buildStableStudy({ studyInstanceUid: '1.2.03', instance, series: [], sourceAet: null, receivedAt: new Date() })).toThrow(ZodError);
  });
});
