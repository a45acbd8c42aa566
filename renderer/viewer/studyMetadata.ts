import { seriesFrom, type SeriesSummary } from '../../core/seriesOrder.js';
import { fetchStudyMetadata } from '../api/dicomWebClient.js';

/**
 * A study's DICOM JSON metadata, fetched once for everyone who needs it while
 * a study is opened: the opening (started on the hash change, before the
 * viewer's code has loaded), the viewer page, the first image's request, the
 * next tele-file's warm-up. Each used to fetch it again — one more round trip
 * and ~20 KiB on a home line before the first image.
 *
 * Kept a short while and for a few studies only: a study that receives more
 * images later is read again on the next opening after that.
 */
const KEEP_MS = 10 * 60_000;
const MAX_STUDIES = 8;

interface Entry {
  metadata: Promise<unknown[]>;
  /** The first frame's path as the hub named it in a header, as soon as the headers arrive (null: not named). */
  firstFrame: Promise<string | null>;
  at: number;
}

/** The hub's header naming the frame a study opens on (hub/dicomweb/studyMetadataCache.ts). */
const FIRST_FRAME_HEADER = 'x-vigie-first-frame';

const byStudy = new Map<string, Entry>();

export function studyMetadata(studyUid: string, now: () => number = Date.now): Promise<unknown[]> {
  return entryOf(studyUid, now).metadata;
}

/** The path of the frame the study opens on, when the hub names it (before the metadata body is read). */
export function firstFramePath(studyUid: string): Promise<string | null> {
  return entryOf(studyUid).firstFrame;
}

/** Answers younger than this are current enough for the opening that asked for them (its parallel readers). */
const FRESH_MS = 1_000;

/**
 * The study's metadata as the hub has it now: the kept answer when it is a
 * few seconds old, else asked again (the hub answers 304 to the browser's
 * ETag when nothing changed; the body is then the kept one, parsed again).
 * The viewer opens with the kept answer and checks with this one: a study
 * that received images since the warm-up shows them, not a stale list.
 */
export function currentStudyMetadata(studyUid: string, now: () => number = Date.now): Promise<unknown[]> {
  const known = byStudy.get(studyUid);
  if (known && now() - known.at < FRESH_MS) return known.metadata;
  return entryOf(studyUid, now, true).metadata;
}

/** Whether two metadata answers list other instances (a study that grew, or changed). */
export function metadataChanged(before: readonly unknown[], after: readonly unknown[]): boolean {
  if (before === after) return false;
  if (before.length !== after.length) return true;
  const uidOf = (entry: unknown) => ((entry as Record<string, { Value?: unknown[] } | undefined> | null)?.['00080018']?.Value?.[0] ?? null) as unknown;
  const seen = new Set(before.map(uidOf));
  return after.some((entry) => !seen.has(uidOf(entry)));
}

function entryOf(studyUid: string, now: () => number = Date.now, fresh = false): Entry {
  const known = byStudy.get(studyUid);
  if (known && !fresh && now() - known.at < KEEP_MS) return known;
  let named: (path: string | null) => void = () => undefined;
  const firstFrame = new Promise<string | null>((resolve) => {
    named = resolve;
  });
  // Not tied to one caller's abort signal: another caller may be waiting for the same answer.
  const metadata = fetchStudyMetadata(studyUid, undefined, (headers) => {
    const path = headers.get(FIRST_FRAME_HEADER);
    named(path !== null && path.startsWith('/dicom-web/studies/') ? path : null);
  });
  metadata.then(
    () => named(null),
    () => named(null),
  );
  const entry: Entry = { metadata, firstFrame, at: now() };
  byStudy.delete(studyUid);
  byStudy.set(studyUid, entry);
  // A failure is not remembered: the next opening asks again (and shows the error in context).
  metadata.catch(() => {
    if (byStudy.get(studyUid) === entry) byStudy.delete(studyUid);
  });
  while (byStudy.size > MAX_STUDIES) {
    const oldest = byStudy.keys().next().value;
    if (oldest === undefined) break;
    byStudy.delete(oldest);
  }
  return entry;
}

const seriesByMetadata = new WeakMap<unknown[], SeriesSummary[]>();

/** The series of fetched metadata, worked out once (the opening, the page and the warm-up each need them; 300 instances take milliseconds to sort). */
export function seriesOfMetadata(metadata: unknown[]): SeriesSummary[] {
  let series = seriesByMetadata.get(metadata);
  if (!series) {
    series = seriesFrom(metadata);
    seriesByMetadata.set(metadata, series);
  }
  return series;
}
