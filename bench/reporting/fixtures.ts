// What the issue-6 benchmarks sign and deliver: small one-slice CT studies of
// the demo north site (dcmjs, fictional patients DEMO^RAPPORT^n), their WADO-RS
// metadata as the hub reads it, and reports in realistic French (a few
// paragraphs, accents, a critical finding now and then).
import { randomUUID } from 'node:crypto';
import type { ReportContent } from '../../core/api/reports.js';
import type { NaturalDataset } from '../../hub/demo/dcmjs.js';
import { dcmjs } from '../../hub/demo/loadDcmjs.js';
import { encodePart10 } from '../../hub/demo/writePart10.js';
import { DEMO_SITE_NORD } from '../../hub/demo/demoPatients.js';
import type { DicomJsonDataset } from '../../hub/pacs/pacsAdapter.js';
import type { ReportDocumentInput } from '../../hub/reports/documents/documentInput.js';

export const CT_IMAGE_STORAGE = '1.2.840.10008.5.1.4.1.1.2';
/** Under the 2.25 (UUID) root: no clash with the demo's or the hub's UIDs. */
export const uuidUid = (): string => `2.25.${BigInt(`0x${randomUUID().replace(/-/g, '')}`).toString()}`;

export interface BenchStudy {
  index: number;
  patientId: string;
  patientName: string;
  studyInstanceUid: string;
  accessionNumber: string;
  dataset: NaturalDataset;
}

/** One axial CT slice (64 × 64, 16 bits) of a fictional patient of CH Démo Nord, with its own study. */
export function benchCtStudy(index: number, runTag: string): BenchStudy {
  const size = 64;
  const pixels = new Uint16Array(size * size);
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) pixels[y * size + x] = (x - 32) ** 2 + (y - 32) ** 2 < 700 ? 1064 : 0;
  const studyInstanceUid = uuidUid();
  const patientId = `DEMO-R${runTag}-${String(index).padStart(4, '0')}`;
  const patientName = `DEMO^RAPPORT^${index}`;
  const accessionNumber = `RB${runTag}${String(index).padStart(4, '0')}`.slice(0, 16);
  const now = new Date();
  const date = now.toISOString().slice(0, 10).replace(/-/g, '');
  const time = now.toISOString().slice(11, 19).replace(/:/g, '');
  const dataset: NaturalDataset = {
    SpecificCharacterSet: 'ISO_IR 192',
    SOPClassUID: CT_IMAGE_STORAGE,
    SOPInstanceUID: uuidUid(),
    StudyDate: date,
    SeriesDate: date,
    ContentDate: date,
    StudyTime: time,
    SeriesTime: time,
    ContentTime: time,
    AccessionNumber: accessionNumber,
    Modality: 'CT',
    Manufacturer: 'VIGIE',
    InstitutionName: DEMO_SITE_NORD.institutionName,
    ReferringPhysicianName: '',
    StudyDescription: 'SCANNER CEREBRAL SANS INJECTION',
    SeriesDescription: 'CRANE 5MM',
    PatientName: patientName,
    PatientID: patientId,
    IssuerOfPatientID: DEMO_SITE_NORD.issuerOfPatientId,
    PatientBirthDate: '19570412',
    PatientSex: 'M',
    BodyPartExamined: 'HEAD',
    StudyInstanceUID: studyInstanceUid,
    SeriesInstanceUID: uuidUid(),
    StudyID: String(index),
    SeriesNumber: 2,
    InstanceNumber: 1,
    ImageType: ['ORIGINAL', 'PRIMARY', 'AXIAL'],
    PatientPosition: 'HFS',
    ImagePositionPatient: ['-128', '-128', '0'],
    ImageOrientationPatient: ['1', '0', '0', '0', '1', '0'],
    FrameOfReferenceUID: uuidUid(),
    SliceThickness: '5',
    KVP: '120',
    SamplesPerPixel: 1,
    PhotometricInterpretation: 'MONOCHROME2',
    Rows: size,
    Columns: size,
    PixelSpacing: ['4', '4'],
    BitsAllocated: 16,
    BitsStored: 12,
    HighBit: 11,
    PixelRepresentation: 0,
    WindowCenter: '40',
    WindowWidth: '80',
    RescaleIntercept: '-1024',
    RescaleSlope: '1',
    RescaleType: 'HU',
    PixelData: [pixels.buffer],
    _vrMap: { PixelData: 'OW' },
  };
  return { index, patientId, patientName, studyInstanceUid, accessionNumber, dataset };
}

