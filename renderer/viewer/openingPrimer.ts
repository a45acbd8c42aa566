import { firstSeries } from '../../core/seriesOrder.js';
import { FRAME_ACCEPT, frameUrlOf } from './frameUrls.js';
import { firstFramePath, seriesOfMetadata, studyMetadata } from './studyMetadata.js';

let primed: { studyUid: string; url: Promise<string | null>; done: Promise<void> } | null = null;

/** A frame path of this study on the hub's DICOMweb root, else null. */
function ownPath(studyUid: string, path: string | null): string | null {
  return path !== null && path.startsWith(`/dicom-web/studies/${encodeURIComponent(studyUid)}/`) ? path : null;
}

/**
 * The moment a tele-file is opened (the hash change, before the viewer's code
 * has even run): its study's metadata, then its first image's frame, into the
 * browser's HTTP cache. The worklist's tele-file names that frame when the
 * hub has it ready (then it leaves at once, beside the metadata request);
 * else the hub names it in a header of the metadata answer (it leaves when
 * the headers arrive); else it is worked out from the metadata.
 * The hub marks frames immutable: when Cornerstone asks for the same URL the
 * browser answers from that cache. The viewer's own start (Cornerstone, its
 * workers, the cells) happens while the bytes travel. Failures are silent:
 * the viewer asks again and shows any error.
 */
export function primeOpening(studyUid: string, listedFirstFrame: string | null = null): void {
  if (primed?.studyUid === studyUid) return;
  // The metadata is wanted anyway: it leaves now too.
  void studyMetadata(studyUid).catch(() => undefined);
  const url = (async (): Promise<string | null> => {
    const named = ownPath(studyUid, listedFirstFrame) ?? (await firstFramePath(studyUid));
    if (named !== null) return `${globalThis.location.origin}${named}`;
    const series = firstSeries(seriesOfMetadata(await studyMetadata(studyUid)));
    const first = series?.instances[0];
    return series && first ? frameUrlOf(studyUid, series.seriesInstanceUid, first) : null;
  })().catch(() => null);
  const done = (async () => {
    const target = await url;
    if (target === null) return;
    const response = await fetch(target, { headers: { Accept: FRAME_ACCEPT }, credentials: 'same-origin' });
    // Read to the end: only a complete response is kept in the cache.
    await response.arrayBuffer();
  })().catch(() => undefined);
  primed = { studyUid, url, done };
}

/**
 * Settles once the primed frame is in the HTTP cache, when the frame primed
 * is the one at `url`; null when none was primed for it. The viewer waits for
 * it rather than asking for the same frame alongside: the browser does not
 * always join the two transfers, and two copies of a frame on a home line
 * each arrive half as fast.
 */
export async function primedFrame(studyUid: string, url: string): Promise<{ inCache: Promise<void> } | null> {
  if (primed?.studyUid !== studyUid) return null;
  const { done } = primed;
  return (await primed.url) === url ? { inCache: done } : null;
}
