/**
 * The live worklist end to end: a study stored into a real pivot Orthanc by a
 * requesting site reaches the on-call readers' open worklists in Chromium
 * without a reload; one reader claims it and the other sees it taken; a
 * radiologist who is not on call never sees it, and its address answers 403
 * with an audit row.
 *
 * The hub runs as `npm start` runs it (build/start.mjs, the production web
 * client) on the demo organisation: DEMO_SUD → pool-demo, where dr.lefebvre and
 * dr.moreau are on call. With VIGIE_PACS_URL set the hub reads Orthanc's change
 * feed and generates no demo studies of its own, so the worklists start empty.
 * The steps run in order and build on each other.
 */
import { cleanUpAll } from '../harness/cleanup.js';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdminUser } from '../../core/api/adminUsers.js';
import type { AuditPage } from '../../core/api/audit.js';
import type { TeleFileChange, TeleFileSummary, TeleFileWorklist } from '../../core/api/teleFiles.js';
import { generateDemoStudies, type DemoStudySummary } from '../../hub/demo/demoStudies.js';
import { launchChromium, type LaunchedChromium } from '../harness/browser.js';
import { startHubProcess, type HubProcess } from '../harness/hub.js';
import { startOrthanc, storeWithStorescu, type OrthancServer } from '../harness/orthanc.js';
import { makeTempDir, removeTempDir } from '../harness/tempDir.js';
import { waitFor } from '../harness/waitFor.js';
import { dcmFiles } from '../hub/pacs/pacsTestSupport.js';
import { HubSession, openWorklistStream, signInWithPassword, watchPage, type EventStream, type PageWatch } from './liveWorklistSupport.js';
import { running } from '../harness/running.js';

const root = path.resolve(import.meta.dirname, '../..');
/** Screenshots for a person to look at; .tmp/ is git-ignored. */
const SCREENSHOT_DIR = path.join(root, '.tmp/e2e');

/** From storescu's return to the row on screen: StableAge 1 s + a 300 ms PACS poll + the 250 ms live feed, with a wide margin for a loaded 2-core machine. */
const ARRIVAL_TIMEOUT_MS = 20_000;
/** A claim and its live echo on the other page. */
const LIVE_TIMEOUT_MS = 10_000;
/** Any one Playwright action (click, fill) or UI wait. */
const UI_TIMEOUT_MS = 15_000;

const SITE_SUD = 'CH Démo Sud (fictif)';
const LEFEBVRE_NAME = 'Dr Claire Lefebvre (démo)';
/** A radiologist created by the admin for this test and put on no roster: not on call for any pool. */
const OFF_CALL = { username: 'dr.horsgarde', displayName: 'Dr Hugo Horsgarde (test)', password: 'pas-de-garde-ce-soir-42' };

interface Reader {
  username: string;
  browser: LaunchedChromium;
  page: Page;
  watch: PageWatch;
  /** Main-frame navigations and loads once the worklist showed: any later one would be a reload. */
  navigationsAtStart: number;
  loadsAtStart: number;
  worklistFetchesAtStart: number;
  /** Console errors and failed requests before sign-in (the anonymous session check's 401). */
  consoleErrorsAtStart: number;
  failedResponsesAtStart: number;
}

let orthanc: OrthancServer | undefined;
let hub: HubProcess | undefined;
let demoDir: string | undefined;
let chest: DemoStudySummary | undefined;
const browsers: LaunchedChromium[] = [];
const readers = new Map<string, Reader>();
const streams: EventStream[] = [];
let admin: HubSession;
let offCall: HubSession;
let offCallStream: EventStream;
let adminStream: EventStream;
/** The chest radiograph's tele-file, once it has arrived. */
let teleFileId = '';
const timings: Record<string, number> = {};

function reader(username: string): Reader {
  const found = readers.get(username);
  if (!found) throw new Error(`${username} has no page`);
  return found;
}

/** The row of the chest radiograph's tele-file on a page. */
function rowOf(page: Page): Locator {
  return page.locator(`[data-testid="worklist-row"][data-tele-file-id="${teleFileId}"]`);
}

/** A marker in the page's JavaScript world: a reload would wipe it. */
const MARKER = '__vigieLiveWorklistMarker';

async function expectNoReload(r: Reader): Promise<void> {
  expect(r.watch.navigations(), `${r.username}: main-frame navigations since the worklist showed`).toBe(r.navigationsAtStart);
  expect(r.watch.loads(), `${r.username}: page loads since the worklist showed`).toBe(r.loadsAtStart);
  expect(await r.page.evaluate((key) => Reflect.get(window, key) as unknown, MARKER), `${r.username}: the marker set after sign-in is still there`).toBe(r.username);
}

