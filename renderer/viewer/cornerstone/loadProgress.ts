import { cache, Enums, eventTarget } from '@cornerstonejs/core';

export interface SeriesProgress {
  loaded: number;
  total: number;
}

/**
 * Per-series load progress for the series browser: which of a series' images
 * are decoded in Cornerstone's cache. Counts come from the loader's events,
 * so prefetch, scrolling and volumes all count.
 */
export class LoadProgress {
  private readonly seriesOfImage = new Map<string, string>();
  private readonly loaded = new Map<string, Set<string>>();
  private readonly totals = new Map<string, number>();
  private readonly onImageLoaded = (event: Event) => {
    const imageId = (event as CustomEvent<{ image?: { imageId?: string } }>).detail.image?.imageId;
    if (imageId) this.mark(imageId);
  };

  constructor(private readonly changed: () => void) {
    eventTarget.addEventListener(Enums.Events.IMAGE_LOADED, this.onImageLoaded);
    // Images reach the cache by other paths too (the volume loader, a stack's own load): counted as well.
    eventTarget.addEventListener(Enums.Events.IMAGE_CACHE_IMAGE_ADDED, this.onImageLoaded);
  }

  track(seriesUid: string, imageIds: readonly string[]): void {
    this.totals.set(seriesUid, imageIds.length);
    const set = this.loaded.get(seriesUid) ?? new Set<string>();
    this.loaded.set(seriesUid, set);
    for (const imageId of imageIds) {
      this.seriesOfImage.set(imageId, seriesUid);
      if (cache.isLoaded(imageId)) set.add(imageId);
    }
    this.changed();
  }

  private mark(imageId: string): void {
    const seriesUid = this.seriesOfImage.get(imageId);
    if (seriesUid === undefined) return;
    const set = this.loaded.get(seriesUid);
    if (!set || set.has(imageId)) return;
    set.add(imageId);
    this.changed();
  }

  /** Images evicted by the cache budget are loaded again when needed: they stop counting as loaded. */
  forgetEvicted(): void {
    let any = false;
    for (const set of this.loaded.values()) {
      for (const imageId of set) {
        if (!cache.isLoaded(imageId)) {
          set.delete(imageId);
          any = true;
        }
      }
    }
    if (any) this.changed();
  }

  of(seriesUid: string): SeriesProgress {
    return { loaded: this.loaded.get(seriesUid)?.size ?? 0, total: this.totals.get(seriesUid) ?? 0 };
  }

  isCached(imageId: string): boolean {
    return cache.isLoaded(imageId);
  }

  dispose(): void {
    eventTarget.removeEventListener(Enums.Events.IMAGE_LOADED, this.onImageLoaded);
    eventTarget.removeEventListener(Enums.Events.IMAGE_CACHE_IMAGE_ADDED, this.onImageLoaded);
  }
}
