import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ApiErrorBody } from '../../../core/api/apiError.js';
import { ReportIdParams, SaveDraftRequest, SignRequest, type ReportConflict, type ReportList, type ReportView } from '../../../core/api/reports.js';
import { TeleFileIdParams } from '../../../core/api/teleFiles.js';
import { deliveryOf } from '../../reports/deliveryPort.js';
import type { Person } from '../../reports/reportAccess.js';
import { ReportAddenda } from '../../reports/reportAddenda.js';
import { ReportConflictError } from '../../reports/reportConflict.js';
import { ReportDrafts } from '../../reports/reportDrafts.js';
import { ReportSigning } from '../../reports/reportSigning.js';
import { ReportStore } from '../../reports/reportStore.js';
import { reportViews } from '../../reports/reportViews.js';
import type { ReportRow } from '../../reports/reportView.js';
import type { Services } from '../../services.js';
import type { TeleFileRow } from '../../teleFiles/teleFileStore.js';
import { HttpProblem, parseInput, problems } from '../httpProblem.js';
import { authOf, clientOf } from '../sessionAuth.js';

/**
 * Reports and addenda (issue 6; contract: core/api/reports.ts, docs/api.md "Reports").
 *   GET  /api/tele-files/:id/reports        → ReportList (anyone who can see the tele-file)
 *   PUT  /api/tele-files/:id/report/draft   → ReportView (the assignee; 409 ReportConflict on a stale baseVersion)
 *   PUT  /api/reports/:reportId/draft       → ReportView (its author)
 *   POST /api/reports/:reportId/addendum    → 201 ReportView (200: your open addendum again)
 *   POST /api/reports/:reportId/sign        → ReportView (its author, re-authenticated)
 * Seeing the tele-file is checked first (403 + access.denied otherwise), then authorship (403 + access.denied).
 */
export async function reportRoutes(app: FastifyInstance, { services }: { services: Services }) {
  const signedIn = { preHandler: services.guards.requireSession() };
  const store = new ReportStore(services.db);
  const delivery = () => deliveryOf(services);
  const drafts = new ReportDrafts(services.db, store, services.teleFiles, services.audit, delivery);
  const signing = new ReportSigning(services, store);
  const addenda = new ReportAddenda(services, store);

  // A lost save is told what won: the usual error body plus the current report (core ReportConflict). Anything else goes to the app's handler.
  app.setErrorHandler((error, request, reply) => {
    if (!(error instanceof ReportConflictError)) throw error;
    request.log.info({ code: error.code, status: error.status }, 'request refused');
    const body: ReportConflict & ApiErrorBody = { error: { code: 'conflict', message: error.message, requestId: request.id }, current: error.current };
    return reply.status(409).type('application/json; charset=utf-8').send(body);
  });

  const meta = (request: FastifyRequest) => ({ ip: request.ip, requestId: request.id });
  const person = (request: FastifyRequest): Person => authOf(request).user;
  const visibleTeleFile = (request: FastifyRequest, id: string): Promise<TeleFileRow> => services.worklist.visible(authOf(request).user, id, meta(request));

  /** The report named in the address and its tele-file, if the person may see that tele-file. */
  async function visibleReport(request: FastifyRequest): Promise<{ report: ReportRow; teleFile: TeleFileRow }> {
    const { reportId } = parseInput(ReportIdParams, request.params, 'address');
    const report = await store.byId(reportId);
    if (!report) throw problems.notFound('No such report.');
    return { report, teleFile: await visibleTeleFile(request, report.tele_file_id) };
  }

  app.get('/api/tele-files/:id/reports', signedIn, async (request): Promise<ReportList> => {
    const { id } = parseInput(TeleFileIdParams, request.params, 'address');
    const teleFile = await visibleTeleFile(request, id);
    return { teleFileId: teleFile.id, reports: await reportViews(store, delivery(), await store.listFor(teleFile.id)) };
  });

  app.put('/api/tele-files/:id/report/draft', signedIn, async (request): Promise<ReportView> => {
    const { id } = parseInput(TeleFileIdParams, request.params, 'address');
    const teleFile = await visibleTeleFile(request, id);
    return drafts.saveReport(teleFile, person(request), parseInput(SaveDraftRequest, request.body), meta(request));
  });

  app.put('/api/reports/:reportId/draft', signedIn, async (request): Promise<ReportView> => {
    const { report, teleFile } = await visibleReport(request);
    return drafts.saveById(report, teleFile, person(request), parseInput(SaveDraftRequest, request.body), meta(request));
  });

  app.post('/api/reports/:reportId/addendum', signedIn, async (request, reply) => {
    const { report, teleFile } = await visibleReport(request);
    const { created, view } = await addenda.create(report, teleFile, person(request), meta(request));
    return reply.status(created ? 201 : 200).send(view);
  });

  // Signing asks for a password: the same per-route limit as sign-in's guessing protection, on top of the account lockout.
  const signRateLimit = {
    rateLimit: {
      max: services.config.loginRateLimitPerMinute,
      timeWindow: 60_000,
      errorResponseBuilder: (_request: FastifyRequest, context: { ttl: number }) =>
        new HttpProblem(429, 'too-many-requests', 'Too many signature attempts from this address. Wait a minute and try again.', { retryAt: new Date(Date.now() + context.ttl) }),
    },
  };
  app.post('/api/reports/:reportId/sign', { ...signedIn, config: signRateLimit }, async (request): Promise<ReportView> => {
    const { report, teleFile } = await visibleReport(request);
    const input = parseInput(SignRequest, request.body);
    return signing.sign(report, teleFile, person(request), input, { ...meta(request), client: clientOf(request) });
  });
}
