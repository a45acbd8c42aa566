import { FRAME_ACCEPT, frameUrlOf } from './frameUrls.js';
import { firstSeries, seriesFrom } from '../../core/seriesOrder.js';
import { studyMetadata } from './studyMetadata.js';

let primed: string | null = null;

/**
 * The moment a tele-file is opened (the hash change, before the viewer's code
 * has even run): its study's metadata, then its first image's frame, into the
 * browser's HTTP cache. The hub marks frames immutable, so when Cornerstone
 * asks for the same URL a moment later the browser answers from that cache
 * (or joins the transfer still under way) instead of starting it then. This
 * is what puts the first image's bytes on the line ~50–100 ms sooner: the
 * viewer's own start (Cornerstone, its workers, the cells) happens while they
 * travel. Failures are silent: the viewer asks again and shows any error.
 */
export function primeOpening(studyUid: string): void {
  if (primed === studyUid) return;
  primed = studyUid;
  void (async () => {
    const series = firstSeries(seriesFrom(await studyMetadata(studyUid)));
    const first = series?.instances[0];
    if (!series || !first) return;
    const response = await fetch(frameUrlOf(studyUid, series.seriesInstanceUid, first), { headers: { Accept: FRAME_ACCEPT }, credentials: 'same-origin' });
    // Read to the end: only a complete response is kept in the cache.
    await response.arrayBuffer();
  })().catch(() => undefined);
}
