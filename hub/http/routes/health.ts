import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { Services } from '../../services.js';

/** Liveness and readiness for load balancers and monitoring; no session, no PHI. */
export async function healthRoutes(app: FastifyInstance, { services }: { services: Services }) {
  app.get('/api/health', async (_request, reply) => {
    try {
      await sql`select 1`.execute(services.db);
      return { status: 'ok', version: services.version };
    } catch {
      return reply.status(503).send({ status: 'database-unreachable', version: services.version });
    }
  });
}
