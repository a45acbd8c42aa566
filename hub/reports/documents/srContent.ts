/** Basic Text SR content items in dcmjs naturalized form. */
export interface Code {
  CodeValue: string;
  CodingSchemeDesignator: string;
  CodeMeaning: string;
}

export type ContentItem = Record<string, unknown>;

export const code = (value: string, scheme: string, meaning: string): Code => ({ CodeValue: value, CodingSchemeDesignator: scheme, CodeMeaning: meaning });

export function container(relationship: string | null, concept: Code, children: ContentItem[]): ContentItem {
  return {
    ...(relationship ? { RelationshipType: relationship } : {}),
    ValueType: 'CONTAINER',
    ConceptNameCodeSequence: [concept],
    ContinuityOfContent: 'SEPARATE',
    ContentSequence: children,
  };
}

export function text(relationship: string, concept: Code, value: string): ContentItem {
  return { RelationshipType: relationship, ValueType: 'TEXT', ConceptNameCodeSequence: [concept], TextValue: value };
}

export function codeItem(relationship: string, concept: Code, value: Code): ContentItem {
  return { RelationshipType: relationship, ValueType: 'CODE', ConceptNameCodeSequence: [concept], ConceptCodeSequence: [value] };
}

export function personName(relationship: string, concept: Code, pn: string): ContentItem {
  return { RelationshipType: relationship, ValueType: 'PNAME', ConceptNameCodeSequence: [concept], PersonName: pn };
}

/** Codes of PS3.16 TID 2000 "Basic Diagnostic Imaging Report" and the templates it includes. */
export const CODES = {
  report: code('18748-4', 'LN', 'Diagnostic Imaging Report'),
  language: code('121049', 'DCM', 'Language of Content Item and Descendants'),
  french: code('fr', 'RFC5646', 'French'),
  observerType: code('121005', 'DCM', 'Observer Type'),
  person: code('121006', 'DCM', 'Person'),
  personObserverName: code('121008', 'DCM', 'Person Observer Name'),
  observerOrganisation: code('121009', 'DCM', "Person Observer's Organization Name"),
  clinicalInformation: code('55752-0', 'LN', 'Clinical Information'),
  indications: code('121109', 'DCM', 'Indications for Procedure'),
  procedureSection: code('55111-9', 'LN', 'Current Procedure Descriptions'),
  procedureDescription: code('121065', 'DCM', 'Procedure Description'),
  findingsSection: code('121070', 'DCM', 'Findings'),
  finding: code('121071', 'DCM', 'Finding'),
  conclusionsSection: code('121076', 'DCM', 'Conclusions'),
  conclusion: code('121077', 'DCM', 'Conclusion'),
} as const;
