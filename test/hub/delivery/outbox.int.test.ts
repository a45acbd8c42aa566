/**
 * The delivery outbox on both databases, without a PACS: enqueue, claims and
 * leases, guards, retries against a closed port, HL7 files, status, admin API.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../hub/logging/logger.js';
import { DeliveryOutbox } from '../../../hub/delivery/deliveryOutbox.js';
import { claimDueJob } from '../../../hub/delivery/deliveryJobs.js';
import { getFreePort } from '../../harness/freePort.js';
import { DATABASE_KINDS, signInFully, startTestHub, type TestHub } from '../testHub.js';
import { auditCount, configureSite, enqueue, jobsOf, seedSignedReport, SITE } from './deliveryFixtures.js';

describe.each(DATABASE_KINDS)('delivery outbox (%s)', (kind) => {
  let hub: TestHub;
  let userId: string;
  let closedPort: number;
  let clock = Date.now();
  let outbox: DeliveryOutbox;

  beforeAll(async () => {
    hub = await startTestHub(kind);
    userId = (await hub.createUser('reader', ['radiologist'])).id;
    closedPort = await getFreePort('127.0.0.1');
    outbox = new DeliveryOutbox({ db: hub.database.db, organisation: hub.services.organisation, audit: hub.services.audit, logger: createLogger('silent'), dataDir: hub.config.dataDir, now: () => new Date(clock), maxAttempts: 3 });
  });
  afterAll(async () => {
    await hub?.close();
  });

  it('enqueues one job per kind, idempotently, HL7 only for sites that take it, with the endpoint of the time', async () => {
    await configureSite(hub, { kind: 'dicomweb', stowUrl: `http://127.0.0.1:${closedPort}/dicom-web/studies` }, false);
    const report = await seedSignedReport(hub, userId);
    await enqueue(hub, report);
    await enqueue(hub, report);
    const jobs = await jobsOf(hub, report.reportId);
    expect(jobs.map((j) => [j.document_kind, j.state, j.site_id])).toEqual([['pdf', 'pending', SITE], ['sr', 'pending', SITE]]);
    expect(jobs[0]?.endpoint).toEqual({ kind: 'dicomweb', stowUrl: `http://127.0.0.1:${closedPort}/dicom-web/studies` });
    expect((await hub.services.delivery.statusOf([report.reportId])).get(report.reportId)?.state).toBe('pending');
  });

  it('claims a due job once; a sending job is taken again only after its lease', async () => {
    await configureSite(hub, { kind: 'dicomweb', stowUrl: `http://127.0.0.1:${closedPort}/dicom-web/studies` });
    const report = await seedSignedReport(hub, userId);
    await enqueue(hub, report, ['sr']);
    // Other tests' jobs may be due too: look only at this report's job.
    await hub.database.db.updateTable('delivery_jobs').set({ next_attempt_at: new Date(Date.now() + 3_600_000) }).where('report_id', '!=', report.reportId).where('state', 'in', ['pending', 'retrying']).execute();
    const now = new Date(Date.now() + 1_000);
    const [a, b] = await Promise.all([claimDueJob(hub.database.db, now, new Date(now.getTime() + 120_000)), claimDueJob(hub.database.db, now, new Date(now.getTime() + 120_000))]);
    expect([a, b].filter((j) => j !== null)).toHaveLength(1);
    expect(await claimDueJob(hub.database.db, new Date(now.getTime() + 60_000), new Date(now.getTime() + 180_000))).toBeNull();
    const again = await claimDueJob(hub.database.db, new Date(now.getTime() + 121_000), new Date(now.getTime() + 241_000));
    expect(again?.report_id).toBe(report.reportId);
    expect(again?.attempts).toBe(2);
  });

  it('retries with backoff and a sentence a person can act on, then fails with an admin alert', async () => {
    await configureSite(hub, { kind: 'dicomweb', stowUrl: `http://127.0.0.1:${closedPort}/dicom-web/studies` });
    const report = await seedSignedReport(hub, userId);
    await enqueue(hub, report, ['sr']);
    clock = Date.now() + 1_000;
    await outbox.runOnce();
    let [job] = await jobsOf(hub, report.reportId);
    expect(job?.state).toBe('retrying');
    expect(job?.last_error).toBe(`The site's PACS does not answer (connection refused at 127.0.0.1:${closedPort}).`);
    expect(new Date(job?.next_attempt_at as Date).getTime()).toBe(clock + 5_000);
    await outbox.runOnce(); // not due yet
    expect((await jobsOf(hub, report.reportId))[0]?.attempts).toBe(1);
    clock += 5_000;
    await outbox.runOnce();
    clock += 15_000;
    await outbox.runOnce();
    [job] = await jobsOf(hub, report.reportId);
    expect(job?.state).toBe('failed');
    expect(job?.attempts).toBe(3);
    const alerts = await hub.services.delivery.alerts.list({ openOnly: true });
    expect(alerts.some((a) => a.kind === 'delivery.failed' && a.subjectId === job?.id)).toBe(true);
    expect(await auditCount(hub, 'delivery.failed', report.reportId)).toBe(1);
    expect((await hub.services.delivery.statusOf([report.reportId])).get(report.reportId)).toMatchObject({ state: 'failed', attempts: 3, lastError: expect.stringContaining('connection refused') as unknown });
    // An admin retries a failed job by hand: due now, a full new window of attempts.
    const retried = await outbox.retry(job?.id as string, { id: userId, username: 'admin' });
    expect(retried).toMatchObject({ ok: true, job: { state: 'pending', attempts: 0, lastError: null } });
    expect(await auditCount(hub, 'delivery.retried', report.reportId)).toBe(1);
    await outbox.runOnce();
    expect((await jobsOf(hub, report.reportId))[0]).toMatchObject({ state: 'retrying', attempts: 1 });
  });

  it('stops a document naming another patient: alert, audit, nothing sent', async () => {
    await configureSite(hub, { kind: 'dicomweb', stowUrl: `http://127.0.0.1:${closedPort}/dicom-web/studies` });
    const report = await seedSignedReport(hub, userId, { documentPatientId: 'SOMEONE-ELSE' });
    await enqueue(hub, report, ['sr']);
    clock = Date.now() + 1_000;
    await outbox.runOnce();
    const [job] = await jobsOf(hub, report.reportId);
    expect(job?.state).toBe('stopped');
    expect(job?.stopped_reason).toMatch(/patient ID or issuer inside the SR document is not the tele-file's/);
    expect(job?.attempts).toBe(1);
    expect(await auditCount(hub, 'delivery.stopped', report.reportId)).toBe(1);
    expect(await auditCount(hub, 'delivery.sent', report.reportId)).toBe(0);
    const alert = (await hub.services.delivery.alerts.list()).find((a) => a.subjectId === job?.id);
    expect(alert).toMatchObject({ kind: 'delivery.stopped', severity: 'critical' });
    expect(alert?.message).not.toContain('SOMEONE-ELSE');
    expect(alert?.message).not.toContain(report.patientId);
  });

  it('stops a job whose site is not the tele-file\'s requesting site', async () => {
    await configureSite(hub, { kind: 'dicomweb', stowUrl: `http://127.0.0.1:${closedPort}/dicom-web/studies` });
    const report = await seedSignedReport(hub, userId, { requestingSiteId: 'ch-demo-sud' });
    await enqueue(hub, report, ['sr']);
    clock = Date.now() + 1_000;
    await outbox.runOnce();
    const [job] = await jobsOf(hub, report.reportId);
    expect(job?.state).toBe('stopped');
    expect(job?.stopped_reason).toContain("tele-file's requesting site is \"ch-demo-sud\"");
  });

  it('writes the HL7 message once, atomically, for a site configured for it', async () => {
    await configureSite(hub, { kind: 'dicomweb', stowUrl: `http://127.0.0.1:${closedPort}/dicom-web/studies` }, true);
    const report = await seedSignedReport(hub, userId);
    await enqueue(hub, report, ['hl7']);
    clock = Date.now() + 1_000;
    await outbox.runOnce();
    const [job] = await jobsOf(hub, report.reportId);
    expect(job?.state).toBe('delivered');
    const file = await readFile(join(hub.config.dataDir, 'outbox', 'hl7', SITE, `${report.reportId}.hl7`), 'utf8');
    expect(file).toMatch(/^MSH\|/);
    expect(await auditCount(hub, 'delivery.delivered', report.reportId)).toBe(1);
  });

  it('aggregates per report: the least advanced job wins, delivered only when all are', async () => {
    await configureSite(hub, { kind: 'dicomweb', stowUrl: `http://127.0.0.1:${closedPort}/dicom-web/studies` }, true);
    const report = await seedSignedReport(hub, userId);
    await enqueue(hub, report);
    const db = hub.database.db;
    const at = new Date();
    await db.updateTable('delivery_jobs').set({ state: 'delivered', delivered_at: at }).where('report_id', '=', report.reportId).execute();
    expect((await hub.services.delivery.statusOf([report.reportId])).get(report.reportId)).toMatchObject({ state: 'delivered', deliveredAt: at.toISOString(), lastError: null });
    await db.updateTable('delivery_jobs').set({ state: 'retrying', delivered_at: null, last_error: 'down', attempts: 2 }).where('report_id', '=', report.reportId).where('document_kind', '=', 'pdf').execute();
    expect((await hub.services.delivery.statusOf([report.reportId, 'ffffffff-0000-4000-8000-000000000000'])).get(report.reportId)).toMatchObject({ state: 'retrying', lastError: 'down', attempts: 2, deliveredAt: null });
    await db.updateTable('delivery_jobs').set({ state: 'stopped', delivered_at: null, stopped_reason: 'x', last_error: 'guard' }).where('report_id', '=', report.reportId).where('document_kind', '=', 'hl7').execute();
    expect((await hub.services.delivery.statusOf([report.reportId])).get(report.reportId)?.state).toBe('stopped');
  });

  it('admin API: lists jobs needing attention, retries after the cause is fixed, acknowledges alerts; 403 for others', async () => {
    await configureSite(hub, { kind: 'dicomweb', stowUrl: `http://127.0.0.1:${closedPort}/dicom-web/studies` });
    const report = await seedSignedReport(hub, userId, { documentPatientId: 'OTHER' });
    await enqueue(hub, report, ['sr']);
    clock = Date.now() + 1_000;
    await outbox.runOnce();
    const [job] = await jobsOf(hub, report.reportId);
    const admin = await hub.createUser('admin1', ['admin']);
    const { cookie } = await signInFully(hub.app, admin.username, admin.password);
    const reader = await hub.createUser('reader2', ['radiologist']);
    const readerCookie = (await signInFully(hub.app, reader.username, reader.password)).cookie;
    expect((await hub.app.inject({ method: 'GET', url: '/api/admin/deliveries', headers: { cookie: readerCookie } })).statusCode).toBe(403);
    expect((await hub.app.inject({ method: 'POST', url: `/api/admin/deliveries/${job?.id}/retry`, headers: { cookie: readerCookie } })).statusCode).toBe(403);

    const list = await hub.app.inject({ method: 'GET', url: '/api/admin/deliveries', headers: { cookie } });
    expect(list.statusCode).toBe(200);
    expect(list.json<{ jobs: Array<{ id: string; state: string; reportId: string; teleFileId: string }> }>().jobs.find((j) => j.id === job?.id)).toMatchObject({ state: 'stopped', reportId: report.reportId, teleFileId: report.teleFileId });
    expect((await hub.app.inject({ method: 'GET', url: '/api/admin/deliveries?state=nonsense', headers: { cookie } })).statusCode).toBe(400);

    const blocked = await hub.app.inject({ method: 'POST', url: `/api/admin/deliveries/${job?.id}/retry`, headers: { cookie } });
    expect(blocked.statusCode).toBe(409);
    expect(blocked.json<{ detail?: string; title?: string }>()).toBeTruthy();
    // The cause fixed (here: the tele-file's identity corrected to what the document says).
    await hub.database.db.updateTable('tele_files').set({ patient_id: 'OTHER' }).where('id', '=', report.teleFileId).execute();
    const retried = await hub.app.inject({ method: 'POST', url: `/api/admin/deliveries/${job?.id}/retry`, headers: { cookie } });
    expect(retried.statusCode).toBe(200);
    expect(retried.json()).toMatchObject({ state: 'pending', attempts: 0, lastError: null });
    expect(await auditCount(hub, 'delivery.retried', report.reportId)).toBe(1);
    expect((await hub.app.inject({ method: 'POST', url: `/api/admin/deliveries/${job?.id}/retry`, headers: { cookie } })).statusCode).toBe(409);
    expect((await hub.app.inject({ method: 'POST', url: '/api/admin/deliveries/00000000-0000-4000-8000-000000000000/retry', headers: { cookie } })).statusCode).toBe(404);

    const alerts = await hub.app.inject({ method: 'GET', url: '/api/admin/alerts?open=true', headers: { cookie } });
    const alert = alerts.json<{ alerts: Array<{ id: string; subjectId: string }> }>().alerts.find((a) => a.subjectId === job?.id);
    expect(alert).toBeDefined();
    const ack = await hub.app.inject({ method: 'POST', url: `/api/admin/alerts/${alert?.id}/acknowledge`, headers: { cookie } });
    expect(ack.statusCode).toBe(200);
    expect(ack.json()).toMatchObject({ acknowledgedBy: 'admin1' });
    const open = await hub.app.inject({ method: 'GET', url: '/api/admin/alerts?open=true', headers: { cookie } });
    expect(open.json<{ alerts: Array<{ id: string }> }>().alerts.some((a) => a.id === alert?.id)).toBe(false);
  });
});
