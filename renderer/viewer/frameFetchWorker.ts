/**
 * Fetches a frame into the browser's HTTP cache, off the page's main thread.
 * A response body is drained by the thread that reads it: read on the main
 * thread, a 512 KiB frame arriving while the viewer starts (React, the
 * cells, Cornerstone) waited for that thread between chunks and took half as
 * long again as on an idle page. Here it is read as it arrives.
 */
export interface FrameFetchRequest {
  id: number;
  url: string;
  accept: string;
}

export interface FrameFetchAnswer {
  id: number;
  ok: boolean;
  /** When the request left, its first byte and its last byte arrived (epoch milliseconds, from the worker's resource timing), when known. */
  timing: { requestAt: number; responseStartAt: number; responseEndAt: number; transferSize: number } | null;
}

function timingOf(url: string): FrameFetchAnswer['timing'] {
  const entry = performance.getEntriesByName(url, 'resource').at(-1) as PerformanceResourceTiming | undefined;
  performance.clearResourceTimings();
  if (!entry) return null;
  const at = (t: number) => performance.timeOrigin + t;
  return { requestAt: at(entry.requestStart || entry.startTime), responseStartAt: at(entry.responseStart), responseEndAt: at(entry.responseEnd), transferSize: entry.transferSize };
}

self.onmessage = (event: MessageEvent<FrameFetchRequest>) => {
  const { id, url, accept } = event.data;
  void (async () => {
    try {
      const response = await fetch(url, { headers: { Accept: accept }, credentials: 'same-origin' });
      // Read to the end: only a complete response is kept in the cache.
      await response.arrayBuffer();
      self.postMessage({ id, ok: response.ok, timing: timingOf(url) } satisfies FrameFetchAnswer);
    } catch {
      self.postMessage({ id, ok: false, timing: null } satisfies FrameFetchAnswer);
    }
  })();
};
