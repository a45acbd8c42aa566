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
  at: number;
}

const byStudy = new Map<string, Entry>();

export function studyMetadata(studyUid: string, now: () => number = Date.now): Promise<unknown[]> {
  const known = byStudy.get(studyUid);
  if (known && now() - known.at < KEEP_MS) return known.metadata;
  // Not tied to one caller's abort signal: another caller may be waiting for the same answer.
  const metadata = fetchStudyMetadata(studyUid);
  const entry: Entry = { metadata, at: now() };
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
  return metadata;
}
