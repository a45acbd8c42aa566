import { hash128 } from '../../demo/uid.js';

/**
 * The Encapsulated PDF's series UID, derived from the report's series UID
 * (the SR's). The routes hand over one series UID per signed document; a
 * second one derived by hash keeps building the documents again (a retried
 * delivery) stable without storing another UID. 2.25 + 128 bits: valid
 * under any organisation root and never colliding with it.
 */
export function pdfSeriesInstanceUid(reportSeriesInstanceUid: string): string {
  return `2.25.${hash128(`vigie/report-pdf-series/${reportSeriesInstanceUid}`).toString(10)}`;
}
