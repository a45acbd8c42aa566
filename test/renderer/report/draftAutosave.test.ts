import { describe, expect, it } from 'vitest';
import { EMPTY_CONTENT, NO_CRITICAL_FINDING, type ReportView, type SaveDraftRequest } from '../../../core/api/reports.js';
import { ReadingApiError, type DraftSaveResult } from '../../../core/readingApi.js';
import { DraftAutosave, isRetryable, type Clock, type SaveState } from '../../../renderer/report/draftAutosave.js';
import type { DraftFields } from '../../../renderer/report/draftFields.js';
import { readLocalCopy, type KeyValueStore } from '../../../renderer/report/localCopy.js';
import { reportView } from './reportFixture.js';

/** A clock whose time moves only when the test says so. */
function fakeClock(): Clock & { advance(ms: number): Promise<void>; pending(): number } {
  let now = 1_000_000;
  let timers: { at: number; run: () => void; id: number }[] = [];
  let nextId = 1;
  return {
    now: () => now,
    setTimer: (run, ms) => {
      const id = nextId++;
      timers.push({ at: now + ms, run, id });
      return id;
    },
    clearTimer: (id) => {
      timers = timers.filter((timer) => timer.id !== id);
    },
    pending: () => timers.length,
    async advance(ms) {
      const until = now + ms;
      for (;;) {
        const due = timers.filter((timer) => timer.at <= until).sort((a, b) => a.at - b.at)[0];
        if (!due) break;
        timers = timers.filter((timer) => timer !== due);
        now = due.at;
        due.run();
        await settle();
      }
      now = until;
      await settle();
    },
  };
}

const settle = async () => {
  for (let i = 0; i < 5; i += 1) await Promise.resolve();
};

function memoryStore(): KeyValueStore & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return {
    map,
    getItem: (key) => map.get(key) ?? null,
    setItem: (key, value) => void map.set(key, value),
    removeItem: (key) => void map.delete(key),
  };
}

function fields(findings: string): DraftFields {
  return { content: { ...EMPTY_CONTENT, findings }, critical: NO_CRITICAL_FINDING, templateId: null };
}

/** A hub whose answers the test releases one by one. */
function fakeHub() {
  const calls: { request: SaveDraftRequest; answer(result: DraftSaveResult | Error): void }[] = [];
  let version = 0;
  return {
    calls,
    save(request: SaveDraftRequest): Promise<DraftSaveResult> {
      return new Promise((resolve, reject) => {
        calls.push({ request, answer: (result) => (result instanceof Error ? reject(result) : resolve(result)) });
      });
    },
    /** The hub's normal answer to call `index`. */
    ok(index: number): void {
      version += 1;
      const call = calls[index]!;
      call.answer({ saved: true, report: reportView({ version: call.request.baseVersion + 1, content: call.request.content, updatedAt: `2026-01-15T02:1${version}:00.000Z` }) });
    },
  };
}

const KEY = 'vigie.report-draft.u1.tele-file.tf1';

function setUp(options: { unsaved?: boolean; baseVersion?: number } = {}) {
  const clock = fakeClock();
  const hub = fakeHub();
  const store = memoryStore();
  const states: SaveState['kind'][] = [];
  const saved: ReportView[] = [];
  const autosave = new DraftAutosave({
    save: (request) => hub.save(request),
    onSaved: (report) => saved.push(report),
    onChange: (state) => states.push(state.kind),
    fields: fields(''),
    baseVersion: options.baseVersion ?? 0,
    clientId: 'tab-12345678',
    store,
    key: KEY,
    clock,
    ...(options.unsaved === undefined ? {} : { unsaved: options.unsaved }),
  });
  return { clock, hub, store, states, saved, autosave };
}

