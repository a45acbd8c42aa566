import type { DicomJsonAttribute, DicomJsonDataset } from '../pacs/dicomJson.js';
import { parseMultipartRelated } from '../pacs/multipart.js';
import type { BulkDataResult } from '../pacs/pacsAdapter.js';
import { bulkDataTarget } from './pacsUrls.js';

/**
 * A PALETTE COLOR image cannot be drawn without its Red, Green and Blue
 * Palette Color Lookup Table Data (0028,1201–1203), and Cornerstone's
 * WADO-RS loader reads them only from the metadata: an archive that names
 * them by BulkDataURI (Orthanc does) left such images "loading" forever.
 * The proxy puts these three values inline (InlineBinary, PS3.18 F.2.7) in
 * the study metadata it serves, read once from the PACS when the metadata
 * is prepared. A value the PACS does not give keeps its BulkDataURI: the
 * viewer then says the image cannot be shown.
 */
export const PALETTE_DATA_TAGS = ['00281201', '00281202', '00281203'] as const;

/** A palette table holds at most 65 536 entries of 16 bits. */
const MAX_TABLE_BYTES = 2 * 65_536;
/** PACS reads at once while inlining one study's tables. */
const CONCURRENCY = 8;

export type ReadBulkData = (series: string, sop: string, path: string) => Promise<BulkDataResult>;

/** The value's bytes: the body itself, or the first part of a multipart/related answer. */
export function bulkValue(result: BulkDataResult): Buffer {
  if (!/^multipart\//i.test(result.contentType.trim())) return result.body;
  const [part] = parseMultipartRelated(result.contentType, result.body);
  if (!part) throw new Error('the multipart answer holds no part');
  return part.body;
}

/**
 * The datasets (already rewritten to the proxy's addresses) with every
 * palette table named by a BulkDataURI read and put inline. Datasets without
 * one are returned as they are; the others are copies.
 */
export async function inlinePaletteTables(datasets: DicomJsonDataset[], read: ReadBulkData): Promise<DicomJsonDataset[]> {
  const jobs: Array<{ dataset: number; tag: string; series: string; sop: string; path: string }> = [];
  datasets.forEach((dataset, index) => {
    for (const tag of PALETTE_DATA_TAGS) {
      const uri = dataset[tag]?.BulkDataURI;
      const target = uri === undefined ? null : bulkDataTarget(uri);
      if (target) jobs.push({ dataset: index, tag, series: target.series, sop: target.sop, path: target.path });
    }
  });
  if (jobs.length === 0) return datasets;
  const out = datasets.map((dataset) => dataset);
  let next = 0;
  const worker = async () => {
    for (let job = jobs[next++]; job !== undefined; job = jobs[next++]) {
      const inline = await readInline(read, job.series, job.sop, job.path);
      if (inline === null) continue;
      const dataset = out[job.dataset] as DicomJsonDataset;
      const attribute = dataset[job.tag] as DicomJsonAttribute;
      out[job.dataset] = { ...dataset, [job.tag]: { vr: attribute.vr, InlineBinary: inline } };
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, jobs.length) }, worker));
  return out;
}

async function readInline(read: ReadBulkData, series: string, sop: string, path: string): Promise<string | null> {
  try {
    const value = bulkValue(await read(series, sop, path));
    return value.length > 0 && value.length <= MAX_TABLE_BYTES ? value.toString('base64') : null;
  } catch {
    // Left as a BulkDataURI: the viewer names the image it cannot show.
    return null;
  }
}
