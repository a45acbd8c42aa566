import type { CellStatus, ViewerController } from './viewerController.js';
import { instanceOfImageId } from './imageIds.js';

export interface ProbeStatus {
  state: CellStatus['state'];
  message?: string;
  imageId?: string;
  imageIndex?: number;
  imageCount?: number;
  sopInstanceUid?: string;
  frameNumber?: number;
  window?: { width: number; center: number };
  /** Where the layout's stacks are drawn: 'cpu' (a 2D canvas) or 'gpu' (WebGL); see stackRendering.ts. */
  rendering?: 'cpu' | 'gpu';
}

export interface ProbeImage {
  rows: number;
  columns: number;
  samplesPerPixel: number;
  photometric: string;
  values: number[];
  /** True when the loader already applied Rescale Slope/Intercept (values are modality values, e.g. HU). */
  modalityValues: boolean;
}

/**
 * A read-only window on what the viewer shows, as `window.vigieViewer`: the
 * decoding and end-to-end tests compare it with values computed
 * independently from the DICOM, and support staff can read it from the
 * console. It exposes nothing the screen does not already show.
 */
export interface ViewerProbe {
  status(): ProbeStatus;
  displayedImage(): ProbeImage | null;
  /** RGBA on screen at the centre of image pixel (column, row) of the active cell's stack. */
  canvasPixel(column: number, row: number): [number, number, number, number] | null;
  /** RGBA on screen where patient-space point (x, y, z) in mm projects in cell `cell` (any mode, MPR included). */
  canvasPixelAtWorld(x: number, y: number, z: number, cell: number): [number, number, number, number] | null;
  /** Per cell: what it shows (series UID, mode, study role) and its state, for layout checks. */
  cells(): Array<{ seriesInstanceUid: string | null; studyInstanceUid: string | null; mode: string; role: string | null; state: string; imageIndex?: number; imageCount?: number }>;
}

export function createProbe(controller: () => ViewerController | null): ViewerProbe {
  return {
    status() {
      const current = controller();
      if (!current) return { state: 'idle' };
      const snapshot = current.snapshot();
      const status = snapshot.cells[snapshot.active]?.status;
      if (!status) return { state: 'idle' };
      const instance = status.imageId ? instanceOfImageId(status.imageId) : null;
      const error = status.error;
      return {
        state: status.state,
        ...(error ? { message: `Image ${error.imageIndex + 1} (SOP Instance UID ${error.sopInstanceUid ?? '?'}, frame ${error.frameNumber ?? '?'}): ${error.reason}` } : {}),
        ...(status.imageId === undefined ? {} : { imageId: status.imageId }),
        ...(status.imageIndex === undefined ? {} : { imageIndex: status.imageIndex }),
        ...(status.imageCount === undefined ? {} : { imageCount: status.imageCount }),
        ...(instance ? { sopInstanceUid: instance.sopInstanceUid, frameNumber: instance.frameNumber } : {}),
        ...(status.window ? { window: status.window } : {}),
        rendering: current.stacksDrawnOnCpu() ? 'cpu' : 'gpu',
      };
    },
    canvasPixel(column, row) {
      return controller()?.canvasPixelAt(column, row) ?? null;
    },
    canvasPixelAtWorld(x, y, z, cell) {
      return controller()?.canvasPixelAtWorld([x, y, z], cell) ?? null;
    },
    cells() {
      return (controller()?.snapshot().cells ?? []).map(({ content, status }) => ({
        seriesInstanceUid: content?.series.seriesInstanceUid ?? null,
        studyInstanceUid: content?.studyUid ?? null,
        mode: content?.mode ?? 'empty',
        role: content?.role ?? null,
        state: status.state,
        ...(status.imageIndex === undefined ? {} : { imageIndex: status.imageIndex }),
        ...(status.imageCount === undefined ? {} : { imageCount: status.imageCount }),
      }));
    },
    displayedImage() {
      const image = controller()?.displayedImage() ?? null;
      if (!image) return null;
      const pixels = image.getPixelData();
      return {
        rows: image.rows,
        columns: image.columns,
        samplesPerPixel: image.color ? Math.round(pixels.length / (image.rows * image.columns)) : 1,
        photometric: image.photometricInterpretation ?? (image.color ? 'RGB' : 'MONOCHROME2'),
        values: Array.from(pixels),
        modalityValues: image.preScale?.scaled === true,
      };
    },
  };
}

declare global {
  interface Window {
    vigieViewer?: ViewerProbe;
  }
}

export function installProbe(probe: ViewerProbe): () => void {
  window.vigieViewer = probe;
  return () => {
    if (window.vigieViewer === probe) delete window.vigieViewer;
  };
}
