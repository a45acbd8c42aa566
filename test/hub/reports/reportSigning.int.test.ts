/**
 * Signing and addenda (issue 6) over a folder PACS holding the generated demo
 * studies, on PGlite and on PostgreSQL: every refusal leaves nothing signed;
 * a signature stores the SR, the Encapsulated PDF and the HL7 message, moves
 * the tele-file to signed, enqueues the delivery and is audited; the database
 * itself refuses to change a signed report; addenda chain their SRs.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ReportConflict, ReportList, ReportView } from '../../../core/api/reports.js';
import { currentTotp } from '../../../hub/accounts/totp.js';
import { generateDemoStudies, type DemoStudySummary } from '../../../hub/demo/demoStudies.js';
import { dcmjs } from '../../../hub/demo/loadDcmjs.js';
import { IngestService } from '../../../hub/ingest/ingestService.js';
import { createLogger } from '../../../hub/logging/logger.js';
import { FolderAdapter } from '../../../hub/pacs/folderAdapter.js';
import type { PacsAdapter } from '../../../hub/pacs/pacsAdapter.js';
import { PacsUnavailableError } from '../../../hub/pacs/pacsErrors.js';
import type { TeleFileRow } from '../../../hub/teleFiles/teleFileStore.js';
import { makeTempDir, removeTempDir } from '../../harness/tempDir.js';
import { demoRegion } from '../teleFiles/teleFileFixtures.js';
import { DATABASE_KINDS, signInFully, startTestHub, type TestHub } from '../testHub.js';
import { COMPLETE, draftBody } from './reportFixtures.js';

const BASIC_TEXT_SR = '1.2.840.10008.5.1.4.1.1.88.11';
const ENCAPSULATED_PDF = '1.2.840.10008.5.1.4.1.1.104.1';

type Natural = Record<string, unknown>;
/** A Part-10 file as dcmjs's naturalized dataset. */
function parseDicom(bytes: Uint8Array): Natural {
  const { DicomMessage, DicomMetaDictionary } = dcmjs.data as unknown as {
    DicomMessage: { readFile(b: ArrayBuffer): { dict: Record<string, unknown> } };
    DicomMetaDictionary: { naturalizeDataset(d: Record<string, unknown>): Natural };
  };
  const copy = new Uint8Array(bytes).buffer;
  return DicomMetaDictionary.naturalizeDataset(DicomMessage.readFile(copy).dict);
}

/** The SOP Instance UID an SR names as its predecessor (PS3.3 C.17.2: Predecessor Documents Sequence). */
function predecessorSrUid(sr: Natural): string | undefined {
  const study = (sr['PredecessorDocumentsSequence'] as Natural[] | undefined)?.[0];
  const series = (study?.['ReferencedSeriesSequence'] as Natural[] | undefined)?.[0];
  return (series?.['ReferencedSOPSequence'] as Natural[] | undefined)?.[0]?.['ReferencedSOPInstanceUID'] as string | undefined;
}

