import { TeleFileChange } from '../../core/api/teleFiles.js';
import { ReadingApiError, type ReadingApi } from '../../core/readingApi.js';
import { SseParser } from './sseParser.js';

/** The ReadingApi handlers, plus whether the feed is live (the renderer's "en direct" mark). */
export type WorklistStreamHandlers = Parameters<ReadingApi['watchWorklist']>[1] & {
  onStatus?(status: 'live' | 'reconnecting'): void;
};

export interface WorklistStreamOptions {
  /**
   * Opens `GET /api/worklist/events?since=cursor`; resolves once the hub has
   * answered with a 2xx and its headers, rejects with a ReadingApiError otherwise.
   * `signal` aborts the request and its body.
   */
  open(cursor: string, signal: AbortSignal): Promise<Response>;
  /** Waits before each reconnection, the last repeating; jittered ±20 %. */
  retryDelaysMs?: readonly number[];
  /** No byte for this long (the hub pings every 15 s): the connection is dead though TCP has not noticed. */
  idleTimeoutMs?: number;
  random?: () => number;
}

export const STREAM_RETRY_DELAYS_MS: readonly number[] = [1_000, 2_000, 5_000, 10_000, 15_000];
export const STREAM_IDLE_TIMEOUT_MS = 45_000;

/**
 * The live worklist in the main process: an SSE client over fetch's streamed
 * body. It reconnects after any failure with `?since=` the last cursor it
 * received, so nothing is lost or doubled across a hub restart, and it stops
 * for good only when stopped or when the hub answers 401 (the renderer's
 * session guard starts a new subscription after sign-in).
 */
export function watchWorklistStream(cursor: string, handlers: WorklistStreamHandlers, options: WorklistStreamOptions): () => void {
  const delays = options.retryDelaysMs ?? STREAM_RETRY_DELAYS_MS;
  const idleTimeoutMs = options.idleTimeoutMs ?? STREAM_IDLE_TIMEOUT_MS;
  const random = options.random ?? Math.random;
  let lastCursor = cursor;
  let stopped = false;
  let connection: AbortController | null = null;
  let wake: (() => void) | null = null;

  async function connectOnce(): Promise<'ended' | 'unauthorized'> {
    const controller = new AbortController();
    connection = controller;
    let sessionEnded = false;
    let idle: ReturnType<typeof setTimeout> | undefined;
    const armIdle = () => {
      clearTimeout(idle);
      idle = setTimeout(() => controller.abort(new Error('The live worklist stream went silent.')), idleTimeoutMs);
    };
    try {
      const response = await options.open(lastCursor, controller.signal);
      if (response.body === null) throw streamError('The hub answered the live worklist request without a stream.');
      handlers.onStatus?.('live');
      armIdle();
      const parser = new SseParser((message) => {
        if (stopped) return;
        if (message.event === 'session-expired') {
          // The hub re-checks the session at each ping and ends the stream when it is gone.
          sessionEnded = true;
          controller.abort();
          return;
        }
        if (message.event === 'reset') {
          if (message.lastEventId) lastCursor = message.lastEventId;
          handlers.onReset();
          return;
        }
        if (message.event !== 'tele-file') return;
        const change = parseChange(message.data);
        // A change this client cannot read: the list itself is the source of truth.
        if (change === null) {
          handlers.onReset();
          return;
        }
        if (message.lastEventId) lastCursor = message.lastEventId;
        handlers.onChange(change, lastCursor);
      });
      const decoder = new TextDecoder();
      const reader = response.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done || stopped) break;
        armIdle();
        parser.push(decoder.decode(value, { stream: true }));
      }
      if (sessionEnded) throw new Error('The hub ended the stream: session expired.');
      return 'ended';
    } catch (error) {
      if (stopped) return 'ended';
      if (sessionEnded) {
        handlers.onError?.(new ReadingApiError(401, { code: 'session-expired', message: 'Your session has expired; sign in again.', requestId: 'desktop-stream' }));
        return 'unauthorized';
      }
      if (error instanceof ReadingApiError && error.status === 401) {
        handlers.onError?.(error);
        return 'unauthorized';
      }
      handlers.onError?.(error instanceof ReadingApiError ? error : streamError(`The live worklist stream was interrupted (${describe(error)}).`));
      return 'ended';
    } finally {
      clearTimeout(idle);
      controller.abort();
      if (connection === controller) connection = null;
    }
  }

  async function run(): Promise<void> {
    let failures = 0;
    while (!stopped) {
      const startedAt = Date.now();
      const outcome = await connectOnce();
      if (stopped || outcome === 'unauthorized') return;
      handlers.onStatus?.('reconnecting');
      // A stream that ran for a while was a success: start the back-off over.
      if (Date.now() - startedAt > idleTimeoutMs) failures = 0;
      const base = delays[Math.min(failures, delays.length - 1)] ?? 15_000;
      failures += 1;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.round(base * (0.8 + 0.4 * random())));
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = null;
    }
  }

  void run();
  return () => {
    stopped = true;
    connection?.abort();
    wake?.();
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

function streamError(message: string): ReadingApiError {
  return new ReadingApiError(503, { code: 'service-unavailable', message, requestId: 'desktop-stream' });
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
