import type { Types } from '@cornerstonejs/core';
import { describe, expect, it } from 'vitest';
import { alignCpuPixelCentres, halfPixel } from '../../../renderer/viewer/cornerstone/cpuPixelCentres.js';

/**
 * A stand-in for a CPU stack viewport with Cornerstone 5.14's conversions: an axial image, origin
 * (the first pixel's centre) at (-100, -120, 30) mm, 0.5 mm columns × 0.8 mm rows, drawn at 2 canvas
 * px per pixel, the pixel's index taken as its corner.
 */
function cpuViewport(): Types.IStackViewport {
  const origin = [-100, -120, 30];
  const spacing = [0.5, 0.8, 2];
  const viewport = {
    getImageData: () => ({ spacing, direction: [1, 0, 0, 0, 1, 0, 0, 0, 1], origin }),
    worldToCanvas: (world: Types.Point3): Types.Point2 => [((world[0] - origin[0]!) / spacing[0]!) * 2, ((world[1] - origin[1]!) / spacing[1]!) * 2],
    canvasToWorld: (canvas: Types.Point2): Types.Point3 => [origin[0]! + (canvas[0] / 2) * spacing[0]!, origin[1]! + (canvas[1] / 2) * spacing[1]!, origin[2]!],
  };
  return viewport as unknown as Types.IStackViewport;
}

function expectNear(actual: readonly number[], expected: readonly number[]): void {
  expect(actual.length).toBe(expected.length);
  expected.forEach((value, k) => expect(actual[k]).toBeCloseTo(value, 9));
}

describe('alignCpuPixelCentres', () => {
  it('half a pixel along the rows and columns, in mm', () => {
    expect(halfPixel(cpuViewport())).toEqual([0.25, 0.4, 0]);
    expect(halfPixel({ getImageData: () => undefined } as unknown as Types.IStackViewport)).toEqual([0, 0, 0]);
  });

  it('a pixel’s centre lands on the centre of the canvas square it is drawn in, and back', () => {
    const viewport = cpuViewport();
    const centreOfPixel = (column: number, row: number): Types.Point3 => [-100 + column * 0.5, -120 + row * 0.8, 30];
    expectNear(viewport.worldToCanvas(centreOfPixel(10, 4)), [20, 8]);
    alignCpuPixelCentres(viewport);
    // Pixel (10, 4) covers canvas [20, 22) × [8, 10): its centre is (21, 9).
    expectNear(viewport.worldToCanvas(centreOfPixel(10, 4)), [21, 9]);
    expectNear(viewport.canvasToWorld([21, 9]), centreOfPixel(10, 4));
    // A click in the pixel's lower-right half still reads that pixel, not the next one.
    const clicked = viewport.canvasToWorld([21.9, 9.9]);
    expect(Math.round((clicked[0] + 100) / 0.5)).toBe(10);
    expect(Math.round((clicked[1] + 120) / 0.8)).toBe(4);
  });
});
