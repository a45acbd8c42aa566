import type { ReportView, SaveDraftRequest } from '../../core/api/reports.js';
import { ReadingApiError, type DraftSaveResult } from '../../core/readingApi.js';
import { draftRequest, fieldsOf, type DraftFields } from './draftFields.js';
import { removeLocalCopy, writeLocalCopy, type KeyValueStore } from './localCopy.js';

/**
 * Where a draft stands against the hub (what "report-save-state" shows):
 *   saved    — the hub has exactly what is on screen (`savedAt`: when, null if never edited here)
 *   pending  — edits not sent yet (a save is due within `intervalMs`)
 *   saving   — a save is in flight (never two: the next waits for its answer)
 *   offline  — the hub could not be reached; the local copy holds the text, a retry is due at `retryAt`
 *   refused  — the hub refused the save (signed meanwhile, no longer theirs…); the local copy holds the text
 *   conflict — another tab or workstation saved first: autosave stops until the person chooses
 */
export type SaveState =
  | { readonly kind: 'saved'; readonly savedAt: string | null }
  | { readonly kind: 'pending' }
  | { readonly kind: 'saving' }
  | { readonly kind: 'offline'; readonly retryAt: number; readonly error: unknown }
  | { readonly kind: 'refused'; readonly error: unknown }
  | { readonly kind: 'conflict'; readonly current: ReportView };

/** Timers and time, injected so tests run the scheduler on a fake clock. */
export interface Clock {
  now(): number;
  setTimer(run: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
}

export const BROWSER_CLOCK: Clock = {
  now: () => Date.now(),
  setTimer: (run, ms) => globalThis.setTimeout(run, ms),
  clearTimer: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof globalThis.setTimeout>),
};

export interface DraftAutosaveOptions {
  save(request: SaveDraftRequest): Promise<DraftSaveResult>;
  /** Called with every new hub version this tab saved (the panel needs its id and version to sign). */
  onSaved?(report: ReportView): void;
  onChange(state: SaveState): void;
  fields: DraftFields;
  baseVersion: number;
  clientId: string;
  /** Local copy: where, and under which key (localCopyKey). */
  store: KeyValueStore | undefined;
  key: string;
  /** The restored local copy is not on the hub yet: start pending. */
  unsaved?: boolean;
  clock?: Clock;
  /** At most one save per interval while typing. */
  intervalMs?: number;
  /** Waits between retries after a network failure; the last repeats. */
  retryDelaysMs?: readonly number[];
}

const DEFAULT_INTERVAL_MS = 1000;
const DEFAULT_RETRY_DELAYS_MS = [1000, 2000, 5000, 10_000, 30_000];

/**
 * Saves a draft while it is typed (issue 6): every edit goes to the local
 * copy at once, and to the hub at most once per `intervalMs`, or at once when
 * `flush()` is called (blur, tab hidden, page hidden). One save in flight at a
 * time; edits made meanwhile go in the next. A network failure keeps the text
 * locally and retries with growing waits; a conflict stops everything until
 * `resolveConflict`.
 */
export class DraftAutosave {
  private fieldsNow: DraftFields;
  private base: number;
  private stateNow: SaveState;
  /** Bumped at each edit: a save answers for the edit count it carried. */
  private editSeq = 0;
  private savedSeq = 0;
  private inFlight = false;
  private flushAfterFlight = false;
  private timer: unknown = null;
  private lastSaveStartedAt = Number.NEGATIVE_INFINITY;
  private failures = 0;
  private disposed = false;
  private readonly clock: Clock;
  private readonly intervalMs: number;
  private readonly retryDelaysMs: readonly number[];
  private localCopyKept = true;

  constructor(private readonly options: DraftAutosaveOptions) {
    this.fieldsNow = options.fields;
    this.base = options.baseVersion;
    this.clock = options.clock ?? BROWSER_CLOCK;
    this.intervalMs = options.intervalMs ?? DEFAULT_INTERVAL_MS;
    this.retryDelaysMs = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
    this.stateNow = { kind: 'saved', savedAt: null };
    if (options.unsaved === true) {
      this.editSeq = 1;
      this.stateNow = { kind: 'pending' };
      this.schedule(0);
    }
  }

  get state(): SaveState {
    return this.stateNow;
  }
  get fields(): DraftFields {
    return this.fieldsNow;
  }
  get baseVersion(): number {
    return this.base;
  }
  /** Whether the last edit reached this browser's storage (false: private mode or full). */
  get hasLocalCopy(): boolean {
    return this.localCopyKept;
  }

  /** A keystroke, a pick, a template: kept locally now, sent within the interval. Ignored during a conflict. */
  edit(fields: DraftFields): void {
    if (this.disposed || this.stateNow.kind === 'conflict') return;
    this.fieldsNow = fields;
    this.editSeq += 1;
    this.keepLocally();
    if (this.inFlight) return;
    if (this.stateNow.kind === 'offline') return; // its retry timer will send the latest text
    this.set({ kind: 'pending' });
    // Not pushed back by further keystrokes: one save per interval while the person keeps typing.
    if (this.timer === null) this.schedule(this.intervalMs);
  }