export function studyPart10(study: BenchStudy): Uint8Array {
  return encodePart10(study.dataset);
}

/** The instance's metadata as WADO-RS gives it (DICOM JSON, no pixel data). */
export function studyMetadata(study: BenchStudy): DicomJsonDataset {
  const { PixelData: _pixels, _vrMap: _vr, ...attributes } = study.dataset;
  return dcmjs.data.DicomMetaDictionary.denaturalizeDataset(attributes) as DicomJsonDataset;
}

const FINDINGS = [
  "Absence d'hématome intra- ou extra-axial. Pas de lésion ischémique constituée dans les territoires artériels. Pas d'effet de masse, ligne médiane en place. Système ventriculaire de taille et de morphologie normales, sans signe d'hydrocéphalie.",
  'Citernes de la base libres. Pas de prise de contraste pathologique. Sinus de la face et cellules mastoïdiennes normalement aérés. Pas de fracture de la voûte ni de la base du crâne visible sur les reconstructions en fenêtre osseuse.',
  "Discrète leucopathie vasculaire périventriculaire, banale à cet âge. Calcifications physiologiques des plexus choroïdes et de la glande pinéale. Pas d'anomalie de la fosse postérieure ; le tronc cérébral et le cervelet sont d'aspect normal.",
];
const CONCLUSIONS = [
  "Pas d'hémorragie intracrânienne ni de lésion traumatique décelée. Pas de signe d'engagement.",
  'Hématome sous-dural aigu frontopariétal droit de 8 mm, avec effet de masse modéré et déviation de la ligne médiane de 4 mm : avis neurochirurgical recommandé.',
];

/** A signed report's text: indication, technique, three paragraphs of findings and a conclusion, varied by `index`. */
export function frenchReport(index: number): { content: ReportContent; critical: boolean } {
  const critical = index % 10 === 7;
  const findings = [0, 1, 2].map((k) => FINDINGS[(index + k) % FINDINGS.length] as string);
  return {
    critical,
    content: {
      indication: `Chute de sa hauteur à domicile chez un patient de ${60 + (index % 30)} ans sous anticoagulant, céphalées et confusion. Recherche d'une hémorragie intracrânienne.`,
      technique: 'Scanner cérébral sans injection de produit de contraste, acquisition hélicoïdale, reconstructions axiales de 5 mm en fenêtres parenchymateuse et osseuse. PDL 850 mGy·cm.',
      findings: findings.join('\n\n'),
      conclusion: (critical ? CONCLUSIONS[1] : CONCLUSIONS[0]) as string,
    },
  };
}

/** The input the hub's signing builds, for report `index` on `study` (as signedDocuments receives it). */
export function documentInput(study: BenchStudy, metadata: DicomJsonDataset, index: number): ReportDocumentInput {
  const { content, critical } = frenchReport(index);
  const signedAt = new Date();
  const seriesInstanceUid = uuidUid();
  return {
    report: {
      id: randomUUID(),
      kind: 'report',
      content,
      critical: critical ? { flagged: true, communication: { to: 'Dr Martin, urgentiste de garde', means: 'phone', at: signedAt.toISOString() } } : { flagged: false, communication: { to: '', means: null, at: null } },
      signedAt,
      signer: { username: 'dr.lefebvre', displayName: 'Dr Claire Lefebvre (démo)' },
    },
    predecessor: null,
    study: metadata,
    teleFile: { patientName: study.patientName, patientId: study.patientId, issuer: DEMO_SITE_NORD.issuerOfPatientId, accessionNumber: study.accessionNumber, requestingSite: { id: 'ch-demo-nord', name: 'CH Démo Nord (fictif)' }, clinicalQuestion: 'Hémorragie intracrânienne ?' },
    letterhead: { organisationName: 'CHU Démo (fictif)', address: 'Service de radiologie, 1 place Victor Pauchet, 80000 Amiens' },
    uids: { seriesInstanceUid, srSopInstanceUid: uuidUid(), pdfSopInstanceUid: uuidUid() },
    instanceNumber: 1,
  };
}
