/**
 * Reporting end to end (issue 6), in Chromium against the hub as `npm start`
 * runs it: the on-call reader writes the report of the demo head CT beside
 * the images, signs it with her password, and the signed SR and Encapsulated
 * PDF arrive in the requesting site's own PACS (a second Orthanc, reached by
 * DICOMweb STOW-RS); then an addendum, then two tabs on one draft.
 *
 * The organisation is the demo one with CH Démo Nord's delivery endpoint
 * pointed at the site Orthanc (PUT /api/admin/organisation). The steps run in
 * order and build on each other.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEvent, AuditPage } from '../../core/api/audit.js';
import type { ReportView } from '../../core/api/reports.js';
import type { TeleFileSummary } from '../../core/api/teleFiles.js';
import { generateDemoStudies, type DemoStudySummary } from '../../hub/demo/demoStudies.js';
import { launchChromium, type LaunchedChromium } from '../harness/browser.js';
import { cleanUpAll } from '../harness/cleanup.js';
import { dciodvfy } from '../harness/dciodvfy.js';
import { startHubProcess, type HubProcess } from '../harness/hub.js';
import { startOrthanc, type OrthancServer } from '../harness/orthanc.js';
import { runCommand } from '../harness/processes.js';
import { makeTempDir, removeTempDir } from '../harness/tempDir.js';
import { waitFor } from '../harness/waitFor.js';
import { signInWithPassword } from './liveWorklistSupport.js';
import {
  Api,
  CLINICAL_REQUEST,
  ENCAPSULATED_PDF,
  SR_CLASSES,
  dicomWebEndpoint,
  downloadInstance,
  encapsulatedDocument,
  predecessorSopInstanceUids,
  reportsOf,
  setSiteDelivery,
  siteInstances,
  storeAndAwaitTeleFile,
  submitClinicalRequest,
  type SiteInstance,
} from './reporting/reportingSupport.js';
import { running } from '../harness/running.js';

const root = path.resolve(import.meta.dirname, '../..');
const SCREENSHOT_DIR = path.join(root, '.tmp/e2e');

const UI_TIMEOUT_MS = 15_000;
/** Signing → both documents verified at the site: the outbox wakes 250 ms after the commit; a loaded machine gets a wide margin. */
const DELIVERY_TIMEOUT_MS = 30_000;
/** The panel reads the delivery state again every 15 s while it moves. */
const PANEL_DELIVERY_TIMEOUT_MS = 40_000;

const NORD_AET = 'DEMO_NORD';
const SITE_NORD_ID = 'ch-demo-nord';
const SITE_NORD_NAME = 'CH Démo Nord (fictif)';
const READER = 'dr.lefebvre';

const FINDINGS = 'Hématome sous-dural aigu fronto-pariétal gauche de 8 mm, effet de masse modéré.';
const CONCLUSION = 'Hématome sous-dural aigu gauche sans engagement. Avis neurochirurgical.';
const CRITICAL_TO = 'Dr Martin, SAU CH Démo Nord';
const ADDENDUM = 'Addendum : pas de fracture de la voûte associée.';

let pivot: OrthancServer | undefined;
let site: OrthancServer | undefined;
let hub: HubProcess | undefined;
let browser: LaunchedChromium | undefined;
let demoDir: string | undefined;
let workDir: string | undefined;
let headCt: DemoStudySummary | undefined;
let admin: Api;
let teleFileId = '';
let teleFile: TeleFileSummary;
let readerPassword = '';
let report: ReportView;
let firstSr: SiteInstance;
const timings: Record<string, number | string> = {};
/** Every draft save the pages made: "status method path +ms since the test file started". */
const draftSaves: string[] = [];
const fileStarted = Date.now();

function page(): Page {
  return running(browser, 'Chromium').page;
}

function viewerUrl(): string {
  return `${running(hub, 'the hub').url}/#/tele-files/${teleFileId}/viewer`;
}

async function auditEvents(): Promise<AuditEvent[]> {
  return (await admin.get<AuditPage>('/api/audit?limit=1000')).events;
}

