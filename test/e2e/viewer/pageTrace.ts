/**
 * A trace of what the viewer page does, for failure messages: every key,
 * every change of the active cell's image index and of any cell's
 * data-state, and every canvas put into a cell (Cornerstone re-enabling it:
 * the cells were rebuilt), with the time in ms since the trace started.
 * Read-only: it observes, never acts.
 */
import type { Page } from 'playwright-core';
import type { ViewerProbe } from '../../../renderer/viewer/cornerstone/viewerProbe.js';

const KEY = '__vigieViewerTrace';

export async function startTrace(page: Page): Promise<void> {
  await page.evaluate((key) => {
    const w = window as unknown as Record<string, unknown> & { vigieViewer?: ViewerProbe };
    const previous = w[key] as { stop(): void } | undefined;
    previous?.stop();
    const log: string[] = [];
    const t0 = performance.now();
    const at = () => Math.round(performance.now() - t0);
    const observer = new MutationObserver((records) => {
      for (const r of records) {
        if (r.type === 'attributes' && r.attributeName === 'data-state') log.push(`${at()} cell data-state ${(r.target as HTMLElement).getAttribute('data-state')}`);
        // A canvas put into a cell: Cornerstone (re)enabling the element, i.e. the cells rebuilt.
        if (r.type === 'childList') for (const node of r.addedNodes) if (node instanceof HTMLElement && (node.tagName === 'CANVAS' || node.querySelector('canvas'))) log.push(`${at()} canvas added to a cell`);
      }
    });
    observer.observe(document.body, { subtree: true, attributes: true, attributeFilter: ['data-state'], childList: true });
    let last: number | undefined;
    const timer = setInterval(() => {
      const index = w.vigieViewer?.status().imageIndex;
      if (index !== last) log.push(`${at()} imageIndex ${index}`);
      last = index;
    }, 2);
    const onKey = (event: KeyboardEvent) => log.push(`${at()} keydown ${event.key}`);
    window.addEventListener('keydown', onKey, true);
    w[key] = {
      log,
      stop() {
        observer.disconnect();
        clearInterval(timer);
        window.removeEventListener('keydown', onKey, true);
      },
    };
  }, KEY);
}

/** The trace so far, one event a line (stops it). */
export async function stopTrace(page: Page): Promise<string> {
  return page.evaluate((key) => {
    const trace = (window as unknown as Record<string, { log: string[]; stop(): void } | undefined>)[key];
    if (!trace) return '(no trace)';
    trace.stop();
    return trace.log.join('\n');
  }, KEY);
}
