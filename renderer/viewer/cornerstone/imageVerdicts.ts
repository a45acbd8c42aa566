import { Enums, eventTarget, metaData, type Types } from '@cornerstonejs/core';
import { imageProblem } from './imageCheck.js';
import { describeLoadError } from './loadError.js';

/**
 * Why an image may not be shown, per image id: it failed to load or decode,
 * or what was decoded does not match the file (imageCheck.ts). Fed by the
 * loader's events, so every path that loads an image (first image, scroll,
 * wheel, cine, prefetch) is covered, and the cell shows the reason instead of
 * the picture.
 */
/**
 * Kept for the page's life, not per viewer: a refused image stays in
 * Cornerstone's cache, and a later viewer drawing it from there gets no
 * "loaded" event to check it again.
 */
const PROBLEMS = new Map<string, string>();

export class ImageVerdicts {
  private readonly problems = PROBLEMS;
  private readonly onLoaded = (event: Event) => {
    const image = (event as CustomEvent<{ image?: Types.IImage }>).detail.image;
    if (!image?.imageId) return;
    const module = (metaData.get('imagePixelModule', image.imageId) ?? {}) as { samplesPerPixel?: number; bitsAllocated?: number; bitsStored?: number; pixelRepresentation?: number; photometricInterpretation?: string };
    const pixels = image.getPixelData();
    let maxValue = -Infinity;
    if (!image.color) for (let i = 0; i < pixels.length; i++) maxValue = Math.max(maxValue, pixels[i] ?? 0);
    const problem = imageProblem(
      {
        rows: image.rows,
        columns: image.columns,
        color: image.color,
        pixelLength: pixels.length,
        arrayType: pixels.constructor.name,
        preScaled: image.preScale?.scaled === true,
        maxValue,
        transferSyntaxUid: (image as { transferSyntaxUID?: string }).transferSyntaxUID ?? null,
      },
      { samplesPerPixel: module.samplesPerPixel ?? null, bitsAllocated: module.bitsAllocated ?? null, bitsStored: module.bitsStored ?? null, pixelRepresentation: module.pixelRepresentation ?? null, photometric: module.photometricInterpretation ?? null },
    );
    if (problem) this.record(image.imageId, problem);
    else if (this.problems.delete(image.imageId)) this.changed(image.imageId, null);
  };
  private readonly onFailed = (event: Event) => {
    const detail = (event as CustomEvent<{ imageId?: string; error?: unknown }>).detail;
    if (detail.imageId) this.record(detail.imageId, describeLoadError(detail.error));
  };

  constructor(private readonly changed: (imageId: string, problem: string | null) => void) {
    eventTarget.addEventListener(Enums.Events.IMAGE_LOADED, this.onLoaded);
    eventTarget.addEventListener(Enums.Events.IMAGE_LOAD_FAILED, this.onFailed);
  }

  problemOf(imageId: string): string | null {
    return this.problems.get(imageId) ?? null;
  }

  /** A failure is not final: the next attempt (after the PACS is back) may succeed. */
  forget(imageId: string): void {
    this.problems.delete(imageId);
  }

  private record(imageId: string, problem: string): void {
    this.problems.set(imageId, problem);
    this.changed(imageId, problem);
  }

  dispose(): void {
    eventTarget.removeEventListener(Enums.Events.IMAGE_LOADED, this.onLoaded);
    eventTarget.removeEventListener(Enums.Events.IMAGE_LOAD_FAILED, this.onFailed);
  }
}
