import { Enums, imageLoader, imageLoadPoolManager } from '@cornerstonejs/core';
import { fetchStudyMetadata } from '../../api/dicomWebClient.js';
import { seriesFrom, type SeriesSummary } from '../seriesOrder.js';
import { registerSeriesImages } from './imageIds.js';

/** Metadata fetched ahead, by study UID: opening a prefetched study costs no round trip. */
const metadataByStudy = new Map<string, Promise<unknown[]>>();
const MAX_REMEMBERED = 8;

/** The study's metadata, from the prefetch when there is one. */
export function studyMetadata(studyUid: string, signal?: AbortSignal): Promise<unknown[]> {
  const known = metadataByStudy.get(studyUid);
  if (known) return known;
  return fetchStudyMetadata(studyUid, signal);
}

/** The series a reader opens first: the same choice the viewer makes (first in series order with images). */
export function firstSeries(series: readonly SeriesSummary[]): SeriesSummary | null {
  return series.find((item) => item.frameCount > 0) ?? null;
}

/**
 * Warms the next claimed tele-file while the reader reads this one: its
 * metadata, then the first image of the series that will open, then the rest
 * of that series at the lowest priority (`Prefetch`, behind anything the
 * reader scrolls to now). Failures are silent: opening the file later shows
 * any error in context.
 */
export async function prefetchStudy(studyUid: string, images: number): Promise<void> {
  let metadata = metadataByStudy.get(studyUid);
  if (!metadata) {
    metadata = fetchStudyMetadata(studyUid);
    metadataByStudy.set(studyUid, metadata);
    metadata.catch(() => metadataByStudy.delete(studyUid));
    while (metadataByStudy.size > MAX_REMEMBERED) {
      const oldest = metadataByStudy.keys().next().value;
      if (oldest === undefined) break;
      metadataByStudy.delete(oldest);
    }
  }
  const series = firstSeries(seriesFrom(await metadata));
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
