import { PDFDocument, rgb, StandardFonts } from 'pdf-lib';
import { REPORT_SECTIONS } from '../../../core/api/reports.js';
import type { NaturalDataset } from '../../demo/dcmjs.js';
import { encodePart10 } from '../../demo/writePart10.js';
import type { ReportDocumentInput } from './documentInput.js';
import { dicomDate, dicomTime, zonedTimestamp } from './parisTime.js';
import { PdfWriter } from './pdfLayout.js';
import { pnParts } from './personName.js';
import { criticalFindingSentence, documentTitle, sectionText, SECTION_TITLES, signatureSentence } from './reportText.js';
import { pdfSeriesInstanceUid } from './pdfSeries.js';
import { studyModules, type StudyModules } from './studyModules.js';

export const ENCAPSULATED_PDF = '1.2.840.10008.5.1.4.1.1.104.1';
export const PDF_SERIES_NUMBER = 9002;

const SEX: Record<string, string> = { M: 'masculin', F: 'féminin', O: 'autre' };

/** "DUPONT Jean" — family name first in capitals, as on French hospital labels. */
export function patientDisplayName(pn: string): string {
  const p = pnParts(pn);
  return [p.family.toUpperCase(), p.given, p.middle].filter(Boolean).join(' ');
}

/** YYYYMMDD → 23/11/2026 ('' stays ''). */
function frenchDicomDate(da: string): string {
  return /^\d{8}$/.test(da) ? `${da.slice(6, 8)}/${da.slice(4, 6)}/${da.slice(0, 4)}` : da;
}

function patientBanner(modules: StudyModules, input: ReportDocumentInput): string[] {
  const sex = SEX[modules.PatientSex] ?? 'non renseigné';
  const birth = modules.PatientBirthDate ? frenchDicomDate(modules.PatientBirthDate) : 'non renseignée';
  return [
    `Patient : ${patientDisplayName(modules.PatientName)} — sexe ${sex} — né(e) le ${birth}`,
    `Identifiant patient : ${modules.PatientID} (${modules.IssuerOfPatientID})`,
    `Site demandeur : ${input.teleFile.requestingSite.name} — N° d’examen : ${modules.AccessionNumber || 'non renseigné'}`,
    `Examen du ${frenchDicomDate(modules.StudyDate) || 'date inconnue'}${modules.StudyDescription ? ` : ${modules.StudyDescription}` : ''}`,
  ];
}

/**
 * The signed report as a readable French A4 PDF: the document a requesting
 * site files and prints. Standard Helvetica (WinAnsi) covers French; any
 * character outside it is replaced rather than making signature fail.
 */
export async function buildReportPdf(input: ReportDocumentInput): Promise<Uint8Array> {
  const modules = studyModules(input);
  const doc = await PDFDocument.create();
  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const out = new PdfWriter(doc, regular);
  const grey = rgb(0.3, 0.3, 0.3);
  const title = documentTitle(input);

  out.text(input.letterhead.organisationName, { font: bold, size: 15 });
  if (input.letterhead.address) out.text(input.letterhead.address, { font: regular, size: 9, color: grey });
  out.rule();
  for (const line of patientBanner(modules, input)) out.text(line, { font: regular, size: 10 });
  out.rule();
  out.space(6);
  out.text(title, { font: bold, size: 16 });
  out.space(4);

  for (const section of REPORT_SECTIONS) {
    const body = sectionText(input.report.content[section]);
    const critical = section === 'conclusion' ? criticalFindingSentence(input.report.critical) : null;
    if (body === '' && critical === null) continue;
    out.space(8);
    out.ensure(40); // a heading never ends a page alone
    out.text(SECTION_TITLES[section], { font: bold, size: 12 });
    out.space(2);
    if (body !== '') out.text(body, { font: regular, size: 10.5 });
    if (critical !== null) {
      out.space(6);
      out.box(critical, { font: bold, size: 10.5, color: rgb(0.6, 0, 0) }, rgb(0.6, 0, 0));
    }
  }

  out.space(18);
  out.ensure(36); // the signature's two lines stay together
  out.text(signatureSentence(input), { font: bold, size: 10.5 });
  out.text('(heure de Paris)', { font: regular, size: 9, color: grey });
  out.footers(`${patientDisplayName(modules.PatientName)} — ${modules.PatientID} — ${title}`, { font: regular, size: 8 });

  doc.setTitle(`${title} — ${patientDisplayName(modules.PatientName)}`);
  doc.setAuthor(input.report.signer.displayName);
  doc.setCreator('Vigie');
  doc.setProducer('Vigie (pdf-lib)');
  doc.setLanguage('fr-FR');
  doc.setCreationDate(input.report.signedAt);
  doc.setModificationDate(input.report.signedAt);
  return doc.save();
}

/**
 * The PDF wrapped as Encapsulated PDF Storage, in its own series (Modality
 * DOC: a series holds one modality, so it cannot share the SR's series).
 * An odd-length PDF gets one trailing NUL (OB values are even);
 * EncapsulatedDocumentLength keeps the true length.
 */
export async function buildEncapsulatedPdf(input: ReportDocumentInput, pdf: Uint8Array): Promise<Uint8Array> {
  return Promise.resolve(encodePart10(encapsulatedPdfDataset(input, pdf)));
}

export function encapsulatedPdfDataset(input: ReportDocumentInput, pdf: Uint8Array): NaturalDataset {
  const { report, uids } = input;
  const padded = new Uint8Array(pdf.length + (pdf.length % 2));
  padded.set(pdf);
  return {
    SpecificCharacterSet: 'ISO_IR 192',
    SOPClassUID: ENCAPSULATED_PDF,
    SOPInstanceUID: uids.pdfSopInstanceUid,
    InstanceCreationDate: dicomDate(report.signedAt),
    InstanceCreationTime: dicomTime(report.signedAt),
    ...studyModules(input),
    Modality: 'DOC',
    SeriesInstanceUID: pdfSeriesInstanceUid(uids.seriesInstanceUid),
    SeriesNumber: PDF_SERIES_NUMBER,
    SeriesDate: dicomDate(report.signedAt),
    SeriesTime: dicomTime(report.signedAt),
    SeriesDescription: 'Compte rendu (PDF)',
    Manufacturer: 'Vigie',
    InstitutionName: input.letterhead.organisationName,
    ConversionType: 'WSD',
    InstanceNumber: input.instanceNumber,
    ContentDate: dicomDate(report.signedAt),
    ContentTime: dicomTime(report.signedAt),
    AcquisitionDateTime: zonedTimestamp(report.signedAt),
    BurnedInAnnotation: 'YES',
    DocumentTitle: documentTitle(input),
    ConceptNameCodeSequence: [{ CodeValue: '18748-4', CodingSchemeDesignator: 'LN', CodeMeaning: 'Diagnostic Imaging Report' }],
    VerificationFlag: 'VERIFIED',
    MIMETypeOfEncapsulatedDocument: 'application/pdf',
    EncapsulatedDocument: [padded.buffer],
    EncapsulatedDocumentLength: pdf.length,
    _vrMap: { EncapsulatedDocument: 'OB' },
  };
}
