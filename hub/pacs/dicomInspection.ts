import { createRequire } from 'node:module';
import { inflateRawSync } from 'node:zlib';
import type * as DicomParser from 'dicom-parser';
import { dcmjsReader, type DcmjsDict } from './dcmjsReader.js';
import { TAG, type DicomJsonAttribute, type DicomJsonDataset } from './dicomJson.js';
import { DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN, EXPLICIT_VR_LITTLE_ENDIAN, isNative } from './transferSyntax.js';
import { uidProblem } from './uid.js';

/**
 * Reads and checks one DICOM Part-10 file from outside. Runs inside
 * parseWorker.ts (never on the hub's main thread: see untrustedDicom.ts),
 * but is a plain function so that its checks can be unit-tested.
 *
 * Checks, in order, each failing with a DicomProblem a person can read:
 * the "DICM" marker; a bounded inflation of deflated files; a full parse by
 * dicom-parser (truncation, lengths past the end); sequence nesting depth;
 * legal UIDs (PS3.5 §9.1); pixel data that holds Rows × Columns × Samples ×
 * Frames × BitsAllocated; encapsulated fragments inside the file and mapped
 * to frames. Only then is dcmjs asked for the attributes as DICOM JSON.
 */

export type DicomProblemCode =
  | 'too-large'
  | 'not-dicom'
  | 'truncated'
  | 'malformed'
  | 'nesting-too-deep'
  | 'bad-uid'
  | 'bad-pixel-data'
  | 'inflate-limit'
  | 'timeout'
  | 'out-of-memory'
  | 'unreadable-file'
  | 'inspector-failed';

export interface DicomProblem {
  code: DicomProblemCode;
  /** English, names the check that failed; quotes UIDs at most, never a patient attribute. */
  message: string;
}

export class DicomProblemError extends Error {
  constructor(
    readonly code: DicomProblemCode,
    message: string,
  ) {
    super(message);
  }
}

export interface InspectLimits {
  /** Largest inflated size of a deflated dataset. */
  maxInflatedBytes: number;
  /** Deepest sequence nesting accepted (real objects stay under ~10). */
  maxNestingDepth: number;
  /** Binary attributes up to this size go inline (base64) in the JSON; larger ones are left out. */
  maxInlineBinaryBytes: number;
  maxFrames: number;
}

export const DEFAULT_INSPECT_LIMITS: InspectLimits = {
  maxInflatedBytes: 512 * 1024 * 1024,
  maxNestingDepth: 32,
  maxInlineBinaryBytes: 256 * 1024,
  maxFrames: 100_000,
};

/** Native pixel data: frame k (0-based) starts `k × frameBits` bits after `offset`. */
export interface NativePixelLayout {
  kind: 'native';
  offset: number;
  frameBits: number;
}

/** Encapsulated pixel data: for each frame, its fragments' [offset, length] in the file. */
export interface EncapsulatedPixelLayout {
  kind: 'encapsulated';
  frames: { offset: number; length: number }[][];
}

export type PixelLayout = NativePixelLayout | EncapsulatedPixelLayout;

/**
 * - `summary`: identity and the study/series attributes ingestion needs;
 * - `full`: every attribute except the pixel data (WADO-RS metadata).
 */
export type InspectMode = 'summary' | 'full';

export interface InspectedInstance {
  /** As stored in the file meta information. */
  transferSyntaxUid: string;
  sopClassUid: string;
  sopInstanceUid: string;
  seriesInstanceUid: string;
  studyInstanceUid: string;
  /** (0002,0016) Source Application Entity Title, when the writer recorded it. */
  sourceAet: string | null;
  /** 0 without pixel data. */
  numberOfFrames: number;
  pixels: PixelLayout | null;
  /** True for a deflated file: `pixels` offsets are in the inflated bytes, so frames are cut in the worker. */
  deflated: boolean;
  dataset: DicomJsonDataset;
}

/** The attributes kept in `summary` mode. */
const SUMMARY_TAGS = new Set<string>([
  ...Object.values(TAG).filter((tag) => tag !== TAG.PixelData),
  '00080090', // ReferringPhysicianName
  '0008103E', // SeriesDescription
  '00080021', // SeriesDate
  '00080031', // SeriesTime
]);

// dicom-parser is CommonJS; Node's ESM loader sees only its default export.
const dicomParser = createRequire(import.meta.url)('dicom-parser') as typeof DicomParser;

const BINARY_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'UN']);

