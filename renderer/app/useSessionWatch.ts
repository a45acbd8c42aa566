import { useEffect } from 'react';
import type { SessionInfo } from '../../core/api/auth.js';
import { isSessionLost } from '../api/sessionGuard.js';
import { useSessionGuard } from './ApiContext.js';

/** How often an idle client asks whether its session is still valid. */
export const SESSION_CHECK_INTERVAL_MS = 60_000;

/**
 * While signed in, GET /api/session every minute, and when the tab comes back
 * to the foreground or the network comes back: an idle expiry then shows
 * without the person having to click anything. A lost session is reported by
 * the SessionGuardedApi itself; this hook only reports fresh session data and
 * whether the hub answers at all.
 */
export function useSessionWatch(
  active: boolean,
  onSession: (session: SessionInfo) => void,
  onReachability: (reachable: boolean) => void,
): void {
  const api = useSessionGuard();
  useEffect(() => {
    if (!active) return;
    let stopped = false;
    const check = () => {
      api.session().then(
        (session) => {
          if (stopped) return;
          onReachability(true);
          onSession(session);
        },
        (error: unknown) => {
          if (stopped || isSessionLost(error)) return;
          onReachability(false);
        },
      );
    };
    const onVisibility = () => {
      if (document.visibilityState === 'visible') check();
    };
    const timer = window.setInterval(check, SESSION_CHECK_INTERVAL_MS);
    document.addEventListener('visibilitychange', onVisibility);
    window.addEventListener('online', check);
    return () => {
      stopped = true;
      window.clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisibility);
      window.removeEventListener('online', check);
    };
  }, [active, api, onSession, onReachability]);
}
