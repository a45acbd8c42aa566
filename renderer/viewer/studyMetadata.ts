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

function entryOf(studyUid: string, now: () => number = Date.now): Entry {
  const known = byStudy.get(studyUid);
  if (known && now() - known.at < KEEP_MS) return known;
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
