import { createContext, useContext, type ReactNode } from 'react';
import type { ReadingApi } from '../../core/readingApi.js';
import type { SessionGuardedApi } from '../api/sessionGuard.js';

const ApiContext = createContext<SessionGuardedApi | null>(null);

/** Gives every page the one ReadingApi, already wrapped so that a lost session is handled centrally. */
export function ApiProvider({ api, children }: { api: SessionGuardedApi; children: ReactNode }) {
  return <ApiContext value={api}>{children}</ApiContext>;
}

/** The guard itself: only the app shell listens for a lost session and resumes or abandons held calls. */
export function useSessionGuard(): SessionGuardedApi {
  const api = useContext(ApiContext);
  if (api === null) throw new Error('useApi() outside <ApiProvider>');
  return api;
}

/** What pages use: the plain ReadingApi. */
export function useApi(): ReadingApi {
  return useSessionGuard();
}
