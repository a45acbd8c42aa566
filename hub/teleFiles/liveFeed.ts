import type { TeleFileChange, TeleFileSummary } from '../../core/api/teleFiles.js';
import type { UserRow } from '../accounts/users.js';
import type { TeleFileStore } from './teleFileStore.js';
import { canSee, type Reach } from './visibility.js';
import type { WorklistService } from './worklistService.js';

export interface LiveSubscriber {
  user: Pick<UserRow, 'id' | 'username' | 'roles'>;
  /** Ids this subscriber has been shown: a file leaving its reach is sent as `remove` only to those who had it. */
  shown: Set<string>;
  /** Filled at subscription: a requester's sites change rarely, and reading them per change would cost a query per reader. */
  requesterSites?: readonly string[];
  send(change: TeleFileChange, cursor: string): void;
  reset(): void;
}

// Sequence numbers are taken at INSERT but become visible at COMMIT, so on
// PostgreSQL a lower seq can appear after a higher one: re-read a small window
// behind the head and skip what was already delivered.
const LOOK_BEHIND = 200;
const CATCH_UP_LIMIT = 2000;

/**
 * Fans tele-file changes out to live worklists. One poll of the event table per
 * hub (every `pollMs`), whatever the number of connected readers, and the same
 * code on PGlite and on PostgreSQL with several hub instances.
 */
export class LiveFeed {
  private head = '0';
  private readonly seen = new Set<string>();
  private readonly subscribers = new Set<LiveSubscriber>();
  private timer: NodeJS.Timeout | null = null;
  private ticking: Promise<void> | null = null;

  constructor(
    private readonly teleFiles: TeleFileStore,
    private readonly worklist: WorklistService,
    private readonly onError: (error: unknown) => void,
    private readonly pollMs = 250,
  ) {}

  async start(): Promise<void> {
    this.head = await this.teleFiles.headSeq();
    this.timer = setInterval(() => {
      this.ticking ??= this.tick().catch(this.onError).finally(() => (this.ticking = null));
    }, this.pollMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.ticking;
    this.subscribers.clear();
  }

  get subscriberCount(): number {
    return this.subscribers.size;
  }

  /** Joins the live feed after sending what changed since `cursor` (or a reset when that is too far back). */
  async subscribe(subscriber: LiveSubscriber, cursor: string): Promise<() => void> {
    subscriber.requesterSites ??= (await this.worklist.reachOf(subscriber.user)).requesterSites;
    const missed = await this.teleFiles.eventsSince(cursor, CATCH_UP_LIMIT + 1);
    if (missed.length > CATCH_UP_LIMIT) subscriber.reset();
    else if (missed.length > 0) await this.deliver(missed, [subscriber]);
    this.subscribers.add(subscriber);
    return () => this.subscribers.delete(subscriber);
  }

  /** One poll: exported for tests and the bench, which drive it without the timer. */
  async tick(): Promise<void> {
    const from = String(Math.max(0, Number(this.head) - LOOK_BEHIND));
    const events = (await this.teleFiles.eventsSince(from)).filter((e) => !this.seen.has(e.seq));
    if (events.length === 0) return;
    for (const e of events) {
      this.seen.add(e.seq);
      if (Number(e.seq) > Number(this.head)) this.head = e.seq;
    }
    if (this.seen.size > LOOK_BEHIND * 20) {
      for (const seq of this.seen) if (Number(seq) <= Number(this.head) - LOOK_BEHIND) this.seen.delete(seq);
    }
    if (this.subscribers.size > 0) await this.deliver(events, [...this.subscribers]);
  }

  private async deliver(events: readonly { teleFileId: string; seq: string }[], subscribers: readonly LiveSubscriber[]): Promise<void> {
    const lastSeq = new Map<string, string>();
    for (const e of events) lastSeq.set(e.teleFileId, e.seq);
    const rows = await this.teleFiles.byIds([...lastSeq.keys()]);
    const summaries = new Map<string, TeleFileSummary>((await this.worklist.summaries(rows)).map((s) => [s.id, s]));
    const ordered = rows.sort((a, b) => Number(lastSeq.get(a.id)) - Number(lastSeq.get(b.id)));
    // One roster read per batch, whatever the number of readers: each reach is then worked out in memory.
    const now = new Date();
    const roster = await this.worklist.rosterAt(now);
    const reaches = new Map<string, Reach>();
    for (const subscriber of subscribers) {
      let reach = reaches.get(subscriber.user.id);
      if (!reach) {
        reach = this.worklist.reachFrom(subscriber.user, roster, subscriber.requesterSites ?? [], now);
        reaches.set(subscriber.user.id, reach);
      }
      for (const row of ordered) {
        const cursor = lastSeq.get(row.id) as string;
        if (canSee(reach, row)) {
          subscriber.shown.add(row.id);
          subscriber.send({ kind: 'upsert', teleFile: summaries.get(row.id) as TeleFileSummary }, cursor);
        } else if (subscriber.shown.delete(row.id)) {
          subscriber.send({ kind: 'remove', id: row.id }, cursor);
        }
      }
    }
  }
}
