/**
 * From a study's DICOM JSON metadata (PS3.18 F.2, as WADO-RS /metadata
 * answers) to its series, each with its images in reading order. The metadata
 * comes from the PACS through the hub and is treated as hostile: nothing here
 * throws on a missing, mistyped or absurd attribute.
 */

export interface InstanceRef {
  sopInstanceUid: string;
  /** 1-based; 1 for a single-frame instance. */
  frameNumber: number;
  /** The instance's DICOM JSON object, as received. */
  metadata: Record<string, unknown>;
}

export interface SeriesSummary {
  seriesInstanceUid: string;
  seriesNumber: number | null;
  modality: string | null;
  description: string | null;
  frameOfReferenceUid: string | null;
  /** One entry per frame, in reading order. */
  instances: InstanceRef[];
  frameCount: number;
  /** Worth offering MPR/MIP: see `isVolume`. */
  isVolumeCandidate: boolean;
}

const TAG = {
  sopInstanceUid: '00080018',
  seriesDate: '00080021',
  seriesTime: '00080031',
  modality: '00080060',
  seriesDescription: '0008103E',
  seriesInstanceUid: '0020000E',
  seriesNumber: '00200011',
  instanceNumber: '00200013',
  imagePositionPatient: '00200032',
  imageOrientationPatient: '00200037',
  frameOfReferenceUid: '00200052',
  numberOfFrames: '00280008',
  rows: '00280010',
  columns: '00280011',
} as const;

/**
 * Fewer slices than this is a localiser, a few thick reformats or a dynamic
 * acquisition of one level: MPR on it shows nothing a reader can use.
 */
export const MIN_VOLUME_SLICES = 20;
/** Spacing between consecutive slices may vary this much around the median (gantry jitter, rounding), no more (missing slices, mixed stacks). */
export const SPACING_TOLERANCE = 0.1;
const VOLUME_MODALITIES: ReadonlySet<string> = new Set(['CT', 'MR', 'PT']);
/** A hostile NumberOfFrames of 2^31 must not allocate 2^31 references; real cines stay far below. */
export const MAX_FRAMES_PER_INSTANCE = 10_000;
/** Direction cosines equal within this are the same orientation (they are written with ~6 decimals). */
const ORIENTATION_TOLERANCE = 1e-3;

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function values(meta: Json, tag: string): unknown[] {
  const element = meta[tag];
  if (!isObject(element)) return [];
  const found = element.Value;
  return Array.isArray(found) ? found : [];
}

/** A UID, code string or text value; null when absent, empty or not text. */
function text(meta: Json, tag: string): string | null {
  const first = values(meta, tag)[0];
  if (typeof first !== 'string') return null;
  const trimmed = first.trim();
  return trimmed === '' ? null : trimmed;
}

/** IS, DS and US values: PS3.18 F.2.3 allows JSON numbers or, for IS/DS, strings. */
function toNumber(value: unknown): number | null {
  const parsed = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  return Number.isFinite(parsed) ? parsed : null;
}

function number(meta: Json, tag: string): number | null {
  return toNumber(values(meta, tag)[0]);
}

function integer(meta: Json, tag: string): number | null {
  const found = number(meta, tag);
  return found !== null && Number.isInteger(found) ? found : null;
}

function vector(meta: Json, tag: string, length: number): number[] | null {
  const found = values(meta, tag).map(toNumber);
  if (found.length !== length || found.some((v) => v === null)) return null;
  return found as number[];
}

function frameCountOf(meta: Json): number {
  const frames = integer(meta, TAG.numberOfFrames);
  return frames === null || frames < 1 ? 1 : Math.min(frames, MAX_FRAMES_PER_INSTANCE);
}

/** The slice normal (row × column cosines), or null when the orientation is missing or degenerate. */
function normalOf(orientation: number[]): [number, number, number] | null {
  const [rx, ry, rz, cx, cy, cz] = orientation as [number, number, number, number, number, number];
  const normal: [number, number, number] = [ry * cz - rz * cy, rz * cx - rx * cz, rx * cy - ry * cx];
  const length = Math.hypot(...normal);
  return length > 0.5 ? [normal[0] / length, normal[1] / length, normal[2] / length] : null;
}

function sameOrientation(a: number[], b: number[]): boolean {
  return a.every((v, i) => Math.abs(v - (b[i] as number)) <= ORIENTATION_TOLERANCE);
}

/** UIDs are dotted numbers: 1.2.10 comes after 1.2.9. */
export function compareUids(a: string, b: string): number {
  const x = a.split('.');
  const y = b.split('.');
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const p = x[i] as string;
    const q = y[i] as string;
    if (p === q) continue;
    const byLength = p.length - q.length;
    return /^\d+$/.test(p) && /^\d+$/.test(q) && byLength !== 0 ? byLength : p < q ? -1 : 1;
  }
  return x.length - y.length;
}

function nullsLast(a: number | string | null, b: number | string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -1 : 1;
}

interface Instance {
  uid: string;
  meta: Json;
  instanceNumber: number | null;
  position: number[] | null;
  orientation: number[] | null;
  frames: number;
  rows: number | null;
  columns: number | null;
}

function instanceOf(meta: Json, uid: string): Instance {
  return {
    uid,
    meta,
    instanceNumber: integer(meta, TAG.instanceNumber),
    position: vector(meta, TAG.imagePositionPatient, 3),
    orientation: vector(meta, TAG.imageOrientationPatient, 6),
    frames: frameCountOf(meta),
    rows: integer(meta, TAG.rows),
    columns: integer(meta, TAG.columns),
  };
}

/**
 * Each instance's distance along the common slice normal, when every instance
 * has a position and they all share one valid orientation; else null (a
 * localiser in three planes, missing geometry).
 */
