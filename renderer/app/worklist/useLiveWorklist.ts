import { useCallback, useEffect, useState } from 'react';
import type { TeleFileSummary } from '../../../core/api/teleFiles.js';
import type { LiveStatus, WorklistWatchHandlers } from '../../api/liveWorklist.js';
import { isSessionLost } from '../../api/sessionGuard.js';
import { applyChange } from '../../worklist/worklistView.js';
import { useApi } from '../ApiContext.js';
import { useSubmission } from '../useSubmission.js';

/** A failed load is tried again by itself: after a hub restart at 3 a.m. nobody should have to click. */
const RELOAD_AFTER_FAILURE_MS = 10_000;

export type LiveState = 'connecting' | LiveStatus;

export interface WorklistData {
  items: TeleFileSummary[];
  /** When the list was last known to be current (its load, or the last live change). */
  asOf: string;
}

/**
 * The worklist, kept current: loads it, then follows the live feed from the
 * list's cursor, applying each change in place. A `reset` from the feed, or
 * the Refresh button, loads the list again and follows from the new cursor.
 */
export function useLiveWorklist() {
  const api = useApi();
  const [data, setData] = useState<WorklistData | null>(null);
  const [live, setLive] = useState<LiveState>('connecting');
  const [generation, setGeneration] = useState(0);
  const { pending, error, run } = useSubmission();

  useEffect(() => {
    let current = true;
    let stop: (() => void) | null = null;
    let retry: number | null = null;
    void run(async () => {
      const fresh = await api.worklist();
      if (!current) return;
      setData({ items: fresh.items, asOf: fresh.asOf });
      const handlers: WorklistWatchHandlers = {
        onChange: (change) => {
          if (!current) return;
          setData((held) => (held === null ? held : { items: applyChange(held.items, change), asOf: new Date().toISOString() }));
        },
        onReset: () => {
          if (current) setGeneration((n) => n + 1);
        },
        onStatus: (status) => {
          if (current) setLive(status);
        },
        // The status says "reconnecting"; the transport retries on its own.
        onError: () => undefined,
      };
      stop = api.watchWorklist(fresh.cursor, handlers);
    }).then((failure) => {
      if (!current || failure === null || isSessionLost(failure)) return;
      setLive('reconnecting');
      retry = window.setTimeout(() => setGeneration((n) => n + 1), RELOAD_AFTER_FAILURE_MS);
    });
    return () => {
      current = false;
      stop?.();
      if (retry !== null) window.clearTimeout(retry);
    };
  }, [api, run, generation]);

  const reload = useCallback(() => setGeneration((n) => n + 1), []);
  /** A fresh copy of one file (a claim's answer): applied like a live change, never stepping back a version. */
  const upsert = useCallback((teleFile: TeleFileSummary) => {
    setData((held) => (held === null ? held : { ...held, items: applyChange(held.items, { kind: 'upsert', teleFile }) }));
  }, []);

  return { data, live, loading: pending, error, reload, upsert };
}
