import { dcmjsReader } from './dcmjsReader.js';

/**
 * The DICOM JSON model (PS3.18 F.2): what QIDO-RS and WADO-RS metadata
 * return, keyed by 8 upper-case hex digits.
 */
export interface DicomJsonAttribute {
  vr: string;
  Value?: unknown[];
  InlineBinary?: string;
  BulkDataURI?: string;
}

export type DicomJsonDataset = Record<string, DicomJsonAttribute | undefined>;

/** Tags this layer reads by name. */
export const TAG = {
  SpecificCharacterSet: '00080005',
  SOPClassUID: '00080016',
  SOPInstanceUID: '00080018',
  StudyDate: '00080020',
  StudyTime: '00080030',
  AccessionNumber: '00080050',
  Modality: '00080060',
  ModalitiesInStudy: '00080061',
  InstitutionName: '00080080',
  StudyDescription: '00081030',
  PatientName: '00100010',
  PatientID: '00100020',
  IssuerOfPatientID: '00100021',
  PatientBirthDate: '00100030',
  PatientSex: '00100040',
  AdditionalPatientHistory: '001021B0',
  BodyPartExamined: '00180015',
  StudyInstanceUID: '0020000D',
  SeriesInstanceUID: '0020000E',
  StudyID: '00200010',
  SeriesNumber: '00200011',
  InstanceNumber: '00200013',
  NumberOfStudyRelatedSeries: '00201206',
  NumberOfStudyRelatedInstances: '00201208',
  NumberOfSeriesRelatedInstances: '00201209',
  NumberOfFrames: '00280008',
  ReasonForStudy: '00321030',
  RequestedProcedureDescription: '00321060',
  RequestAttributesSequence: '00400275',
  ReasonForTheRequestedProcedure: '00401002',
  PixelData: '7FE00010',
} as const;

const TAG_SYNTAX = /^[0-9A-Fa-f]{8}$/;

/**
 * "00100010", "(0010,0010)", "0010,0010" or a keyword ("PatientName") → "00100010";
 * undefined for anything else.
 */
export function toTag(keyOrTag: string): string | undefined {
  if (TAG_SYNTAX.test(keyOrTag)) return keyOrTag.toUpperCase();
  const grouped = /^\(?([0-9A-Fa-f]{4}),([0-9A-Fa-f]{4})\)?$/.exec(keyOrTag);
  if (grouped) return `${grouped[1]}${grouped[2]}`.toUpperCase();
  if (!/^[A-Za-z][A-Za-z0-9]*$/.test(keyOrTag)) return undefined;
  const entry = dcmjsReader.data.DicomMetaDictionary.nameMap[keyOrTag];
  if (entry === undefined) return undefined;
  return entry.tag.replace(/[(),]/g, '').toUpperCase();
}

/** The VR the data dictionary gives a tag, or undefined (private or unknown). */
export function dictionaryVr(tag: string): string | undefined {
  const key = `(${tag.slice(0, 4)},${tag.slice(4)})`.toUpperCase();
  return dcmjsReader.data.DicomMetaDictionary.dictionary[key]?.vr;
}

/** All values of an attribute as strings (PN → its Alphabetic group), trimmed; [] when absent. */
export function stringValues(dataset: DicomJsonDataset, tag: string): string[] {
  const values = dataset[tag]?.Value;
  if (!Array.isArray(values)) return [];
  const out: string[] = [];
  for (const value of values) {
    if (typeof value === 'string') out.push(value.trim());
    else if (typeof value === 'number' && Number.isFinite(value)) out.push(String(value));
    else if (typeof value === 'object' && value !== null && typeof (value as { Alphabetic?: unknown }).Alphabetic === 'string') {
      out.push((value as { Alphabetic: string }).Alphabetic.trim());
    }
  }
  return out;
}

/** The first value as a string, or undefined when absent or empty. */
export function firstString(dataset: DicomJsonDataset, tag: string): string | undefined {
  const value = stringValues(dataset, tag)[0];
  return value === undefined || value === '' ? undefined : value;
}

/** The first value as a finite number (IS/DS/US…), or undefined. */
export function firstNumber(dataset: DicomJsonDataset, tag: string): number | undefined {
  const value = dataset[tag]?.Value?.[0];
  const number = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  return Number.isFinite(number) ? number : undefined;
}

/** The items of a sequence; [] when absent or not a sequence. */
export function sequenceItems(dataset: DicomJsonDataset, tag: string): DicomJsonDataset[] {
  const attribute = dataset[tag];
  if (attribute?.vr !== 'SQ' || !Array.isArray(attribute.Value)) return [];
  return attribute.Value.filter((item): item is DicomJsonDataset => typeof item === 'object' && item !== null && !Array.isArray(item));
}

/** A string attribute for building datasets. */
export function stringAttribute(vr: string, values: readonly string[]): DicomJsonAttribute {
  const kept = values.filter((v) => v !== '');
  if (kept.length === 0) return { vr };
  return vr === 'PN' ? { vr, Value: kept.map((v) => ({ Alphabetic: v })) } : { vr, Value: [...kept] };
}

/** Checks the outer shape of a DICOM JSON array from a PACS (cheap: does not walk nested values). */
export function isDicomJsonArray(value: unknown): value is DicomJsonDataset[] {
  return (
    Array.isArray(value) &&
    value.every(
      (item) =>
        typeof item === 'object' &&
        item !== null &&
        !Array.isArray(item) &&
        Object.entries(item as Record<string, unknown>).every(
          ([key, attribute]) => TAG_SYNTAX.test(key) && typeof attribute === 'object' && attribute !== null && typeof (attribute as { vr?: unknown }).vr === 'string',
        ),
    )
  );
}
