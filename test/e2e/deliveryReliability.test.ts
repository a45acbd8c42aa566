/**
 * Delivery of signed reports when things go wrong (issue 6), over the HTTP
 * API against real processes: the hub (hub/main.ts, no web client needed) on
 * its own data directory, restarted and killed; a pivot Orthanc holding the
 * images; the requesting site's Orthanc, stopped and restarted, reached by
 * DIMSE or DICOMweb (directly, or through a proxy that holds a STOW-RS post).
 *
 * Each case reads its own tele-file: a chest radiograph of CH Démo Sud from
 * its own demo seed (other UIDs, other patient IDs). The cases run in order;
 * the last one stops the hub for good and opens its database.
 */
import { execFile } from 'node:child_process';
import { copyFile, readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdminAlertList } from '../../core/api/deliveries.js';
import type { AuditPage } from '../../core/api/audit.js';
import type { ReportView, SignRequest } from '../../core/api/reports.js';
import type { TeleFileSummary } from '../../core/api/teleFiles.js';
import type { DeliveryEndpoint } from '../../core/site.js';
import { generateDemoStudies, type DemoStudySummary } from '../../hub/demo/demoStudies.js';
import { cleanUpAll } from '../harness/cleanup.js';
import { startHubProcess, type HubProcess } from '../harness/hub.js';
import { startOrthanc, uploadInstance, type OrthancServer } from '../harness/orthanc.js';
import { makeTempDir, removeTempDir } from '../harness/tempDir.js';
import { waitFor } from '../harness/waitFor.js';
import { dcmFiles } from '../hub/pacs/pacsTestSupport.js';
import { startHoldingProxy, type HoldingProxy } from './reporting/holdingProxy.js';
import { Api, ENCAPSULATED_PDF, SR_CLASSES, dicomWebEndpoint, dimseEndpoint, draftRequest, reportsOf, setSiteDelivery, siteInstances, storeAndAwaitTeleFile, tabId } from './reporting/reportingSupport.js';
import { running } from '../harness/running.js';

const run = promisify(execFile);

const SUD_AET = 'DEMO_SUD';
const SITE_SUD_ID = 'ch-demo-sud';
const READER = 'dr.lefebvre';
/** The outbox's lease on a job it is sending (hub/delivery/backoff.ts LEASE_MS): a killed hub's job is taken again after it. */
const LEASE_MS = 2 * 60_000;
/** Backoff 5 s then 15 s after a failure, polls every 2 s. */
const RETRY_TIMEOUT_MS = 45_000;
const DELIVERY_TIMEOUT_MS = 30_000;

interface Case {
  study: DemoStudySummary;
  teleFileId: string;
}

let pivot: OrthancServer | undefined;
let site: OrthancServer | undefined;
let proxy: HoldingProxy | undefined;
let hub: HubProcess | undefined;
let dataDir: string | undefined;
let demoDir: string | undefined;
let admin: Api;
let reader: Api;
let readerPassword = '';
const cases = new Map<string, Case>();
const timings: Record<string, number | string> = {};

async function startHub(): Promise<HubProcess> {
  const started = Date.now();
  hub = await startHubProcess({
    dataDir: running(dataDir, 'the data directory'),
    withoutWebBuild: true,
    env: { VIGIE_PACS_URL: running(pivot, 'the pivot').dicomWebUrl, VIGIE_PACS_POLL: '300ms', VIGIE_SECOND_FACTOR_ROLES: '' },
  });
  timings[`hub start #${Object.keys(timings).filter((k) => k.startsWith('hub start')).length + 1}`] = Date.now() - started;
  admin = await Api.signIn(hub, 'admin');
  reader = await Api.signIn(hub, READER);
  readerPassword = (await hub.account(READER)).password;
  return hub;
}

function caseOf(name: string): Case {
  const found = cases.get(name);
  if (!found) throw new Error(`no case ${name}`);
  return found;
}

/** Stores the case's radiograph, waits for its tele-file, and dr.lefebvre claims it. */
async function prepare(name: string): Promise<Case> {
  const c = caseOf(name);
  c.teleFileId = await storeAndAwaitTeleFile(running(pivot, 'the pivot'), admin, c.study, SUD_AET);
  await reader.ok('POST', `/api/tele-files/${c.teleFileId}/claim`);
  return c;
}

