import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASIC_TEXT_SR, buildReportSr } from '../../../../hub/reports/documents/reportSr.js';
import { dciodvfy } from '../../../harness/dciodvfy.js';
import { addendumInput, FRENCH, reportInput } from './fixture.js';
import { output, readPart10, tempFolder } from './tools.js';

let folder: Awaited<ReturnType<typeof tempFolder>>;
let reportFile: string;
let addendumFile: string;

beforeAll(async () => {
  folder = await tempFolder();
  reportFile = await folder.file('report-sr.dcm', buildReportSr(reportInput()));
  addendumFile = await folder.file('addendum-sr.dcm', buildReportSr(addendumInput()));
});

afterAll(async () => {
  await folder?.cleanup();
});

describe('the report as a Basic Text SR', () => {
  it.each([
    ['report', () => reportFile],
    ['addendum', () => addendumFile],
  ])('the %s passes dciodvfy without error or warning', async (_name, file) => {
    const report = await dciodvfy(file());
    expect(report.iod).toBe('BasicTextSR');
    expect(report.errors).toEqual([]);
    expect(report.warnings).toEqual([]);
    expect(report.exitCode).toBe(0);
  });

  it('still passes dciodvfy from sparse metadata: no instance to reference, no accession number, no technique, empty birth date', async () => {
    const input = reportInput();
    for (const tag of ['00080018', '0020000E', '00080050', '00100030', '00081030']) delete input.study[tag];
    input.teleFile.accessionNumber = null;
    input.report.content.technique = '';
    const bytes = buildReportSr(input);
    expect(readPart10(bytes).dataset['CurrentRequestedProcedureEvidenceSequence']).toBeUndefined();
    const report = await dciodvfy(await folder.file('sparse-sr.dcm', bytes));
    expect(report.errors).toEqual([]);
  });

  it('reads in dsrdump as a complete, verified TID 2000 report with its sections, text and critical finding', async () => {
    const dump = await output('dsrdump', ['+U8', '+Pl', '+Pc', '+Pt', reportFile]);
    expect(dump).toContain('Basic Text SR Document');
    expect(dump).toMatch(/Completion Flag\s*: COMPLETE/);
    expect(dump).toMatch(/Verification Flag\s*: VERIFIED/);
    expect(dump).toContain('2026-11-23 03:12:00 +01:00, Martin^Claire^^Dr, Téléradiologie Régionale Hauts-de-France');
    expect(dump).toContain('Content Date/Time   : 2026-11-23 03:12:00');
    expect(dump).toContain('(18748-4,LN,"Diagnostic Imaging Report")');
    expect(dump).toContain('(fr,RFC5646,"French")');
    expect(dump).toContain('PNAME:(121008,DCM,"Person Observer Name")="Martin^Claire^^Dr"');
    for (const heading of ['(55752-0,LN,"Clinical Information")', '(55111-9,LN,"Current Procedure Descriptions")', '(121070,DCM,"Findings")', '(121076,DCM,"Conclusions")']) {
      expect(dump).toContain(`CONTAINER:${heading}`);
    }
    expect(dump).toContain('Éliminer un saignement intracrânien.');
    expect(dump).toContain('Hématome intraparenchymateux frontal droit aigu avec œdème périlésionnel');
    expect(dump).toContain(FRENCH); // UTF-8 (ISO_IR 192) keeps every accent
    expect(dump).toContain('Résultat critique communiqué à Dr Léa Bernard (urgences CH Nord) par téléphone le 23/11/2026 à 03:05 (heure de Paris).');
    expect(dump).not.toContain('Predecessor Docs');
  });

  it('copies the patient and study from the images and references the imaging study as evidence', () => {
    const input = reportInput();
    const { dataset, meta } = readPart10(buildReportSr(input));
    expect(meta).toMatchObject({ MediaStorageSOPClassUID: BASIC_TEXT_SR, TransferSyntaxUID: '1.2.840.10008.1.2.1' });
    expect(dataset).toMatchObject({
      SpecificCharacterSet: 'ISO_IR 192',
      SOPInstanceUID: input.uids.srSopInstanceUid,
      SeriesInstanceUID: input.uids.seriesInstanceUid,
      Modality: 'SR',
      Manufacturer: 'Vigie',
      PatientID: 'DEMO-0001',
      IssuerOfPatientID: 'CH-DEMO-NORD',
      PatientBirthDate: '19570412',
      PatientSex: 'M',
      StudyDate: '20240427',
      AccessionNumber: 'DEMO79909801',
      InstanceNumber: 1,
    });
    const evidence = dataset['CurrentRequestedProcedureEvidenceSequence'] as Array<Record<string, unknown>>;
    expect(evidence[0]?.['StudyInstanceUID']).toBe(dataset['StudyInstanceUID']);
    expect(JSON.stringify(evidence)).toContain('1.2.840.10008.5.1.4.1.1.2'); // the CT image referenced
  });

  it('an addendum references the SR it corrects as predecessor and leaves out empty sections', async () => {
    const input = addendumInput();
    const dump = await output('dsrdump', ['+U8', '+Pl', '+Pc', addendumFile]);
    expect(dump).toMatch(/Predecessor Docs\s*: 1/);
    expect(dump).toContain('Précision : l’hématome mesure 26 mm et non 24 mm.');
    expect(dump).toContain('2026-11-23 07:40:00 +01:00');
    expect(dump).not.toContain('Clinical Information');
    expect(dump).not.toContain('Résultat critique');
    const dcmdump = await output('dcmdump', ['+P', 'PredecessorDocumentsSequence', '+P', '0008,1155', '+P', '0020,000e', addendumFile]);
    expect(dcmdump).toContain(input.predecessor?.srSopInstanceUid);
    const { dataset } = readPart10(buildReportSr(input));
    const predecessor = (dataset['PredecessorDocumentsSequence'] as Array<Record<string, unknown>>)[0];
    expect(predecessor).toMatchObject({
      StudyInstanceUID: dataset['StudyInstanceUID'],
      ReferencedSeriesSequence: [
        { SeriesInstanceUID: input.predecessor?.seriesInstanceUid, ReferencedSOPSequence: [{ ReferencedSOPClassUID: BASIC_TEXT_SR, ReferencedSOPInstanceUID: input.predecessor?.srSopInstanceUid }] },
      ],
    });
    expect(dataset['InstanceNumber']).toBe(2);
  });
});
