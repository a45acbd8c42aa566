import { wadors } from '@cornerstonejs/dicom-image-loader';
import { frameUrlOf } from '../frameUrls.js';
import type { InstanceRef, SeriesSummary } from '../../../core/seriesOrder.js';
import { withPaletteValues } from '../paletteTables.js';

/** A WADO-RS frame address in Cornerstone's `wadors:` scheme. */
export function imageIdOf(studyUid: string, seriesUid: string, instance: Pick<InstanceRef, 'sopInstanceUid' | 'frameNumber'>): string {
  return `wadors:${frameUrlOf(studyUid, seriesUid, instance)}`;
}

/**
 * The image ids of a series in display order, each with its instance's DICOM
 * JSON registered with the loader (it reads pixel-module attributes from it
 * instead of asking the PACS again).
 */
export function registerSeriesImages(studyUid: string, series: SeriesSummary): string[] {
  return series.instances.map((instance) => {
    const imageId = imageIdOf(studyUid, series.seriesInstanceUid, instance);
    wadors.metaDataManager.add(imageId, withPaletteValues(withModality(instance.metadata, series.modality)) as unknown as Parameters<typeof wadors.metaDataManager.add>[1]);
    return imageId;
  });
}

/**
 * Cornerstone's WADO-RS metadata provider throws (an uncaught TypeError on
 * every key press) for an instance without Modality (0008,0060) and without
 * an orientation, which some archives' secondary captures are. The viewer's
 * copy gets the series' modality, or "OT" (other), the standard's word for
 * "not said"; nothing else is changed.
 */
export function withModality(metadata: Record<string, unknown>, seriesModality: string | null): Record<string, unknown> {
  const modality = metadata['00080060'] as { Value?: unknown[] } | undefined;
  if (typeof modality?.Value?.[0] === 'string' && modality.Value[0] !== '') return metadata;
  return { ...metadata, '00080060': { vr: 'CS', Value: [seriesModality ?? 'OT'] } };
}

/** The SOP Instance UID and frame number an image id names (for messages and the test probe). */
export function instanceOfImageId(imageId: string): { sopInstanceUid: string; frameNumber: number } | null {
  const match = /\/instances\/([^/]+)\/frames\/(\d+)$/.exec(imageId);
  if (!match?.[1] || !match[2]) return null;
  return { sopInstanceUid: decodeURIComponent(match[1]), frameNumber: Number(match[2]) };
}
