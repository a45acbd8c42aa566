import type { ReportSection } from '../../../core/api/reports.js';
import type { NaturalDataset } from '../../demo/dcmjs.js';
import { encodePart10 } from '../../demo/writePart10.js';
import type { ReportDocumentInput } from './documentInput.js';
import { dicomDate, dicomTime, zonedTimestamp } from './parisTime.js';
import { displayNameToPn } from './personName.js';
import { criticalFindingSentence, sectionText } from './reportText.js';
import { CODES, codeItem, container, personName, text, type Code, type ContentItem } from './srContent.js';
import { studyInstanceReference, studyModules } from './studyModules.js';

export const BASIC_TEXT_SR = '1.2.840.10008.5.1.4.1.1.88.11';
export const SR_SERIES_NUMBER = 9001;

/** Each report section: its TID 2000 section container and the concept of its text. */
const SECTIONS: ReadonlyArray<{ section: ReportSection; heading: Code; item: Code }> = [
  { section: 'indication', heading: CODES.clinicalInformation, item: CODES.indications },
  { section: 'technique', heading: CODES.procedureSection, item: CODES.procedureDescription },
  { section: 'findings', heading: CODES.findingsSection, item: CODES.finding },
  { section: 'conclusion', heading: CODES.conclusionsSection, item: CODES.conclusion },
];

/**
 * The signed report as a Basic Text SR (TID 2000): what a PACS or RIS that
 * does not read PDFs still shows, and what is queryable. Empty sections are
 * left out (a TEXT value may not be empty). A flagged critical finding is a
 * Conclusion item of its own, stating whom, how and when.
 */
export function buildReportSr(input: ReportDocumentInput): Uint8Array {
  return encodePart10(reportSrDataset(input));
}

export function reportSrDataset(input: ReportDocumentInput): NaturalDataset {
  const { report, uids, letterhead } = input;
  const modules = studyModules(input);
  const signerPn = displayNameToPn(report.signer.displayName);
  const evidence = studyInstanceReference(input.study);
  const dataset: NaturalDataset = {
    SpecificCharacterSet: 'ISO_IR 192',
    SOPClassUID: BASIC_TEXT_SR,
    SOPInstanceUID: uids.srSopInstanceUid,
    InstanceCreationDate: dicomDate(report.signedAt),
    InstanceCreationTime: dicomTime(report.signedAt),
    ...modules,
    Modality: 'SR',
    SeriesInstanceUID: uids.seriesInstanceUid,
    SeriesNumber: SR_SERIES_NUMBER,
    SeriesDate: dicomDate(report.signedAt),
    SeriesTime: dicomTime(report.signedAt),
    SeriesDescription: 'Compte rendu',
    ReferencedPerformedProcedureStepSequence: [],
    Manufacturer: 'Vigie',
    InstitutionName: letterhead.organisationName,
    InstanceNumber: input.instanceNumber,
    CompletionFlag: 'COMPLETE',
    VerificationFlag: 'VERIFIED',
    ContentDate: dicomDate(report.signedAt),
    ContentTime: dicomTime(report.signedAt),
    VerifyingObserverSequence: [
      {
        VerifyingObserverName: signerPn,
        VerifyingObserverIdentificationCodeSequence: [],
        VerifyingOrganization: letterhead.organisationName,
        VerificationDateTime: zonedTimestamp(report.signedAt),
      },
    ],
    PerformedProcedureCodeSequence: [],
    ...(evidence
      ? {
          CurrentRequestedProcedureEvidenceSequence: [
            {
              StudyInstanceUID: modules.StudyInstanceUID,
              ReferencedSeriesSequence: [
                {
                  SeriesInstanceUID: evidence.seriesInstanceUid,
                  ReferencedSOPSequence: [{ ReferencedSOPClassUID: evidence.sopClassUid, ReferencedSOPInstanceUID: evidence.sopInstanceUid }],
                },
              ],
            },
          ],
        }
      : {}),
    ...(input.predecessor
      ? {
          PredecessorDocumentsSequence: [
            {
              StudyInstanceUID: modules.StudyInstanceUID,
              ReferencedSeriesSequence: [
                {
                  SeriesInstanceUID: input.predecessor.seriesInstanceUid,
                  ReferencedSOPSequence: [{ ReferencedSOPClassUID: BASIC_TEXT_SR, ReferencedSOPInstanceUID: input.predecessor.srSopInstanceUid }],
                },
              ],
            },
          ],
        }
      : {}),
    ...contentTree(input, signerPn),
  };
  return dataset;
}

/** The root content item's attributes (they sit in the dataset itself) and its tree. */
function contentTree(input: ReportDocumentInput, signerPn: string): NaturalDataset {
  const { report, letterhead } = input;
  const children: ContentItem[] = [
    codeItem('HAS CONCEPT MOD', CODES.language, CODES.french),
    codeItem('HAS OBS CONTEXT', CODES.observerType, CODES.person),
    personName('HAS OBS CONTEXT', CODES.personObserverName, signerPn),
    text('HAS OBS CONTEXT', CODES.observerOrganisation, letterhead.organisationName),
  ];
  for (const { section, heading, item } of SECTIONS) {
    const items: ContentItem[] = [];
    const value = sectionText(report.content[section]);
    if (value !== '') items.push(text('CONTAINS', item, value));
    if (section === 'conclusion') {
      const critical = criticalFindingSentence(report.critical);
      if (critical) items.push(text('CONTAINS', CODES.conclusion, critical));
    }
    if (items.length > 0) children.push(container('CONTAINS', heading, items));
  }
  const root = container(null, CODES.report, children);
  return {
    ...root,
    ContentTemplateSequence: [{ MappingResource: 'DCMR', TemplateIdentifier: '2000' }],
  };
}