describe.each(DATABASE_KINDS)('report signing and addenda (%s)', (kind) => {
  let hub: TestHub;
  let folder: string;
  let adapter: FolderAdapter;
  let reader: { cookie: string; id: string; password: string };
  let colleague: { cookie: string; id: string; password: string };
  let head: TeleFileRow;
  let abdomen: TeleFileRow;
  let reportId: string;
  let totpSecret: string;

  async function person(username: string) {
    const user = await hub.createUser(username, ['radiologist']);
    return { cookie: (await signInFully(hub.app, user.username, user.password)).cookie, id: user.id, password: user.password };
  }
  const call = (method: 'GET' | 'PUT' | 'POST', cookie: string, url: string, payload?: Record<string, unknown>) =>
    hub.app.inject(payload === undefined ? { method, url, headers: { cookie } } : { method, url, headers: { cookie }, payload });
  const signBody = (file: TeleFileRow, version: number, proof: Record<string, unknown>, overrides: Record<string, unknown> = {}) => ({
    ...proof,
    version,
    confirmedPatientId: file.patient_id,
    confirmedSiteId: file.requesting_site_id,
    ...overrides,
  });
  const sign = (cookie: string, id: string, body: Record<string, unknown>) => call('POST', cookie, `/api/reports/${id}/sign`, body);
  const reportRow = (id: string) => hub.database.db.selectFrom('reports').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const documentsOf = (id: string) => hub.database.db.selectFrom('report_documents').selectAll().where('report_id', '=', id).orderBy('kind').execute();
  const teleFile = async (id: string) => (await hub.services.teleFiles.byId(id)) as TeleFileRow;

  beforeAll(async () => {
    hub = await startTestHub(kind, { secondFactorRequiredRoles: [] });
    folder = await makeTempDir('report-signing');
    const demo: DemoStudySummary[] = await generateDemoStudies({ folder, headCtSlices: 16 });
    adapter = new FolderAdapter({ folder, stabilityDelayMs: 0 });
    hub.services.pacs = adapter;
    reader = await person('dr.sign1');
    colleague = await person('dr.sign2');
    await demoRegion(hub, ['dr.sign1', 'dr.sign2']);
    const ingest = new IngestService(hub.database.db, adapter, hub.services.teleFiles, hub.services.organisation, hub.services.roster, createLogger('silent'), { pollMs: 1000, reconcileWindowMs: 1000 });
    for (const study of await adapter.reconcile(new Date(0))) await ingest.receive(study);
    head = (await hub.services.teleFiles.byStudyUid((demo[0] as DemoStudySummary).studyInstanceUid)) as TeleFileRow;
    abdomen = (await hub.services.teleFiles.byStudyUid((demo[2] as DemoStudySummary).studyInstanceUid)) as TeleFileRow;
    expect(head.status).toBe('routed');
    expect(abdomen.status).toBe('routed');
    expect((await call('POST', reader.cookie, `/api/tele-files/${head.id}/claim`)).statusCode).toBe(200);
    expect((await call('POST', colleague.cookie, `/api/tele-files/${abdomen.id}/claim`)).statusCode).toBe(200);
    head = await teleFile(head.id);
    abdomen = await teleFile(abdomen.id);
  }, 180_000);

  afterAll(async () => {
    await adapter?.close();
    await hub?.close();
    if (folder) await removeTempDir(folder);
  });

  it('refuses to sign without a conclusion, naming it; nothing is signed', async () => {
    const saved = await call('PUT', reader.cookie, `/api/tele-files/${head.id}/report/draft`, draftBody({ content: { ...COMPLETE, conclusion: '  ' } }));
    expect(saved.statusCode).toBe(200);
    reportId = saved.json<ReportView>().id;
    const response = await sign(reader.cookie, reportId, signBody(head, 1, { password: reader.password }));
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({ code: 'validation-failed', fields: [expect.objectContaining({ field: 'content.conclusion' })] });
    expect((await reportRow(reportId)).status).toBe('draft');
  });

  it('refuses a flagged critical finding without its communication, naming to, means and at', async () => {
    const critical = { flagged: true, communication: { to: '', means: null, at: null } };
    expect((await call('PUT', reader.cookie, `/api/tele-files/${head.id}/report/draft`, draftBody({ baseVersion: 1, critical }))).statusCode).toBe(200);
    const response = await sign(reader.cookie, reportId, signBody(head, 2, { password: reader.password }));
    expect(response.statusCode).toBe(400);
    expect(response.json().error.fields.map((f: { field: string }) => f.field)).toEqual(['critical.communication.to', 'critical.communication.means', 'critical.communication.at']);
  });

  it('refuses a wrong password (401, counted toward the lockout), another patient or site (409), a stale version (409), another reader (403)', async () => {
    const critical = { flagged: true, communication: { to: 'Dr Urgences (SAU CH Nord)', means: 'phone', at: '2026-11-23T02:10:00Z' } };
    expect((await call('PUT', reader.cookie, `/api/tele-files/${head.id}/report/draft`, draftBody({ baseVersion: 2, critical }))).statusCode).toBe(200);
    const wrong = await sign(reader.cookie, reportId, signBody(head, 3, { password: 'not-my-password' }));
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error.code).toBe('invalid-credentials');
    const user = await hub.database.db.selectFrom('users').select('failed_logins').where('id', '=', reader.id).executeTakeFirstOrThrow();
    expect(user.failed_logins).toBe(1);
    const failure = await hub.database.db.selectFrom('audit_events').selectAll().where('action', '=', 'login.failure').where('actor_id', '=', reader.id).execute();
    expect(failure.map((r) => r.details['reason'])).toContain('wrong-password-at-signature');

    const otherPatient = await sign(reader.cookie, reportId, signBody(head, 3, { password: reader.password }, { confirmedPatientId: 'SOMEONE-ELSE' }));
    expect(otherPatient.statusCode).toBe(409);
    expect(otherPatient.json().error.message).toMatch(/patient or the site you confirmed/);
    expect((await sign(reader.cookie, reportId, signBody(head, 3, { password: reader.password }, { confirmedSiteId: 'ch-demo-sud' }))).statusCode).toBe(409);

    const stale = await sign(reader.cookie, reportId, signBody(head, 2, { password: reader.password }));
    expect(stale.statusCode).toBe(409);
    expect(ReportConflict.parse(stale.json()).current.version).toBe(3);

    const other = await sign(colleague.cookie, reportId, signBody(head, 3, { password: colleague.password }));
    expect(other.statusCode).toBe(403);
    const denied = await hub.database.db.selectFrom('audit_events').selectAll().where('action', '=', 'access.denied').where('actor_id', '=', colleague.id).executeTakeFirstOrThrow();
    expect(denied.details).toMatchObject({ action: 'report.sign' });

    expect((await reportRow(reportId)).status).toBe('draft');
    expect(await documentsOf(reportId)).toEqual([]);
    expect((await teleFile(head.id)).status).toBe('reading');
  });

  it('answers 503 when the PACS does not respond, and signs nothing', async () => {
    const saved = await call('PUT', colleague.cookie, `/api/tele-files/${abdomen.id}/report/draft`, draftBody());
    const abdomenReport = saved.json<ReportView>().id;
    hub.services.pacs = {
      studyMetadata: () => Promise.reject(new PacsUnavailableError('http://pacs.invalid/dicom-web', 'refused', 'ECONNREFUSED')),
    } as unknown as PacsAdapter;
    try {
      const response = await sign(colleague.cookie, abdomenReport, signBody(abdomen, 1, { password: colleague.password }));
      expect(response.statusCode).toBe(503);
      expect(response.json().error.message).toMatch(/not responding.*not signed/);
      // The PACS address stays in the hub's log.
      expect(response.body).not.toContain('pacs.invalid');
    } finally {
      hub.services.pacs = adapter;
    }
    expect((await reportRow(abdomenReport)).status).toBe('draft');
    expect(await documentsOf(abdomenReport)).toEqual([]);
    expect((await teleFile(abdomen.id)).status).toBe('reading');
  });

  it('signs: report final, SR + Encapsulated PDF + HL7 stored, tele-file signed, delivery enqueued, audited without the patient’s name', async () => {
    const enqueue = vi.spyOn(hub.services.delivery, 'enqueue');
    const response = await sign(reader.cookie, reportId, signBody(head, 3, { password: reader.password }));
    expect(response.statusCode).toBe(200);
    const view = ReportView.parse(response.json());
    expect(view).toMatchObject({ id: reportId, status: 'signed', version: 3, signer: { id: reader.id, displayName: 'Test dr.sign1' } });
    expect(view.signedAt).not.toBeNull();
    const uids = view.documents as NonNullable<ReportView['documents']>;
    expect(uids.srSopInstanceUid).toMatch(/^2\.25\.\d+$/);

    const docs = await documentsOf(reportId);
    expect(docs.map((d) => d.kind)).toEqual(['hl7', 'pdf', 'sr']);
    const srDoc = docs.find((d) => d.kind === 'sr');
    const pdfDoc = docs.find((d) => d.kind === 'pdf');
    const hl7Doc = docs.find((d) => d.kind === 'hl7');
    expect(srDoc?.sop_instance_uid).toBe(uids.srSopInstanceUid);
    const sr = parseDicom(srDoc?.bytes as Uint8Array);
    expect(sr['SOPClassUID']).toBe(BASIC_TEXT_SR);
    expect(sr['SOPInstanceUID']).toBe(uids.srSopInstanceUid);
    expect(sr['StudyInstanceUID']).toBe(head.study_instance_uid);
    expect(sr['PatientID']).toBe(head.patient_id);
    expect(predecessorSrUid(sr)).toBeUndefined();
    const pdf = parseDicom(pdfDoc?.bytes as Uint8Array);
    expect(pdf['SOPClassUID']).toBe(ENCAPSULATED_PDF);
    expect(pdf['SOPInstanceUID']).toBe(uids.pdfSopInstanceUid);
    const encapsulated = new Uint8Array((pdf['EncapsulatedDocument'] as ArrayBuffer[])[0] as ArrayBuffer);
    expect(Buffer.from(encapsulated.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
    expect(Buffer.from(hl7Doc?.bytes as Uint8Array).toString('utf8')).toMatch(/^MSH\|\^~\\&\|VIGIE\|/);

    const file = await teleFile(head.id);
    expect(file.status).toBe('signed');
    expect(enqueue).toHaveBeenCalledTimes(1);
    expect(enqueue.mock.calls[0]?.[1]).toEqual({ reportId, teleFileId: head.id, siteId: head.requesting_site_id, kinds: ['sr', 'pdf', 'hl7'] });
    enqueue.mockRestore();
    const jobs = await hub.database.db.selectFrom('delivery_jobs').select('document_kind').where('report_id', '=', reportId).execute();
    expect(jobs.map((j) => j.document_kind)).toEqual(expect.arrayContaining(['sr', 'pdf']));

    const audit = await hub.database.db.selectFrom('audit_events').selectAll().where('action', '=', 'report.signed').where('target_id', '=', reportId).executeTakeFirstOrThrow();
    expect(audit.actor_id).toBe(reader.id);
    expect(audit.details).toMatchObject({ teleFileId: head.id, srSopInstanceUid: uids.srSopInstanceUid, pdfSopInstanceUid: uids.pdfSopInstanceUid, critical: true, reauthenticatedWith: 'password' });
    expect(JSON.stringify(audit.details)).not.toContain(head.patient_name.split('^')[0] as string);
    expect(JSON.stringify(audit.details)).not.toContain(head.patient_id);

    const list = ReportList.parse((await call('GET', reader.cookie, `/api/tele-files/${head.id}/reports`)).json());
    expect(list.reports[0]?.delivery?.state).toBe('pending');
  });

  it('refuses any change to the signed report: 409 through the API, an error from the database itself', async () => {
    const again = await call('PUT', reader.cookie, `/api/reports/${reportId}/draft`, draftBody({ baseVersion: 3 }));
    expect(again.statusCode).toBe(409);
    expect(ReportConflict.parse(again.json()).error.message).toMatch(/signed.*write an addendum/);
    expect((await call('PUT', reader.cookie, `/api/tele-files/${head.id}/report/draft`, draftBody({ baseVersion: 3 }))).statusCode).toBe(409);
    expect((await sign(reader.cookie, reportId, signBody(head, 3, { password: reader.password }))).statusCode).toBe(409);
    const db = hub.database.db;
    await expect(sql`update reports set content = ${JSON.stringify({ ...COMPLETE, conclusion: 'Modifié après signature' })}::jsonb where id = ${reportId}`.execute(db)).rejects.toThrow(/signed report cannot be changed or deleted/);
    await expect(sql`delete from reports where id = ${reportId}`.execute(db)).rejects.toThrow(/signed report cannot be changed or deleted/);
    await expect(sql`update report_documents set bytes = ${Buffer.from('x')} where report_id = ${reportId}`.execute(db)).rejects.toThrow(/documents cannot be changed or deleted/);
    expect(((await reportRow(reportId)).content as { conclusion: string }).conclusion).toBe(COMPLETE.conclusion);
  });

  it('chains addenda: each a new draft after the latest signed document, each SR referencing the previous SR', async () => {
    // The second signature uses a TOTP code: enrol the reader now.
    const start = await call('POST', reader.cookie, '/api/auth/enrolment');
    totpSecret = start.json<{ secret: string }>().secret;
    expect((await call('POST', reader.cookie, '/api/auth/enrolment/confirm', { code: currentTotp(totpSecret) })).statusCode).toBe(200);

    const first = await call('POST', reader.cookie, `/api/reports/${reportId}/addendum`);
    expect(first.statusCode).toBe(201);
    const addendum1 = ReportView.parse(first.json());
    expect(addendum1).toMatchObject({ kind: 'addendum', status: 'draft', predecessorId: reportId, version: 1 });
    // Asked twice, the same addendum (one open addendum per signed document).
    const twice = await call('POST', reader.cookie, `/api/reports/${reportId}/addendum`);
    expect(twice.statusCode).toBe(200);
    expect(twice.json<ReportView>().id).toBe(addendum1.id);
    const byColleague = await call('POST', colleague.cookie, `/api/reports/${reportId}/addendum`);
    expect(byColleague.statusCode).toBe(409);
    // Only its author writes it.
    expect((await call('PUT', colleague.cookie, `/api/reports/${addendum1.id}/draft`, draftBody({ baseVersion: 1 }))).statusCode).toBe(403);
    const addendumText = { indication: '', technique: '', findings: 'Relecture : petite lame d’hématome sous-dural frontal droit de 3 mm.', conclusion: 'Hématome sous-dural aigu frontal droit de 3 mm, non compressif.' };
    expect((await call('PUT', reader.cookie, `/api/reports/${addendum1.id}/draft`, draftBody({ baseVersion: 1, content: addendumText }))).statusCode).toBe(200);
    const code = currentTotp(totpSecret, Date.now() + 30_000);
    const signed1 = await sign(reader.cookie, addendum1.id, signBody(head, 2, { code }));
    expect(signed1.statusCode).toBe(200);
    const view1 = ReportView.parse(signed1.json());
    expect((await teleFile(head.id)).status).toBe('signed');

    const reportSr = (await reportRow(reportId)).sr_sop_instance_uid;
    const sr1 = parseDicom((await documentsOf(addendum1.id)).find((d) => d.kind === 'sr')?.bytes as Uint8Array);
    expect(predecessorSrUid(sr1)).toBe(reportSr);
    expect(sr1['InstanceNumber']).toBe(2);

    // Addendum 2 follows addendum 1 (the latest signed), whichever signed report the address names.
    const second = await call('POST', reader.cookie, `/api/reports/${reportId}/addendum`);
    expect(second.statusCode).toBe(201);
    const addendum2 = ReportView.parse(second.json());
    expect(addendum2.predecessorId).toBe(addendum1.id);
    expect((await call('PUT', reader.cookie, `/api/reports/${addendum2.id}/draft`, draftBody({ baseVersion: 1, content: { ...addendumText, conclusion: 'Contrôle à 6 h proposé.' } }))).statusCode).toBe(200);
    // The code already used cannot sign again (replay refused).
    const replay = await sign(reader.cookie, addendum2.id, signBody(head, 2, { code }));
    expect(replay.statusCode).toBe(401);
    expect(replay.json().error.code).toBe('invalid-code');
    const signed2 = await sign(reader.cookie, addendum2.id, signBody(head, 2, { password: reader.password }));
    expect(signed2.statusCode).toBe(200);
    const sr2 = parseDicom((await documentsOf(addendum2.id)).find((d) => d.kind === 'sr')?.bytes as Uint8Array);
    expect(predecessorSrUid(sr2)).toBe(view1.documents?.srSopInstanceUid);

    const list = ReportList.parse((await call('GET', reader.cookie, `/api/tele-files/${head.id}/reports`)).json());
    expect(list.reports.map((r) => [r.kind, r.status, r.predecessorId])).toEqual([
      ['report', 'signed', null],
      ['addendum', 'signed', reportId],
      ['addendum', 'signed', addendum1.id],
    ]);
    const created = await hub.database.db.selectFrom('audit_events').select('target_id').where('action', '=', 'report.addendum-created').execute();
    expect(created.map((r) => r.target_id)).toEqual([addendum1.id, addendum2.id]);
  });
});