/** A complete draft saved over the API (version 1), then signed with the password. */
async function writeAndSign(c: Case, conclusion: string): Promise<ReportView> {
  const draft = await reader.ok<ReportView>('PUT', `/api/tele-files/${c.teleFileId}/report/draft`, draftRequest(conclusion, 0, tabId('api')));
  return sign(c, draft);
}

async function sign(c: Case, draft: ReportView): Promise<ReportView> {
  const teleFile = await reader.get<TeleFileSummary>(`/api/tele-files/${c.teleFileId}`);
  const request: SignRequest = { password: readerPassword, version: draft.version, confirmedPatientId: teleFile.patient.patientId, confirmedSiteId: teleFile.requestingSite?.id ?? '' };
  return reader.ok<ReportView>('POST', `/api/reports/${draft.id}/sign`, request);
}

async function reportOf(c: Case): Promise<ReportView> {
  const [report] = await reportsOf(reader, c.teleFileId);
  return running(report, `the report of ${c.study.studyInstanceUid}`);
}

async function documentsAtSite(c: Case) {
  const found = await siteInstances(running(site, 'the site Orthanc'), c.study.studyInstanceUid);
  return { all: found, srs: found.filter((i) => SR_CLASSES.has(i.sopClassUid)), pdfs: found.filter((i) => i.sopClassUid === ENCAPSULATED_PDF) };
}

async function expectExactlyOneCopy(c: Case, report: ReportView): Promise<void> {
  // A moment for a second, unwanted copy to land.
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  const { all, srs, pdfs } = await documentsAtSite(c);
  expect(srs.map((i) => i.sopInstanceUid), 'SRs at the site').toEqual([report.documents?.srSopInstanceUid]);
  expect(pdfs.map((i) => i.sopInstanceUid), 'PDFs at the site').toEqual([report.documents?.pdfSopInstanceUid]);
  expect(all).toHaveLength(2);
  for (const instance of all) expect(instance.patientId).toBe(c.study.patientId);
}

async function useEndpoint(endpoint: DeliveryEndpoint): Promise<void> {
  await setSiteDelivery(admin, SITE_SUD_ID, endpoint);
}

beforeAll(async () => {
  const started = Date.now();
  dataDir = await makeTempDir('delivery-hub-data');
  demoDir = await makeTempDir('delivery-demo');
  const dir = demoDir;
  const servers = (async () => {
    [pivot, site] = await Promise.all([
      startOrthanc({ name: 'pivot', aet: 'PIVOT', stableAgeSeconds: 1 }),
      // The hub's C-FIND (is the document there? whose study is it?) comes from AE VIGIE: a known modality.
      startOrthanc({ name: 'site-sud', aet: 'SITE_SUD', dicomModalities: { vigie: { aet: 'VIGIE', port: 104 } } }),
    ]);
    proxy = await startHoldingProxy(site.httpUrl);
    await startHub();
    timings['orthancs + hub start'] = Date.now() - started;
  })();
  const studies = (async () => {
    for (const [name, seed] of [['retry', 41], ['crash', 42], ['altered', 43]] as const) {
      const all = await generateDemoStudies({ folder: path.join(dir, name), seed, headCtSlices: 16 });
      const chest = all.find((s) => /THORAX/.test(s.description));
      if (!chest) throw new Error('no chest radiograph among the demo studies');
      cases.set(name, { study: chest, teleFileId: '' });
    }
    timings['demo studies'] = Date.now() - started;
  })();
  const results = await Promise.allSettled([servers, studies]);
  timings['before all'] = Date.now() - started;
  for (const result of results) if (result.status === 'rejected') throw result.reason;
});

afterAll(async () => {
  console.log(`deliveryReliability timings (ms): ${JSON.stringify(timings)}`);
  await cleanUpAll([
    () => hub?.stop(),
    () => proxy?.close(),
    () => pivot?.stop(),
    () => site?.stop(),
    () => (dataDir ? removeTempDir(dataDir) : undefined),
    () => (demoDir ? removeTempDir(demoDir) : undefined),
  ]);
});

