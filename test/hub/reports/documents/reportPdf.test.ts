import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildEncapsulatedPdf, buildReportPdf, ENCAPSULATED_PDF } from '../../../../hub/reports/documents/reportPdf.js';
import { pdfSeriesInstanceUid } from '../../../../hub/reports/documents/pdfSeries.js';
import { dciodvfy } from '../../../harness/dciodvfy.js';
import { addendumInput, FRENCH, reportInput } from './fixture.js';
import { output, readPart10, tempFolder } from './tools.js';

let folder: Awaited<ReturnType<typeof tempFolder>>;
let reportPdf: Uint8Array;
let addendumPdf: Uint8Array;

beforeAll(async () => {
  folder = await tempFolder();
  reportPdf = await buildReportPdf(reportInput());
  addendumPdf = await buildReportPdf(addendumInput());
});

afterAll(async () => {
  await folder?.cleanup();
});

/** pdftotext's text with runs of spaces and line breaks made single spaces: wrapping must not break a check. */
async function pdfText(name: string, pdf: Uint8Array): Promise<string> {
  const file = await folder.file(name, pdf);
  return (await output('pdftotext', ['-enc', 'UTF-8', file, '-'])).replace(/\s+/g, ' ');
}

describe('the report as PDF', () => {
  it('is a readable French report: letterhead, patient banner, sections, critical finding, signature in Paris time, page numbers', async () => {
    const text = await pdfText('report.pdf', reportPdf);
    expect(text).toContain('Téléradiologie Régionale Hauts-de-France');
    expect(text).toContain('Patient : DEMO CRANE — sexe masculin — né(e) le 12/04/1957');
    expect(text).toContain('Identifiant patient : DEMO-0001 (CH-DEMO-NORD)');
    expect(text).toContain('Site demandeur : CH Démo Nord — N° d’examen : DEMO79909801');
    expect(text).toContain('Examen du 27/04/2024');
    expect(text).toContain('Compte rendu');
    for (const heading of ['Indication', 'Technique', 'Résultats', 'Conclusion']) expect(text).toContain(` ${heading} `);
    expect(text).toContain('Hématome intraparenchymateux frontal droit aigu avec œdème périlésionnel, sans engagement.');
    expect(text).toContain(FRENCH);
    expect(text).toContain('Résultat critique communiqué à Dr Léa Bernard (urgences CH Nord) par téléphone le 23/11/2026 à 03:05 (heure de Paris).');
    expect(text).toContain('Signé électroniquement par Dr Claire Martin le 23/11/2026 à 03:12');
    // Forty long paragraphs of findings wrap onto several pages, each numbered.
    const pages = [...text.matchAll(/Page (\d+) \/ (\d+)/g)];
    expect(pages.length).toBeGreaterThanOrEqual(2);
    expect(pages.map((m) => Number(m[1]))).toEqual(pages.map((_, i) => i + 1));
    expect(new Set(pages.map((m) => m[2]))).toEqual(new Set([String(pages.length)]));
    expect(text).toContain('Paragraphe 40 :');
  });

  it('titles an addendum with the date of the report it corrects', async () => {
    const text = await pdfText('addendum.pdf', addendumPdf);
    expect(text).toContain('Addendum au compte rendu du 23/11/2026');
    expect(text).toContain('Précision : l’hématome mesure 26 mm et non 24 mm.');
    expect(text).toContain('Signé électroniquement par Dr Claire Martin le 23/11/2026 à 07:40');
    expect(text).not.toContain('Résultat critique');
    expect(text).toContain('Page 1 / 1');
  });

  it('replaces characters the standard fonts cannot draw instead of failing', async () => {
    const input = reportInput();
    input.report.content.findings = 'Densité ≥ 60 UH → hématome; 日本';
    const text = await pdfText('fallback.pdf', await buildReportPdf(input));
    expect(text).toContain('Densité >= 60 UH -> hématome; ??');
  });
});

describe('the report as Encapsulated PDF Storage', () => {
  it.each([
    ['report', () => ({ input: reportInput(), pdf: reportPdf })],
    ['addendum', () => ({ input: addendumInput(), pdf: addendumPdf })],
  ])('the %s passes dciodvfy without error or warning', async (name, make) => {
    const { input, pdf } = make();
    const file = await folder.file(`${name}-pdf.dcm`, await buildEncapsulatedPdf(input, pdf));
    const report = await dciodvfy(file);
    expect(report.iod).toBe('EncapsulatedPDF');
    expect(report.errors).toEqual([]);
    expect(report.warnings).toEqual([]);
  });

  it('holds the PDF bytes exactly, with the patient and study of the images, in its own DOC series', async () => {
    const input = reportInput();
    const { dataset, meta } = readPart10(await buildEncapsulatedPdf(input, reportPdf));
    expect(meta['MediaStorageSOPClassUID']).toBe(ENCAPSULATED_PDF);
    expect(dataset).toMatchObject({
      SOPInstanceUID: input.uids.pdfSopInstanceUid,
      Modality: 'DOC',
      SeriesInstanceUID: pdfSeriesInstanceUid(input.uids.seriesInstanceUid),
      MIMETypeOfEncapsulatedDocument: 'application/pdf',
      BurnedInAnnotation: 'YES',
      DocumentTitle: 'Compte rendu',
      ConceptNameCodeSequence: [{ CodeValue: '18748-4', CodingSchemeDesignator: 'LN' }],
      PatientID: 'DEMO-0001',
      StudyInstanceUID: readPart10(await buildEncapsulatedPdf(input, reportPdf)).dataset['StudyInstanceUID'],
      EncapsulatedDocumentLength: reportPdf.length,
    });
    expect(dataset['SeriesInstanceUID']).not.toBe(input.uids.seriesInstanceUid);
    expect(encapsulated(dataset).subarray(0, reportPdf.length)).toEqual(reportPdf);
    expect(encapsulated(dataset).length).toBe(reportPdf.length + (reportPdf.length % 2));
  });

  it('pads an odd-length PDF with one NUL byte and keeps the true length', async () => {
    const odd = new Uint8Array([...reportPdf, 0x0a].slice(0, reportPdf.length % 2 === 0 ? reportPdf.length + 1 : reportPdf.length));
    expect(odd.length % 2).toBe(1);
    const { dataset } = readPart10(await buildEncapsulatedPdf(reportInput(), odd));
    const bytes = encapsulated(dataset);
    expect(bytes.length).toBe(odd.length + 1);
    expect(bytes.subarray(0, odd.length)).toEqual(odd);
    expect(bytes[odd.length]).toBe(0);
    expect(dataset['EncapsulatedDocumentLength']).toBe(odd.length);
  });
});

function encapsulated(dataset: Record<string, unknown>): Uint8Array {
  const value = dataset['EncapsulatedDocument'];
  const buffer = Array.isArray(value) ? (value[0] as ArrayBuffer) : (value as ArrayBuffer);
  return new Uint8Array(buffer);
}
