/**
 * The viewer e2e test's own view of the demo DICOM files, computed without
 * any viewer code: each slice read with dicom-parser (stored values × Rescale
 * Slope + Rescale Intercept), the series' reading order from its geometry,
 * the DICOM LINEAR VOI function (PS3.3 C.11.2.1.2.1), and sample points
 * whose expected grey is known despite the interpolation of the screen.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type * as DicomParser from 'dicom-parser';

const dicomParser = createRequire(import.meta.url)('dicom-parser') as typeof DicomParser;

export interface Window {
  width: number;
  center: number;
}

export interface Slice {
  file: string;
  sopInstanceUid: string;
  studyInstanceUid: string;
  seriesInstanceUid: string;
  instanceNumber: number;
  rows: number;
  columns: number;
  /** ImagePositionPatient (mm, LPS). */
  position: [number, number, number];
  /** ImageOrientationPatient: row direction then column direction. */
  rowCosines: [number, number, number];
  columnCosines: [number, number, number];
  /** PixelSpacing: [between rows, between columns] (mm). */
  pixelSpacing: [number, number];
  /** The file's first WindowCenter/WindowWidth. */
  window: Window;
  /** Modality values (HU), row by row. */
  values: Int32Array;
}

function numbers(dataSet: DicomParser.DataSet, tag: string, count: number): number[] {
  const text = dataSet.string(tag);
  if (text === undefined) throw new Error(`missing ${tag}`);
  const parts = text.split('\\').map(Number);
  if (parts.length < count || parts.some((n) => !Number.isFinite(n))) throw new Error(`bad ${tag}: ${text}`);
  return parts.slice(0, count);
}

/** Reads one single-frame greyscale CT slice (Explicit or Implicit VR Little Endian, 16 bits allocated). */
export async function readSlice(file: string): Promise<Slice> {
  const bytes = await readFile(file);
  const dataSet = dicomParser.parseDicom(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length));
  const rows = dataSet.uint16('x00280010') ?? 0;
  const columns = dataSet.uint16('x00280011') ?? 0;
  const bitsAllocated = dataSet.uint16('x00280100');
  const signed = dataSet.uint16('x00280103') === 1;
  const samples = dataSet.uint16('x00280002') ?? 1;
  if (bitsAllocated !== 16 || samples !== 1) throw new Error(`${file}: expected 16-bit greyscale, got ${bitsAllocated} bits × ${samples} samples`);
  const pixel = dataSet.elements.x7fe00010;
  if (!pixel || pixel.length !== rows * columns * 2) throw new Error(`${file}: pixel data of ${pixel?.length} bytes for ${rows}×${columns}`);
  const slope = dataSet.floatString('x00281053') ?? 1;
  const intercept = dataSet.floatString('x00281052') ?? 0;
  const view = new DataView(bytes.buffer, bytes.byteOffset + pixel.dataOffset, pixel.length);
  const values = new Int32Array(rows * columns);
  for (let i = 0; i < values.length; i++) {
    const stored = signed ? view.getInt16(i * 2, true) : view.getUint16(i * 2, true);
    values[i] = stored * slope + intercept;
  }
  const [rx, ry, rz, cx, cy, cz] = numbers(dataSet, 'x00200037', 6) as [number, number, number, number, number, number];
  return {
    file,
    sopInstanceUid: dataSet.string('x00080018') ?? '',
    studyInstanceUid: dataSet.string('x0020000d') ?? '',
    seriesInstanceUid: dataSet.string('x0020000e') ?? '',
    instanceNumber: dataSet.intString('x00200013') ?? 0,
    rows,
    columns,
    position: numbers(dataSet, 'x00200032', 3) as [number, number, number],
    rowCosines: [rx, ry, rz],
    columnCosines: [cx, cy, cz],
    pixelSpacing: numbers(dataSet, 'x00280030', 2) as [number, number],
    window: { center: numbers(dataSet, 'x00281050', 1)[0] as number, width: numbers(dataSet, 'x00281051', 1)[0] as number },
    values,
  };
}

function normalOf(slice: Slice): [number, number, number] {
  const [a, b, c] = slice.rowCosines;
  const [d, e, f] = slice.columnCosines;
  return [b * f - c * e, c * d - a * f, a * e - b * d];
}

/**
 * A series' slices in the order a reader scrolls them: by position along the
 * slice normal, highest first (for an axial head CT: the vertex first), as
 * Cornerstone3D orders a volume.
 */
export async function readSeries(files: readonly string[]): Promise<Slice[]> {
  const slices = await Promise.all(files.map(readSlice));
  const normal = normalOf(slices[0] as Slice);
  const distance = (s: Slice) => s.position[0] * normal[0] + s.position[1] * normal[1] + s.position[2] * normal[2];
  return slices.sort((a, b) => distance(b) - distance(a));
}

export function valueAt(slice: Slice, column: number, row: number): number {
  if (column < 0 || row < 0 || column >= slice.columns || row >= slice.rows) throw new RangeError(`(${column}, ${row}) is outside the image`);
  return slice.values[row * slice.columns + column] as number;
}

/** Patient-space point (mm) of the centre of pixel (column, row) of a slice (PS3.3 C.7.6.2.1.1). */
export function worldOf(slice: Slice, column: number, row: number): [number, number, number] {
  const [dr, dc] = slice.pixelSpacing;
  return [0, 1, 2].map((i) => (slice.position[i] as number) + (slice.rowCosines[i] as number) * dc * column + (slice.columnCosines[i] as number) * dr * row) as [number, number, number];
}

