/**
 * In which order a series' images are fetched while the reader scrolls, and
 * how many may be held at once. Pure: the viewer's prefetcher calls these on
 * each scroll and asks the cache what it already holds.
 */

/** How many images ahead for each one behind when the reader scrolls one way: they usually keep going. */
export const AHEAD_PER_BEHIND = 3;

/**
 * Every index 0…count-1 once: `current` first, then outward on both sides,
 * AHEAD_PER_BEHIND in the scroll `direction` for each one against it (1:1,
 * ahead first, when the reader is still: direction 0). When one side runs out,
 * the other continues alone. A `current` outside the series is clamped into it.
 */
export function loadOrder(count: number, current: number, direction: 1 | -1 | 0): number[] {
  const n = Number.isFinite(count) ? Math.max(0, Math.floor(count)) : 0;
  if (n === 0) return [];
  const start = Math.min(n - 1, Math.max(0, Number.isFinite(current) ? Math.floor(current) : 0));
  const step = direction === -1 ? -1 : 1;
  const ahead = direction === 0 ? 1 : AHEAD_PER_BEHIND;
  const order = [start];
  let front = start + step;
  let back = start - step;
  const inside = (i: number) => i >= 0 && i < n;
  while (order.length < n) {
    for (let k = 0; k < ahead && inside(front); k++, front += step) order.push(front);
    if (inside(back)) {
      order.push(back);
      back -= step;
    }
  }
  return order;
}

/**
 * What to fetch next, nearest first: the images of the window (the first
 * `budgetImages` of `order`, i.e. those nearest the current image in the
 * scroll-biased order) that are not cached yet. Nothing outside the window is
 * ever fetched, so the images wanted at once never exceed the cache: a series
 * larger than the cache does not evict what it just fetched to fetch it
 * again. Cached images outside the window are the cache's to evict. The
 * window holds at least the current image, whatever the budget.
 */
export function framesToFetch(order: readonly number[], cached: ReadonlySet<number>, budgetImages: number): number[] {
  const window = Math.max(1, Number.isFinite(budgetImages) ? Math.floor(budgetImages) : 1);
  return order.slice(0, window).filter((index) => !cached.has(index));
}

/** How many decoded images of `bytesPerImage` fit in `budgetBytes`; at least one, the image on screen. */
export function imagesInBudget(budgetBytes: number, bytesPerImage: number): number {
  if (!(bytesPerImage > 0) || !Number.isFinite(bytesPerImage)) throw new RangeError(`An image takes a positive number of bytes, not ${bytesPerImage}.`);
  if (!(budgetBytes > 0)) return 1;
  if (!Number.isFinite(budgetBytes)) return Number.MAX_SAFE_INTEGER;
  return Math.max(1, Math.floor(budgetBytes / bytesPerImage));
}
