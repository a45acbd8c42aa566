import { EMPTY_CONTENT, NO_CRITICAL_FINDING, type ReportView } from '../../core/api/reports.js';
import { HttpProblem, problems } from '../http/httpProblem.js';
import type { Services } from '../services.js';
import type { TeleFileRow } from '../teleFiles/teleFileStore.js';
import { deliveryOf } from './deliveryPort.js';
import type { Person, RequestMeta } from './reportAccess.js';
import { ReportConflictError } from './reportConflict.js';
import type { ReportStore } from './reportStore.js';
import { reportView } from './reportViews.js';
import type { ReportRow } from './reportView.js';
import { isUniqueViolation } from './signedIsFinal.js';

/**
 * Corrections to a signed report are addenda (TF-05): a new draft whose
 * predecessor is the tele-file's latest signed document, so the chain reads
 * report → addendum 1 → addendum 2 and each new SR references the one before.
 * Any reader who can see the tele-file may start one (decision: at night the
 * error may be found by the next reader on call, not only by the signer);
 * the addendum then belongs to whoever started it. One open addendum per
 * predecessor (unique index): a second one is the first one, answered 409.
 */
export class ReportAddenda {
  constructor(
    private readonly services: Services,
    private readonly store: ReportStore,
  ) {}

  async create(signed: ReportRow, teleFile: TeleFileRow, person: Person, meta: RequestMeta): Promise<{ created: boolean; view: ReportView }> {
    const { services, store } = this;
    if (!person.roles.includes('radiologist') && !person.roles.includes('neuroradiologist')) throw problems.forbidden('Only radiologists write addenda.');
    if (signed.status !== 'signed') throw new HttpProblem(409, 'conflict', 'This report is still a draft: correct the draft itself, an addendum corrects a signed report.');
    const latest = (await store.latestSigned(teleFile.id)) as ReportRow;
    let row: ReportRow;
    try {
      row = await services.db.transaction().execute(async (trx) => {
        const created = await store.insertDraft(trx, {
          teleFileId: teleFile.id,
          kind: 'addendum',
          predecessorId: latest.id,
          fields: { content: EMPTY_CONTENT, critical: NO_CRITICAL_FINDING, templateId: null, clientId: `addendum-${meta.requestId}`.slice(0, 64) },
          by: person.id,
        });
        await services.audit.append(
          { action: 'report.addendum-created', actorId: person.id, actorName: person.username, ip: meta.ip, requestId: meta.requestId, targetType: 'report', targetId: created.id, details: { teleFileId: teleFile.id, predecessorId: latest.id } },
          trx,
        );
        return created;
      });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      const open = await services.db.selectFrom('reports').selectAll().where('predecessor_id', '=', latest.id).where('kind', '=', 'addendum').executeTakeFirstOrThrow();
      const view = await reportView(store, deliveryOf(services), open);
      // The same reader asking twice (a second click, a reload) gets their open addendum back.
      if (open.created_by === person.id && open.status === 'draft') return { created: false, view };
      throw new ReportConflictError(`An addendum to this report is already being written by ${view.updatedBy?.displayName ?? 'another reader'}.`, view);
    }
    return { created: true, view: await reportView(store, deliveryOf(services), row) };
  }
}