function teleFileChanges(stream: EventStream): TeleFileChange[] {
  return stream.events.filter((e) => e.event === 'tele-file').map((e) => JSON.parse(e.data) as TeleFileChange);
}

function mentions(change: TeleFileChange, id: string): boolean {
  return change.kind === 'remove' ? change.id === id : change.teleFile.id === id;
}

beforeAll(async () => {
  const started = Date.now();
  demoDir = await makeTempDir('live-worklist-demo');
  const dir = demoDir;
  const servers = (async () => {
    orthanc = await startOrthanc({ name: 'pivot', aet: 'PIVOT', stableAgeSeconds: 1 });
    hub = await startHubProcess({
      env: { VIGIE_PACS_URL: orthanc.dicomWebUrl, VIGIE_PACS_POLL: '300ms', VIGIE_SECOND_FACTOR_ROLES: '' },
    });
    timings['orthanc + hub start'] = Date.now() - started;
    if (hub.process.logTail().includes('Building the web client')) console.log('liveWorklist: the hub rebuilt the web client first (dist/web was older than its sources)');
  })();
  const studies = (async () => {
    const all = await generateDemoStudies({ folder: dir, seed: 7 });
    chest = all.find((s) => /THORAX/.test(s.description));
    if (!chest) throw new Error(`no chest radiograph among the demo studies: ${all.map((s) => s.description).join(', ')}`);
  })();
  const chromiums = ['dr.lefebvre', 'dr.moreau'].map(async (username) => {
    const browser = await launchChromium({ locale: 'fr-FR', timezoneId: 'Europe/Paris' });
    browsers.push(browser);
    browser.context.setDefaultTimeout(UI_TIMEOUT_MS);
    browser.context.setDefaultNavigationTimeout(UI_TIMEOUT_MS);
    readers.set(username, { username, browser, page: browser.page, watch: watchPage(browser.page), navigationsAtStart: -1, loadsAtStart: -1, worklistFetchesAtStart: -1, consoleErrorsAtStart: -1, failedResponsesAtStart: -1 });
  });
  const results = await Promise.allSettled([servers, studies, ...chromiums]);
  timings['before all'] = Date.now() - started;
  for (const result of results) if (result.status === 'rejected') throw result.reason;
});

afterAll(async () => {
  for (const stream of streams) stream.close();
  console.log(`liveWorklist timings (ms): ${JSON.stringify(timings)}`);
  await cleanUpAll([
    ...browsers.map((browser) => () => browser.close()),
    () => hub?.dispose(),
    () => orthanc?.stop(),
    () => (demoDir ? removeTempDir(demoDir) : undefined),
  ]);
});

