import { REPORT_SECTIONS, type ReportSection } from '../../../core/api/reports.js';
import type { ReportDocumentInput } from './documentInput.js';
import { components, escapeHl7, segment, subcomponents } from './hl7.js';
import { zonedTimestamp } from './parisTime.js';
import { displayNameToPn, pnParts } from './personName.js';
import { criticalFindingSentence, documentTitle, sectionText, SECTION_TITLES } from './reportText.js';
import { studyModules } from './studyModules.js';

export interface OruOptions {
  sendingFacility: string;
  receivingFacility: string;
  messageControlId: string;
  now: Date;
}

/** OBX-3 of each section's lines: the same concepts as the SR's TEXT items. */
const SECTION_CODES: Record<ReportSection, [string, string, string]> = {
  indication: ['121109', 'Indications for Procedure', 'DCM'],
  technique: ['121065', 'Procedure Description', 'DCM'],
  findings: ['121071', 'Finding', 'DCM'],
  conclusion: ['121077', 'Conclusion', 'DCM'],
};

/** DICOM PN → HL7 XPN: PN is Family^Given^Middle^Prefix^Suffix, XPN Family^Given^Second^Suffix^Prefix. */
export function pnToXpn(pn: string): string {
  const p = pnParts(pn);
  return components(p.family, p.given, p.middle, p.suffix, p.prefix);
}

/** DICOM TM (HHMMSS.FFFFFF) trimmed to what an HL7 DTM after a date takes: HHMMSS. */
function studyTimestamp(date: string, time: string): string {
  if (!/^\d{8}$/.test(date)) return '';
  return `${date}${time.replace(/[^\d.]/g, '').split('.')[0] ?? ''}`.slice(0, 14);
}

/**
 * The signed report as an HL7 v2.5.1 ORU^R01 for the requesting site's RIS:
 * one TX OBX per line of text (section heading first), sub-ID = section
 * number so a receiver can regroup them; F for a report, C (correction) for
 * an addendum. Segments end with CR, as the standard wants.
 */
export function buildOruR01(input: ReportDocumentInput, options: OruOptions): string {
  const { report } = input;
  const modules = studyModules(input);
  const status = report.kind === 'addendum' ? 'C' : 'F';
  const signedAt = zonedTimestamp(report.signedAt);
  const signer = pnParts(displayNameToPn(report.signer.displayName));
  const interpreter = subcomponents(report.signer.username, signer.family, signer.given, signer.middle, signer.suffix, signer.prefix);
  const responsible = components(report.signer.username, signer.family, signer.given, signer.middle, signer.suffix, signer.prefix);
  const placer = modules.AccessionNumber;
  const filler = modules.AccessionNumber || report.id;
  const service = components('18748-4', 'Diagnostic imaging study', 'LN', '', modules.StudyDescription ?? '', 'L');

  const segments: string[] = [];
  // MSH-1 is the field separator itself and MSH-2 the encoding characters: the fields after them start at MSH-3.
  const msh = ['VIGIE', escapeHl7(options.sendingFacility), '', escapeHl7(options.receivingFacility), zonedTimestamp(options.now), '', 'ORU^R01^ORU_R01', escapeHl7(options.messageControlId), 'P', '2.5.1', '', '', '', '', 'FRA', 'UNICODE UTF-8'];
  segments.push(`MSH|^~\\&|${msh.join('|')}`);
  segments.push(
    segment('PID', ['1', '', components(modules.PatientID, '', '', modules.IssuerOfPatientID, 'PI'), '', pnToXpn(modules.PatientName), '', modules.PatientBirthDate, hl7Sex(modules.PatientSex)]),
  );
  segments.push(segment('ORC', ['RE', escapeHl7(placer), escapeHl7(filler), '', 'CM']));
  const obr: string[] = new Array<string>(32).fill('');
  obr[0] = '1';
  obr[1] = escapeHl7(placer);
  obr[2] = escapeHl7(filler);
  obr[3] = service;
  obr[6] = studyTimestamp(modules.StudyDate, modules.StudyTime);
  obr[21] = signedAt;
  obr[23] = 'RAD';
  obr[24] = status;
  obr[31] = interpreter;
  segments.push(segment('OBR', obr));
  if (report.kind === 'addendum') segments.push(segment('NTE', ['1', 'L', escapeHl7(documentTitle(input))]));

  let setId = 0;
  REPORT_SECTIONS.forEach((section, index) => {
    const body = sectionText(report.content[section]);
    const critical = section === 'conclusion' ? criticalFindingSentence(report.critical) : null;
    if (body === '' && critical === null) return;
    const lines = [SECTION_TITLES[section].toUpperCase(), ...(body === '' ? [] : body.split('\n')), ...(critical === null ? [] : [critical])];
    const [code, meaning, system] = SECTION_CODES[section];
    for (const line of lines) {
      setId += 1;
      segments.push(segment('OBX', [String(setId), 'TX', components(code, meaning, system), String(index + 1), escapeHl7(line), '', '', '', '', '', status, '', '', signedAt, '', responsible, '', '', signedAt]));
    }
  });
  return `${segments.join('\r')}\r`;
}

/** DICOM M/F/O → HL7 table 0001 (M, F, O; U when unknown). */
function hl7Sex(sex: string): string {
  return sex === 'M' || sex === 'F' || sex === 'O' ? sex : 'U';
}
