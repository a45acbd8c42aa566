import { firstString, TAG, type DicomJsonAttribute, type DicomJsonDataset } from '../pacs/dicomJson.js';
import { uidProblem } from '../pacs/uid.js';

/**
 * PACS answers name the PACS: Orthanc writes RetrieveURL (0008,1190) as
 * `http://pacs:8042/dicom-web/studies/…` in QIDO rows, and archives may
 * write BulkDataURIs to themselves in metadata. The proxy rewrites both to
 * its own addresses (same origin, the reader's session) and drops any it
 * cannot map, so the PACS address never reaches a reader.
 */

const RETRIEVE_URL = '00081190';
/** Where a value is, never which server holds it. */
const PACS_BULK = /\/studies\/([0-9.]+)\/series\/([0-9.]+)\/instances\/([0-9.]+)\/bulk\/([0-9A-Fa-f]{8}(?:\/[0-9]{1,6}\/[0-9A-Fa-f]{8})*)\/?$/;
const PACS_RESOURCE = /\/studies\/([0-9.]+)(?:\/series\/([0-9.]+)(?:\/instances\/([0-9.]+))?)?\/?$/;

/** The proxy's own address for a bulk data value (served by GET …/instances/:sop/bulk/*). */
export function proxyBulkDataUri(study: string, series: string, sop: string, path: string): string {
  return `/dicom-web/studies/${study}/series/${series}/instances/${sop}/bulk/${path}`;
}

/** What a bulk data address (the PACS's or the proxy's) names, or null when it is not one. */
export function bulkDataTarget(uri: string): { study: string; series: string; sop: string; path: string } | null {
  const [, study, series, sop, path] = PACS_BULK.exec(pathOf(uri)) ?? [];
  return study === undefined || series === undefined || sop === undefined || path === undefined ? null : { study, series, sop, path };
}

function pathOf(uri: string): string {
  try {
    return new URL(uri, 'http://relative.invalid').pathname;
  } catch {
    return uri;
  }
}

const legal = (...uids: (string | undefined)[]) => uids.every((uid) => uid === undefined || uidProblem(uid) === null);

function bulkDataUri(uri: string, study: string | null): string | undefined {
  const target = bulkDataTarget(uri);
  if (target === null || (study !== null && target.study !== study) || !legal(target.study, target.series, target.sop)) return undefined;
  return proxyBulkDataUri(target.study, target.series, target.sop, target.path);
}

function retrieveUrl(uri: unknown, study: string | null): string | undefined {
  if (typeof uri !== 'string') return undefined;
  const [, s, se, sop] = PACS_RESOURCE.exec(pathOf(uri)) ?? [];
  if (s === undefined || (study !== null && s !== study) || !legal(s, se, sop)) return undefined;
  return `/dicom-web/studies/${s}${se === undefined ? '' : `/series/${se}`}${sop === undefined ? '' : `/instances/${sop}`}`;
}

function rewriteAttribute(tag: string, attribute: DicomJsonAttribute, study: string | null): DicomJsonAttribute | undefined {
  let out = attribute;
  if (attribute.BulkDataURI !== undefined) {
    const { BulkDataURI, ...rest } = attribute;
    const mapped = bulkDataUri(BulkDataURI, study);
    out = mapped === undefined ? rest : { ...rest, BulkDataURI: mapped };
  }
  if (tag === RETRIEVE_URL && Array.isArray(attribute.Value)) {
    const values = attribute.Value.map((v) => retrieveUrl(v, study)).filter((v): v is string => v !== undefined);
    if (values.length === 0) return undefined;
    out = { ...out, Value: values };
  }
  if (attribute.vr === 'SQ' && Array.isArray(attribute.Value)) {
    out = { ...out, Value: attribute.Value.map((item) => (typeof item === 'object' && item !== null && !Array.isArray(item) ? rewriteDataset(item as DicomJsonDataset, study) : item)) };
  }
  return out;
}

function rewriteDataset(dataset: DicomJsonDataset, study: string | null): DicomJsonDataset {
  const out: DicomJsonDataset = {};
  for (const [tag, attribute] of Object.entries(dataset)) {
    if (attribute === undefined) continue;
    const rewritten = rewriteAttribute(tag, attribute, study);
    if (rewritten !== undefined) out[tag] = rewritten;
  }
  return out;
}

/**
 * Metadata of one study with every BulkDataURI and RetrieveURL (at any
 * depth) pointing at the proxy; a URI naming another study, or of a form
 * the proxy does not serve, is removed.
 */
export function rewriteBulkDataUris(datasets: DicomJsonDataset[], study: string): DicomJsonDataset[] {
  return datasets.map((dataset) => rewriteDataset(dataset, study));
}

/** QIDO rows: each row's URLs may only name its own study. */
export function rewriteSearchRows(rows: DicomJsonDataset[]): DicomJsonDataset[] {
  return rows.map((row) => rewriteDataset(row, firstString(row, TAG.StudyInstanceUID) ?? '\u0000'));
}
