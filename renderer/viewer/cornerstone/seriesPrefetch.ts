import { cache, Enums, imageLoader, imageLoadPoolManager } from '@cornerstonejs/core';
import { framesToFetch, imagesInBudget, loadOrder } from '../loadOrder.js';

const PREFETCH = Enums.RequestType.Prefetch;
/** Marks this module's requests in Cornerstone's shared queue. */
const OWNER = 'series-prefetch';
/** Slices scrolled in the same direction before the prefetch order is planned again. */
const REPLAN_AFTER = 8;

export interface PrefetchTarget {
  imageIds: readonly string[];
  current: number;
  direction: 1 | -1 | 0;
}

/**
 * Loads the rest of the series on screen in scroll-aware order: the image
 * shown first (the viewport asks for it as an interaction request, ahead of
 * everything), then outward from it, biased in the scroll direction.
 *
 * Bounded: never more images than the cache budget holds, counted around
 * the current one — a series larger than the cache is never downloaded in a
 * loop of evictions (loadOrder.ts `framesToFetch`).
 */
export class SeriesPrefetch {
  private queued = new Set<string>();
  private generation = 0;
  private planned: { imageIds: readonly string[]; current: number; direction: 1 | -1 | 0 } | null = null;

  constructor(private readonly budgetBytes: () => number) {}

  /** Replaces the queue with the order for this position. Cheap: called on every new image. */
  update(target: PrefetchTarget): void {
    // Re-planning clears and refills the queue: worth it when the reader turned or moved on, not at every slice.
    const last = this.planned;
    if (last && last.imageIds === target.imageIds && last.direction === target.direction && Math.abs(last.current - target.current) < REPLAN_AFTER) return;
    this.planned = { imageIds: target.imageIds, current: target.current, direction: target.direction };
    this.generation += 1;
    const generation = this.generation;
    this.dropQueued();
    this.queued = new Set();
    const { imageIds } = target;
    if (imageIds.length === 0) return;
    const bytesPerImage = this.bytesPerImage(imageIds);
    const budget = Math.max(1, imagesInBudget(this.budgetBytes(), bytesPerImage));
    const order = loadOrder(imageIds.length, Math.min(Math.max(0, target.current), imageIds.length - 1), target.direction);
    const cached = new Set<number>();
    imageIds.forEach((imageId, index) => {
      if (cache.isLoaded(imageId)) cached.add(index);
    });
    const wanted = framesToFetch(order, cached, budget);
    wanted.forEach((index, rank) => {
      const imageId = imageIds[index];
      if (imageId === undefined || this.queued.has(imageId)) return;
      this.queued.add(imageId);
      imageLoadPoolManager.addRequest(
        async () => {
          if (generation !== this.generation || cache.isLoaded(imageId)) return;
          try {
            await imageLoader.loadAndCacheImage(imageId);
          } catch {
            // The viewport reports a frame that cannot be shown when it is displayed; prefetch stays quiet.
          }
        },
        PREFETCH,
        { imageId, owner: OWNER },
        // Lower number first: nearer images before farther ones.
        rank,
      );
    });
  }

  /** Drops the queue (closing the viewer, or another series takes the cell). */
  stop(): void {
    this.planned = null;
    this.generation += 1;
    this.dropQueued();
    this.queued.clear();
  }

  /** Removes this series' queued requests only: the next tele-file's warm-up (teleFilePrefetch.ts) shares the Prefetch queue and must survive a scroll. */
  private dropQueued(): void {
    imageLoadPoolManager.filterRequests((request) => (request.additionalDetails as { owner?: string } | undefined)?.owner !== OWNER);
  }

  /** Size of a decoded image of this series: from one already in the cache, else a CT-sized guess. */
  private bytesPerImage(imageIds: readonly string[]): number {
    for (const imageId of imageIds) {
      const image = cache.getImage(imageId);
      if (image?.sizeInBytes) return image.sizeInBytes;
    }
    return 512 * 512 * 4;
  }
}