/** Paris wall-clock time (what a datetime-local input in the panel means) and its instant, to the minute. */
function parisMinute(at: Date): { local: string; iso: string } {
  const minute = new Date(Math.floor(at.getTime() / 60_000) * 60_000);
  const parts = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(minute);
  return { local: parts.replace(' ', 'T'), iso: minute.toISOString() };
}

async function sectionValues(p: Page): Promise<Record<string, string>> {
  const values: Record<string, string> = {};
  for (const section of ['indication', 'technique', 'findings', 'conclusion']) values[section] = await p.getByTestId(`report-section-${section}`).inputValue();
  return values;
}

/** Types like a person: into the field, after clearing what a template put there. */
async function typeInto(p: Page, testId: string, text: string): Promise<void> {
  const field = p.getByTestId(testId);
  await field.click();
  await field.press('Control+A');
  await field.press('Backspace');
  await field.pressSequentially(text);
}

async function waitSaved(p: Page, what: string): Promise<void> {
  const state = p.getByTestId('report-save-state');
  await waitFor(async () => (await state.getAttribute('data-state')) === 'saved' && !(await state.textContent())?.includes('non modifié'), { what, timeoutMs: UI_TIMEOUT_MS, intervalMs: 100 });
}

/** The site's documents of this study, once `count` are there (waits), by kind. */
async function documentsAtSite(count: number): Promise<SiteInstance[]> {
  const study = running(headCt, 'the head CT');
  return waitFor(async () => {
    const found = await siteInstances(running(site, 'the site Orthanc'), study.studyInstanceUid);
    return found.length >= count ? found : null;
  }, { what: `${count} documents of the head CT's study in the site Orthanc`, timeoutMs: DELIVERY_TIMEOUT_MS, intervalMs: 250 });
}

beforeAll(async () => {
  const started = Date.now();
  demoDir = await makeTempDir('reporting-demo');
  workDir = await makeTempDir('reporting-files');
  const dir = demoDir;
  const servers = (async () => {
    [pivot, site] = await Promise.all([startOrthanc({ name: 'pivot', aet: 'PIVOT', stableAgeSeconds: 1 }), startOrthanc({ name: 'site-nord', aet: 'SITE_NORD' })]);
    hub = await startHubProcess({ env: { VIGIE_PACS_URL: pivot.dicomWebUrl, VIGIE_PACS_POLL: '300ms', VIGIE_SECOND_FACTOR_ROLES: '' } });
    timings['orthancs + hub start'] = Date.now() - started;
    if (hub.process.logTail().includes('Building the web client')) console.log('reporting: the hub rebuilt the web client first (dist/web was older than its sources)');
  })();
  const studies = (async () => {
    const all = await generateDemoStudies({ folder: dir });
    headCt = all.find((s) => s.modality === 'CT' && s.lesion !== undefined);
    if (!headCt) throw new Error('no head CT among the demo studies');
  })();
  const chromium = (async () => {
    browser = await launchChromium({ locale: 'fr-FR', timezoneId: 'Europe/Paris', viewport: { width: 1500, height: 1000 } });
    browser.context.setDefaultTimeout(UI_TIMEOUT_MS);
    browser.context.setDefaultNavigationTimeout(UI_TIMEOUT_MS);
    browser.context.on('request', (request) => {
      const url = new URL(request.url());
      if (/\/draft$/.test(url.pathname)) draftSaves.push(`sent ${request.method()} +${Date.now() - fileStarted}ms`);
    });
    browser.context.on('response', (response) => {
      const url = new URL(response.url());
      if (/\/draft$/.test(url.pathname)) draftSaves.push(`${response.status()} ${response.request().method()} ${url.pathname} +${Date.now() - fileStarted}ms`);
    });
  })();
  const results = await Promise.allSettled([servers, studies, chromium, mkdir(SCREENSHOT_DIR, { recursive: true })]);
  timings['before all'] = Date.now() - started;
  for (const result of results) if (result.status === 'rejected') throw result.reason;
});