describe('delivery of signed reports through failures', () => {
  it('6. a draft survives a hub restart, with the same version', async () => {
    const c = await prepare('retry');
    const first = await reader.ok<ReportView>('PUT', `/api/tele-files/${c.teleFileId}/report/draft`, draftRequest('Première version.', 0, tabId('six')));
    const second = await reader.ok<ReportView>('PUT', `/api/tele-files/${c.teleFileId}/report/draft`, draftRequest('Pas de pneumothorax.', first.version, tabId('six')));
    expect(second.version).toBe(first.version + 1);
    const started = Date.now();
    await running(hub, 'the hub').stop();
    await startHub();
    timings['6: stop + start'] = Date.now() - started;
    const after = await reportOf(c);
    expect(after).toMatchObject({ id: second.id, status: 'draft', version: second.version, content: second.content, critical: second.critical });
  });

  it('4. the site’s Orthanc is down at signing (DIMSE): retrying with a readable error; once it is back, exactly one SR and one PDF', async () => {
    const c = caseOf('retry');
    const theSite = running(site, 'the site Orthanc');
    await useEndpoint(dimseEndpoint(theSite));
    await theSite.kill();
    const started = Date.now();
    const signed = await sign(c, await reportOf(c));
    expect(signed.status).toBe('signed');
    const retrying = await waitFor(async () => {
      const report = await reportOf(c);
      return report.delivery?.state === 'retrying' ? report : null;
    }, { what: 'the delivery retrying while the site is down', timeoutMs: DELIVERY_TIMEOUT_MS, intervalMs: 250 });
    timings['4: signed → retrying'] = Date.now() - started;
    const lastError = retrying.delivery?.lastError ?? '';
    timings['4: last error'] = lastError;
    expect(lastError, 'the last error names the site’s address').toContain(`127.0.0.1:${theSite.dicomPort}`);
    // The words the outbox uses for a refused connection (deliveryError.ts describeNetworkError), as over DICOMweb.
    expect.soft(lastError, 'the last error, in words a person can act on').toMatch(/site's PACS (does not answer|cannot be reached|closed the connection)/);
    expect(retrying.delivery?.nextAttemptAt).not.toBeNull();
    const jobs = (await admin.get<{ jobs: Array<{ reportId: string; state: string; lastError: string | null }> }>('/api/admin/deliveries')).jobs.filter((j) => j.reportId === signed.id);
    expect(jobs.length, 'jobs needing attention for this report').toBeGreaterThanOrEqual(1);

    await theSite.restart();
    const back = Date.now();
    await waitFor(async () => (await reportOf(c)).delivery?.state === 'delivered', { what: 'the delivery delivered once the site is back', timeoutMs: RETRY_TIMEOUT_MS, intervalMs: 500 });
    timings['4: site back → delivered'] = Date.now() - back;
    await expectExactlyOneCopy(c, signed);
  });

  it('8. the study’s patient ID was changed at the site: the delivery is stopped, nothing sent, an admin alert says why', async () => {
    const c = await prepare('altered');
    const theSite = running(site, 'the site Orthanc');
    if (!theSite.isRunning()) await theSite.restart(); // a failed case 4 may have left it down
    await useEndpoint(dicomWebEndpoint(theSite));
    // One image of the study, same StudyInstanceUID, another PatientID, stored at the site.
    const [image] = await dcmFiles(c.study.folder);
    const altered = path.join(running(demoDir, 'the demo dir'), 'altered.dcm');
    await copyFile(running(image, 'an image of the study'), altered);
    await run('dcmodify', ['-nb', '-m', '(0010,0020)=AUTRE-ID-42', '-m', '(0008,0018)=2.25.4242424242424242', altered]);
    await uploadInstance(theSite, await readFile(altered));
    const before = await documentsAtSite(c);
    expect(before.all.map((i) => i.patientId)).toEqual(['AUTRE-ID-42']);

    const started = Date.now();
    const signed = await sign(c, await reader.ok<ReportView>('PUT', `/api/tele-files/${c.teleFileId}/report/draft`, draftRequest('Pas de pneumothorax.', 0, tabId('eight'))));
    const stopped = await waitFor(async () => {
      const report = await reportOf(c);
      return report.delivery?.state === 'stopped' ? report : null;
    }, { what: 'the delivery stopped', timeoutMs: DELIVERY_TIMEOUT_MS, intervalMs: 250 });
    timings['8: signed → stopped'] = Date.now() - started;
    expect(stopped.delivery?.lastError).toMatch(/another patient ID/);
    const jobs = (await admin.get<{ jobs: Array<{ reportId: string; state: string; stoppedReason: string | null }> }>('/api/admin/deliveries?state=stopped')).jobs.filter((j) => j.reportId === signed.id);
    await waitFor(async () => (await admin.get<{ jobs: Array<{ reportId: string }> }>('/api/admin/deliveries?state=stopped')).jobs.filter((j) => j.reportId === signed.id).length === 2, { what: 'both jobs (SR, PDF) stopped', timeoutMs: DELIVERY_TIMEOUT_MS });
    expect(jobs.every((j) => /another patient ID/.test(j.stoppedReason ?? ''))).toBe(true);

    const alerts = (await admin.get<AdminAlertList>('/api/admin/alerts?open=true')).alerts.filter((a) => a.message.includes(signed.id));
    expect(alerts.length, 'open admin alerts naming the report').toBeGreaterThanOrEqual(1);
    for (const alert of alerts) {
      expect(alert).toMatchObject({ kind: 'delivery.stopped', severity: 'critical', subjectType: 'delivery-job' });
      expect(alert.message).toMatch(/another patient ID/);
      expect(alert.message, 'no patient ID in an alert').not.toContain(c.study.patientId);
    }
    const after = await documentsAtSite(c);
    expect(after.all.map((i) => i.sopInstanceUid), 'what the site holds in the study: only the altered image').toEqual(before.all.map((i) => i.sopInstanceUid));
    const audit = (await admin.get<AuditPage>('/api/audit?action=delivery.sent&limit=1000')).events.filter((e) => e.details.reportId === signed.id);
    expect(audit, 'delivery.sent rows for this report').toEqual([]);
  });

  it('5. the hub is killed in the middle of a delivery (the STOW-RS under way): restarted on the same data, the job resumes, one copy at the site', async () => {
    const c = await prepare('crash');
    const theProxy = running(proxy, 'the proxy');
    await useEndpoint({ kind: 'dicomweb', stowUrl: `${theProxy.url}/dicom-web/studies` });
    theProxy.hold = true;
    const started = Date.now();
    const signed = await writeAndSign(c, 'Pas de pneumothorax. Pas d’épanchement.');
    await waitFor(() => theProxy.held.length === 1, { what: 'the first STOW-RS post reaching the proxy', timeoutMs: DELIVERY_TIMEOUT_MS, intervalMs: 50 });
    timings['5: signed → STOW under way'] = Date.now() - started;
    await running(hub, 'the hub').process.kill();
    // The site received the document just before the hub died; the hub never heard back.
    expect(await theProxy.releaseToTarget()).toEqual([200]);
    theProxy.hold = false;
    const midway = await documentsAtSite(c);
    expect(midway.all, 'one document at the site when the hub died').toHaveLength(1);

    const restarted = Date.now();
    await startHub();
    await waitFor(async () => (await reportOf(c)).delivery?.state === 'delivered', { what: 'the delivery delivered after the restart (a killed hub’s job is taken again once its lease passed)', timeoutMs: LEASE_MS + DELIVERY_TIMEOUT_MS, intervalMs: 1_000 });
    timings['5: restart → delivered'] = Date.now() - restarted;
    await expectExactlyOneCopy(c, signed);
    // The document that had arrived was found there and not sent again.
    const delivered = (await admin.get<AuditPage>('/api/audit?action=delivery.delivered&limit=1000')).events.filter((e) => e.details.reportId === signed.id);
    expect(delivered.map((e) => e.details.sentThisAttempt).sort()).toEqual([false, true]);
    expect(theProxy.forwardedPosts, 'STOW posts the proxy let through after the restart').toHaveLength(1);
  });

  it('7. a signed report cannot be changed in the database itself', async () => {
    const c = caseOf('retry');
    const signed = await reportOf(c);
    expect(signed.status).toBe('signed');
    await running(hub, 'the hub').stop();
    const db = await PGlite.create(path.join(running(dataDir, 'the data directory'), 'db'));
    try {
      const attempt = db.query(`update reports set content = $1 where status = 'signed'`, [JSON.stringify({ indication: 'x', technique: 'x', findings: 'x', conclusion: 'changé' })]);
      await expect(attempt).rejects.toThrow(/signed report cannot be changed/);
      await expect(attempt).rejects.toThrow(new RegExp(`report (${(await db.query<{ id: string }>(`select id from reports where status = 'signed'`)).rows.map((r) => r.id).join('|')})`));
      const deletion = db.query(`delete from reports where id = $1`, [signed.id]);
      await expect(deletion).rejects.toThrow(/signed report cannot be changed or deleted/);
      const stored = await db.query<{ content: { conclusion: string } }>(`select content from reports where id = $1`, [signed.id]);
      expect(stored.rows[0]?.content.conclusion).toBe(signed.content.conclusion);
    } finally {
      await db.close();
    }
  });
});
