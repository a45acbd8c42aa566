/**
 * Comparing the viewer's decoded pixels with pydicom's, with a tolerance per
 * class of transfer syntax (docs/decoding.md says why each one).
 */
import type { ImageReference, Sample } from './reference.js';

/** What the test reads from the page for one displayed frame: the image facts and the values at the reference's sample positions. */
export interface PickedImage {
  rows: number;
  columns: number;
  samplesPerPixel: number;
  photometric: string;
  modalityValues: boolean;
  /** Length of `values` in the page (rows × columns × samplesPerPixel expected). */
  valueCount: number;
  /** One entry per reference sample: the value(s) at (r, c), one per channel. */
  picked: number[][];
}

export interface Tolerance {
  /** e.g. "lossless", "lossy JPEG baseline". */
  name: string;
  /** Every sample must be within this many grey levels (per channel for colour). */
  maxAbs: number;
  /** And at least `fraction` of the samples within `typicalAbs`. */
  typicalAbs: number;
  fraction: number;
}

const JPEG_BASELINE = '1.2.840.10008.1.2.4.50';
const JPEG_EXTENDED = '1.2.840.10008.1.2.4.51';
const JPEG_2000 = '1.2.840.10008.1.2.4.91';
const JPEG_LS_NEAR_LOSSLESS = '1.2.840.10008.1.2.4.81';
const HTJ2K = '1.2.840.10008.1.2.4.203';
const LOSSY = new Set([JPEG_BASELINE, JPEG_EXTENDED, JPEG_2000, JPEG_LS_NEAR_LOSSLESS, HTJ2K]);

/**
 * - Native and lossless syntaxes (implicit/explicit LE, big endian, deflated,
 *   RLE, JPEG 2000 lossless): the decoded values are defined by the file, so
 *   exactly pydicom's. Modality values are compared to 1e-6 relative (the
 *   loader may scale in Float32).
 * - Colour stored as YBR_FULL/YBR_FULL_422 without lossy compression: the
 *   YCbCr → RGB conversion is a float formula; pydicom truncates, a viewer may
 *   round: ±1.
 * - Lossy JPEG baseline/extended, JPEG 2000 (4.91, which may be lossy),
 *   JPEG-LS near-lossless: pydicom (Pillow: libjpeg-turbo, OpenJPEG) and
 *   Cornerstone3D (Chromium's JPEG decoder for colour baseline, its WASM
 *   OpenJPEG) may legitimately differ in IDCT, chroma upsampling and colour
 *   conversion rounding. Measured on pydicom's files: 0 everywhere (see
 *   docs/decoding.md), so the margin is small: ±2 for ≥ 95 % of the samples
 *   and never more than ±8. A wrong colour transform, a wrong frame or
 *   signed data read unsigned is off by tens to thousands on most samples.
 */
export function toleranceFor(image: ImageReference): Tolerance {
  if (LOSSY.has(image.transferSyntaxUid)) return { name: 'lossy-capable syntax (JPEG baseline/extended, JPEG 2000)', maxAbs: 8, typicalAbs: 2, fraction: 0.95 };
  if (image.colour && image.colourConversion !== 'none') return { name: 'lossless, YBR converted to RGB', maxAbs: 1, typicalAbs: 1, fraction: 1 };
  return { name: 'native or lossless', maxAbs: 0, typicalAbs: 0, fraction: 1 };
}

export interface Difference {
  r: number;
  c: number;
  channel: number;
  expected: number;
  got: number;
  diff: number;
}

export interface Comparison {
  ok: boolean;
  /** Why it failed (empty when ok). */
  problems: string[];
  compared: number;
  withinTypical: number;
  maxDiff: number;
  /** Largest differences first (at most 5). */
  worst: Difference[];
  /** Which expectation the values met, e.g. "modality values (slope/intercept applied by the viewer)". */
  matchedAs: string;
}

/** Float32 scaling in the loader: equal to 1e-6 relative, or 1e-4 absolute near zero. */
function floatSlack(expected: number): number {
  return Math.max(1e-4, Math.abs(expected) * 1e-6);
}

