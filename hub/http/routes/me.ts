import type { FastifyInstance } from 'fastify';
import { LocaleRequest } from '../../../core/api/auth.js';
import type { Services } from '../../services.js';
import { parseInput } from '../httpProblem.js';
import { authOf } from '../sessionAuth.js';

export async function meRoutes(app: FastifyInstance, { services }: { services: Services }) {
  app.put('/api/me/locale', { preHandler: services.guards.requireSession() }, async (request, reply) => {
    const { locale } = parseInput(LocaleRequest, request.body);
    await services.users.update(authOf(request).user.id, { locale });
    return reply.status(204).send();
  });
}
