import type { DicomJsonDataset } from '../pacs/dicomJson.js';
import type { PacsAdapter } from '../pacs/pacsAdapter.js';
import { inlinePaletteTables } from './inlineLookupTables.js';
import { rewriteBulkDataUris } from './pacsUrls.js';

/**
 * Metadata as the proxy serves it: addresses rewritten to the proxy's own
 * (pacsUrls.ts), palette tables put inline (inlineLookupTables.ts).
 */
export function servedMetadata(pacs: Pick<PacsAdapter, 'bulkData'>, study: string, datasets: DicomJsonDataset[]): Promise<DicomJsonDataset[]> {
  return inlinePaletteTables(rewriteBulkDataUris(datasets, study), (series, sop, path) => pacs.bulkData(study, series, sop, path));
}