describe('DraftAutosave', () => {
  it('keeps every keystroke locally at once, and saves at most once a second while typing', async () => {
    const { clock, hub, store, autosave } = setUp();
    autosave.edit(fields('H'));
    expect(readLocalCopy(store, KEY)?.fields.content.findings).toBe('H');
    await clock.advance(400);
    autosave.edit(fields('Hé'));
    await clock.advance(400);
    autosave.edit(fields('Hém'));
    expect(readLocalCopy(store, KEY)?.fields.content.findings).toBe('Hém');
    expect(hub.calls).toHaveLength(0);
    await clock.advance(200);
    // Typing did not push the save back: one second after the first unsaved keystroke.
    expect(hub.calls).toHaveLength(1);
    expect(hub.calls[0]?.request).toMatchObject({ baseVersion: 0, clientId: 'tab-12345678', content: { findings: 'Hém' } });
    expect(autosave.state.kind).toBe('saving');
  });

  it('never has two saves in flight: edits during one go in the next, on the new version', async () => {
    const { clock, hub, store, autosave, saved } = setUp();
    autosave.edit(fields('A'));
    await clock.advance(1000);
    autosave.edit(fields('AB'));
    await clock.advance(5000);
    expect(hub.calls).toHaveLength(1);
    hub.ok(0);
    await settle();
    expect(saved.map((report) => report.version)).toEqual([1]);
    // The text typed during the flight is still only local, now based on version 1.
    expect(readLocalCopy(store, KEY)).toMatchObject({ baseVersion: 1, fields: { content: { findings: 'AB' } } });
    expect(autosave.state.kind).toBe('pending');
    await clock.advance(1000);
    expect(hub.calls).toHaveLength(2);
    expect(hub.calls[1]?.request).toMatchObject({ baseVersion: 1, content: { findings: 'AB' } });
    hub.ok(1);
    await settle();
    expect(autosave.state).toEqual({ kind: 'saved', savedAt: expect.any(String) });
    expect(store.map.has(KEY)).toBe(false);
  });

  it('saves at once on flush (blur, hidden tab), and a flush during a flight sends the rest right after it', async () => {
    const { clock, hub, autosave } = setUp();
    autosave.edit(fields('A'));
    const first = autosave.flush();
    await settle();
    expect(hub.calls).toHaveLength(1);
    autosave.edit(fields('AB'));
    const second = autosave.flush();
    hub.ok(0);
    await first;
    await settle();
    expect(hub.calls).toHaveLength(2);
    expect(hub.calls[1]?.request.content.findings).toBe('AB');
    hub.ok(1);
    await second;
    expect(autosave.state.kind).toBe('saved');
    expect(clock.pending()).toBe(0);
    // Nothing new: a flush sends nothing.
    await autosave.flush();
    expect(hub.calls).toHaveLength(2);
  });

  it('keeps the text locally when the network fails, and retries with growing waits', async () => {
    const { clock, hub, store, autosave } = setUp();
    autosave.edit(fields('A'));
    void autosave.flush();
    await settle();
    hub.calls[0]?.answer(new ReadingApiError(0, { code: 'service-unavailable', message: 'No network.', requestId: '' }));
    await settle();
    expect(autosave.state).toMatchObject({ kind: 'offline', retryAt: clock.now() + 1000 });
    expect(readLocalCopy(store, KEY)?.fields.content.findings).toBe('A');
    autosave.edit(fields('AB'));
    await clock.advance(999);
    expect(hub.calls).toHaveLength(1);
    await clock.advance(1);
    expect(hub.calls).toHaveLength(2);
    expect(hub.calls[1]?.request.content.findings).toBe('AB');
    hub.calls[1]?.answer(new TypeError('Failed to fetch'));
    await settle();
    expect(autosave.state).toMatchObject({ kind: 'offline', retryAt: clock.now() + 2000 });
    await clock.advance(2000);
    hub.ok(2);
    await settle();
    expect(autosave.state.kind).toBe('saved');
    expect(store.map.has(KEY)).toBe(false);
  });

  it('does not retry a refusal, and keeps the local copy', async () => {
    const { clock, hub, store, autosave } = setUp();
    autosave.edit(fields('A'));
    void autosave.flush();
    await settle();
    hub.calls[0]?.answer(new ReadingApiError(403, { code: 'forbidden', message: 'Not yours.', requestId: 'r' }));
    await settle();
    expect(autosave.state.kind).toBe('refused');
    await clock.advance(60_000);
    expect(hub.calls).toHaveLength(1);
    expect(store.map.has(KEY)).toBe(true);
  });

  it('stops on a conflict until the person chooses; "theirs" takes the other version and drops the local copy', async () => {
    const { clock, hub, store, autosave } = setUp({ baseVersion: 3 });
    autosave.edit(fields('mine'));
    void autosave.flush();
    await settle();
    const current = reportView({ version: 5, content: { ...EMPTY_CONTENT, findings: 'theirs' }, lastClientId: 'tab-other000' });
    hub.calls[0]?.answer({ saved: false, current });
    await settle();
    expect(autosave.state).toEqual({ kind: 'conflict', current });
    autosave.edit(fields('mine, more'));
    await clock.advance(10_000);
    await autosave.flush();
    expect(hub.calls).toHaveLength(1);
    autosave.resolveConflict('theirs');
    expect(autosave.fields.content.findings).toBe('theirs');
    expect(autosave.baseVersion).toBe(5);
    expect(autosave.state.kind).toBe('saved');
    expect(store.map.has(KEY)).toBe(false);
    autosave.edit(fields('theirs, then mine'));
    await clock.advance(1000);
    expect(hub.calls[1]?.request).toMatchObject({ baseVersion: 5, content: { findings: 'theirs, then mine' } });
  });

  it('"mine" overwrites knowingly: saved at once on the other version', async () => {
    const { hub, autosave } = setUp({ baseVersion: 3 });
    autosave.edit(fields('mine'));
    void autosave.flush();
    await settle();
    hub.calls[0]?.answer({ saved: false, current: reportView({ version: 5 }) });
    await settle();
    autosave.resolveConflict('mine');
    await settle();
    expect(hub.calls[1]?.request).toMatchObject({ baseVersion: 5, content: { findings: 'mine' } });
  });

  it('a version signed elsewhere cannot be overwritten: "mine" takes it too', async () => {
    const { hub, autosave } = setUp({ baseVersion: 3 });
    autosave.edit(fields('mine'));
    void autosave.flush();
    await settle();
    hub.calls[0]?.answer({ saved: false, current: reportView({ version: 6, status: 'signed' }) });
    await settle();
    autosave.resolveConflict('mine');
    await settle();
    expect(hub.calls).toHaveLength(1);
    expect(autosave.state.kind).toBe('saved');
  });

  it('sends a restored local copy without waiting for a keystroke', async () => {
    const { clock, hub, autosave } = setUp({ unsaved: true, baseVersion: 2 });
    expect(autosave.state.kind).toBe('pending');
    await clock.advance(0);
    expect(hub.calls[0]?.request.baseVersion).toBe(2);
  });

  it('stops its timers when disposed, leaving the local copy', async () => {
    const { clock, hub, store, autosave } = setUp();
    autosave.edit(fields('A'));
    autosave.dispose();
    await clock.advance(5000);
    expect(hub.calls).toHaveLength(0);
    expect(store.map.has(KEY)).toBe(true);
  });
});

describe('isRetryable', () => {
  it('retries network failures and 5xx, not refusals', () => {
    const error = (status: number, code: 'service-unavailable' | 'forbidden' | 'internal-error' | 'validation-failed') => new ReadingApiError(status, { code, message: '', requestId: '' });
    expect(isRetryable(new TypeError('Failed to fetch'))).toBe(true);
    expect(isRetryable(error(0, 'service-unavailable'))).toBe(true);
    expect(isRetryable(error(503, 'service-unavailable'))).toBe(true);
    expect(isRetryable(error(500, 'internal-error'))).toBe(true);
    expect(isRetryable(error(403, 'forbidden'))).toBe(false);
    expect(isRetryable(error(400, 'validation-failed'))).toBe(false);
  });
});
