import type { FastifyInstance } from 'fastify';
import { AdminAlertParams, AdminAlertQuery, DeliveryJobParams, DeliveryJobQuery, type AdminAlertList, type AdminAlertView, type DeliveryJobList, type DeliveryJobView } from '../../../core/api/deliveries.js';
import type { Services } from '../../services.js';
import { HttpProblem, parseInput, problems } from '../httpProblem.js';
import { authOf } from '../sessionAuth.js';

/** Delivery of signed reports, the admin side: what needs attention, manual retry, alerts. */
export async function deliveryRoutes(app: FastifyInstance, { services }: { services: Services }) {
  const { delivery, audit } = services;
  const adminOnly = { preHandler: services.guards.requireSession(['active'], ['admin']) };

  app.get('/api/admin/deliveries', adminOnly, async (request): Promise<DeliveryJobList> => {
    const { state } = parseInput(DeliveryJobQuery, request.query, 'query');
    return { jobs: await delivery.list(state) };
  });

  app.post('/api/admin/deliveries/:id/retry', adminOnly, async (request): Promise<DeliveryJobView> => {
    const { id } = parseInput(DeliveryJobParams, request.params, 'address');
    const { user } = authOf(request);
    const outcome = await delivery.retry(id, { id: user.id, username: user.username, ip: request.ip, requestId: request.id });
    if (outcome.ok) return outcome.job;
    if (outcome.code === 'not-found') throw problems.notFound(outcome.message);
    throw new HttpProblem(409, 'conflict', outcome.message);
  });

  app.get('/api/admin/alerts', adminOnly, async (request): Promise<AdminAlertList> => {
    const { open } = parseInput(AdminAlertQuery, request.query, 'query');
    return { alerts: await delivery.alerts.list({ openOnly: open === 'true' }) };
  });

  app.post('/api/admin/alerts/:id/acknowledge', adminOnly, async (request): Promise<AdminAlertView> => {
    const { id } = parseInput(AdminAlertParams, request.params, 'address');
    const { user } = authOf(request);
    const alert = await services.db.transaction().execute(async (trx) => {
      const acknowledged = await delivery.alerts.acknowledge(id, user.username, trx);
      if (acknowledged) await audit.append({ action: 'alert.acknowledged', actorId: user.id, actorName: user.username, ip: request.ip, requestId: request.id, targetType: 'admin-alert', targetId: id, details: { kind: acknowledged.kind } }, trx);
      return acknowledged;
    });
    if (!alert) throw problems.notFound(`No alert has the id ${id}.`);
    return alert;
  });
}
