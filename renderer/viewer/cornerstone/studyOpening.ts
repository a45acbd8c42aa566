import { cache, Enums, imageLoader } from '@cornerstonejs/core';
import { DEFAULT_VIEWER_PREFERENCES } from '../../../core/api/viewerPreferences.js';
import { firstSeries } from '../../../core/seriesOrder.js';
import { primedFrame } from '../openingPrimer.js';
import { seriesOfMetadata, studyMetadata } from '../studyMetadata.js';
import { ensureCornerstone } from './cornerstoneSetup.js';
import { releaseLineFor } from './frameRequests.js';
import { registerSeriesImages } from './imageIds.js';

let opening: { studyUid: string; done: Promise<void> } | null = null;

/**
 * The first image of a study being opened, asked for as soon as its
 * metadata is known — before the viewer's cells are laid out and while the
 * tele-file, preferences and cells are still on their way. The viewport later
 * asks for the same image id and gets this load (Cornerstone's cache keeps
 * one load per image). Other studies' frames give up the line first.
 * Failures stay quiet here: the cell shows them in context.
 */
export function openStudy(studyUid: string): Promise<void> {
  if (opening?.studyUid === studyUid) return opening.done;
  performance.mark('vigie:opening');
  releaseLineFor(studyUid);
  const done = (async () => {
    const [metadata] = await Promise.all([studyMetadata(studyUid), ensureCornerstone({ cacheBytes: DEFAULT_VIEWER_PREFERENCES.cacheBudgetMb * 1024 * 1024 })]);
    performance.mark('vigie:metadata');
    const series = firstSeries(seriesOfMetadata(metadata));
    const first = series ? registerSeriesImages(studyUid, series)[0] : undefined;
    if (first === undefined) return;
    if (opening?.studyUid !== studyUid) return;
    const primed = await primedFrame(studyUid, first.replace(/^wadors:/, ''));
    if (primed !== null && !cache.getImageLoadObject(first) && !cache.getImage(first)) {
      // The frame's bytes are on their way to the HTTP cache (openingPrimer.ts): the image waits for them,
      // and the viewport, asking for the same image id meanwhile, waits for this load instead of fetching it again.
      const promise = primed.inCache.then(() => imageLoader.loadImage(first, { ignoreCache: true, priority: -1, requestType: Enums.RequestType.Interaction }));
      await cache.putImageLoadObject(first, { promise, cancelFn: undefined });
    } else {
      await imageLoader.loadAndCacheImage(first);
    }
    performance.mark('vigie:first-image-loaded');
  })().catch(() => undefined);
  opening = { studyUid, done };
  return done;
}