function compareValues(samples: readonly Sample[], got: readonly number[][], expected: (s: Sample) => number[], tolerance: Tolerance, slackForFloats: boolean): Omit<Comparison, 'ok' | 'problems' | 'matchedAs'> {
  const diffs: Difference[] = [];
  samples.forEach((s, i) => {
    const want = expected(s);
    const have = got[i] ?? [];
    want.forEach((e, channel) => {
      const g = have[channel] ?? Number.NaN;
      let diff = Math.abs(g - e);
      if (Number.isNaN(diff)) diff = Number.POSITIVE_INFINITY;
      if (slackForFloats && diff <= floatSlack(e)) diff = 0;
      diffs.push({ r: s.r, c: s.c, channel, expected: e, got: g, diff });
    });
  });
  const withinTypical = diffs.filter((d) => d.diff <= tolerance.typicalAbs).length;
  const maxDiff = diffs.reduce((m, d) => Math.max(m, d.diff), 0);
  const worst = [...diffs].sort((a, b) => b.diff - a.diff).slice(0, 5).filter((d) => d.diff > 0);
  return { compared: diffs.length, withinTypical, maxDiff, worst };
}

function verdict(part: Omit<Comparison, 'ok' | 'problems' | 'matchedAs'>, tolerance: Tolerance, matchedAs: string): Comparison {
  const problems: string[] = [];
  if (part.maxDiff > tolerance.maxAbs) problems.push(`a difference of ${part.maxDiff} (allowed ${tolerance.maxAbs})`);
  if (part.withinTypical < tolerance.fraction * part.compared) problems.push(`${part.withinTypical}/${part.compared} samples within ±${tolerance.typicalAbs} (need ${Math.round(tolerance.fraction * 100)} %)`);
  return { ...part, ok: problems.length === 0, problems, matchedAs };
}

/** Compares one displayed frame with pydicom's samples of the same frame. */
export function compareFrame(image: ImageReference, samples: readonly Sample[], shown: PickedImage): Comparison {
  const tolerance = toleranceFor(image);
  const facts: string[] = [];
  if (shown.rows !== image.rows || shown.columns !== image.columns) facts.push(`shown as ${shown.rows}×${shown.columns}, pydicom decodes ${image.rows}×${image.columns}`);
  const channels = image.colour ? 3 : 1;
  if (image.colour ? shown.samplesPerPixel < 3 : shown.samplesPerPixel !== 1) facts.push(`shown with ${shown.samplesPerPixel} samples per pixel, pydicom decodes ${channels}`);
  if (shown.valueCount !== shown.rows * shown.columns * shown.samplesPerPixel) facts.push(`pixel data holds ${shown.valueCount} values, not rows × columns × samples = ${shown.rows * shown.columns * shown.samplesPerPixel}`);
  if (facts.length > 0) return { ok: false, problems: facts, compared: 0, withinTypical: 0, maxDiff: Number.POSITIVE_INFINITY, worst: [], matchedAs: 'nothing (wrong geometry)' };

  if (image.colour) {
    return verdict(
      compareValues(samples, shown.picked, (s) => s.rgb ?? [], tolerance, false),
      tolerance,
      'RGB, channel by channel',
    );
  }
  // Greyscale: compare modality values (after rescale). When the loader did
  // not apply the rescale, apply pydicom's slope/intercept to what it shows.
  const slope = image.rescaleSlope ?? 1;
  const intercept = image.rescaleIntercept ?? 0;
  const modality = shown.modalityValues ? shown.picked : shown.picked.map((v) => v.map((x) => x * slope + intercept));
  const asModality = verdict(
    compareValues(samples, modality, (s) => [s.modality ?? Number.NaN], tolerance, true),
    tolerance,
    shown.modalityValues ? 'modality values (rescale applied by the viewer)' : 'stored values, rescale applied by the test',
  );
  if (asModality.ok || image.doseGridScaling === null || !shown.modalityValues) return asModality;
  // RT Dose: pydicom's apply_modality_lut ignores Dose Grid Scaling; a loader
  // that reports modality values may have applied it (dose in Gy). Accept
  // stored × DoseGridScaling too, and say so.
  const scaling = image.doseGridScaling;
  const asDose = verdict(
    compareValues(samples, shown.picked, (s) => [(s.stored ?? Number.NaN) * scaling], tolerance, true),
    tolerance,
    `dose values (stored × DoseGridScaling ${scaling}, applied by the viewer)`,
  );
  return asDose.ok ? asDose : asModality;
}

export function describeFailure(image: ImageReference, frame: string, comparison: Comparison): string {
  const worst = comparison.worst.map((d) => `(${d.r},${d.c}${image.colour ? `,ch${d.channel}` : ''}) pydicom ${d.expected} viewer ${d.got}`).join('; ');
  return `${image.path} [${image.transferSyntaxName ?? image.transferSyntaxUid}, ${image.photometric ?? '?'}] ${frame}: ${comparison.problems.join(', ')}; compared as ${comparison.matchedAs}; tolerance "${toleranceFor(image).name}"${worst ? `; worst: ${worst}` : ''}`;
}
