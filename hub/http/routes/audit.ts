import type { FastifyInstance } from 'fastify';
import { AuditQuery, type AuditPage } from '../../../core/api/audit.js';
import type { Services } from '../../services.js';
import { parseInput } from '../httpProblem.js';

export async function auditRoutes(app: FastifyInstance, { services }: { services: Services }) {
  app.get('/api/audit', { preHandler: services.guards.requireSession(['active'], ['admin']) }, async (request): Promise<AuditPage> => {
    return services.audit.query(parseInput(AuditQuery, request.query, 'query string'));
  });
}
