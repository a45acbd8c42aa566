/**
 * Checks a decoded image against what its DICOM attributes promise, before a
 * reader may see it. A decoder that returns the wrong amount of data (packed
 * 1-bit pixels, a truncated frame) or the wrong signedness draws a picture
 * that looks plausible and is wrong: refused here, with the reason shown in
 * the cell instead of the picture.
 */
export interface DecodedImageFacts {
  rows: number;
  columns: number;
  color: boolean;
  pixelLength: number;
  /** Int8Array, Uint16Array… of the decoded data. */
  arrayType: string;
  /** The loader applied slope/intercept (the data may legitimately be signed or float then). */
  preScaled: boolean;
  /** The largest decoded value (greyscale). */
  maxValue: number;
  /** The syntax the frame arrived in (the loader records it on the image). */
  transferSyntaxUid: string | null;
}

export interface DeclaredImage {
  samplesPerPixel: number | null;
  bitsAllocated: number | null;
  bitsStored: number | null;
  pixelRepresentation: number | null;
  photometric: string | null;
}

const JPEG_BASELINE = '1.2.840.10008.1.2.4.50';
const RLE = '1.2.840.10008.1.2.5';

const SIGNED = new Set(['Int8Array', 'Int16Array', 'Int32Array', 'Float32Array', 'Float64Array']);

/** Null when the image may be shown; otherwise why not, in words a reader can pass on to IT. */
export function imageProblem(image: DecodedImageFacts, declared: DeclaredImage): string | null {
  const pixels = image.rows * image.columns;
  if (!(pixels > 0)) return 'the decoded image has no rows or columns';
  const allowed = image.color ? [pixels * 3, pixels * 4] : [pixels];
  if (!allowed.includes(image.pixelLength)) {
    const bits = declared.bitsAllocated === 1 ? ' (1-bit pixel data left packed by the decoder)' : '';
    return `the decoded pixel data does not fit the image: ${image.pixelLength} values for ${image.rows} × ${image.columns}${image.color ? ' colour' : ''} pixels${bits}`;
  }
  // Decoder paths measured wrong on pydicom's test files (docs/decoding.md): refused rather than drawn.
  if (image.color && image.transferSyntaxUid === JPEG_BASELINE && declared.photometric === 'RGB') {
    return 'JPEG baseline colour declared RGB: DICOM does not record whether the colours were transformed, and decoders disagree, so the colours could be wrong';
  }
  if (image.color && image.transferSyntaxUid === RLE && declared.bitsAllocated === 16) {
    return '16-bit colour RLE: the viewer’s RLE decoder does not restore these samples correctly';
  }
  // Unsigned data for a signed file is only wrong where the sign bit is set: those values were negative.
  const bits = declared.bitsStored ?? declared.bitsAllocated;
  if (!image.color && declared.pixelRepresentation === 1 && !image.preScaled && !SIGNED.has(image.arrayType) && bits !== null && image.maxValue >= 2 ** (bits - 1)) {
    return 'the file says its pixel values are signed, the decoder returned them unsigned (negative values would show as bright)';
  }
  return null;
}