function distancesAlongNormal(instances: Instance[]): Map<Instance, number> | null {
  const first = instances[0];
  if (first?.orientation == null) return null;
  const normal = normalOf(first.orientation);
  if (normal === null) return null;
  const distances = new Map<Instance, number>();
  for (const instance of instances) {
    if (instance.position === null || instance.orientation === null || !sameOrientation(instance.orientation, first.orientation)) return null;
    const [x, y, z] = instance.position as [number, number, number];
    distances.set(instance, x * normal[0] + y * normal[1] + z * normal[2]);
  }
  return distances;
}

function byNumberThenUid(a: Instance, b: Instance): number {
  return nullsLast(a.instanceNumber, b.instanceNumber) || compareUids(a.uid, b.uid);
}

/**
 * Reading order: by position along the slice normal when the geometry allows
 * it, in descending distance as Cornerstone3D's sortImageIdsAndGetSpacing
 * does (axial: head first), so the stack and a volume built from it agree;
 * else by InstanceNumber (missing ones last), ties by SOPInstanceUID.
 */
function sortInstances(instances: Instance[]): { sorted: Instance[]; distances: Map<Instance, number> | null } {
  const distances = distancesAlongNormal(instances);
  const sorted = [...instances].sort(
    distances === null ? byNumberThenUid : (a, b) => (distances.get(b) as number) - (distances.get(a) as number) || byNumberThenUid(a, b),
  );
  return { sorted, distances };
}

/**
 * Worth a volume (MPR, MIP): CT/MR/PT, at least MIN_VOLUME_SLICES
 * single-frame slices of one orientation and one matrix, evenly spaced
 * (every gap within SPACING_TOLERANCE of the median, none zero).
 */
function isVolume(modality: string | null, sorted: Instance[], distances: Map<Instance, number> | null): boolean {
  if (modality === null || !VOLUME_MODALITIES.has(modality) || distances === null) return false;
  if (sorted.length < MIN_VOLUME_SLICES) return false;
  const [first] = sorted as [Instance];
  if (first.rows === null || first.columns === null) return false;
  if (sorted.some((i) => i.frames !== 1 || i.rows !== first.rows || i.columns !== first.columns)) return false;
  const gaps: number[] = [];
  for (let i = 1; i < sorted.length; i++) {
    gaps.push((distances.get(sorted[i - 1] as Instance) as number) - (distances.get(sorted[i] as Instance) as number));
  }
  const median = [...gaps].sort((a, b) => a - b)[Math.floor(gaps.length / 2)] as number;
  if (!(median > 0)) return false;
  return gaps.every((gap) => gap > 0 && Math.abs(gap - median) <= SPACING_TOLERANCE * median);
}

function firstText(instances: Instance[], tag: string): string | null {
  for (const instance of instances) {
    const found = text(instance.meta, tag);
    if (found !== null) return found;
  }
  return null;
}

/**
 * The series of a study, in display order (SeriesNumber, then SeriesDate and
 * SeriesTime, missing ones last, then UID), each with one InstanceRef per
 * frame in reading order. Entries that are not objects or lack a
 * SOPInstanceUID are skipped; an instance listed twice counts once.
 * Instances without a SeriesInstanceUID are grouped under ''.
 */
export function seriesFrom(metadata: unknown[]): SeriesSummary[] {
  const bySeries = new Map<string, Instance[]>();
  const seen = new Set<string>();
  for (const entry of Array.isArray(metadata) ? metadata : []) {
    if (!isObject(entry)) continue;
    const uid = text(entry, TAG.sopInstanceUid);
    if (uid === null || seen.has(uid)) continue;
    seen.add(uid);
    const seriesUid = text(entry, TAG.seriesInstanceUid) ?? '';
    const list = bySeries.get(seriesUid) ?? [];
    list.push(instanceOf(entry, uid));
    bySeries.set(seriesUid, list);
  }

  const summaries = [...bySeries].map(([seriesInstanceUid, instances]) => {
    const { sorted, distances } = sortInstances(instances);
    const modality = firstText(instances, TAG.modality);
    const refs: InstanceRef[] = sorted.flatMap((instance) =>
      Array.from({ length: instance.frames }, (_, i) => ({ sopInstanceUid: instance.uid, frameNumber: i + 1, metadata: instance.meta })),
    );
    const numbers = instances.map((i) => integer(i.meta, TAG.seriesNumber)).filter((n): n is number => n !== null);
    const summary: SeriesSummary = {
      seriesInstanceUid,
      seriesNumber: numbers[0] ?? null,
      modality,
      description: firstText(instances, TAG.seriesDescription),
      frameOfReferenceUid: firstText(instances, TAG.frameOfReferenceUid),
      instances: refs,
      frameCount: refs.length,
      isVolumeCandidate: isVolume(modality, sorted, distances),
    };
    const date = firstText(instances, TAG.seriesDate);
    const when = date === null ? null : `${date}${firstText(instances, TAG.seriesTime) ?? ''}`;
    return { summary, when };
  });

  summaries.sort(
    (a, b) =>
      nullsLast(a.summary.seriesNumber, b.summary.seriesNumber) ||
      nullsLast(a.when, b.when) ||
      compareUids(a.summary.seriesInstanceUid, b.summary.seriesInstanceUid),
  );
  return summaries.map(({ summary }) => summary);
}

/** The series a study opens on: the first in display order with images (the viewer's first cell, the opening's first image, the next file's warm-up). */
export function firstSeries(series: readonly SeriesSummary[]): SeriesSummary | null {
  return series.find((item) => item.frameCount > 0) ?? null;
}
