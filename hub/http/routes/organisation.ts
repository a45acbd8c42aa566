import type { FastifyInstance } from 'fastify';
import { RosterQuery, RoutingSimulation, type Organisation, type RoutingSimulationResult } from '../../../core/api/organisation.js';
import { route } from '../../../core/routing.js';
import type { Services } from '../../services.js';
import { HttpProblem, parseInput } from '../httpProblem.js';
import { authOf } from '../sessionAuth.js';

const CSV_MAX_BYTES = 1024 * 1024;

/** The region's organisation, the roster and the routing simulator (admins). */
export async function organisationRoutes(app: FastifyInstance, { services }: { services: Services }) {
  const { guards, organisation, roster, db } = services;
  const adminOnly = { preHandler: guards.requireSession(['active'], ['admin']) };

  async function active() {
    const current = await organisation.active();
    if (!current) throw new HttpProblem(404, 'not-found', 'No organisation is configured yet: PUT one to /api/admin/organisation.');
    return current;
  }

  app.get('/api/admin/organisation', adminOnly, async (): Promise<Organisation> => (await active()).organisation);

  app.put('/api/admin/organisation', adminOnly, async (request): Promise<Organisation> => {
    const { user } = authOf(request);
    return (await organisation.save(request.body, { id: user.id, username: user.username }, { ip: request.ip, requestId: request.id })).organisation;
  });

  app.get('/api/admin/roster', adminOnly, async (request) => {
    const range = parseInput(RosterQuery, request.query, 'query string');
    const entries = await roster.entriesBetween(new Date(range.from), new Date(range.to));
    const names = new Map((await db.selectFrom('users').select(['username', 'display_name']).execute()).map((u) => [u.username, u.display_name]));
    return { entries: entries.map((e) => ({ id: e.id, personId: e.personId, personName: names.get(e.personId) ?? null, target: e.target, from: e.from.toISOString(), to: e.to.toISOString() })) };
  });

  app.addContentTypeParser(['text/csv', 'text/plain'], { parseAs: 'string', bodyLimit: CSV_MAX_BYTES }, (_request, body, done) => done(null, body));

  app.post('/api/admin/roster/import', { ...adminOnly, bodyLimit: CSV_MAX_BYTES }, async (request) => {
    if (typeof request.body !== 'string') throw new HttpProblem(415, 'unsupported-media-type', 'Send the rota as CSV text with Content-Type: text/csv.');
    const { user } = authOf(request);
    const current = await active();
    const groups = current.organisation.coverage.pivotGroups.map((g) => g.id);
    const people = (await services.users.list()).map((u) => u.username);
    return roster.importCsv(request.body, { pdsConfig: current.organisation.pdsCalendar, knownGroupIds: groups, knownPersonIds: people }, { id: user.id, username: user.username, ip: request.ip, requestId: request.id });
  });

  app.post('/api/admin/routing/simulate', adminOnly, async (request): Promise<RoutingSimulationResult> => {
    const input = parseInput(RoutingSimulation, request.body);
    const current = await active();
    const at = new Date(input.at);
    const entries = await roster.entriesAt(at);
    const names = Object.fromEntries((await db.selectFrom('users').select(['username', 'display_name']).execute()).map((u) => [u.username, u.display_name]));
    const decision = route({ sender: { callingAeTitle: input.callingAeTitle, institutionName: input.institutionName }, modalitiesInStudy: input.modalities }, at, {
      sites: current.organisation.sites,
      coverage: current.coverage,
      roster: entries,
      pdsConfig: current.organisation.pdsCalendar,
      displayNames: names,
    });
    const period = decision.period ? { kind: decision.period.kind, start: decision.period.start.toISOString(), end: decision.period.end.toISOString() } : null;
    if (decision.outcome === 'routed') {
      const t = decision.target;
      return { outcome: 'routed', explanation: decision.explanation, requestingSiteId: decision.requestingSiteId, family: decision.family, target: { kind: t.kind, id: t.kind === 'pivot-group' ? t.groupId : t.providerId, name: t.name }, onCall: decision.onCall.map((p) => ({ id: p.id, name: p.name })), refusal: null, period };
    }
    return { outcome: 'refused', explanation: decision.explanation, requestingSiteId: decision.requestingSiteId, family: decision.family, target: null, onCall: [], refusal: { code: decision.reason.code, text: decision.reason.message }, period };
  });
}
