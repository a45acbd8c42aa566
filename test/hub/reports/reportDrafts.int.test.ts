/**
 * Report drafts (issue 6), templates and macros through the real routes, on
 * PGlite and on PostgreSQL: first save creates the report and starts the
 * reading, later saves are conditional on the version (a stale tab gets 409
 * and the current draft), only the assignee writes, autosave is not audited
 * per save.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReportConflict, ReportList, ReportTemplateList, ReportView } from '../../../core/api/reports.js';
import { IngestService } from '../../../hub/ingest/ingestService.js';
import { createLogger } from '../../../hub/logging/logger.js';
import type { PacsAdapter } from '../../../hub/pacs/pacsAdapter.js';
import { TemplateStore } from '../../../hub/reports/templateStore.js';
import { demoRegion, joinSites, stableStudy } from '../teleFiles/teleFileFixtures.js';
import { DATABASE_KINDS, signInFully, startTestHub, type TestHub } from '../testHub.js';
import { COMPLETE, draftBody } from './reportFixtures.js';

describe.each(DATABASE_KINDS)('report drafts, templates, macros (%s)', (kind) => {
  let hub: TestHub;
  let ingest: IngestService;
  let reader: { cookie: string; id: string };
  let colleague: { cookie: string; id: string };
  let outsider: { cookie: string; id: string };
  let requester: { cookie: string; id: string };
  let admin: { cookie: string; id: string };
  let teleFileId: string;

  async function person(username: string, roles: Parameters<TestHub['createUser']>[1]) {
    const user = await hub.createUser(username, roles);
    return { cookie: (await signInFully(hub.app, user.username, user.password)).cookie, id: user.id };
  }
  const request = (method: 'GET' | 'PUT' | 'POST', cookie: string, url: string, payload?: Record<string, unknown>) =>
    hub.app.inject(payload === undefined ? { method, url, headers: { cookie } } : { method, url, headers: { cookie }, payload });
  const saveDraft = (cookie: string, id: string, body: Record<string, unknown>) => request('PUT', cookie, `/api/tele-files/${id}/report/draft`, body);
  const auditRows = (action: string) => hub.database.db.selectFrom('audit_events').selectAll().where('action', '=', action).execute();

  beforeAll(async () => {
    hub = await startTestHub(kind, { secondFactorRequiredRoles: [] });
    reader = await person('dr.report1', ['radiologist']);
    colleague = await person('dr.report2', ['radiologist']);
    outsider = await person('dr.reportoff', ['radiologist']);
    requester = await person('urg.nord', ['requester']);
    admin = await person('admin.report', ['admin']);
    await demoRegion(hub, ['dr.report1', 'dr.report2']);
    await joinSites(hub, requester.id, ['ch-demo-nord']);
    ingest = new IngestService(hub.database.db, {} as PacsAdapter, hub.services.teleFiles, hub.services.organisation, hub.services.roster, createLogger('silent'), { pollMs: 1000, reconcileWindowMs: 1000 });
    teleFileId = (await ingest.ingestStudy(stableStudy())).teleFile.id;
    expect((await request('POST', reader.cookie, `/api/tele-files/${teleFileId}/claim`)).statusCode).toBe(200);
  }, 120_000);
  afterAll(() => hub?.close());

  it('creates the report on the first save and moves the tele-file from claimed to reading', async () => {
    const response = await saveDraft(reader.cookie, teleFileId, draftBody());
    expect(response.statusCode).toBe(200);
    const view = ReportView.parse(response.json());
    expect(view).toMatchObject({ teleFileId, kind: 'report', status: 'draft', version: 1, predecessorId: null, templateId: 'head-ct-trauma', lastClientId: 'tab-aaaaaaaa', signer: null, documents: null, delivery: null });
    expect(view.content).toEqual(COMPLETE);
    expect(view.updatedBy).toEqual({ id: reader.id, displayName: 'Test dr.report1' });
    expect((await hub.services.teleFiles.byId(teleFileId))?.status).toBe('reading');
    const created = (await auditRows('report.draft-created')).filter((r) => r.target_id === view.id);
    expect(created).toHaveLength(1);
    expect(created[0]?.details).toMatchObject({ teleFileId, kind: 'report' });
  });

  it('autosaves with the version (+1 each) and audits the draft only once', async () => {
    const auditBefore = await hub.database.db.selectFrom('audit_events').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    for (let base = 1; base <= 5; base++) {
      const response = await saveDraft(reader.cookie, teleFileId, draftBody({ baseVersion: base, content: { ...COMPLETE, findings: `Version ${base + 1}` } }));
      expect(response.statusCode).toBe(200);
      expect(response.json<ReportView>().version).toBe(base + 1);
    }
    const auditAfter = await hub.database.db.selectFrom('audit_events').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    // Five saves, not one audit row: the draft is not the record, the signature is.
    expect(Number(auditAfter.n)).toBe(Number(auditBefore.n));
    expect(await auditRows('report.draft-created')).toHaveLength(1);
  });

  it('answers a stale tab 409 with the current draft, never overwriting it', async () => {
    const stale = await saveDraft(reader.cookie, teleFileId, draftBody({ baseVersion: 3, clientId: 'tab-bbbbbbbb', content: { ...COMPLETE, findings: 'Écrit dans le second onglet' } }));
    expect(stale.statusCode).toBe(409);
    const body = ReportConflict.parse(stale.json());
    expect(body.error.code).toBe('conflict');
    expect(body.error.message).toMatch(/version 6; yours started from 3/);
    expect(body.current).toMatchObject({ version: 6, lastClientId: 'tab-aaaaaaaa' });
    expect(body.current.content.findings).toBe('Version 6');
    // A second "first save" (another tab that never saw the report) is a conflict too.
    const again = await saveDraft(reader.cookie, teleFileId, draftBody({ baseVersion: 0, clientId: 'tab-cccccccc' }));
    expect(again.statusCode).toBe(409);
    expect(ReportConflict.parse(again.json()).current.version).toBe(6);
    const row = await hub.database.db.selectFrom('reports').select(['version', 'content']).where('tele_file_id', '=', teleFileId).executeTakeFirstOrThrow();
    expect(row.version).toBe(6);
    expect((row.content as { findings: string }).findings).toBe('Version 6');
  });

  it('lets only the assignee write: 403 and an audit row for a colleague, an outsider, an admin', async () => {
    for (const who of [colleague, outsider, admin]) {
      const response = await saveDraft(who.cookie, teleFileId, draftBody({ baseVersion: 6 }));
      expect(response.statusCode).toBe(403);
      const denied = await hub.database.db.selectFrom('audit_events').selectAll().where('action', '=', 'access.denied').where('actor_id', '=', who.id).execute();
      expect(denied.length).toBeGreaterThanOrEqual(1);
    }
    // The colleague sees the tele-file (same pool): refused as a writer, the row says so.
    const colleagueRow = await hub.database.db.selectFrom('audit_events').selectAll().where('action', '=', 'access.denied').where('actor_id', '=', colleague.id).executeTakeFirstOrThrow();
    expect(colleagueRow).toMatchObject({ target_type: 'report' });
    expect(colleagueRow.details).toMatchObject({ action: 'report.write', teleFileId });
    expect((await hub.database.db.selectFrom('reports').select('version').where('tele_file_id', '=', teleFileId).executeTakeFirstOrThrow()).version).toBe(6);
  });

  it('refuses a body that does not follow the contract, naming the field', async () => {
    const response = await saveDraft(reader.cookie, teleFileId, draftBody({ baseVersion: 6, content: { ...COMPLETE, conclusion: 42 } }));
    expect(response.statusCode).toBe(400);
    expect(response.json().error.fields).toEqual([expect.objectContaining({ field: 'content.conclusion' })]);
  });

  it('lists the reports to whoever sees the tele-file (assignee, pool colleague, requesting site, admin), not to others', async () => {
    for (const who of [reader, colleague, requester, admin]) {
      const response = await request('GET', who.cookie, `/api/tele-files/${teleFileId}/reports`);
      expect(response.statusCode).toBe(200);
      const list = ReportList.parse(response.json());
      expect(list.reports.map((r) => [r.kind, r.status, r.version])).toEqual([['report', 'draft', 6]]);
    }
    expect((await request('GET', outsider.cookie, `/api/tele-files/${teleFileId}/reports`)).statusCode).toBe(403);
  });

  it('refuses a save on a tele-file not claimed by anyone', async () => {
    const unclaimed = (await ingest.ingestStudy(stableStudy())).teleFile.id;
    const response = await saveDraft(reader.cookie, unclaimed, draftBody());
    expect(response.statusCode).toBe(403);
    expect(await hub.database.db.selectFrom('reports').select('id').where('tele_file_id', '=', unclaimed).execute()).toEqual([]);
  });

  it('seeds the five templates once and lets an admin (only) edit one, audited', async () => {
    const store = new TemplateStore(hub.database.db);
    expect(await store.seedDefaults()).toBe(5);
    expect(await store.seedDefaults()).toBe(0);
    const list = ReportTemplateList.parse((await request('GET', reader.cookie, '/api/report-templates')).json());
    expect(list.templates.map((t) => t.id).sort()).toEqual(['abdomen-ct', 'chest-ct-pe', 'head-ct-stroke', 'head-ct-trauma', 'limb-radiograph']);
    const trauma = list.templates.find((t) => t.id === 'head-ct-trauma');
    expect(trauma?.pickLists.flatMap((p) => p.options)).toContain('Pas d’hématome intra- ou extra-axial.');
    expect(list.templates.find((t) => t.id === 'chest-ct-pe')?.pickLists.flatMap((p) => p.options)).toContain('Embolie pulmonaire segmentaire … .');
    const edited = { family: 'head-ct-trauma', title: 'TDM crâne — trauma (CHU)', sections: trauma?.sections, pickLists: trauma?.pickLists };
    const refused = await request('PUT', reader.cookie, '/api/report-templates/head-ct-trauma', edited);
    expect(refused.statusCode).toBe(403);
    const saved = await request('PUT', admin.cookie, '/api/report-templates/head-ct-trauma', edited);
    expect(saved.statusCode).toBe(200);
    expect(saved.json()).toMatchObject({ id: 'head-ct-trauma', title: 'TDM crâne — trauma (CHU)' });
    const after = ReportTemplateList.parse((await request('GET', reader.cookie, '/api/report-templates')).json());
    expect(after.templates.find((t) => t.id === 'head-ct-trauma')?.title).toBe('TDM crâne — trauma (CHU)');
    const audit = await auditRows('report.template-saved');
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_id: admin.id, target_id: 'head-ct-trauma' });
    expect((await request('PUT', admin.cookie, '/api/report-templates/Bad_Id', edited)).statusCode).toBe(400);
    expect((await request('PUT', admin.cookie, '/api/report-templates/new-one', { ...edited, family: 'knee-mri' })).statusCode).toBe(400);
  });

  it('keeps each reader’s macros, and refuses bad shortcuts and duplicates naming them', async () => {
    expect((await request('GET', reader.cookie, '/api/me/macros')).json()).toEqual({ macros: [] });
    const macros = { macros: [{ shortcut: 'nl', text: 'Pas d’anomalie décelée.' }, { shortcut: 'hsd', text: 'Hématome sous-dural aigu …' }] };
    expect((await request('PUT', reader.cookie, '/api/me/macros', macros)).statusCode).toBe(200);
    expect((await request('GET', reader.cookie, '/api/me/macros')).json()).toEqual(macros);
    expect((await request('GET', colleague.cookie, '/api/me/macros')).json()).toEqual({ macros: [] });
    const badShortcut = await request('PUT', reader.cookie, '/api/me/macros', { macros: [{ shortcut: 'NL', text: 'x' }] });
    expect(badShortcut.statusCode).toBe(400);
    expect(badShortcut.json().error.fields).toEqual([expect.objectContaining({ field: 'macros.0.shortcut' })]);
    const duplicate = await request('PUT', reader.cookie, '/api/me/macros', { macros: [{ shortcut: 'nl', text: 'a' }, { shortcut: 'nl', text: 'b' }] });
    expect(duplicate.statusCode).toBe(400);
    expect(duplicate.json().error.message).toContain('same shortcut');
    expect((await request('GET', reader.cookie, '/api/me/macros')).json()).toEqual(macros);
  });
});