afterAll(async () => {
  console.log(`reporting timings (ms): ${JSON.stringify(timings)}`);
  await cleanUpAll([
    () => browser?.close(),
    () => hub?.dispose(),
    () => pivot?.stop(),
    () => site?.stop(),
    () => (demoDir ? removeTempDir(demoDir) : undefined),
    () => (workDir ? removeTempDir(workDir) : undefined),
  ]);
});

describe('reporting in Chromium, delivered to the requesting site’s Orthanc by DICOMweb', () => {
  it('set-up: CH Démo Nord delivers to its Orthanc; the head CT arrives, has a clinical request, and dr.lefebvre claims it', async () => {
    const started = Date.now();
    const theHub = running(hub, 'the hub');
    admin = await Api.signIn(theHub, 'admin');
    const organisation = await setSiteDelivery(admin, SITE_NORD_ID, dicomWebEndpoint(running(site, 'the site Orthanc')));
    expect(organisation.sites.find((s) => s.id === SITE_NORD_ID)).toMatchObject({ delivery: { kind: 'dicomweb' } });
    teleFileId = await storeAndAwaitTeleFile(running(pivot, 'the pivot'), admin, running(headCt, 'the head CT'), NORD_AET);
    timings['storescu → tele-file'] = Date.now() - started;
    await submitClinicalRequest(await Api.signIn(theHub, 'urg.nord'), teleFileId);
    const reader = await Api.signIn(theHub, READER);
    readerPassword = (await theHub.account(READER)).password;
    await reader.ok('POST', `/api/tele-files/${teleFileId}/claim`);
    teleFile = await reader.get<TeleFileSummary>(`/api/tele-files/${teleFileId}`);
    expect(teleFile).toMatchObject({ status: 'claimed', requestingSite: { id: SITE_NORD_ID }, clinicalQuestion: CLINICAL_REQUEST.question });
  });

  it('1. writes the report beside the images, finds it again after a reload, signs it; the SR and the PDF arrive at the site, valid', async () => {
    const theHub = running(hub, 'the hub');
    const study = running(headCt, 'the head CT');
    const p = page();
    let started = Date.now();
    await p.goto(theHub.url);
    await signInWithPassword(p, READER, readerPassword);
    await p.getByTestId('worklist').waitFor({ state: 'visible' });
    await p.goto(viewerUrl());
    await p.getByTestId('report-panel').waitFor({ state: 'visible' });
    const indication = p.getByTestId('report-section-indication');
    await indication.waitFor({ state: 'visible' });
    timings['viewer → report panel'] = Date.now() - started;
    // Prefilled from the clinical request.
    const prefilled = await indication.inputValue();
    expect(prefilled, 'the indication is prefilled from the clinical request (its question)').toContain(CLINICAL_REQUEST.question);
    expect.soft(prefilled, 'the indication also carries the request’s clinical context').toContain(CLINICAL_REQUEST.indication);

    // The head-CT trauma template, then findings and conclusion typed by hand.
    const select = p.getByTestId('report-template-select');
    await select.selectOption('head-ct-trauma');
    expect(await select.inputValue()).toBe('head-ct-trauma');
    expect((await p.getByTestId('report-section-technique').inputValue()).trim(), 'the template fills the technique').not.toBe('');
    draftSaves.push(`template picked +${Date.now() - fileStarted}ms`);
    await typeInto(p, 'report-section-findings', FINDINGS);
    await typeInto(p, 'report-section-conclusion', CONCLUSION);

    // A critical finding: whom, how, when (Paris time).
    await p.getByTestId('report-critical-flag').check();
    await typeInto(p, 'report-critical-to', CRITICAL_TO);
    await p.getByTestId('report-critical-means').selectOption('phone');
    const told = parisMinute(new Date(Date.now() - 5 * 60_000));
    await p.getByTestId('report-critical-at').fill(told.local);
    started = Date.now();
    draftSaves.push(`typing done +${Date.now() - fileStarted}ms`);
    await p.getByTestId('report-section-conclusion').click();
    await waitSaved(p, 'the save state "saved" after typing');
    timings['last keystroke → saved'] = Date.now() - started;
    const typed = await sectionValues(p);
    timings['draft saves up to "saved"'] = draftSaves.join(' | ');
    expect(draftSaves.filter((line) => /^\d{3} /.test(line) && !line.startsWith('200 ')), 'draft saves that failed').toEqual([]);
    expect(typed).toMatchObject({ findings: FINDINGS, conclusion: CONCLUSION });

    const reader = await Api.signIn(theHub, READER);
    const [draft] = await reportsOf(reader, teleFileId);
    expect(draft).toMatchObject({ kind: 'report', status: 'draft', templateId: 'head-ct-trauma', content: typed, critical: { flagged: true, communication: { to: CRITICAL_TO, means: 'phone', at: told.iso } } });

    // A reload brings the same draft back.
    await p.reload();
    await p.getByTestId('report-section-indication').waitFor({ state: 'visible' });
    expect(await sectionValues(p), 'the sections after a reload').toEqual(typed);
    expect(await p.getByTestId('report-critical-flag').isChecked()).toBe(true);
    expect(await p.getByTestId('report-critical-to').inputValue()).toBe(CRITICAL_TO);
    expect(await p.getByTestId('report-critical-means').inputValue()).toBe('phone');
    expect(await p.getByTestId('report-critical-at').inputValue()).toBe(told.local);
    expect(await p.getByTestId('report-template-select').inputValue()).toBe('head-ct-trauma');

    // Sign: the dialog shows the patient and the site; a wrong password signs nothing.
    await p.getByTestId('report-sign').click();
    const dialog = p.getByTestId('sign-dialog');
    await dialog.waitFor({ state: 'visible' });
    const family = (teleFile.patient.name.split('^')[0] ?? '').trim();
    expect(family).not.toBe('');
    expect((await dialog.getByTestId('sign-patient-name').textContent())?.toUpperCase()).toContain(family.toUpperCase());
    expect(await dialog.getByTestId('sign-patient-id').textContent()).toContain(teleFile.patient.patientId);
    expect(await dialog.getByTestId('sign-site').textContent()).toBe(SITE_NORD_NAME);
    expect(await dialog.getByTestId('sign-missing').count(), 'nothing missing').toBe(0);
    await dialog.getByTestId('sign-password').fill('not-her-password-1234');
    await dialog.getByTestId('sign-confirm').click();
    const refusal = dialog.getByRole('alert');
    await refusal.waitFor({ state: 'visible' });
    const refusalText = (await refusal.textContent()) ?? '';
    expect(refusalText, 'the wrong-password message').toMatch(/mot de passe/i);
    await p.screenshot({ path: path.join(SCREENSHOT_DIR, 'reporting-wrong-password.png') });
    const [stillDraft] = await reportsOf(reader, teleFileId);
    expect(stillDraft?.status, 'after a wrong password').toBe('draft');
    expect(stillDraft?.documents).toBeNull();
    expect(await p.getByTestId('report-signed').count()).toBe(0);

    await dialog.getByTestId('sign-password').fill(readerPassword);
    started = Date.now();
    await dialog.getByTestId('sign-confirm').click();
    await p.getByTestId('report-signed').waitFor({ state: 'visible' });
    timings['sign click → signed'] = Date.now() - started;
    expect(await p.getByTestId('report-signed').textContent()).toContain(CONCLUSION);

    const [signed] = await reportsOf(reader, teleFileId);
    report = running(signed, 'the signed report');
    expect(report.status).toBe('signed');
    const documents = running(report.documents ?? undefined, 'the signed documents');

    // Exactly one SR and one PDF in the study of the images, at the site.
    const atSite = await documentsAtSite(2);
    timings['signed → 2 documents at the site'] = Date.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const settled = await siteInstances(running(site, 'the site Orthanc'), study.studyInstanceUid);
    expect(settled.length, 'documents at the site a second later').toBe(atSite.length);
    const srs = settled.filter((i) => SR_CLASSES.has(i.sopClassUid));
    const pdfs = settled.filter((i) => i.sopClassUid === ENCAPSULATED_PDF);
    expect(srs.map((i) => i.sopInstanceUid)).toEqual([documents.srSopInstanceUid]);
    expect(pdfs.map((i) => i.sopInstanceUid)).toEqual([documents.pdfSopInstanceUid]);
    expect(settled).toHaveLength(2);
    for (const instance of settled) expect(instance.patientId, `PatientID of ${instance.sopClassUid}`).toBe(study.patientId);
    firstSr = srs[0] as SiteInstance;

    // Valid DICOM (dciodvfy), and the PDF says the conclusion and the patient's name.
    const dir = running(workDir, 'the work dir');
    const srFile = path.join(dir, 'report-sr.dcm');
    const pdfFile = path.join(dir, 'report-pdf.dcm');
    await downloadInstance(running(site, 'the site Orthanc'), firstSr.orthancId, srFile);
    const pdfDicom = await downloadInstance(running(site, 'the site Orthanc'), (pdfs[0] as SiteInstance).orthancId, pdfFile);
    for (const file of [srFile, pdfFile]) {
      const verdict = await dciodvfy(file);
      expect(verdict.errors, `dciodvfy errors in ${path.basename(file)} (${verdict.iod ?? '?'})`).toEqual([]);
    }
    const pdfPath = path.join(dir, 'report.pdf');
    await writeFile(pdfPath, encapsulatedDocument(pdfDicom));
    const text = (await runCommand('pdftotext', ['-enc', 'UTF-8', pdfPath, '-'], { name: 'pdftotext' })).stdout.replace(/\s+/g, ' ');
    expect(text, 'the PDF’s text').toContain(CONCLUSION.replace(/\s+/g, ' '));
    expect(text.toUpperCase(), 'the PDF names the patient').toContain(family.toUpperCase());

    // The panel says delivered.
    const state = p.getByTestId('report-delivery-state');
    await waitFor(async () => (await state.getAttribute('data-state')) === 'delivered', { what: 'report-delivery-state "delivered"', timeoutMs: PANEL_DELIVERY_TIMEOUT_MS, intervalMs: 250 });
    timings['signed → panel says delivered'] = Date.now() - started;
    await p.screenshot({ path: path.join(SCREENSHOT_DIR, 'reporting-signed-delivered.png') });

    // The audit trail.
    const events = await auditEvents();
    const concerns = (e: AuditEvent) =>
      e.targetId === report.id || e.targetId === teleFileId || e.details.reportId === report.id || e.details.teleFileId === teleFileId || e.targetId === study.studyInstanceUid;
    const actions = new Set(events.filter(concerns).map((e) => e.action));
    for (const action of ['report.draft-created', 'report.signed', 'delivery.sent', 'delivery.delivered', 'study.accessed'] as const) expect(actions.has(action), `audit ${action} for this report/tele-file (have ${[...actions].join(', ')})`).toBe(true);
    const delivered = events.filter((e) => e.action === 'delivery.delivered' && e.details.reportId === report.id);
    expect(delivered.map((e) => e.details.kind).sort()).toEqual(['pdf', 'sr']);
  });

  it('2. an addendum: a second SR referencing the first (Predecessor Documents Sequence), and a second PDF', async () => {
    const p = page();
    const started = Date.now();
    await p.getByTestId('report-add-addendum').click();
    const editor = p.getByTestId('addendum-editor');
    await editor.waitFor({ state: 'visible' });
    await editor.getByTestId('report-section-conclusion').click();
    await editor.getByTestId('report-section-conclusion').pressSequentially(ADDENDUM);
    await editor.getByTestId('report-section-findings').click();
    const saveState = editor.getByTestId('report-save-state');
    await waitFor(async () => (await saveState.getAttribute('data-state')) === 'saved' && !(await saveState.textContent())?.includes('non modifié'), { what: 'the addendum saved', timeoutMs: UI_TIMEOUT_MS });
    await editor.getByTestId('report-sign').click();
    const dialog = p.getByTestId('sign-dialog');
    await dialog.waitFor({ state: 'visible' });
    await dialog.getByTestId('sign-password').fill(readerPassword);
    await dialog.getByTestId('sign-confirm').click();
    await p.getByTestId('report-addendum').waitFor({ state: 'visible' });
    timings['addendum: click → signed'] = Date.now() - started;

    const reader = await Api.signIn(running(hub, 'the hub'), READER);
    const addendum = (await reportsOf(reader, teleFileId)).find((r) => r.kind === 'addendum');
    expect(addendum).toMatchObject({ status: 'signed', predecessorId: report.id });
    const documents = running(addendum?.documents ?? undefined, 'the addendum’s documents');

    const atSite = await documentsAtSite(4);
    timings['addendum signed → at the site'] = Date.now() - started;
    const srs = atSite.filter((i) => SR_CLASSES.has(i.sopClassUid));
    const pdfs = atSite.filter((i) => i.sopClassUid === ENCAPSULATED_PDF);
    expect(srs.map((i) => i.sopInstanceUid).sort()).toEqual([firstSr.sopInstanceUid, documents.srSopInstanceUid].sort());
    expect(pdfs).toHaveLength(2);
    expect(pdfs.map((i) => i.sopInstanceUid)).toContain(documents.pdfSopInstanceUid);
    const second = srs.find((i) => i.sopInstanceUid === documents.srSopInstanceUid) as SiteInstance;
    const file = path.join(running(workDir, 'the work dir'), 'addendum-sr.dcm');
    const bytes = await downloadInstance(running(site, 'the site Orthanc'), second.orthancId, file);
    expect(predecessorSopInstanceUids(bytes), 'the addendum SR’s (0040,A360) Predecessor Documents Sequence').toEqual([firstSr.sopInstanceUid]);
    const verdict = await dciodvfy(file);
    expect(verdict.errors, 'dciodvfy errors in the addendum SR').toEqual([]);
    const state = p.getByTestId('addendum-delivery-state');
    await waitFor(async () => (await state.getAttribute('data-state')) === 'delivered', { what: 'addendum-delivery-state "delivered"', timeoutMs: PANEL_DELIVERY_TIMEOUT_MS, intervalMs: 250 });
  });

  it('3. two tabs on one draft: the second save is a visible conflict, never a silent overwrite', async () => {
    const theHub = running(hub, 'the hub');
    const chromium = running(browser, 'Chromium');
    const reader = await Api.signIn(theHub, READER);
    // A second addendum draft, opened in two tabs of the same browser.
    const p1 = page();
    await p1.getByTestId('report-add-addendum').click();
    const editor1 = p1.getByTestId('addendum-editor');
    await editor1.waitFor({ state: 'visible' });
    const p2 = await chromium.context.newPage();
    try {
      await p2.goto(viewerUrl());
      const editor2 = p2.getByTestId('addendum-editor');
      await editor2.waitFor({ state: 'visible' });

      const draftOf = async () => (await reportsOf(reader, teleFileId)).find((r) => r.kind === 'addendum' && r.status === 'draft');
      await editor1.getByTestId('report-section-findings').click();
      await editor1.getByTestId('report-section-findings').pressSequentially('Onglet un.');
      await editor1.getByTestId('report-section-conclusion').click();
      await waitFor(async () => (await draftOf())?.content.findings === 'Onglet un.', { what: 'tab 1’s save on the hub', timeoutMs: UI_TIMEOUT_MS });

      await editor2.getByTestId('report-section-findings').click();
      await editor2.getByTestId('report-section-findings').pressSequentially('Onglet deux.');
      await editor2.getByTestId('report-section-conclusion').click();
      await p2.getByTestId('report-conflict').waitFor({ state: 'visible' });
      expect(await editor2.getByTestId('report-save-state').getAttribute('data-state')).toBe('conflict');
      await p2.screenshot({ path: path.join(SCREENSHOT_DIR, 'reporting-conflict.png') });
      // Tab 1's text stands on the hub.
      const draft = await draftOf();
      expect(draft?.content.findings, 'the hub’s draft after tab 2’s save').toBe('Onglet un.');
    } finally {
      await p2.close();
    }
  });
});
