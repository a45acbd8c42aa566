import type { FastifyInstance } from 'fastify';
import type { WorklistResponse } from '../../../core/api/worklist.js';
import type { Services } from '../../services.js';

/** Tele-files arrive with routing (issue 4); until then the worklist is real but empty. */
export async function worklistRoutes(app: FastifyInstance, { services }: { services: Services }) {
  app.get('/api/worklist', { preHandler: services.guards.requireSession() }, async (): Promise<WorklistResponse> => ({ items: [], asOf: new Date().toISOString() }));
}
