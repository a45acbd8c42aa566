import type { FastifyInstance } from 'fastify';
import type { TeleFilePriors } from '../../../core/api/priors.js';
import { TeleFileIdParams } from '../../../core/api/teleFiles.js';
import { pacsProblem } from '../../dicomweb/responses.js';
import { priorsOf, toPriorStudy } from '../../dicomweb/priorsFor.js';
import type { Services } from '../../services.js';
import { parseInput } from '../httpProblem.js';
import { authOf } from '../sessionAuth.js';

/**
 * GET /api/tele-files/:id/priors: the priors the viewer offers next to the
 * study (issue 5). The tele-file must be visible (403 + audit otherwise, as
 * /api/tele-files/:id); the list comes from the pivot PACS, checked here
 * (same PatientID, issuer and requesting site). No PACS configured: [].
 */
export async function priorsRoutes(app: FastifyInstance, { services }: { services: Services }) {
  const { guards, worklist } = services;
  app.get('/api/tele-files/:id/priors', { preHandler: guards.requireSession() }, async (request, reply): Promise<TeleFilePriors> => {
    const { id } = parseInput(TeleFileIdParams, request.params, 'address');
    const row = await worklist.visible(authOf(request).user, id, { ip: request.ip, requestId: request.id });
    try {
      const priors = await priorsOf(services).of(row);
      reply.header('cache-control', 'private, no-cache');
      return { teleFileId: row.id, studyInstanceUid: row.study_instance_uid, priors: priors.map(toPriorStudy) };
    } catch (error) {
      const problem = pacsProblem(error);
      if (!problem) throw error;
      if (problem.status >= 500) request.log.warn({ err: error }, 'priors: PACS error');
      throw problem;
    }
  });
}
