import { TeleFileChange } from '../../core/api/teleFiles.js';
import { ReadingApiError, type ReadingApi } from '../../core/readingApi.js';
import { isSessionLost } from './sessionGuard.js';

/**
 * The handlers of `ReadingApi.watchWorklist`, plus `onStatus`, which tells the
 * screen whether the feed is live or reconnecting (the "en direct" mark).
 * `onStatus` is optional, so an object of this type is also a plain
 * ReadingApi handler object: transports that know it call it, others ignore it.
 */
export type WorklistWatchHandlers = Parameters<ReadingApi['watchWorklist']>[1] & {
  onStatus?(status: LiveStatus): void;
};
export type LiveStatus = 'live' | 'reconnecting';

/** What this module needs of the browser's EventSource (injected so tests can drive it). */
export interface EventSourceLike {
  onopen: ((event: Event) => void) | null;
  onerror: ((event: Event) => void) | null;
  addEventListener(type: string, listener: (event: MessageEvent<string>) => void): void;
  close(): void;
}

export interface LiveWorklistOptions {
  /** The stream's URL for a resume point. */
  url(cursor: string): string;
  open(url: string): EventSourceLike;
  /** GET /api/session, unguarded: resolves when the session is valid, rejects with its ReadingApiError otherwise. */
  checkSession(): Promise<unknown>;
  /** Waits before each reconnection, the last repeating; jittered ±20 % so 200 readers do not come back at once. */
  retryDelaysMs?: readonly number[];
  random?: () => number;
  setTimer?: (run: () => void, ms: number) => unknown;
  clearTimer?: (timer: unknown) => void;
}

export const RETRY_DELAYS_MS: readonly number[] = [1_000, 2_000, 5_000, 10_000, 15_000];

/**
 * The live worklist over EventSource (text/event-stream). The browser's own
 * reconnection is not used: on any error the stream is closed, the session is
 * checked (an EventSource cannot read the 401 it got), and a new stream is
 * opened with `?since=` the last cursor received, so nothing between the two
 * is missed. A lost session stops the feed with `onError(401)`: the session
 * guard restarts it once the person has signed in again.
 */
export function watchLiveWorklist(cursor: string, handlers: WorklistWatchHandlers, options: LiveWorklistOptions): () => void {
  const delays = options.retryDelaysMs ?? RETRY_DELAYS_MS;
  const random = options.random ?? Math.random;
  const setTimer = options.setTimer ?? ((run, ms) => setTimeout(run, ms));
  const clearTimer = options.clearTimer ?? ((timer) => clearTimeout(timer as ReturnType<typeof setTimeout>));
  let lastCursor = cursor;
  let stopped = false;
  let source: EventSourceLike | null = null;
  let timer: unknown = null;
  let failures = 0;

  function connect(): void {
    timer = null;
    if (stopped) return;
    const current = options.open(options.url(lastCursor));
    source = current;
    current.onopen = () => {
      if (source !== current) return;
      failures = 0;
      handlers.onStatus?.('live');
    };
    current.addEventListener('tele-file', (event) => {
      if (source !== current) return;
      const change = parseChange(event.data);
      if (change === null) {
        // A change this client cannot read: the list itself is the source of truth.
        handlers.onReset();
        return;
      }
      if (event.lastEventId) lastCursor = event.lastEventId;
      handlers.onChange(change, lastCursor);
    });
    current.addEventListener('reset', (event) => {
      if (source !== current) return;
      if (event.lastEventId) lastCursor = event.lastEventId;
      handlers.onReset();
    });
    const broken = () => {
      if (source !== current) return;
      current.close();
      source = null;
      handlers.onStatus?.('reconnecting');
      void diagnose();
    };
    current.onerror = broken;
    // The hub re-checks the session at each ping and says so before it ends the stream.
    current.addEventListener('session-expired', broken);
  }

  async function diagnose(): Promise<void> {
    try {
      await options.checkSession();
      if (stopped) return;
      handlers.onError?.(streamInterrupted());
    } catch (error) {
      if (stopped) return;
      handlers.onError?.(error);
      if (isSessionLost(error)) {
        stopped = true;
        return;
      }
    }
    if (stopped) return;
    const base = delays[Math.min(failures, delays.length - 1)] ?? 15_000;
    failures += 1;
    timer = setTimer(connect, Math.round(base * (0.8 + 0.4 * random())));
  }

  connect();
  return () => {
    stopped = true;
    if (timer !== null) clearTimer(timer);
    source?.close();
    source = null;
  };
}

function parseChange(data: string): TeleFileChange | null {
  try {
    const parsed = TeleFileChange.safeParse(JSON.parse(data));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

function streamInterrupted(): ReadingApiError {
  return new ReadingApiError(0, {
    code: 'service-unavailable',
    message: 'The live worklist stream was interrupted; reconnecting.',
    requestId: '',
  });
}
