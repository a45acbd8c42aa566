import { getRenderingEngine, RenderingEngine } from '@cornerstonejs/core';
import { DEFAULT_VIEWER_PREFERENCES } from '../../../core/api/viewerPreferences.js';
import { ensureCornerstone } from './cornerstoneSetup.js';

/** The page's one rendering engine (its viewports are the viewer's cells). */
export const ENGINE_ID = 'vigie-viewer';

/**
 * The rendering engine, created on first use and kept for the page's life:
 * creating one (a WebGL context, its shaders) costs tens of milliseconds —
 * over a hundred with a software GL — that an opening would otherwise spend
 * before its first image.
 */
export function pageEngine(): RenderingEngine {
  return (getRenderingEngine(ENGINE_ID) as RenderingEngine | undefined) ?? new RenderingEngine(ENGINE_ID);
}

/**
 * Cornerstone and the rendering engine, started while a reader's worklist is
 * idle (after the viewer's code has arrived): the first "Ouvrir" of the night
 * then spends its main thread on the study, not on starting WebGL — which
 * also slowed the first frame's transfer, drained by that same thread.
 * A failure is left for the viewer to show in context.
 */
export async function warmUpEngine(): Promise<void> {
  await ensureCornerstone({ cacheBytes: DEFAULT_VIEWER_PREFERENCES.cacheBudgetMb * 1024 * 1024 });
  pageEngine();
  // For the bench: a reader's worklist is open for minutes before the first "Ouvrir"; a cold opening is timed after this.
  performance.mark('vigie:viewer-warm');
}
