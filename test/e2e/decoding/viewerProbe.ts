/**
 * The viewer's test contract (issue 5), as this test uses it:
 *
 * - The viewer opens at `#/tele-files/<id>/viewer` on the first series (lowest
 *   SeriesNumber), image 1; ArrowDown goes to the next image (frame), ArrowUp
 *   to the previous one.
 * - `window.vigieViewer.status()` describes the active viewport and
 *   `window.vigieViewer.displayedImage()` gives the displayed frame's
 *   `image.getPixelData()` as a plain array.
 * - A file it cannot show: `status().state === 'error'` and an element with
 *   role="alert" naming the file and saying why.
 */
import type { Page } from 'playwright-core';
import type { PickedImage } from './compare.js';
import type { Sample } from './reference.js';

export interface ViewerStatus {
  state: 'idle' | 'loading' | 'shown' | 'error';
  message?: string;
  imageId?: string;
  imageIndex?: number;
  imageCount?: number;
  sopInstanceUid?: string;
  frameNumber?: number;
}

/** How long one image may take to show (decode in the browser on a loaded 2-core machine). */
/** Above the viewer's own 15 s watchdog (viewerController IMAGE_TIMEOUT_MS), which turns a stuck decode into a message. */
export const IMAGE_TIMEOUT_MS = 20_000;

export function viewerHash(teleFileId: string): string {
  return `#/tele-files/${encodeURIComponent(teleFileId)}/viewer`;
}

/** The contract's status, or null while the viewer page is not loaded. */
export async function viewerStatus(page: Page): Promise<ViewerStatus | null> {
  return page.evaluate(() => {
    const viewer = Reflect.get(window, 'vigieViewer') as { status?: () => unknown } | undefined;
    return typeof viewer?.status === 'function' ? (JSON.parse(JSON.stringify(viewer.status())) as ViewerStatus) : null;
  });
}

/** Texts of the visible role="alert" elements. */
export async function alertTexts(page: Page): Promise<string[]> {
  const alerts = page.getByRole('alert');
  const texts: string[] = [];
  for (let i = 0; i < (await alerts.count()); i++) {
    const alert = alerts.nth(i);
    if (await alert.isVisible()) texts.push(((await alert.textContent()) ?? '').trim());
  }
  return texts;
}

async function poll<T>(what: string, timeoutMs: number, check: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export type Opened = { kind: 'shown'; status: ViewerStatus } | { kind: 'error'; status: ViewerStatus; alerts: string[] };

/**
 * Leaves for the worklist (so the previous study's viewer, its status and
 * alert are gone), then opens this tele-file's viewer and waits until it shows
 * one of `sopInstanceUids`, or says it cannot (state error and a visible alert).
 */
export async function openStudy(page: Page, teleFileId: string, sopInstanceUids: ReadonlySet<string>): Promise<Opened> {
  await page.evaluate(() => {
    window.location.hash = '#/';
  });
  await page.getByTestId('worklist').waitFor({ state: 'visible', timeout: IMAGE_TIMEOUT_MS });
  await page.evaluate((hash) => {
    window.location.hash = hash;
  }, viewerHash(teleFileId));
  let last: ViewerStatus | null = null;
  try {
    return await poll(`the viewer of tele-file ${teleFileId} to show one of ${[...sopInstanceUids].join(', ')} or an error`, IMAGE_TIMEOUT_MS, async () => {
      const status = await viewerStatus(page);
      last = status;
      if (status?.state === 'shown' && status.sopInstanceUid !== undefined && sopInstanceUids.has(status.sopInstanceUid)) return { kind: 'shown' as const, status };
      if (status?.state === 'error') {
        const alerts = await alertTexts(page);
        if (alerts.length > 0) return { kind: 'error' as const, status, alerts };
      }
      return undefined;
    });
  } catch (error) {
    const message = `${(error as Error).message}; last status ${JSON.stringify(last)}; alerts ${JSON.stringify(await alertTexts(page))}; URL ${page.url()}`;
    throw last === null ? new ViewerAbsent(message, { cause: error }) : new Error(message, { cause: error });
  }
}

/** `window.vigieViewer` never appeared: no viewer in this build (the caller stops trying other studies). */
export class ViewerAbsent extends Error {
  override readonly name = 'ViewerAbsent';
}

/**
 * Reads the displayed frame in the page and brings back only the values at
 * the sample positions (a 512 × 512 frame is 262 144 numbers: serialising it
 * all for 64 samples would dominate the test's time).
 */
export async function pickDisplayed(page: Page, samples: readonly Sample[]): Promise<PickedImage | null> {
  const positions = samples.map((s) => [s.r, s.c] as const);
  return page.evaluate((where) => {
    const viewer = Reflect.get(window, 'vigieViewer') as { displayedImage?: () => unknown } | undefined;
    const image = viewer?.displayedImage?.() as
      | { rows: number; columns: number; samplesPerPixel: number; photometric: string; values: ArrayLike<number>; modalityValues: boolean }
      | null
      | undefined;
    if (!image) return null;
    const spp = image.samplesPerPixel;
    const picked = where.map(([r, c]) => {
      const base = (r * image.columns + c) * spp;
      const out: number[] = [];
      for (let ch = 0; ch < Math.min(spp, 3); ch++) out.push(Number(image.values[base + ch]));
      return out;
    });
    return { rows: image.rows, columns: image.columns, samplesPerPixel: spp, photometric: image.photometric, modalityValues: image.modalityValues, valueCount: image.values.length, picked };
  }, positions);
}
