import { cache, Enums, imageLoadPoolManager, imageRetrievalPoolManager, init as initCore } from '@cornerstonejs/core';
import { init as initImageLoader } from '@cornerstonejs/dicom-image-loader';
import { openTracked } from './frameRequests.js';
import { installLoaderRejectionFilter } from './loaderRejections.js';
import {
  addTool,
  AngleTool,
  EllipticalROITool,
  init as initTools,
  LengthTool,
  PanTool,
  ProbeTool,
  StackScrollTool,
  WindowLevelTool,
  ZoomTool,
} from '@cornerstonejs/tools';

/** The annotation and manipulation tools the viewer registers (names as Cornerstone knows them). */
export const TOOL_CLASSES = [WindowLevelTool, ZoomTool, PanTool, StackScrollTool, LengthTool, AngleTool, EllipticalROITool, ProbeTool] as const;

let started: Promise<void> | null = null;

export interface CornerstoneOptions {
  /** The decoded-image cache budget, in bytes (Cornerstone evicts least recently used images beyond it). */
  cacheBytes: number;
}

/**
 * Starts Cornerstone3D once per page. Order matters (PITFALLS): core, then
 * the DICOM image loader with its decode workers, then tools — `tools.init()`
 * must run before any element is enabled.
 */
export function ensureCornerstone(options: CornerstoneOptions): Promise<void> {
  started ??= (async () => {
    await initCore();
    const workers = Math.max(1, Math.min(4, (navigator.hardwareConcurrency || 2) - 1));
    // Cookies travel with same-origin requests: the session guards every frame.
    initImageLoader({ maxWebWorkers: workers, strict: false, open: openTracked });
    initTools();
    for (const tool of TOOL_CLASSES) addTool(tool);
    limitRequests();
    // For the page's life: loads started by one viewer may fail after it is closed.
    installLoaderRejectionFilter();
  })().catch((error: unknown) => {
    started = null;
    throw error;
  });
  return started.then(() => setCacheBudget(options.cacheBytes));
}

/**
 * Cornerstone allows 1 000 simultaneous requests of each kind by default: the
 * whole series then leaves at once, the scroll-aware order and its
 * cancellation steer nothing, and the worklist's own requests wait behind
 * hundreds of frames. A few at a time keeps the line full (the browser opens
 * six connections per host) and the order meaningful; the image the reader
 * asks for (Interaction) always has room.
 */
export const MAX_REQUESTS = { interaction: 6, thumbnail: 2, prefetch: 6 } as const;

function limitRequests(): void {
  for (const pool of [imageLoadPoolManager, imageRetrievalPoolManager]) {
    pool.setMaxSimultaneousRequests(Enums.RequestType.Interaction, MAX_REQUESTS.interaction);
    pool.setMaxSimultaneousRequests(Enums.RequestType.Thumbnail, MAX_REQUESTS.thumbnail);
    pool.setMaxSimultaneousRequests(Enums.RequestType.Prefetch, MAX_REQUESTS.prefetch);
  }
}

export function setCacheBudget(bytes: number): void {
  cache.setMaxCacheSize(bytes);
}