describe('live worklist in Chromium, from a study stored into the pivot Orthanc', () => {
  it('both on-call readers sign in and see an empty worklist, live', async () => {
    const started = Date.now();
    const theHub = running(hub, 'the hub');
    await Promise.all(
      [...readers.values()].map(async (r) => {
        const account = await theHub.account(r.username);
        await r.page.goto(theHub.url);
        await signInWithPassword(r.page, account.username, account.password);
        await r.page.getByTestId('worklist').waitFor({ state: 'visible' });
        expect(await r.page.getByRole('heading', { level: 1 }).textContent()).toBe('Liste de travail');
        const live = r.page.getByTestId('live-indicator');
        await expect.poll(() => live.getAttribute('data-state'), { timeout: UI_TIMEOUT_MS, message: `${r.username}: live indicator` }).toBe('live');
        expect(await live.textContent()).toBe('En direct');
        await r.page.getByTestId('worklist-table').waitFor({ state: 'visible' });
        // No demo studies with a real PACS: the list is empty, and says so.
        expect(await r.page.getByTestId('worklist-row').count(), `${r.username}: rows before anything was stored`).toBe(0);
        expect(await r.page.getByTestId('worklist-empty').textContent()).toContain('Aucun télé-dossier à lire');
        await r.page.evaluate(([key, value]) => Reflect.set(window, key, value), [MARKER, r.username] as const);
        r.navigationsAtStart = r.watch.navigations();
        r.loadsAtStart = r.watch.loads();
        r.worklistFetchesAtStart = r.watch.worklistFetches();
        r.consoleErrorsAtStart = r.browser.consoleErrors.length;
        // Before sign-in the client asks whether it has a session (once, sometimes twice): a 401, the only failure expected here.
        r.failedResponsesAtStart = r.watch.failedResponses.length;
        expect(new Set(r.watch.failedResponses), `${r.username}: failed requests up to the worklist`).toEqual(new Set(['401 GET /api/session']));
        expect(r.worklistFetchesAtStart, `${r.username}: the list was fetched`).toBeGreaterThanOrEqual(1);
      }),
    );
    // The server agrees: nothing on any list yet.
    const adminAccount = await theHub.account('admin');
    admin = await HubSession.signIn(theHub.url, adminAccount.username, adminAccount.password);
    expect((await admin.getJson<TeleFileWorklist>('/api/worklist')).items).toEqual([]);
    timings['sign-in of both readers'] = Date.now() - started;
  });

  it('an admin creates a radiologist who is on no roster; their live worklist is open before the study arrives', async () => {
    const theHub = running(hub, 'the hub');
    const created = await admin.request('POST', '/api/admin/users', { username: OFF_CALL.username, displayName: OFF_CALL.displayName, roles: ['radiologist'], password: OFF_CALL.password });
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    expect(created.json as AdminUser).toMatchObject({ username: OFF_CALL.username, roles: ['radiologist'], disabled: false });
    offCall = await HubSession.signIn(theHub.url, OFF_CALL.username, OFF_CALL.password);
    expect((await offCall.getJson<TeleFileWorklist>('/api/worklist')).items).toEqual([]);

    // What each one's live worklist is sent from now on; the admin's is the proof that the feed did send the change.
    offCallStream = openWorklistStream(offCall);
    adminStream = openWorklistStream(admin);
    streams.push(offCallStream, adminStream);
    await Promise.all([offCallStream.opened, adminStream.opened]);
  });

  it('a chest radiograph stored by CH Démo Sud appears on both on-call worklists without a reload or a click', async () => {
    const study = running(chest, 'the demo study set');
    const files = await dcmFiles(study.folder);
    expect(files).toHaveLength(1);
    await storeWithStorescu(running(orthanc, 'the pivot Orthanc'), files, { callingAet: 'DEMO_SUD' });
    const stored = Date.now();

    await Promise.all(
      [...readers.values()].map(async (r) => {
        const rows = r.page.getByTestId('worklist-row').filter({ hasText: SITE_SUD });
        await waitFor(async () => (await rows.count()) > 0, { what: `a ${SITE_SUD} row on ${r.username}'s worklist`, timeoutMs: ARRIVAL_TIMEOUT_MS, intervalMs: 100 });
        timings[`storescu → row on ${r.username}'s page`] = Date.now() - stored;
      }),
    );

    const lefebvre = reader('dr.lefebvre');
    teleFileId = (await lefebvre.page.getByTestId('worklist-row').first().getAttribute('data-tele-file-id')) ?? '';
    expect(teleFileId).toMatch(/^[0-9a-f-]{36}$/);
    // The hub's own record of the study: that tele-file, routed to the demo pool.
    const onServer = (await admin.getJson<TeleFileWorklist>('/api/worklist')).items.filter((f) => f.studyInstanceUid === study.studyInstanceUid);
    expect(onServer.map((f) => f.id)).toEqual([teleFileId]);
    expect(onServer[0]).toMatchObject({ status: 'routed', requestingSite: { id: 'ch-demo-sud', name: SITE_SUD }, target: { kind: 'pivot-group', id: 'pool-demo' }, modalities: ['DX'] });

    for (const r of readers.values()) {
      const rows = r.page.getByTestId('worklist-row');
      expect(await rows.count(), `${r.username}: rows`).toBe(1);
      const row = rowOf(r.page);
      expect(await row.getAttribute('data-status')).toBe('routed');
      expect(await row.getByTestId('status').textContent()).toBe('À lire');
      expect(await row.textContent()).toContain(SITE_SUD);
      expect(await row.locator('.exam__modality strong').textContent()).toBe('DX');
      expect(await row.getByTestId('claim').textContent()).toBe('Prendre');
      expect(await r.page.getByTestId('worklist-empty').count()).toBe(0);
      expect(await r.page.getByTestId('live-indicator').getAttribute('data-state')).toBe('live');
      await expectNoReload(r);
      // Brought by the live feed: the list itself was not fetched again.
      expect(r.watch.worklistFetches(), `${r.username}: GET /api/worklist since the worklist showed`).toBe(r.worklistFetchesAtStart);
    }
  });

  it('dr.lefebvre takes it with one click; dr.moreau sees, live, that she has it', async () => {
    const lefebvre = reader('dr.lefebvre');
    const moreau = reader('dr.moreau');
    const mine = rowOf(lefebvre.page);
    const clicked = Date.now();
    await mine.getByTestId('claim').click();
    await mine.getByTestId('claimed-by-me').waitFor({ state: 'visible' });
    timings['claim click → "Vous"'] = Date.now() - clicked;
    expect(await mine.getByTestId('claimed-by-me').textContent()).toBe('Vous');
    expect(await mine.getAttribute('data-status')).toBe('claimed');
    expect(await mine.getByTestId('status').textContent()).toBe('Pris');
    expect(await mine.getByTestId('release').textContent()).toBe('Rendre');
    expect(await mine.getByTestId('claim').count()).toBe(0);

    // dr.moreau's default view ("Tous") shows, live, that a colleague has it.
    const theirs = rowOf(moreau.page);
    await waitFor(async () => (await theirs.getAttribute('data-status')) === 'claimed', { what: 'the taken file to show as taken on dr.moreau’s page', timeoutMs: LIVE_TIMEOUT_MS, intervalMs: 50 });
    timings['claim click → shown taken to the other reader'] = Date.now() - clicked;
    expect(await moreau.page.getByRole('radio', { name: 'Tous' }).isChecked()).toBe(true);
    expect(await theirs.getByTestId('taken-by').textContent()).toBe(`Pris par ${LEFEBVRE_NAME}`);
    expect(await theirs.getByTestId('claim').count()).toBe(0);
    expect(await theirs.getByTestId('claimed-by-me').count()).toBe(0);
    expect(await theirs.getByTestId('release').count()).toBe(0);

    // "À lire" leaves out what colleagues took.
    await moreau.page.getByRole('radio', { name: 'À lire' }).check();
    await waitFor(async () => (await rowOf(moreau.page).count()) === 0, { what: 'the taken file to leave dr.moreau’s "À lire" view', timeoutMs: LIVE_TIMEOUT_MS, intervalMs: 50 });
    expect(await moreau.page.getByTestId('worklist-empty-filtered').textContent()).toContain('Aucun télé-dossier ne correspond à ces filtres.');
    await moreau.page.getByRole('radio', { name: 'Tous' }).check();

    for (const r of [lefebvre, moreau]) {
      await expectNoReload(r);
      expect(r.watch.worklistFetches(), `${r.username}: GET /api/worklist since the worklist showed`).toBe(r.worklistFetchesAtStart);
      expect(await r.page.getByTestId('live-indicator').getAttribute('data-state')).toBe('live');
    }

    // And the hub agrees.
    const onServer = await admin.getJson<TeleFileSummary>(`/api/tele-files/${teleFileId}`);
    expect(onServer).toMatchObject({ status: 'claimed', assignee: { username: 'dr.lefebvre', displayName: LEFEBVRE_NAME } });
  });

  it('a radiologist who is not on call never sees it, and its address answers 403 with an audit row', async () => {
    const list = await offCall.getJson<TeleFileWorklist>('/api/worklist');
    expect(list.items.map((f) => f.id)).not.toContain(teleFileId);
    expect(list.items).toEqual([]);

    // Nor did their live worklist ever carry it, while the admin's did (the feed ran).
    await waitFor(() => teleFileChanges(adminStream).some((c) => mentions(c, teleFileId) && c.kind === 'upsert' && c.teleFile.status === 'claimed'), {
      what: 'the claim on the admin’s live worklist',
      timeoutMs: LIVE_TIMEOUT_MS,
    });
    expect(teleFileChanges(offCallStream).filter((c) => mentions(c, teleFileId))).toEqual([]);
    expect(offCallStream.events.filter((e) => e.event !== 'tele-file')).toEqual([]);

    const direct = await offCall.request('GET', `/api/tele-files/${teleFileId}`);
    expect(direct.status).toBe(403);
    expect(direct.json).toMatchObject({ error: { code: 'forbidden', message: expect.stringContaining('not yours to see') } });
    const claim = await offCall.request('POST', `/api/tele-files/${teleFileId}/claim`);
    expect(claim.status).toBe(403);

    const audit = await admin.getJson<AuditPage>(`/api/audit?action=access.denied&actor=${OFF_CALL.username}`);
    const rows = audit.events.filter((e) => e.targetId === teleFileId);
    // One for the direct address, one for the claim attempt.
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(row).toMatchObject({ action: 'access.denied', outcome: 'failure', actorName: OFF_CALL.username, targetType: 'tele-file', ip: '127.0.0.1', details: { exists: true } });
    }
    // The readers on call were never refused.
    for (const username of ['dr.lefebvre', 'dr.moreau']) {
      expect((await admin.getJson<AuditPage>(`/api/audit?action=access.denied&actor=${username}`)).events).toEqual([]);
    }
  });

  it('the pages look right and had no errors once signed in', async () => {
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    for (const r of readers.values()) {
      await r.page.screenshot({ path: path.join(SCREENSHOT_DIR, `liveWorklist-${r.username}.png`), fullPage: true });
      expect(r.browser.pageErrors, `${r.username}: uncaught errors`).toEqual([]);
      expect(r.watch.failedResponses.slice(r.failedResponsesAtStart), `${r.username}: failed requests after the worklist showed`).toEqual([]);
      expect(r.browser.consoleErrors.slice(r.consoleErrorsAtStart), `${r.username}: console errors after the worklist showed`).toEqual([]);
    }
  });
});
