import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SessionInfo } from '../../core/api/auth.js';
import { toUserSummary, type UserRow } from '../accounts/users.js';
import type { SessionRow } from '../sessions/sessions.js';
import { clientOf, setSessionCookie, type CookiePolicy } from './sessionAuth.js';

/**
 * The session as the client sees it. A new token goes to web clients only as
 * an httpOnly cookie; desktop clients (which keep it in the OS keychain) get it in the body.
 */
export function sessionInfo(request: FastifyRequest, reply: FastifyReply, cookies: CookiePolicy, session: SessionRow, user: UserRow, newToken?: string): SessionInfo {
  if (newToken) setSessionCookie(reply, newToken, new Date(session.absolute_expires_at), cookies);
  return {
    stage: session.stage,
    user: toUserSummary(user),
    idleExpiresAt: new Date(session.idle_expires_at).toISOString(),
    absoluteExpiresAt: new Date(session.absolute_expires_at).toISOString(),
    ...(newToken && clientOf(request) === 'desktop' ? { token: newToken } : {}),
  };
}
