import { firstNumber, firstString, type DicomJsonDataset } from '../pacs/dicomJson.js';
import { EXPLICIT_VR_BIG_ENDIAN, isNative } from '../pacs/transferSyntax.js';
import { encodePng } from './png.js';

/** Image Pixel and VOI LUT module tags read here. */
const PX = {
  SamplesPerPixel: '00280002',
  PhotometricInterpretation: '00280004',
  PlanarConfiguration: '00280006',
  Rows: '00280010',
  Columns: '00280011',
  BitsAllocated: '00280100',
  BitsStored: '00280101',
  PixelRepresentation: '00280103',
  WindowCenter: '00281050',
  WindowWidth: '00281051',
  RescaleIntercept: '00281052',
  RescaleSlope: '00281053',
} as const;

export const THUMBNAIL_SIZE = 128;

/** Why a frame cannot be rendered by the hub (compressed, palette, odd layout): the viewer draws it instead. */
export class NotRenderableHere extends Error {
  override readonly name = 'NotRenderableHere';
}

interface Layout {
  rows: number;
  columns: number;
  samples: 1 | 3;
  bitsAllocated: 8 | 16 | 32;
  bitsStored: number;
  signed: boolean;
  planar: boolean;
  photometric: string;
  bigEndian: boolean;
}

function layoutOf(dataset: DicomJsonDataset, transferSyntaxUid: string, frameLength: number): Layout {
  if (!isNative(transferSyntaxUid)) throw new NotRenderableHere(`pixel data is compressed (transfer syntax ${transferSyntaxUid})`);
  const rows = firstNumber(dataset, PX.Rows) ?? 0;
  const columns = firstNumber(dataset, PX.Columns) ?? 0;
  const samples = firstNumber(dataset, PX.SamplesPerPixel) ?? 1;
  const bitsAllocated = firstNumber(dataset, PX.BitsAllocated) ?? 0;
  const photometric = (firstString(dataset, PX.PhotometricInterpretation) ?? '').toUpperCase();
  if (rows < 1 || columns < 1 || rows > 16384 || columns > 16384) throw new NotRenderableHere('no usable Rows/Columns');
  if (bitsAllocated !== 8 && bitsAllocated !== 16 && bitsAllocated !== 32) throw new NotRenderableHere(`BitsAllocated ${bitsAllocated} is not rendered here`);
  const grey = samples === 1 && (photometric === 'MONOCHROME1' || photometric === 'MONOCHROME2');
  const rgb = samples === 3 && photometric === 'RGB' && bitsAllocated === 8;
  if (!grey && !rgb) throw new NotRenderableHere(`${photometric || 'unknown'} with ${samples} sample(s) is not rendered here`);
  const layout: Layout = {
    rows,
    columns,
    samples: samples as 1 | 3,
    bitsAllocated,
    bitsStored: Math.min(firstNumber(dataset, PX.BitsStored) ?? bitsAllocated, bitsAllocated),
    signed: firstNumber(dataset, PX.PixelRepresentation) === 1,
    planar: firstNumber(dataset, PX.PlanarConfiguration) === 1,
    photometric,
    bigEndian: transferSyntaxUid === EXPLICIT_VR_BIG_ENDIAN,
  };
  if (frameLength < rows * columns * layout.samples * (bitsAllocated / 8)) throw new NotRenderableHere('the frame is shorter than Rows × Columns × samples');
  return layout;
}

/** Stored values → modality values (rescale), as numbers. */
function greyValues(frame: Buffer, layout: Layout, slope: number, intercept: number): Float64Array {
  const count = layout.rows * layout.columns;
  const out = new Float64Array(count);
  const bytes = layout.bitsAllocated / 8;
  const shift = 32 - layout.bitsStored;
  for (let i = 0; i < count; i++) {
    let raw: number;
    if (bytes === 1) raw = frame[i] as number;
    else if (bytes === 2) raw = layout.bigEndian ? frame.readUInt16BE(i * 2) : frame.readUInt16LE(i * 2);
    else raw = layout.bigEndian ? frame.readUInt32BE(i * 4) : frame.readUInt32LE(i * 4);
    // Keep BitsStored bits, sign-extended when PixelRepresentation is 1.
    raw = layout.signed ? (raw << shift) >> shift : shift === 0 ? raw >>> 0 : ((raw << shift) >>> shift);
    out[i] = raw * slope + intercept;
  }
  return out;
}