  /** Save now (blur, visibility hidden, pagehide, before signing). Resolves when the hub has everything typed so far, or the save failed. */
  flush(): Promise<void> {
    if (this.disposed || this.stateNow.kind === 'conflict' || this.savedSeq === this.editSeq) return Promise.resolve();
    if (this.inFlight) {
      this.flushAfterFlight = true;
      return this.settled();
    }
    this.clearTimer();
    void this.run();
    return this.settled();
  }

  /**
   * After a conflict: `theirs` takes the version saved elsewhere (this tab's
   * edits are dropped, the local copy too); `mine` saves this tab's text over
   * it, knowingly (its base becomes the other version).
   */
  resolveConflict(choice: 'theirs' | 'mine'): void {
    if (this.stateNow.kind !== 'conflict') return;
    const current = this.stateNow.current;
    this.base = current.version;
    if (choice === 'theirs' || current.status === 'signed') {
      this.fieldsNow = fieldsOf(current);
      this.savedSeq = this.editSeq;
      removeLocalCopy(this.options.store, this.options.key);
      this.set({ kind: 'saved', savedAt: current.updatedAt });
      return;
    }
    this.editSeq += 1;
    this.keepLocally();
    this.set({ kind: 'pending' });
    void this.run();
  }

  /** Stops timers; what was typed stays in the local copy. */
  dispose(): void {
    this.disposed = true;
    this.clearTimer();
    this.wake();
  }

  /** flush() callers, each waiting for the edits made before its call (or for the save to fail). */
  private waiters: Array<{ seq: number; resolve: () => void }> = [];
  private settled(): Promise<void> {
    return new Promise((resolve) => this.waiters.push({ seq: this.editSeq, resolve }));
  }
  /** Wakes the callers whose edits are on the hub; all of them when `all` (a failure, a conflict, disposal). */
  private wake(all = true): void {
    const ready = this.waiters.filter((waiter) => all || waiter.seq <= this.savedSeq);
    this.waiters = this.waiters.filter((waiter) => !ready.includes(waiter));
    for (const waiter of ready) waiter.resolve();
  }

  private keepLocally(): void {
    this.localCopyKept = writeLocalCopy(this.options.store, this.options.key, {
      v: 1,
      fields: this.fieldsNow,
      baseVersion: this.base,
      editedAt: this.clock.now(),
    });
  }

  private schedule(ms: number): void {
    this.clearTimer();
    this.timer = this.clock.setTimer(() => {
      this.timer = null;
      void this.run();
    }, ms);
  }

  private clearTimer(): void {
    if (this.timer !== null) this.clock.clearTimer(this.timer);
    this.timer = null;
  }

  private async run(): Promise<void> {
    if (this.disposed || this.inFlight || this.stateNow.kind === 'conflict') return;
    if (this.savedSeq === this.editSeq) {
      this.wake();
      return;
    }
    this.inFlight = true;
    this.flushAfterFlight = false;
    this.lastSaveStartedAt = this.clock.now();
    const seq = this.editSeq;
    const sent = this.fieldsNow;
    this.set({ kind: 'saving' });
    let result: DraftSaveResult | null = null;
    let failure: unknown = null;
    try {
      result = await this.options.save(draftRequest(sent, this.base, this.options.clientId));
    } catch (error) {
      failure = error;
    }
    this.inFlight = false;
    if (this.disposed) return;

    if (result !== null && !result.saved) {
      // Another tab saved first. Whatever was typed here stays in the local copy until the person chooses.
      this.clearTimer();
      this.set({ kind: 'conflict', current: result.current });
      this.wake();
      return;
    }
    if (result !== null) {
      this.failures = 0;
      this.base = result.report.version;
      this.savedSeq = seq;
      this.options.onSaved?.(result.report);
      if (this.savedSeq === this.editSeq) {
        removeLocalCopy(this.options.store, this.options.key);
        this.set({ kind: 'saved', savedAt: result.report.updatedAt });
        this.wake();
      } else {
        this.wake(false);
        // Edits arrived during the flight: their local copy now needs the new base.
        this.keepLocally();
        this.set({ kind: 'pending' });
        if (this.flushAfterFlight) void this.run();
        else this.schedule(Math.max(0, this.lastSaveStartedAt + this.intervalMs - this.clock.now()));
      }
      return;
    }

    if (isRetryable(failure)) {
      const delay = this.retryDelaysMs[Math.min(this.failures, this.retryDelaysMs.length - 1)] ?? DEFAULT_INTERVAL_MS;
      this.failures += 1;
      this.set({ kind: 'offline', retryAt: this.clock.now() + delay, error: failure });
      this.schedule(delay);
    } else {
      this.set({ kind: 'refused', error: failure });
    }
    this.wake();
  }

  private set(state: SaveState): void {
    this.stateNow = state;
    this.options.onChange(state);
  }
}

/** The hub could not be reached or was briefly unable: worth trying again. A refusal is not. */
export function isRetryable(error: unknown): boolean {
  if (!(error instanceof ReadingApiError)) return true;
  return error.status === 0 || error.status === 429 || error.status >= 500 || error.body.code === 'service-unavailable';
}
