import type { FastifyInstance } from 'fastify';
import { ReportTemplateInput, TemplateIdParams, type ReportTemplate, type ReportTemplateList } from '../../../core/api/reports.js';
import { TemplateStore } from '../../reports/templateStore.js';
import type { Services } from '../../services.js';
import { parseInput } from '../httpProblem.js';
import { authOf } from '../sessionAuth.js';

/**
 * Report templates (issue 6).
 *   GET /api/report-templates      → ReportTemplateList (any signed-in person: the editor offers them)
 *   PUT /api/report-templates/:id  ReportTemplateInput → ReportTemplate (admin; creates or replaces; audited)
 */
export async function reportTemplateRoutes(app: FastifyInstance, { services }: { services: Services }) {
  const { guards, audit } = services;
  const templates = new TemplateStore(services.db);

  app.get('/api/report-templates', { preHandler: guards.requireSession() }, async (): Promise<ReportTemplateList> => ({ templates: await templates.list() }));

  app.put('/api/report-templates/:id', { preHandler: guards.requireSession(['active'], ['admin']) }, async (request): Promise<ReportTemplate> => {
    const { id } = parseInput(TemplateIdParams, request.params, 'address');
    const input = parseInput(ReportTemplateInput, request.body);
    const { user } = authOf(request);
    const { template, created } = await templates.save(id, input, user.id);
    await audit.append({ action: 'report.template-saved', actorId: user.id, actorName: user.username, ip: request.ip, requestId: request.id, targetType: 'report-template', targetId: id, details: { family: input.family, created, pickLists: input.pickLists.length } });
    return template;
  });
}
