import { imageLoadPoolManager } from '@cornerstonejs/core';

/**
 * The image loader's frame requests in flight, so that opening another study
 * can take its line back. Leaving a study while its series streams in leaves
 * up to six frames of it (3 MB: over a second at 20 Mbit/s) ahead of the new
 * study's first image; Cornerstone's queue can drop requests not yet sent but
 * not those already on the wire.
 */
const inFlight = new Set<{ xhr: XMLHttpRequest; url: string }>();

/** The loader's `open` hook (dicom-image-loader options): opens as the default does, and keeps the request until it ends. */
export function openTracked(xhr: XMLHttpRequest, url: string): void {
  xhr.open('get', url, true);
  const entry = { xhr, url };
  inFlight.add(entry);
  xhr.addEventListener('loadend', () => inFlight.delete(entry));
}

/** Whether a frame URL or image id belongs to this study. */
export function ofStudy(urlOrImageId: string, studyUid: string): boolean {
  return urlOrImageId.includes(`/studies/${encodeURIComponent(studyUid)}/`);
}

/**
 * Aborts the frames on the wire that `keep` refuses and drops those still
 * queued. An aborted frame is simply not cached: a later look at it fetches
 * it again. Returns how many were aborted on the wire.
 */
function releaseLine(keep: (urlOrImageId: string) => boolean): number {
  imageLoadPoolManager.filterRequests((request) => {
    const imageId = (request.additionalDetails as { imageId?: unknown } | undefined)?.imageId;
    return typeof imageId !== 'string' || keep(imageId);
  });
  let aborted = 0;
  for (const entry of [...inFlight]) {
    if (keep(entry.url)) continue;
    inFlight.delete(entry);
    entry.xhr.abort();
    aborted += 1;
  }
  return aborted;
}

/** Opening a study: every other study's frames give up the line. */
export function releaseLineFor(studyUid: string): number {
  return releaseLine((url) => ofStudy(url, studyUid));
}

/** Closing a viewer: its studies' frames stop (the next file's warm-up, another study, goes on). */
export function releaseStudies(studyUids: readonly string[]): number {
  return releaseLine((url) => !studyUids.some((uid) => ofStudy(url, uid)));
}
