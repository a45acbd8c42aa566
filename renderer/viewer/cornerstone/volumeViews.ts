import { cache, Enums, setVolumesForViewports, volumeLoader, type RenderingEngine, type Types } from '@cornerstonejs/core';

export type Orientation = 'axial' | 'coronal' | 'sagittal';

export const ORIENTATION_AXIS: Record<Orientation, Enums.OrientationAxis> = {
  axial: Enums.OrientationAxis.AXIAL,
  coronal: Enums.OrientationAxis.CORONAL,
  sagittal: Enums.OrientationAxis.SAGITTAL,
};

/** MIP slab thickness in millimetres: thick enough to follow a vessel, thin enough to keep the anatomy readable. */
export const MIP_SLAB_MM = 20;

/** One streaming volume per series, named after it, so MPR opened twice reuses what is loaded. */
export function volumeIdOf(seriesUid: string): string {
  return `cornerstoneStreamingImageVolume:vigie-${seriesUid}`;
}

/**
 * Builds (or reuses) the series' volume and starts streaming its slices in,
 * then shows it in the given orthographic viewports.
 */
export async function showVolume(engine: RenderingEngine, seriesUid: string, imageIds: string[], viewportIds: string[]): Promise<string> {
  const volumeId = volumeIdOf(seriesUid);
  let volume = cache.getVolume(volumeId);
  if (!volume) {
    volume = await volumeLoader.createAndCacheVolume(volumeId, { imageIds });
    (volume as unknown as { load?: () => void }).load?.();
  }
  await setVolumesForViewports(engine, [{ volumeId }], viewportIds);
  return volumeId;
}

export function setMip(viewport: Types.IVolumeViewport, on: boolean): void {
  if (on) {
    viewport.setBlendMode(Enums.BlendModes.MAXIMUM_INTENSITY_BLEND);
    viewport.setSlabThickness(MIP_SLAB_MM);
  } else {
    viewport.setBlendMode(Enums.BlendModes.COMPOSITE);
    viewport.setSlabThickness(0.1);
  }
  viewport.render();
}
