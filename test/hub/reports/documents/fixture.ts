import type { DicomJsonDataset } from '../../../../hub/pacs/pacsAdapter.js';
import { planDemoStudies } from '../../../../hub/demo/demoStudies.js';
import { dcmjs } from '../../../../hub/demo/loadDcmjs.js';
import type { ReportDocumentInput } from '../../../../hub/reports/documents/documentInput.js';

/** The demo head CT's first slice as WADO-RS metadata would give it (no pixel data). */
export function headCtMetadata(): DicomJsonDataset {
  const plan = planDemoStudies(1)[0];
  const instance = plan?.series[0]?.instances[0];
  if (!instance) throw new Error('no demo head CT');
  const dataset = instance.build();
  delete dataset['PixelData'];
  return dcmjs.data.DicomMetaDictionary.denaturalizeDataset(dataset) as DicomJsonDataset;
}

/** Every French character the PDF's WinAnsi fonts must carry, and HL7 delimiters to escape. */
export const FRENCH = 'é è à ù ç ’ « » œ ê î ô û ë ï Œ É À Ç';

const LONG_FINDINGS = Array.from(
  { length: 40 },
  (_, i) => `Paragraphe ${i + 1} : hématome intraparenchymateux frontal droit de 24 mm, œdème périlésionnel modéré, effet de masse sur la corne frontale homolatérale ; pas d’engagement sous-falcoriel à ce stade, citernes de la base libres.`,
).join('\n');

export const SIGNED_AT = new Date('2026-11-23T02:12:00Z'); // 03:12 in Paris (winter, +0100)
export const CALLED_AT = '2026-11-23T02:05:00Z';

export function reportInput(overrides: Partial<ReportDocumentInput> = {}): ReportDocumentInput {
  return {
    report: {
      id: 'rep-0001',
      kind: 'report',
      content: {
        indication: 'Chute de sa hauteur sous anticoagulants, céphalées. Éliminer un saignement intracrânien.',
        technique: 'Scanner cérébral sans injection, acquisition hélicoïdale, reconstructions 2,5 mm.',
        findings: `${LONG_FINDINGS}\nCaractères : ${FRENCH} | ^ & ~ \\ fin.`,
        conclusion: 'Hématome intraparenchymateux frontal droit aigu avec œdème périlésionnel, sans engagement.\nAvis neurochirurgical recommandé.',
      },
      critical: { flagged: true, communication: { to: 'Dr Léa Bernard (urgences CH Nord)', means: 'phone', at: CALLED_AT } },
      signedAt: SIGNED_AT,
      signer: { username: 'cmartin', displayName: 'Dr Claire Martin' },
    },
    predecessor: null,
    study: headCtMetadata(),
    teleFile: {
      patientName: 'DEMO^CRANE',
      patientId: 'DEMO-0001',
      issuer: 'CH-DEMO-NORD',
      accessionNumber: 'DEMO79909801',
      requestingSite: { id: 'ch-nord', name: 'CH Démo Nord' },
      clinicalQuestion: 'Saignement ?',
    },
    letterhead: { organisationName: 'Téléradiologie Régionale Hauts-de-France', address: '1 rue de l’Hôpital, 80000 Amiens' },
    uids: {
      seriesInstanceUid: '2.25.100000000000000000000000000000000001',
      srSopInstanceUid: '2.25.100000000000000000000000000000000002',
      pdfSopInstanceUid: '2.25.100000000000000000000000000000000003',
    },
    instanceNumber: 1,
    ...overrides,
  };
}

export function addendumInput(): ReportDocumentInput {
  const base = reportInput();
  return {
    ...base,
    report: {
      ...base.report,
      id: 'rep-0002',
      kind: 'addendum',
      content: { indication: '', technique: '', findings: '', conclusion: 'Précision : l’hématome mesure 26 mm et non 24 mm.' },
      critical: { flagged: false, communication: { to: '', means: null, at: null } },
      signedAt: new Date('2026-11-23T06:40:00Z'),
    },
    predecessor: { srSopInstanceUid: base.uids.srSopInstanceUid, seriesInstanceUid: base.uids.seriesInstanceUid, signedAt: SIGNED_AT },
    uids: {
      seriesInstanceUid: '2.25.100000000000000000000000000000000011',
      srSopInstanceUid: '2.25.100000000000000000000000000000000012',
      pdfSopInstanceUid: '2.25.100000000000000000000000000000000013',
    },
    instanceNumber: 2,
  };
}
