import type {} from '@fastify/cookie';
import type { FastifyReply, FastifyRequest, preHandlerHookHandler } from 'fastify';
import type { SessionStage } from '../../core/api/auth.js';
import type { Role } from '../../core/roles.js';
import type { AuditTrail } from '../audit/auditTrail.js';
import type { UserRow } from '../accounts/users.js';
import type { SessionRow, Sessions } from '../sessions/sessions.js';
import { SESSION_COOKIE } from '../sessions/sessionToken.js';
import { HttpProblem, problems } from './httpProblem.js';

export interface Auth {
  session: SessionRow;
  user: UserRow;
}

declare module 'fastify' {
  interface FastifyRequest {
    auth: Auth | null;
  }
}

export function clientOf(request: FastifyRequest): 'web' | 'desktop' {
  return request.headers['x-vigie-client'] === 'desktop' ? 'desktop' : 'web';
}

export function tokenOf(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice(7).trim() || null;
  return request.cookies[SESSION_COOKIE] ?? null;
}

export interface CookiePolicy {
  secure: boolean;
}

export function setSessionCookie(reply: FastifyReply, token: string, absoluteExpiresAt: Date, policy: CookiePolicy): void {
  reply.setCookie(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'strict',
    secure: policy.secure,
    path: '/',
    expires: absoluteExpiresAt,
  });
}

export function clearSessionCookie(reply: FastifyReply, policy: CookiePolicy): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'strict', secure: policy.secure });
}

/** Builds the guard that routes put in `preHandler`. */
export function sessionGuards(sessions: Sessions, audit: AuditTrail, cookies: CookiePolicy) {
  async function resolve(request: FastifyRequest, reply: FastifyReply, stages: readonly SessionStage[], slide: boolean): Promise<Auth> {
    const token = tokenOf(request);
    if (!token) throw problems.notSignedIn();
    const found = await sessions.lookup(token);
    if (found.kind === 'unknown') {
      clearSessionCookie(reply, cookies);
      throw problems.notSignedIn();
    }
    if (found.kind === 'expired') {
      if (found.reason !== 'ended' && (await sessions.end(found.session.id, `${found.reason}-expired`))) {
        await audit.append({ action: 'session.expired', actorId: found.user.id, actorName: found.user.username, targetType: 'session', targetId: found.session.id, ip: request.ip, requestId: request.id, details: { reason: found.reason } });
      }
      clearSessionCookie(reply, cookies);
      throw problems.sessionExpired();
    }
    if (!stages.includes(found.session.stage)) {
      if (found.session.stage === 'second-factor') throw new HttpProblem(401, 'second-factor-required', 'Enter the code from your authenticator app to finish signing in.');
      if (found.session.stage === 'enrolment') throw new HttpProblem(401, 'enrolment-required', 'Set up your authenticator app to finish signing in.');
      throw new HttpProblem(409, 'conflict', 'You are already signed in.');
    }
    const session = slide ? await sessions.touch(found.session) : found.session;
    return { session, user: found.user };
  }

  /**
   * `slide: false` for the client's background session check: a tab left open
   * must not keep a session alive, or the idle expiry would never happen.
   */
  function requireSession(stages: readonly SessionStage[] = ['active'], roles: readonly Role[] = [], options: { slide?: boolean } = {}): preHandlerHookHandler {
    return async (request, reply) => {
      const auth = await resolve(request, reply, stages, options.slide ?? true);
      if (roles.length > 0 && !auth.user.roles.some((role) => roles.includes(role))) {
        await audit.append({ action: 'access.denied', outcome: 'failure', actorId: auth.user.id, actorName: auth.user.username, ip: request.ip, requestId: request.id, targetType: 'route', targetId: `${request.method} ${request.routeOptions.url ?? ''}`, details: { needs: roles } });
        throw problems.forbidden(`This needs the ${roles.join(' or ')} role.`);
      }
      request.auth = auth;
    };
  }

  return { requireSession };
}

export function authOf(request: FastifyRequest): Auth {
  if (!request.auth) throw new Error('route used authOf without a session guard');
  return request.auth;
}
