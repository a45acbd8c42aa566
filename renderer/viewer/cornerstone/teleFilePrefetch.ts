import { Enums, imageLoader, imageLoadPoolManager } from '@cornerstonejs/core';
import { firstSeries } from '../../../core/seriesOrder.js';
import { seriesOfMetadata, studyMetadata } from '../studyMetadata.js';
import { registerSeriesImages } from './imageIds.js';

/**
 * Warms the next claimed tele-file while the reader reads this one: its
 * metadata, then the first image of the series that will open, then the rest
 * of that series at the lowest priority (`Prefetch`, behind anything the
 * reader scrolls to now). Failures are silent: opening the file later shows
 * any error in context.
 */
export async function prefetchStudy(studyUid: string, images: number): Promise<void> {
  const series = firstSeries(seriesOfMetadata(await studyMetadata(studyUid)));
  if (!series) return;
  const imageIds = registerSeriesImages(studyUid, series).slice(0, Math.max(1, images));
  imageIds.forEach((imageId, rank) => {
    imageLoadPoolManager.addRequest(
      async () => {
        try {
          await imageLoader.loadAndCacheImage(imageId);
        } catch {
          // Shown in context when the file is opened.
        }
      },
      Enums.RequestType.Prefetch,
      { imageId, prefetchOf: studyUid },
      // After the series on screen: its prefetch ranks start at 0.
      100_000 + rank,
    );
  });
}