/** Pixel (column, row), fractional, of a patient-space point in an axial slice's plane (the point's own z is ignored). */
export function pixelOf(slice: Slice, x: number, y: number): { column: number; row: number } {
  const [dr, dc] = slice.pixelSpacing;
  if (Math.abs(slice.rowCosines[0] - 1) > 1e-6 || Math.abs(slice.columnCosines[1] - 1) > 1e-6) throw new Error('pixelOf handles axial slices only');
  return { column: (x - slice.position[0]) / dc, row: (y - slice.position[1]) / dr };
}

/**
 * The DICOM LINEAR VOI LUT function (PS3.3 C.11.2.1.2.1), output range 0…255:
 * x ≤ c − 0.5 − (w − 1)/2 → 0; x > c − 0.5 + (w − 1)/2 → 255; else
 * ((x − (c − 0.5)) / (w − 1) + 0.5) × 255. Written here from the standard,
 * not imported from the viewer.
 */
export function linearVoiGrey(x: number, window: Window): number {
  const c = window.center;
  const w = Math.max(1, window.width);
  if (x <= c - 0.5 - (w - 1) / 2) return 0;
  if (x > c - 0.5 + (w - 1) / 2) return 255;
  return ((x - (c - 0.5)) / (w - 1) + 0.5) * 255;
}

/** The greys that the screen may show around a point: the lowest and highest over its neighbours (interpolation is a convex combination and the VOI is monotonic). */
export interface GreyInterval {
  min: number;
  max: number;
}

export function greyInterval(values: readonly number[], window: Window): GreyInterval {
  const greys = values.map((v) => linearVoiGrey(v, window));
  return { min: Math.min(...greys), max: Math.max(...greys) };
}

export function neighbourValues(slice: Slice, column: number, row: number): number[] {
  const out: number[] = [];
  for (let dr = -1; dr <= 1; dr++) for (let dc = -1; dc <= 1; dc++) out.push(valueAt(slice, column + dc, row + dr));
  return out;
}

export interface SamplePoint {
  column: number;
  row: number;
  /** What the region is, for failure messages. */
  label: string;
}

/**
 * Sample points of a slice for on-screen checks:
 * - `uniform`: every 3×3 neighbour shows the same integer grey under every
 *   given window (air, bone: saturated), so no interpolation can move them;
 * - `flat`: mid-grey points (neither 0 nor 255 under every window) whose 3×3
 *   neighbourhood spans the fewest greys. The demo CT has ±4 HU of noise on
 *   soft tissue, so no mid-grey region is strictly uniform: these are checked
 *   against the interval their neighbours allow.
 * A grid step keeps the points apart and the search cheap.
 */
export function samplePoints(slice: Slice, windows: readonly Window[], wanted: { uniform: number; flat: number }, step = 7): { uniform: SamplePoint[]; flat: SamplePoint[] } {
  const uniform: SamplePoint[] = [];
  const flat: Array<SamplePoint & { span: number }> = [];
  for (let row = 8; row < slice.rows - 8; row += step) {
    for (let column = 8; column < slice.columns - 8; column += step) {
      const around = neighbourValues(slice, column, row);
      const centre = valueAt(slice, column, row);
      const sameGrey = windows.every((w) => around.every((v) => Math.round(linearVoiGrey(v, w)) === Math.round(linearVoiGrey(centre, w))));
      if (sameGrey) {
        uniform.push({ column, row, label: `uniform ${centre} HU` });
        continue;
      }
      const midGrey = windows.every((w) => {
        const g = linearVoiGrey(centre, w);
        return g > 10 && g < 245;
      });
      if (!midGrey) continue;
      const span = Math.max(...windows.map((w) => greyInterval(around, w)).map((i) => i.max - i.min));
      flat.push({ column, row, span, label: `flat ${centre} HU` });
    }
  }
  // Uniform points spread over the image and over the greys found (air and bone both, when both are there):
  // every k-th of each grey, taken in turn.
  const byGrey = new Map<number, SamplePoint[]>();
  for (const p of uniform) {
    const grey = Math.round(linearVoiGrey(valueAt(slice, p.column, p.row), windows[0] as Window));
    byGrey.set(grey, [...(byGrey.get(grey) ?? []), p]);
  }
  const perGrey = [...byGrey.values()].map((list) => {
    const every = Math.max(1, Math.floor(list.length / wanted.uniform));
    return list.filter((_, i) => i % every === 0);
  });
  const spreadUniform: SamplePoint[] = [];
  for (let i = 0; spreadUniform.length < wanted.uniform && perGrey.some((list) => i < list.length); i++) {
    for (const list of perGrey) if (i < list.length && spreadUniform.length < wanted.uniform) spreadUniform.push(list[i] as SamplePoint);
  }
  const flattest = flat.sort((a, b) => a.span - b.span || a.row - b.row || a.column - b.column).slice(0, wanted.flat);
  return { uniform: spreadUniform, flat: flattest.map(({ column, row, label }) => ({ column, row, label })) };
}

/** Whether a canvas RGBA is a grey level within `tolerance` of the interval; the message says what was seen. */
export function checkGrey(rgba: readonly number[] | null, interval: GreyInterval, tolerance: number): string | null {
  if (!rgba) return 'no pixel (point off the canvas)';
  const [r, g, b, a] = rgba as [number, number, number, number];
  if (r !== g || g !== b) return `not grey: rgba(${rgba.join(', ')})`;
  if (a !== 255) return `not opaque: rgba(${rgba.join(', ')})`;
  if (r < interval.min - tolerance || r > interval.max + tolerance) return `grey ${r}, expected ${interval.min.toFixed(1)}…${interval.max.toFixed(1)} ± ${tolerance}`;
  return null;
}