/** Area-averaged downscale of one channel to fit `size`, keeping the aspect ratio. */
function targetSize(columns: number, rows: number, size: number): { width: number; height: number } {
  const scale = Math.min(1, size / Math.max(columns, rows));
  return { width: Math.max(1, Math.round(columns * scale)), height: Math.max(1, Math.round(rows * scale)) };
}

function downscale(values: ArrayLike<number>, columns: number, rows: number, width: number, height: number): Float64Array {
  const out = new Float64Array(width * height);
  for (let y = 0; y < height; y++) {
    const y0 = Math.floor((y * rows) / height);
    const y1 = Math.max(y0 + 1, Math.floor(((y + 1) * rows) / height));
    for (let x = 0; x < width; x++) {
      const x0 = Math.floor((x * columns) / width);
      const x1 = Math.max(x0 + 1, Math.floor(((x + 1) * columns) / width));
      let sum = 0;
      for (let sy = y0; sy < y1; sy++) for (let sx = x0; sx < x1; sx++) sum += values[sy * columns + sx] as number;
      out[y * width + x] = sum / ((y1 - y0) * (x1 - x0));
    }
  }
  return out;
}

/**
 * A PNG thumbnail (at most `size` px on its longer side) of one natively
 * encoded frame: rescale slope/intercept, then the file's first window
 * (PS3.3 C.11.2.1.2, linear) or, without one, the frame's min/max;
 * MONOCHROME1 inverted; RGB 8-bit passed through. Throws NotRenderableHere
 * for compressed syntaxes and layouts not handled (the viewer then draws it).
 */
export function renderThumbnail(dataset: DicomJsonDataset, frame: Buffer, transferSyntaxUid: string, size = THUMBNAIL_SIZE): Buffer {
  const layout = layoutOf(dataset, transferSyntaxUid, frame.length);
  const { width, height } = targetSize(layout.columns, layout.rows, size);
  const count = layout.rows * layout.columns;
  if (layout.samples === 3) {
    const out = new Uint8Array(width * height * 3);
    for (let c = 0; c < 3; c++) {
      const channel = new Uint8Array(count);
      for (let i = 0; i < count; i++) channel[i] = frame[layout.planar ? c * count + i : i * 3 + c] as number;
      const scaled = downscale(channel, layout.columns, layout.rows, width, height);
      for (let i = 0; i < scaled.length; i++) out[i * 3 + c] = Math.round(scaled[i] as number);
    }
    return encodePng(width, height, 3, out);
  }
  const values = downscale(greyValues(frame, layout, firstNumber(dataset, PX.RescaleSlope) ?? 1, firstNumber(dataset, PX.RescaleIntercept) ?? 0), layout.columns, layout.rows, width, height);
  const centre = firstNumber(dataset, PX.WindowCenter);
  const windowWidth = firstNumber(dataset, PX.WindowWidth);
  let low: number;
  let high: number;
  if (centre !== undefined && windowWidth !== undefined && windowWidth >= 1) {
    low = centre - 0.5 - (windowWidth - 1) / 2;
    high = centre - 0.5 + (windowWidth - 1) / 2;
  } else {
    low = Infinity;
    high = -Infinity;
    for (const v of values) {
      if (v < low) low = v;
      if (v > high) high = v;
    }
  }
  const span = high - low;
  const invert = layout.photometric === 'MONOCHROME1';
  const out = new Uint8Array(width * height);
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    let grey = span <= 0 ? (v > low ? 255 : 0) : Math.round(((v - low) / span) * 255);
    grey = grey < 0 ? 0 : grey > 255 ? 255 : grey;
    out[i] = invert ? 255 - grey : grey;
  }
  return encodePng(width, height, 1, out);
}
