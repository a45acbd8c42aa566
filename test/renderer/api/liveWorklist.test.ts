import { describe, expect, it } from 'vitest';
import { ReadingApiError } from '../../../core/readingApi.js';
import { watchLiveWorklist, type EventSourceLike, type WorklistWatchHandlers } from '../../../renderer/api/liveWorklist.js';
import { teleFile } from '../teleFileFixture.js';

/** An EventSource the test drives: open, named events with their lastEventId, errors. */
class FakeEventSource implements EventSourceLike {
  onopen: ((event: Event) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;
  closed = false;
  private readonly listeners = new Map<string, ((event: MessageEvent<string>) => void)[]>();
  constructor(readonly url: string) {}
  addEventListener(type: string, listener: (event: MessageEvent<string>) => void) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  close() {
    this.closed = true;
  }
  open() {
    this.onopen?.(new Event('open'));
  }
  emit(type: string, data: unknown, lastEventId = '') {
    const event = { data: typeof data === 'string' ? data : JSON.stringify(data), lastEventId } as MessageEvent<string>;
    for (const listener of this.listeners.get(type) ?? []) listener(event);
  }
  fail() {
    this.onerror?.(new Event('error'));
  }
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

function setUp(session: () => Promise<unknown> = () => Promise.resolve({})) {
  const sources: FakeEventSource[] = [];
  const timers: { run: () => void; ms: number }[] = [];
  const events: string[] = [];
  const errors: unknown[] = [];
  const handlers: WorklistWatchHandlers = {
    onChange: (change, cursor) => events.push(`${change.kind}@${cursor}`),
    onReset: () => events.push('reset'),
    onStatus: (status) => events.push(status),
    onError: (error) => errors.push(error),
  };
  const stop = watchLiveWorklist('c-1', handlers, {
    url: (cursor) => `/api/worklist/events?since=${cursor}`,
    open: (url) => {
      const source = new FakeEventSource(url);
      sources.push(source);
      return source;
    },
    checkSession: session,
    retryDelaysMs: [1_000, 5_000],
    random: () => 0.5,
    setTimer: (run, ms) => timers.push({ run, ms }),
    clearTimer: () => undefined,
  });
  return { sources, timers, events, errors, stop };
}

describe('watchLiveWorklist (EventSource)', () => {
  it('opens from the cursor, says when it is live, and passes on changes with their cursor', () => {
    const { sources, events } = setUp();
    expect(sources[0]?.url).toBe('/api/worklist/events?since=c-1');
    sources[0]!.open();
    sources[0]!.emit('tele-file', { kind: 'upsert', teleFile: teleFile() }, 'c-2');
    sources[0]!.emit('tele-file', { kind: 'remove', id: 'x' }, 'c-3');
    sources[0]!.emit('reset', {}, 'c-4');
    expect(events).toEqual(['live', 'upsert@c-2', 'remove@c-3', 'reset']);
  });

  it('asks for a reload rather than apply a change it cannot read', () => {
    const { sources, events } = setUp();
    sources[0]!.emit('tele-file', { kind: 'upsert', teleFile: { id: 'x' } }, 'c-2');
    sources[0]!.emit('tele-file', 'not json', 'c-3');
    expect(events).toEqual(['reset', 'reset']);
  });

  it('after a stream error with a valid session, reopens from the last cursor, backing off', async () => {
    const { sources, timers, events } = setUp();
    sources[0]!.open();
    sources[0]!.emit('tele-file', { kind: 'remove', id: 'x' }, 'c-7');
    sources[0]!.fail();
    expect(sources[0]!.closed).toBe(true);
    await flush();
    expect(timers).toHaveLength(1);
    // 1 s ± 20 %; random() = 0.5 is the middle.
    expect(timers[0]!.ms).toBe(1_000);
    timers[0]!.run();
    expect(sources[1]?.url).toBe('/api/worklist/events?since=c-7');
    sources[1]!.fail();
    await flush();
    expect(timers[1]!.ms).toBe(5_000);
    timers[1]!.run();
    sources[2]!.open();
    expect(events).toEqual(['live', 'remove@c-7', 'reconnecting', 'reconnecting', 'live']);
  });

  it('keeps retrying while the hub cannot be reached (network down), and says so', async () => {
    const down = new ReadingApiError(0, { code: 'service-unavailable', message: 'down', requestId: '' });
    const { sources, timers, errors } = setUp(() => Promise.reject(down));
    sources[0]!.fail();
    await flush();
    expect(errors).toEqual([down]);
    expect(timers).toHaveLength(1);
  });

  it('stops on a lost session and reports it, without reconnecting', async () => {
    const expired = new ReadingApiError(401, { code: 'session-expired', message: 'Expired.', requestId: '' });
    const { sources, timers, errors, events } = setUp(() => Promise.reject(expired));
    sources[0]!.open();
    sources[0]!.fail();
    await flush();
    expect(errors).toEqual([expired]);
    expect(timers).toHaveLength(0);
    expect(sources).toHaveLength(1);
    expect(events).toEqual(['live', 'reconnecting']);
  });

  it('once stopped, closes the stream and ignores what a late answer says', async () => {
    const { sources, timers, events, errors, stop } = setUp();
    sources[0]!.fail();
    stop();
    await flush();
    expect(timers).toHaveLength(0);
    expect(errors).toEqual([]);
    const { sources: others, stop: stopOther, events: otherEvents } = setUp();
    stopOther();
    expect(others[0]!.closed).toBe(true);
    others[0]!.emit('reset', {});
    expect(otherEvents).toEqual([]);
    expect(events).toEqual(['reconnecting']);
  });

  it('checks the session when the hub says it ended it', async () => {
    const expired = new ReadingApiError(401, { code: 'session-expired', message: 'Expired.', requestId: '' });
    const { sources, timers, errors } = setUp(() => Promise.reject(expired));
    sources[0]!.open();
    sources[0]!.emit('session-expired', {});
    expect(sources[0]!.closed).toBe(true);
    await flush();
    expect(errors).toEqual([expired]);
    expect(timers).toHaveLength(0);
  });
});
