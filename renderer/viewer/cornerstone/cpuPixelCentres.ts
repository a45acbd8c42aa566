import type { Types } from '@cornerstonejs/core';

/**
 * Cornerstone3D's CPU path (5.14) converts between patient space and the
 * canvas with a pixel's index taken as its top-left corner, whereas its
 * image origin is the pixel's centre: the image is drawn in the right place,
 * but every point is placed half a pixel up and left of it — an annotation
 * off its pixel, and a click on a pixel's lower-right half read as the
 * neighbouring pixel (the probe's HU value). The WebGL path has no such
 * offset. This moves both conversions of one CPU stack viewport by half a
 * pixel along the image's rows and columns (the transform's own rotation and
 * flips then apply as usual). Lasts as long as the viewport's rendering
 * pipeline: Cornerstone reassigns both functions when it reconfigures it.
 */
export function alignCpuPixelCentres(viewport: Types.IStackViewport): void {
  const toCanvas = viewport.worldToCanvas;
  const toWorld = viewport.canvasToWorld;
  viewport.worldToCanvas = (world: Types.Point3): Types.Point2 => toCanvas(shifted(world, halfPixel(viewport), 1));
  viewport.canvasToWorld = (canvas: Types.Point2): Types.Point3 => shifted(toWorld(canvas), halfPixel(viewport), -1);
}

/** Half a pixel down the columns and along the rows, in mm of patient space; none while no image is set. */
export function halfPixel(viewport: Pick<Types.IStackViewport, 'getImageData'>): Types.Point3 {
  const data = viewport.getImageData() as { spacing?: ArrayLike<number>; direction?: ArrayLike<number> } | undefined;
  const spacing = data?.spacing;
  const direction = data?.direction;
  if (!spacing || !direction || direction.length < 6) return [0, 0, 0];
  const along = (k: number) => 0.5 * (spacing[0] ?? 0) * (direction[k] ?? 0) + 0.5 * (spacing[1] ?? 0) * (direction[3 + k] ?? 0);
  return [along(0), along(1), along(2)];
}

function shifted(point: Types.Point3, by: Types.Point3, sign: 1 | -1): Types.Point3 {
  return [point[0] + sign * by[0], point[1] + sign * by[1], point[2] + sign * by[2]];
}
