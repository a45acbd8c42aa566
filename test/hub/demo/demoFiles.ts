/**
 * Reads generated demo files back with dicom-parser: an implementation
 * independent of dcmjs, which wrote them.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import * as dicomParser from 'dicom-parser';

export interface ParsedFile {
  path: string;
  dataSet: dicomParser.DataSet;
}

/** Every `*.dcm` under `folder`, as paths relative to it, sorted. */
export async function listDcm(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.dcm'))
    .map((e) => relative(folder, join(e.parentPath, e.name)))
    .sort();
}

export async function parseFile(path: string): Promise<ParsedFile> {
  const bytes = await readFile(path);
  return { path, dataSet: dicomParser.parseDicom(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)) };
}

export function text(dataSet: dicomParser.DataSet, tag: string): string | undefined {
  return dataSet.string(tag);
}

/**
 * The modality-LUT output (HU for CT) of every pixel of a single-frame,
 * 16-bit grey image, from the file's own Rescale Slope/Intercept and Pixel
 * Representation.
 */
export function rescaledPixels(dataSet: dicomParser.DataSet): { values: Float64Array; rows: number; columns: number } {
  const rows = dataSet.uint16('x00280010') ?? 0;
  const columns = dataSet.uint16('x00280011') ?? 0;
  const bitsAllocated = dataSet.uint16('x00280100');
  const signed = dataSet.uint16('x00280103') === 1;
  const slope = dataSet.floatString('x00281053') ?? 1;
  const intercept = dataSet.floatString('x00281052') ?? 0;
  const element = dataSet.elements['x7fe00010'];
  if (!element || bitsAllocated !== 16) throw new Error('expected 16-bit native pixel data');
  if (element.length < rows * columns * 2) throw new Error('pixel data shorter than Rows × Columns');
  const view = new DataView(dataSet.byteArray.buffer, dataSet.byteArray.byteOffset + element.dataOffset, rows * columns * 2);
  const values = new Float64Array(rows * columns);
  for (let i = 0; i < values.length; i++) {
    const stored = signed ? view.getInt16(i * 2, true) : view.getUint16(i * 2, true);
    values[i] = stored * slope + intercept;
  }
  return { values, rows, columns };
}

/** Mean of the pixels whose centre lies within `radius` pixels of (column, row). */
export function discMean(image: { values: Float64Array; columns: number }, column: number, row: number, radius: number): number {
  let sum = 0;
  let count = 0;
  const r = Math.ceil(radius);
  for (let dy = -r; dy <= r; dy++) {
    for (let dx = -r; dx <= r; dx++) {
      if (dx * dx + dy * dy > radius * radius) continue;
      sum += image.values[(row + dy) * image.columns + (column + dx)] as number;
      count += 1;
    }
  }
  return sum / count;
}
