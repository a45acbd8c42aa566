import type { FastifyInstance } from 'fastify';
import { MacroList } from '../../../core/api/reports.js';
import { MacroStore } from '../../reports/macroStore.js';
import type { Services } from '../../services.js';
import { parseInput } from '../httpProblem.js';
import { authOf } from '../sessionAuth.js';

/**
 * A reader's own report macros (issue 6), for themselves only (the user comes from the session).
 *   GET /api/me/macros → MacroList (empty when none saved)
 *   PUT /api/me/macros   MacroList → MacroList (400 naming each bad field; two macros with one shortcut refused)
 * Not audited, like the viewer preferences: personal phrasing, neither patient data nor access rights.
 */
export async function macroRoutes(app: FastifyInstance, { services }: { services: Services }) {
  const signedIn = { preHandler: services.guards.requireSession() };
  const macros = new MacroStore(services.db);

  app.get('/api/me/macros', signedIn, async (request): Promise<MacroList> => {
    const { list, stale } = await macros.of(authOf(request).user.id);
    // Saved by a version with other rules: the reader gets an empty list rather than an error, and the log says why.
    if (stale) request.log.warn('Stored macros no longer valid; answering an empty list');
    return list;
  });

  app.put('/api/me/macros', signedIn, async (request): Promise<MacroList> => macros.save(authOf(request).user.id, parseInput(MacroList, request.body)));
}