// ---------------------------------------------------------------------------
// Errors from the parsers
// ---------------------------------------------------------------------------

/** dicom-parser throws strings, `{ exception, dataSet }` objects or Errors: get a message out of any of them. */
export function thrownMessage(thrown: unknown): string {
  if (thrown instanceof Error) return thrown.message;
  if (typeof thrown === 'string') return thrown;
  if (typeof thrown === 'object' && thrown !== null && 'exception' in thrown) return thrownMessage((thrown as { exception: unknown }).exception);
  try {
    return JSON.stringify(thrown) ?? String(thrown);
  } catch {
    return String(thrown);
  }
}

function isStackOverflow(thrown: unknown): boolean {
  const inner = typeof thrown === 'object' && thrown !== null && 'exception' in thrown ? (thrown as { exception: unknown }).exception : thrown;
  return inner instanceof RangeError && /call stack/i.test(inner.message);
}

/** Maps anything a parser threw to a DicomProblemError. */
export function classifyParseError(thrown: unknown, parser: string): DicomProblemError {
  if (thrown instanceof DicomProblemError) return thrown;
  if (isStackOverflow(thrown)) {
    return new DicomProblemError('nesting-too-deep', `sequences are nested too deeply to parse (${parser} ran out of stack)`);
  }
  const message = thrownMessage(thrown).slice(0, 300);
  if (/past end of buffer|buffer overread|buffer overrun|cannot be greater than or equal to|beyond the end|out of range/i.test(message)) {
    return new DicomProblemError('truncated', `the file is truncated or an element declares a length past its end (${parser}: ${message})`);
  }
  return new DicomProblemError('malformed', `the file cannot be parsed (${parser}: ${message})`);
}

// ---------------------------------------------------------------------------
// Deflate
// ---------------------------------------------------------------------------

/**
 * A Part-10 buffer equivalent to a deflated file: a minimal meta header
 * naming Explicit VR Little Endian, then the inflated dataset. Inflation is
 * capped: a small deflated file can inflate to gigabytes (PITFALLS).
 */
