import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AnnouncedRequest, ClinicalRequest, ReassignRequest, TeleFileIdParams, type RequestingSiteList, type TeleFileSummary } from '../../../core/api/teleFiles.js';
import type { Actor } from '../../../core/teleFile.js';
import type { Services } from '../../services.js';
import type { TeleFileRow } from '../../teleFiles/teleFileStore.js';
import { HttpProblem, parseInput, problems } from '../httpProblem.js';
import { authOf } from '../sessionAuth.js';

export async function teleFileRoutes(app: FastifyInstance, { services }: { services: Services }) {
  const { guards, worklist, teleFiles, organisation, audit } = services;
  const signedIn = { preHandler: guards.requireSession() };

  async function visible(request: FastifyRequest): Promise<TeleFileRow> {
    const { id } = parseInput(TeleFileIdParams, request.params, 'address');
    return worklist.visible(authOf(request).user, id, { ip: request.ip, requestId: request.id });
  }
  function person(request: FastifyRequest): Extract<Actor, { kind: 'person' }> {
    const { user } = authOf(request);
    return { kind: 'person', id: user.id, roles: user.roles };
  }
  const meta = (request: FastifyRequest) => ({ ip: request.ip, requestId: request.id, actorName: authOf(request).user.username });
  const summary = async (row: TeleFileRow): Promise<TeleFileSummary> => (await worklist.summaries([row]))[0] as TeleFileSummary;

  // Request first: the emergency physician announces the study before its images reach the pivot PACS.
  app.post('/api/tele-files', signedIn, async (request, reply) => {
    const { user } = authOf(request);
    if (!user.roles.includes('requester') && !user.roles.includes('admin')) throw problems.forbidden('Only the requesting site’s physicians (or an admin) announce a request.');
    const input = parseInput(AnnouncedRequest, request.body);
    const site = (await worklist.requestingSitesOf(user)).find((s) => s.id === input.requestingSiteId);
    if (!site) {
      const known = (await organisation.active())?.organisation.sites.find((s) => s.kind === 'requesting' && s.id === input.requestingSiteId);
      if (!known) {
        const message = `There is no requesting site "${input.requestingSiteId}" in the organisation.`;
        throw new HttpProblem(400, 'validation-failed', `The request body is not valid. requestingSiteId: ${message}`, { fields: [{ field: 'requestingSiteId', message }] });
      }
      await audit.append({ action: 'access.denied', outcome: 'failure', actorId: user.id, actorName: user.username, ip: request.ip, requestId: request.id, targetType: 'site', targetId: known.id, details: { action: 'tele-file.announce' } });
      throw problems.forbidden(`You do not request for ${known.name}: only its own physicians (or an admin) announce its requests.`);
    }
    const row = await teleFiles.announce(input, site, { id: user.id, username: user.username, ip: request.ip, requestId: request.id });
    return reply.status(201).send(await summary(row));
  });

  app.get('/api/me/requesting-sites', signedIn, async (request): Promise<RequestingSiteList> => ({
    sites: (await worklist.requestingSitesOf(authOf(request).user)).map(({ id, name }) => ({ id, name })),
  }));

  app.get('/api/tele-files/:id', signedIn, async (request) => summary(await visible(request)));

  app.post('/api/tele-files/:id/claim', signedIn, async (request) => {
    const row = await visible(request);
    const { user } = authOf(request);
    if (!user.roles.includes('radiologist') && !user.roles.includes('neuroradiologist')) throw problems.forbidden('Only radiologists claim tele-files.');
    const claimed = await teleFiles.claim(row.id, person(request), meta(request));
    // The reader opens it next: its metadata is prepared now rather than when the viewer asks.
    if (claimed.study_instance_uid !== null && services.pacs) services.studyMetadata.warm(claimed.study_instance_uid);
    return summary(claimed);
  });

  /** Admin: give a tele-file to a named reader (the on-call reader fell ill, a file sits unclaimed), with a reason. */
  app.post('/api/tele-files/:id/reassign', signedIn, async (request) => {
    const row = await visible(request);
    const input = parseInput(ReassignRequest, request.body);
    const target = await services.users.findByUsername(input.toUsername);
    if (!target || target.disabled || !(target.roles.includes('radiologist') || target.roles.includes('neuroradiologist'))) {
      throw new HttpProblem(400, 'validation-failed', `No active radiologist is called ${input.toUsername}.`, { fields: [{ field: 'toUsername', message: 'No active radiologist has this username.' }] });
    }
    return summary(await teleFiles.apply(row.id, { type: 'reassign', actor: person(request), toPersonId: target.id, reason: input.reason }, {}, meta(request)));
  });

  app.post('/api/tele-files/:id/release', signedIn, async (request) => {
    const row = await visible(request);
    return summary(await teleFiles.apply(row.id, { type: 'release', actor: person(request) }, {}, meta(request)));
  });

  app.post('/api/tele-files/:id/request', signedIn, async (request) => {
    const row = await visible(request);
    const { user } = authOf(request);
    if (!user.roles.includes('requester') && !user.roles.includes('admin')) throw problems.forbidden('Only the requesting site’s physicians (or an admin) write the clinical request.');
    const input = parseInput(ClinicalRequest, request.body);
    return summary(await teleFiles.recordClinicalRequest(row, input, { id: user.id, username: user.username, ip: request.ip, requestId: request.id }));
  });
}
