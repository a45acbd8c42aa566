import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { Services } from '../../services.js';

/**
 * Liveness and readiness for load balancers and monitoring; no session, no PHI.
 * 503 only when the database is gone (the hub cannot serve); a PACS that does
 * not answer is reported, but the hub still serves worklists and reports.
 */
export async function healthRoutes(app: FastifyInstance, { services }: { services: Services }) {
  app.get('/api/health', async (_request, reply) => {
    // No PACS address here: the route is public, and the address is for admins' eyes.
    const status = services.pacsStatus?.() ?? null;
    const pacs = status ? { reachable: status.reachable, lastError: status.lastError === null ? null : 'the pivot PACS does not answer; see the hub log', lastSuccessAt: status.lastSuccessAt } : null;
    try {
      await sql`select 1`.execute(services.db);
      return { status: pacs && !pacs.reachable && pacs.lastError ? 'degraded' : 'ok', version: services.version, database: 'ok', pacs };
    } catch {
      return reply.status(503).send({ status: 'database-unreachable', version: services.version, database: 'unreachable', pacs });
    }
  });
}
