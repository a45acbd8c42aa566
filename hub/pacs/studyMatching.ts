import { stringValues, type DicomJsonDataset } from './dicomJson.js';

/**
 * QIDO-RS attribute matching (PS3.4 C.2.2.2, as PS3.18 8.3.4 uses it) over
 * DICOM JSON rows held in memory, for the folder adapter:
 * - empty value: universal matching;
 * - UI: a list of UIDs separated by commas;
 * - DA, TM, DT: a single value or a range "a-b", "a-", "-b";
 * - anything else: `*` and `?` wildcards, case-insensitive (as Orthanc does).
 * A multi-valued attribute (ModalitiesInStudy) matches when one value does.
 */

function wildcardRegExp(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`, 'i');
}

/** DA/TM/DT values compared as digit strings, the shorter padded so that "2130" means 21:30:00. */
function comparable(value: string, vr: string): string {
  const digits = value.replace(/[^0-9.]/g, '');
  return vr === 'TM' ? digits.padEnd(6, '0') : digits;
}

function rangeMatches(value: string, query: string, vr: string): boolean {
  const dash = query.indexOf('-');
  if (dash < 0) return comparable(value, vr).startsWith(comparable(query, vr));
  const low = query.slice(0, dash);
  const high = query.slice(dash + 1);
  const v = comparable(value, vr);
  if (low !== '' && v < comparable(low, vr)) return false;
  // An upper bound on a date includes the whole day (and "2130" the whole minute).
  if (high !== '' && v.slice(0, comparable(high, vr).length) > comparable(high, vr)) return false;
  return true;
}

export function attributeMatches(row: DicomJsonDataset, tag: string, query: string): boolean {
  if (query === '') return true;
  const attribute = row[tag];
  if (attribute === undefined) return false;
  const values = stringValues(row, tag);
  if (values.length === 0) return false;
  const vr = attribute.vr;
  if (vr === 'UI') {
    const wanted = new Set(query.split(',').map((uid) => uid.trim()));
    return values.some((value) => wanted.has(value));
  }
  if (vr === 'DA' || vr === 'TM' || vr === 'DT') return values.some((value) => rangeMatches(value, query, vr));
  const pattern = wildcardRegExp(query);
  return values.some((value) => pattern.test(value));
}

/** True when the row matches every key (tags already normalised to 8 hex digits). */
export function rowMatches(row: DicomJsonDataset, match: ReadonlyMap<string, string>): boolean {
  for (const [tag, query] of match) if (!attributeMatches(row, tag, query)) return false;
  return true;
}
