import type { FastifyInstance, FastifyRequest } from 'fastify';
import { EnrolmentConfirmRequest, LoginRequest, SecondFactorRequest, type EnrolmentConfirmResponse, type EnrolmentStartResponse, type SessionInfo } from '../../../core/api/auth.js';
import type { Services } from '../../services.js';
import { HttpProblem, parseInput } from '../httpProblem.js';
import { authOf, clearSessionCookie, clientOf } from '../sessionAuth.js';
import { sessionInfo } from '../sessionInfo.js';
import type { RequestContext } from '../../sessions/signIn.js';

function context(request: FastifyRequest): RequestContext {
  return { ip: request.ip, requestId: request.id, client: clientOf(request) };
}

export async function authRoutes(app: FastifyInstance, { services }: { services: Services }) {
  const { signIn, guards, cookies, sessions, audit, config } = services;
  const loginRateLimit = {
    rateLimit: {
      max: config.loginRateLimitPerMinute,
      timeWindow: 60_000,
      errorResponseBuilder: (_request: FastifyRequest, context: { ttl: number }) =>
        new HttpProblem(429, 'too-many-requests', 'Too many sign-in attempts from this address. Wait a minute and try again.', { retryAt: new Date(Date.now() + context.ttl) }),
    },
  };

  app.post('/api/auth/login', { config: loginRateLimit }, async (request, reply): Promise<SessionInfo> => {
    const input = parseInput(LoginRequest, request.body);
    const issued = await signIn.password(input.username, input.password, context(request));
    return sessionInfo(request, reply, cookies, issued.session, issued.user, issued.token);
  });

  app.post('/api/auth/second-factor', { config: loginRateLimit, preHandler: guards.requireSession(['second-factor']) }, async (request, reply): Promise<SessionInfo> => {
    const input = parseInput(SecondFactorRequest, request.body);
    const { session, user } = authOf(request);
    const issued = await signIn.secondFactor(session, user, input.code, context(request));
    return sessionInfo(request, reply, cookies, issued.session, issued.user, issued.token);
  });

  app.post('/api/auth/enrolment', { preHandler: guards.requireSession(['enrolment', 'active']) }, async (request): Promise<EnrolmentStartResponse> => {
    return signIn.startEnrolment(authOf(request).user, context(request));
  });

  app.post('/api/auth/enrolment/confirm', { config: loginRateLimit, preHandler: guards.requireSession(['enrolment', 'active']) }, async (request, reply): Promise<EnrolmentConfirmResponse> => {
    const input = parseInput(EnrolmentConfirmRequest, request.body);
    const { session, user } = authOf(request);
    const done = await signIn.confirmEnrolment(session, user, input.code, context(request));
    return { session: sessionInfo(request, reply, cookies, done.session, done.user, done.token || undefined), recoveryCodes: done.recoveryCodes };
  });

  app.post('/api/auth/logout', { preHandler: guards.requireSession(['second-factor', 'enrolment', 'active']) }, async (request, reply) => {
    const { session, user } = authOf(request);
    await sessions.end(session.id, 'logout');
    await audit.append({ action: 'logout', actorId: user.id, actorName: user.username, targetType: 'session', targetId: session.id, ip: request.ip, requestId: request.id });
    clearSessionCookie(reply, cookies);
    return reply.status(204).send();
  });

  app.get('/api/session', { preHandler: guards.requireSession(['second-factor', 'enrolment', 'active'], [], { slide: false }) }, async (request, reply): Promise<SessionInfo> => {
    const { session, user } = authOf(request);
    return sessionInfo(request, reply, cookies, session, user);
  });
}