function inflateToExplicit(bytes: Buffer, datasetStart: number, maxInflatedBytes: number): Buffer {
  let inflated: Buffer;
  try {
    inflated = inflateRawSync(bytes.subarray(datasetStart), { maxOutputLength: maxInflatedBytes });
  } catch (error) {
    if (error instanceof RangeError || (error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new DicomProblemError('inflate-limit', `the deflated dataset inflates to more than ${maxInflatedBytes} bytes`);
    }
    throw new DicomProblemError('malformed', `the deflated dataset cannot be inflated (${(error as Error).message})`);
  }
  const ts = Buffer.from(`${EXPLICIT_VR_LITTLE_ENDIAN}\0`, 'latin1'); // 20 bytes, even
  const meta = Buffer.alloc(128 + 4 + 12 + 8 + ts.length);
  meta.write('DICM', 128, 'latin1');
  let p = 132;
  // (0002,0000) UL 4 = length of the rest of the meta group
  meta.writeUInt16LE(0x0002, p);
  meta.writeUInt16LE(0x0000, p + 2);
  meta.write('UL', p + 4, 'latin1');
  meta.writeUInt16LE(4, p + 6);
  meta.writeUInt32LE(8 + ts.length, p + 8);
  p += 12;
  // (0002,0010) UI TransferSyntaxUID
  meta.writeUInt16LE(0x0002, p);
  meta.writeUInt16LE(0x0010, p + 2);
  meta.write('UI', p + 4, 'latin1');
  meta.writeUInt16LE(ts.length, p + 6);
  ts.copy(meta, p + 8);
  return Buffer.concat([meta, inflated]);
}

// ---------------------------------------------------------------------------
// Checks
// ---------------------------------------------------------------------------

/** Depth of the deepest sequence item, walked without recursion. */
function nestingDepth(dataSet: DicomParser.DataSet, limit: number): number {
  let deepest = 0;
  const stack: { dataSet: DicomParser.DataSet; depth: number }[] = [{ dataSet, depth: 0 }];
  while (stack.length > 0) {
    const { dataSet: current, depth } = stack.pop() as { dataSet: DicomParser.DataSet; depth: number };
    deepest = Math.max(deepest, depth);
    if (deepest > limit) return deepest;
    for (const element of Object.values(current.elements)) {
      for (const item of element.items ?? []) {
        if (item.dataSet) stack.push({ dataSet: item.dataSet, depth: depth + 1 });
      }
    }
  }
  return deepest;
}

function requireUid(dataSet: DicomParser.DataSet, tag: string, name: string): string {
  const value = dataSet.string(tag);
  const problem = uidProblem(value);
  if (problem !== null) throw new DicomProblemError('bad-uid', `${name} ${problem}`);
  return value as string;
}

function positiveInteger(value: number | undefined, fallback: number): number {
  return value === undefined || Number.isNaN(value) ? fallback : value;
}

function pixelLayout(dataSet: DicomParser.DataSet, transferSyntaxUid: string, byteLength: number, limits: InspectLimits): { pixels: PixelLayout | null; frames: number } {
  const element = dataSet.elements['x7fe00010'];
  if (element === undefined) return { pixels: null, frames: 0 };
  const rows = dataSet.uint16('x00280010') ?? 0;
  const columns = dataSet.uint16('x00280011') ?? 0;
  const bitsAllocated = dataSet.uint16('x00280100') ?? 0;
  const samples = positiveInteger(dataSet.uint16('x00280002'), 1);
  const frames = positiveInteger(dataSet.intString('x00280008'), 1);
  if (rows < 1 || columns < 1) throw new DicomProblemError('bad-pixel-data', `Rows (${rows}) and Columns (${columns}) must both be at least 1`);
  if (![1, 8, 16, 32, 64].includes(bitsAllocated)) throw new DicomProblemError('bad-pixel-data', `BitsAllocated is ${bitsAllocated} (expected 1, 8, 16, 32 or 64)`);
  if (samples < 1 || samples > 4) throw new DicomProblemError('bad-pixel-data', `SamplesPerPixel is ${samples} (expected 1 to 4)`);
  if (!Number.isInteger(frames) || frames < 1 || frames > limits.maxFrames) {
    throw new DicomProblemError('bad-pixel-data', `NumberOfFrames is ${frames} (expected an integer from 1 to ${limits.maxFrames})`);
  }
  const frameBits = rows * columns * samples * bitsAllocated;

  if (isNative(transferSyntaxUid)) {
    if (element.encapsulatedPixelData === true || element.hadUndefinedLength === true) {
      throw new DicomProblemError('malformed', 'the transfer syntax is native but the pixel data is encapsulated');
    }
    const needed = Math.ceil((frameBits * frames) / 8);
    if (element.length < needed) {
      throw new DicomProblemError(
        'bad-pixel-data',
        `Rows × Columns × SamplesPerPixel × NumberOfFrames × BitsAllocated = ${rows} × ${columns} × ${samples} × ${frames} × ${bitsAllocated} bits ` +
          `needs ${needed} bytes but the pixel data holds ${element.length}`,
      );
    }
    if (element.dataOffset + needed > byteLength) throw new DicomProblemError('truncated', 'the pixel data runs past the end of the file');
    return { pixels: { kind: 'native', offset: element.dataOffset, frameBits }, frames };
  }

  if (element.encapsulatedPixelData !== true || element.fragments === undefined) {
    throw new DicomProblemError('malformed', `the transfer syntax ${transferSyntaxUid} is compressed but the pixel data is not encapsulated`);
  }
  const fragments = element.fragments;
  if (fragments.length === 0) throw new DicomProblemError('bad-pixel-data', 'the encapsulated pixel data holds no fragment');
  for (const fragment of fragments) {
    if (fragment.position + fragment.length > byteLength) {
      throw new DicomProblemError('truncated', `a pixel data fragment of ${fragment.length} bytes runs past the end of the file`);
    }
  }
  const spans = (list: readonly DicomParser.Fragment[]) => list.map((f) => ({ offset: f.position, length: f.length }));
  if (frames === 1) return { pixels: { kind: 'encapsulated', frames: [spans(fragments)] }, frames };

  const table = element.basicOffsetTable ?? [];
  if (table.length > 0) {
    if (table.length !== frames) {
      throw new DicomProblemError('bad-pixel-data', `the Basic Offset Table has ${table.length} entries for ${frames} frames`);
    }
    const starts = table.map((offset) => fragments.findIndex((f) => f.offset === offset));
    if (starts.some((index, k) => index < 0 || (k > 0 && index <= (starts[k - 1] as number)))) {
      throw new DicomProblemError('bad-pixel-data', 'the Basic Offset Table does not point at the starts of fragments in order');
    }
    return {
      pixels: { kind: 'encapsulated', frames: starts.map((start, k) => spans(fragments.slice(start, starts[k + 1] ?? fragments.length))) },
      frames,
    };
  }
  if (fragments.length === frames) return { pixels: { kind: 'encapsulated', frames: fragments.map((f) => spans([f])) }, frames };

  // No offset table and several fragments per frame: a frame starts where a
  // fragment starts with a JPEG SOI (FFD8) or a J2K/HTJ2K SOC (FF4F) marker.
  const bytes = dataSet.byteArray;
  const starts = fragments.flatMap((f, index) => {
    const b0 = bytes[f.position];
    const b1 = bytes[f.position + 1];
    return f.length >= 2 && b0 === 0xff && (b1 === 0xd8 || b1 === 0x4f) ? [index] : [];
  });
  if (starts.length !== frames || starts[0] !== 0) {
    throw new DicomProblemError(
      'bad-pixel-data',
      `${fragments.length} fragments for ${frames} frames and no Basic Offset Table: cannot tell which fragments make each frame`,
    );
  }
  return {
    pixels: { kind: 'encapsulated', frames: starts.map((start, k) => spans(fragments.slice(start, starts[k + 1] ?? fragments.length))) },
    frames,
  };
}

// ---------------------------------------------------------------------------
// DICOM JSON
// ---------------------------------------------------------------------------

function base64Of(values: readonly unknown[]): { base64: string; bytes: number } | undefined {
  const buffers: Buffer[] = [];
  for (const value of values) {
    if (value instanceof ArrayBuffer) buffers.push(Buffer.from(value));
    else if (ArrayBuffer.isView(value)) buffers.push(Buffer.from(value.buffer, value.byteOffset, value.byteLength));
    else return undefined;
  }
  const joined = Buffer.concat(buffers);
  return { base64: joined.toString('base64'), bytes: joined.length };
}

/** dcmjs's dictionary (already close to DICOM JSON) → the DICOM JSON model. */
function toDicomJson(dict: DcmjsDict, limits: InspectLimits, keep?: ReadonlySet<string>): DicomJsonDataset {
  const out: DicomJsonDataset = {};
  for (const [rawTag, element] of Object.entries(dict)) {
    const tag = rawTag.toUpperCase();
    if (keep !== undefined && !keep.has(tag)) continue;
    if (tag === TAG.PixelData || typeof element.vr !== 'string') continue;
    const vr = element.vr;
    const values = Array.isArray(element.Value) ? (element.Value as unknown[]) : [];
    let attribute: DicomJsonAttribute | undefined;
    if (values.length === 0) {
      attribute = { vr };
    } else if (vr === 'SQ') {
      attribute = {
        vr,
        Value: values.map((item) => (typeof item === 'object' && item !== null ? toDicomJson(item as DcmjsDict, limits) : {})),
      };
    } else if (BINARY_VRS.has(vr)) {
      const binary = base64Of(values);
      // Large binaries (overlays, private blobs) are left out: the proxy serves frames, not bulk data.
      if (binary !== undefined && binary.bytes <= limits.maxInlineBinaryBytes) attribute = { vr, InlineBinary: binary.base64 };
    } else {
      attribute = {
        vr,
        Value: values.map((value) => (typeof value === 'number' && !Number.isFinite(value) ? null : value)),
      };
    }
    if (attribute !== undefined) out[tag] = attribute;
  }
  return out;
}

// ---------------------------------------------------------------------------
// Entry point
// ---------------------------------------------------------------------------

export interface ParsedForFrames {
  /** The bytes the layout's offsets refer to (inflated for a deflated file). */
  bytes: Buffer;
  instance: InspectedInstance;
}

/** Inspects a whole file (see the module comment). Throws DicomProblemError. */
export function inspectDicomBytes(original: Buffer, mode: InspectMode, limits: InspectLimits = DEFAULT_INSPECT_LIMITS): InspectedInstance {
  return parseAndCheck(original, mode, limits).instance;
}

/** As inspectDicomBytes, also returning the bytes the frame offsets refer to. */
export function parseAndCheck(original: Buffer, mode: InspectMode, limits: InspectLimits): ParsedForFrames {
  if (original.length < 132 || original.toString('latin1', 128, 132) !== 'DICM') {
    throw new DicomProblemError('not-dicom', 'not a DICOM Part-10 file (no "DICM" marker at byte 128)');
  }
  let meta: DicomParser.DataSet;
  try {
    meta = dicomParser.readPart10Header(original);
  } catch (thrown) {
    throw classifyParseError(thrown, 'dicom-parser, file meta information');
  }
  const transferSyntaxUid = requireUid(meta, 'x00020010', 'TransferSyntaxUID (0002,0010)');
  const sourceAet = meta.string('x00020016')?.trim() || null;
  const deflated = transferSyntaxUid === DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN;
  const datasetStart = (meta as unknown as { position: number }).position;
  const bytes = deflated ? inflateToExplicit(original, datasetStart, limits.maxInflatedBytes) : original;

  let dataSet: DicomParser.DataSet;
  try {
    dataSet = dicomParser.parseDicom(bytes);
  } catch (thrown) {
    throw classifyParseError(thrown, 'dicom-parser');
  }
  const depth = nestingDepth(dataSet, limits.maxNestingDepth);
  if (depth > limits.maxNestingDepth) {
    throw new DicomProblemError('nesting-too-deep', `sequences are nested more than ${limits.maxNestingDepth} levels deep`);
  }
  const sopClassUid = requireUid(dataSet, 'x00080016', 'SOPClassUID (0008,0016)');
  const sopInstanceUid = requireUid(dataSet, 'x00080018', 'SOPInstanceUID (0008,0018)');
  const studyInstanceUid = requireUid(dataSet, 'x0020000d', 'StudyInstanceUID (0020,000D)');
  const seriesInstanceUid = requireUid(dataSet, 'x0020000e', 'SeriesInstanceUID (0020,000E)');
  const { pixels, frames } = pixelLayout(dataSet, deflated ? EXPLICIT_VR_LITTLE_ENDIAN : transferSyntaxUid, bytes.length, limits);

  let dict: DcmjsDict;
  try {
    const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
    const arrayBuffer = (whole ? bytes.buffer : bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)) as ArrayBuffer;
    dict = dcmjsReader.data.DicomMessage.readFile(arrayBuffer, { untilTag: '7FE00010', includeUntilTagValue: false, ignoreErrors: true }).dict;
  } catch (thrown) {
    throw classifyParseError(thrown, 'dcmjs');
  }
  const dataset = toDicomJson(dict, limits, mode === 'summary' ? SUMMARY_TAGS : undefined);
  return {
    bytes,
    instance: { transferSyntaxUid, sopClassUid, sopInstanceUid, seriesInstanceUid, studyInstanceUid, sourceAet, numberOfFrames: frames, pixels, deflated, dataset },
  };
}

