import type { DicomJsonAttribute, DicomJsonDataset } from '../pacs/dicomJson.js';
import { uidProblem } from '../pacs/uid.js';

/** The part of a PACS BulkDataURI the proxy keeps: where the value is, never which server holds it. */
const PACS_BULK = /\/studies\/([0-9.]+)\/series\/([0-9.]+)\/instances\/([0-9.]+)\/bulk\/([0-9A-Fa-f]{8}(?:\/[0-9]{1,6}\/[0-9A-Fa-f]{8})*)\/?$/;

/** The proxy's own address for a bulk data value (served by GET …/instances/:sop/bulk/*). */
export function proxyBulkDataUri(study: string, series: string, sop: string, path: string): string {
  return `/dicom-web/studies/${study}/series/${series}/instances/${sop}/bulk/${path}`;
}

function rewriteAttribute(attribute: DicomJsonAttribute, study: string): DicomJsonAttribute {
  let out = attribute;
  if (attribute.BulkDataURI !== undefined) {
    let path = attribute.BulkDataURI;
    try {
      path = new URL(attribute.BulkDataURI, 'http://relative.invalid').pathname;
    } catch {
      // Not a URL: matched as it is, and dropped if it does not fit.
    }
    const match = PACS_BULK.exec(path);
    const [, s, se, sop, tags] = match ?? [];
    const { BulkDataURI: _dropped, ...rest } = attribute;
    // Only a value of this study, named by legal UIDs, is served through the proxy; anything else is left out (never the PACS address).
    out = match && s === study && uidProblem(se as string) === null && uidProblem(sop as string) === null ? { ...rest, BulkDataURI: proxyBulkDataUri(study, se as string, sop as string, tags as string) } : rest;
  }
  if (attribute.vr === 'SQ' && Array.isArray(attribute.Value)) {
    out = { ...out, Value: attribute.Value.map((item) => (typeof item === 'object' && item !== null && !Array.isArray(item) ? rewriteDataset(item as DicomJsonDataset, study) : item)) };
  }
  return out;
}

function rewriteDataset(dataset: DicomJsonDataset, study: string): DicomJsonDataset {
  const out: DicomJsonDataset = {};
  for (const [tag, attribute] of Object.entries(dataset)) out[tag] = attribute === undefined ? undefined : rewriteAttribute(attribute, study);
  return out;
}

/**
 * Metadata as the PACS wrote it, with every BulkDataURI (at any depth)
 * pointing at the proxy instead of the PACS: the reader's browser can fetch
 * it with its session, and never learns the PACS address. A URI naming
 * another study, or not of the WADO-RS bulk form, is removed.
 */
export function rewriteBulkDataUris(datasets: DicomJsonDataset[], study: string): DicomJsonDataset[] {
  return datasets.map((dataset) => rewriteDataset(dataset, study));
}
