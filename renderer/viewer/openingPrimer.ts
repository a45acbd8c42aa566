import { firstSeries } from '../../core/seriesOrder.js';
import { FRAME_ACCEPT, frameUrlOf } from './frameUrls.js';
import { firstFramePath, seriesOfMetadata, studyMetadata } from './studyMetadata.js';

import type { FrameFetchAnswer, FrameFetchRequest } from './frameFetchWorker.js';

let primed: { studyUid: string; url: Promise<string | null>; done: Promise<void> } | null = null;

/** A frame path of this study on the hub's DICOMweb root, else null. */
function ownPath(studyUid: string, path: string | null): string | null {
  return path !== null && path.startsWith(`/dicom-web/studies/${encodeURIComponent(studyUid)}/`) ? path : null;
}

/**
 * The moment a tele-file is opened (the hash change, before the viewer's code
 * has even run): its study's metadata, then its first image's frame, into the
 * browser's HTTP cache. The worklist's tele-file names that frame when the
 * hub has it ready (then it leaves at once, beside the metadata request);
 * else the hub names it in a header of the metadata answer (it leaves when
 * the headers arrive); else it is worked out from the metadata.
 * The hub marks frames immutable: when Cornerstone asks for the same URL the
 * browser answers from that cache. The viewer's own start (Cornerstone, its
 * workers, the cells) happens while the bytes travel. Failures are silent:
 * the viewer asks again and shows any error.
 */
export function primeOpening(studyUid: string, listedFirstFrame: string | null = null): void {
  if (primed?.studyUid === studyUid) return;
  // The metadata is wanted anyway: it leaves now too.
  void studyMetadata(studyUid).catch(() => undefined);
  const url = (async (): Promise<string | null> => {
    // Where the frame's name came from, for the bench's waterfall: one round trip apart.
    const listed = ownPath(studyUid, listedFirstFrame);
    if (listed !== null) {
      performance.mark('vigie:first-frame-named:worklist');
      return `${globalThis.location.origin}${listed}`;
    }
    const named = await firstFramePath(studyUid);
    if (named !== null) {
      performance.mark('vigie:first-frame-named:header');
      return `${globalThis.location.origin}${named}`;
    }
    const series = firstSeries(seriesOfMetadata(await studyMetadata(studyUid)));
    const first = series?.instances[0];
    performance.mark('vigie:first-frame-named:metadata');
    return series && first ? frameUrlOf(studyUid, series.seriesInstanceUid, first) : null;
  })().catch(() => null);
  const done = (async () => {
    const target = await url;
    if (target !== null) await fetchIntoCache(target);
  })().catch(() => undefined);
  primed = { studyUid, url, done };
}

/**
 * Settles once the primed frame is in the HTTP cache, when the frame primed
 * is the one at `url`; null when none was primed for it. The viewer waits for
 * it rather than asking for the same frame alongside: the browser does not
 * always join the two transfers, and two copies of a frame on a home line
 * each arrive half as fast.
 */
export async function primedFrame(studyUid: string, url: string): Promise<{ inCache: Promise<void> } | null> {
  if (primed?.studyUid !== studyUid) return null;
  const { done } = primed;
  return (await primed.url) === url ? { inCache: done } : null;
}

/** The longest an opening waits for the worker's word on its first frame (a home line moves 512 KiB in a quarter of a second). */
const WORKER_ANSWER_MS = 10_000;

let worker: Worker | null = null;
let workerFailed = false;
let nextId = 0;
const waiting = new Map<number, () => void>();

/** The frame fetcher's worker, started ahead (the worklist's idle time) so an opening does not wait for it. */
export function startFrameFetcher(): void {
  if (worker !== null || workerFailed || typeof Worker === 'undefined') return;
  try {
    worker = new Worker(new URL('./frameFetchWorker.ts', import.meta.url), { type: 'module', name: 'vigie-frame-fetch' });
  } catch {
    workerFailed = true;
    return;
  }
  worker.onmessage = (event: MessageEvent<FrameFetchAnswer>) => {
    markTransfer(event.data.timing);
    waiting.get(event.data.id)?.();
    waiting.delete(event.data.id);
  };
  worker.onerror = () => {
    // A worker that cannot run: the page reads frames itself from now on.
    worker = null;
    workerFailed = true;
    for (const settle of waiting.values()) settle();
    waiting.clear();
  };
}

/** Fetches a frame into the HTTP cache: in the worker when it runs, else on this thread. Settles when it is there (or failed). */
async function fetchIntoCache(url: string): Promise<void> {
  startFrameFetcher();
  if (worker !== null) {
    const id = (nextId += 1);
    const sent = worker;
    await new Promise<void>((settle) => {
      // Never an opening held by a worker that went quiet: past this, the viewer asks for the frame itself.
      const timer = setTimeout(() => {
        waiting.delete(id);
        settle();
      }, WORKER_ANSWER_MS);
      waiting.set(id, () => {
        clearTimeout(timer);
        settle();
      });
      sent.postMessage({ id, url, accept: FRAME_ACCEPT } satisfies FrameFetchRequest);
    });
    return;
  }
  const response = await fetch(url, { headers: { Accept: FRAME_ACCEPT }, credentials: 'same-origin' });
  // Read to the end: only a complete response is kept in the cache.
  await response.arrayBuffer();
}

/** The worker's transfer on the page's timeline (its requests are not in the page's resource timing): for the bench's waterfall. */
function markTransfer(timing: FrameFetchAnswer['timing']): void {
  if (timing === null) return;
  const page = (epoch: number) => Math.max(0, epoch - performance.timeOrigin);
  performance.mark('vigie:first-frame-request', { startTime: page(timing.requestAt) });
  performance.mark('vigie:first-frame-first-byte', { startTime: page(timing.responseStartAt) });
  // transferSize 0: it was in the cache already (the next file, warmed while the previous one was read).
  performance.mark('vigie:first-frame-in-cache', { startTime: page(timing.responseEndAt), detail: { transferSize: timing.transferSize } });
}