// ---------------------------------------------------------------------------
// Frames
// ---------------------------------------------------------------------------

/** Byte range [start, end) of `bytes`-relative data holding native frame `index` (0-based), and its bit shift. */
export function nativeFrameRange(layout: NativePixelLayout, index: number): { start: number; end: number; shift: number; length: number } {
  const startBit = index * layout.frameBits;
  const start = layout.offset + Math.floor(startBit / 8);
  const end = layout.offset + Math.ceil((startBit + layout.frameBits) / 8);
  return { start, end, shift: startBit % 8, length: Math.ceil(layout.frameBits / 8) };
}

/**
 * A native frame from the bytes of its range. Frames of 1-bit images need
 * not start on a byte boundary (PS3.5 8.1.1: bits are packed across
 * frames); they are shifted to start at bit 0.
 */
export function nativeFrameFromRange(range: Buffer, shift: number, length: number): Buffer {
  if (shift === 0) return range.subarray(0, length);
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i++) {
    const low = (range[i] ?? 0) >> shift;
    const high = ((range[i + 1] ?? 0) << (8 - shift)) & 0xff;
    out[i] = low | high;
  }
  return out;
}

/** Frames (1-based numbers) cut from parsed bytes; used for deflated files, whose offsets point into inflated bytes. */
export function framesFromParsed(parsed: ParsedForFrames, frameNumbers: readonly number[]): Buffer[] {
  const { pixels, numberOfFrames } = parsed.instance;
  if (pixels === null) throw new DicomProblemError('bad-pixel-data', 'the instance has no pixel data');
  return frameNumbers.map((n) => {
    if (!Number.isInteger(n) || n < 1 || n > numberOfFrames) throw new DicomProblemError('bad-pixel-data', `frame ${n} does not exist (${numberOfFrames} frames)`);
    if (pixels.kind === 'native') {
      const range = nativeFrameRange(pixels, n - 1);
      return Buffer.from(nativeFrameFromRange(parsed.bytes.subarray(range.start, range.end), range.shift, range.length));
    }
    return Buffer.concat((pixels.frames[n - 1] ?? []).map((f) => parsed.bytes.subarray(f.offset, f.offset + f.length)));
  });
}
