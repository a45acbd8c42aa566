import { describe, expect, it } from 'vitest';
import { AHEAD_PER_BEHIND, framesToFetch, imagesInBudget, loadOrder } from '../../../renderer/viewer/loadOrder.js';

describe('loadOrder', () => {
  it('is a permutation of 0…count-1 starting at current, for every small series, position and direction', () => {
    for (let count = 1; count <= 12; count++) {
      for (let current = 0; current < count; current++) {
        for (const direction of [1, -1, 0] as const) {
          const order = loadOrder(count, current, direction);
          expect(order[0]).toBe(current);
          expect([...order].sort((a, b) => a - b)).toEqual(Array.from({ length: count }, (_, i) => i));
        }
      }
    }
  });

  it('takes three ahead for one behind in the scroll direction', () => {
    expect(AHEAD_PER_BEHIND).toBe(3);
    expect(loadOrder(20, 10, 1).slice(0, 9)).toEqual([10, 11, 12, 13, 9, 14, 15, 16, 8]);
    expect(loadOrder(20, 10, -1).slice(0, 9)).toEqual([10, 9, 8, 7, 11, 6, 5, 4, 12]);
  });

  it('alternates one for one, ahead first, when the reader is still', () => {
    expect(loadOrder(7, 3, 0)).toEqual([3, 4, 2, 5, 1, 6, 0]);
  });

  it('goes on with the other side once one runs out', () => {
    expect(loadOrder(6, 4, 1)).toEqual([4, 5, 3, 2, 1, 0]);
    expect(loadOrder(6, 0, -1)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('stays within the series when given odd input', () => {
    expect(loadOrder(0, 0, 1)).toEqual([]);
    expect(loadOrder(-3, 0, 1)).toEqual([]);
    expect(loadOrder(4, 99, 1)[0]).toBe(3);
    expect(loadOrder(4, -5, -1)[0]).toBe(0);
    expect(loadOrder(3, Number.NaN, 0)).toEqual([0, 1, 2]);
  });
});

describe('framesToFetch', () => {
  it('fetches, nearest first, what is not cached yet', () => {
    const order = loadOrder(10, 5, 1);
    expect(framesToFetch(order, new Set([5, 6]), 100)).toEqual(order.filter((i) => i !== 5 && i !== 6));
  });

  it('never asks for anything outside the window of the budget, so a series larger than the cache does not thrash', () => {
    const order = loadOrder(1000, 500, 1);
    const budget = 50;
    const window = new Set(order.slice(0, budget));
    const fetch = framesToFetch(order, new Set(), budget);
    expect(fetch).toHaveLength(budget);
    for (const i of fetch) expect(window.has(i)).toBe(true);
    // Everything in the window cached: nothing more, even though 950 images are missing.
    expect(framesToFetch(order, window, budget)).toEqual([]);
  });

  it('moves the window with the reader: after a scroll, only the newly near images are fetched', () => {
    const budget = 8;
    const before = new Set(framesToFetch(loadOrder(100, 50, 1), new Set(), budget));
    const next = framesToFetch(loadOrder(100, 51, 1), before, budget);
    expect(next.length).toBeGreaterThan(0);
    expect(next.length).toBeLessThan(budget);
    expect(next.every((i) => !before.has(i))).toBe(true);
  });

  it('always fetches the image on screen, even with no budget', () => {
    expect(framesToFetch([7, 8, 6], new Set(), 0)).toEqual([7]);
    expect(framesToFetch([7, 8, 6], new Set([7]), 0)).toEqual([]);
  });
});

describe('imagesInBudget', () => {
  it('counts whole images, at least one', () => {
    const ctSlice = 512 * 512 * 2;
    expect(imagesInBudget(1024 * 1024 * 1024, ctSlice)).toBe(2048);
    expect(imagesInBudget(ctSlice * 2.5, ctSlice)).toBe(2);
    expect(imagesInBudget(10, ctSlice)).toBe(1);
    expect(imagesInBudget(0, ctSlice)).toBe(1);
  });

  it('refuses an image size that is not a positive number', () => {
    expect(() => imagesInBudget(1000, 0)).toThrow(RangeError);
    expect(() => imagesInBudget(1000, Number.NaN)).toThrow(RangeError);
  });
});
