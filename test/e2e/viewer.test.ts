/**
 * The viewer end to end (issue 5), in Chromium with real parts: the demo head
 * CT and its prior, stored into a real pivot Orthanc by CH Démo Nord, read by
 * dr.lefebvre (on call for the demo pool) through the hub started as
 * `npm start` starts it.
 *
 * What the screen shows is compared with values computed here from the DICOM
 * files themselves (viewer/dicomReference.ts, dicom-parser, the DICOM LINEAR
 * VOI function written from the standard), never with viewer code:
 * - the loaded image's values equal the file's stored × slope + intercept;
 * - on-screen greys equal the VOI of the file's values at sample points.
 *   The demo CT has ±4 HU of noise on soft tissue, so the only strictly
 *   uniform 3×3 regions are saturated (air, bone); mid-grey points are chosen
 *   where their 3×3 neighbourhood spans the fewest greys and the screen must
 *   lie within the greys of those neighbours ± 2 (linear interpolation is a
 *   convex combination of neighbours and the VOI is monotonic; ± 2 for GPU vs
 *   CPU rendering, PITFALLS).
 * The steps run in order and build on each other.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEvent, AuditPage } from '../../core/api/audit.js';
import type { TeleFilePriors } from '../../core/api/priors.js';
import type { TeleFileWorklist } from '../../core/api/teleFiles.js';
import { generateDemoStudies, type DemoStudySummary } from '../../hub/demo/demoStudies.js';
import type { ProbeImage, ProbeStatus, ViewerProbe } from '../../renderer/viewer/cornerstone/viewerProbe.js';
import { WINDOW_PRESETS } from '../../renderer/viewer/windowPresets.js';
import { launchChromium, type LaunchedChromium } from '../harness/browser.js';
import { cleanUpAll } from '../harness/cleanup.js';
import { startHubProcess, type HubProcess } from '../harness/hub.js';
import { startOrthanc, storeWithStorescu, type OrthancServer } from '../harness/orthanc.js';
import { makeTempDir, removeTempDir } from '../harness/tempDir.js';
import { waitFor } from '../harness/waitFor.js';
import { dcmFiles } from '../hub/pacs/pacsTestSupport.js';
import { startTrace, stopTrace } from './viewer/pageTrace.js';
import { HubSession, signInWithPassword, watchPage, type PageWatch } from './liveWorklistSupport.js';
import {
  checkGrey,
  greyInterval,
  linearVoiGrey,
  neighbourValues,
  pixelOf,
  readSeries,
  samplePoints,
  valueAt,
  type SamplePoint,
  type Slice,
  type Window,
} from './viewer/dicomReference.js';
import { running } from '../harness/running.js';

const root = path.resolve(import.meta.dirname, '../..');
/** Screenshots for a person to look at; .tmp/ is git-ignored. */
const SCREENSHOT_DIR = path.join(root, '.tmp/e2e');

/** From storescu's return to the tele-file: StableAge 1 s + 300 ms PACS poll + ingest, wide margin for 2 cores. */
const ARRIVAL_TIMEOUT_MS = 30_000;
/** Any one Playwright action or UI wait. */
const UI_TIMEOUT_MS = 15_000;
/** First image on screen (Cornerstone start, metadata, first frame) on a loaded 2-core machine. */
const IMAGE_TIMEOUT_MS = 30_000;
/** A whole 64-slice volume streamed in for MPR. */
const VOLUME_TIMEOUT_MS = 45_000;
/** GPU vs CPU rendering differ by 1–2 grey levels (PITFALLS). */
const GREY_TOLERANCE = 2;

/** The demo site whose studies the head CT's patient belongs to: its AE title routes to pool-demo. */
const NORD_AET = 'DEMO_NORD';
const READER = 'dr.lefebvre';
/** A radiologist created by the admin for this test and put on no roster. */
const OFF_ROSTER = { username: 'dr.sansgarde', displayName: 'Dr Sam Sansgarde (test)', password: 'aucune-garde-ce-soir-42' };
const FORBIDDEN_TEXT = 'Cet examen ne fait partie d’aucun télé-dossier qui vous est attribué';

let orthanc: OrthancServer | undefined;
let hub: HubProcess | undefined;
let demoDir: string | undefined;
let browser: LaunchedChromium | undefined;
let watch: PageWatch;
let headCt: DemoStudySummary;
let prior: DemoStudySummary;
/** Reading order (vertex first), as read from the files. */
let slices: Slice[] = [];
let priorSlices: Slice[] = [];
let admin: HubSession;
let teleFileId = '';
let consoleErrorsAtSignIn = 0;
let failedResponsesAtSignIn = 0;
const timings: Record<string, number> = {};

function page(): Page {
  return running(browser, 'Chromium').page;
}

type ProbeWindow = { vigieViewer?: ViewerProbe };

async function status(): Promise<ProbeStatus | null> {
  return page().evaluate(() => (window as unknown as ProbeWindow).vigieViewer?.status() ?? null);
}

async function cells(): Promise<ReturnType<ViewerProbe['cells']>> {
  return page().evaluate(() => (window as unknown as ProbeWindow).vigieViewer?.cells() ?? []);
}

async function displayedImage(): Promise<ProbeImage | null> {
  return page().evaluate(() => (window as unknown as ProbeWindow).vigieViewer?.displayedImage() ?? null);
}

async function canvasPixels(points: ReadonlyArray<{ column: number; row: number }>): Promise<Array<[number, number, number, number] | null>> {
  return page().evaluate((list) => list.map((p) => (window as unknown as ProbeWindow).vigieViewer?.canvasPixel(p.column, p.row) ?? null), points.map(({ column, row }) => ({ column, row })));
}

async function canvasPixelsAtWorld(points: ReadonlyArray<readonly [number, number, number]>, cell: number): Promise<Array<[number, number, number, number] | null>> {
  return page().evaluate(
    ({ list, cell }) => list.map(([x, y, z]) => (window as unknown as ProbeWindow).vigieViewer?.canvasPixelAtWorld(x, y, z, cell) ?? null),
    { list: points.map((p) => [...p] as [number, number, number]), cell },
  );
}

/** The active cell shows image `index` of the head CT, drawn (IMAGE_RENDERED alone proves nothing: PITFALLS). */
async function waitForImage(index: number, what: string, timeoutMs = UI_TIMEOUT_MS): Promise<ProbeStatus> {
  let last: ProbeStatus | null = null;
  try {
    return await waitFor(
      async () => {
        last = await status();
        if (last?.state === 'error') throw new Error(`the viewer shows an error: ${last.message}`);
        return last?.state === 'shown' && last.imageIndex === index && last.sopInstanceUid === slices[index]?.sopInstanceUid ? last : null;
      },
      { what, timeoutMs, intervalMs: 100 },
    );
  } catch (error) {
    throw new Error(`${(error as Error).message}; last status(): ${JSON.stringify(last)}`, { cause: error });
  }
}

/** Steps to image `index` one key at a time, each step awaited (so that a failed fast scroll does not fail the steps after it too). */
async function stepToImage(index: number): Promise<void> {
  for (let guard = 0; guard < slices.length; guard++) {
    const at = (await status())?.imageIndex ?? 0;
    if (at === index) break;
    await page().keyboard.press(at < index ? 'ArrowDown' : 'ArrowUp');
    await waitFor(async () => (await status())?.imageIndex !== at, { what: `a step from image ${at + 1}`, timeoutMs: UI_TIMEOUT_MS, intervalMs: 25 });
  }
  await waitForImage(index, `image ${index + 1}, one step at a time`);
}

async function openViewerAndWait(open: () => Promise<void>, how: string): Promise<void> {
  const started = Date.now();
  await open();
  await page().waitForURL(`**/#/tele-files/${teleFileId}/viewer`);
  await waitForImage(0, `the head CT's first image on screen (${how})`, IMAGE_TIMEOUT_MS);
  timings[`open (${how}) → first image`] = Date.now() - started;
}

/** The displayed image's values equal the file's modality values, all of them. */
async function expectDisplayedSlice(slice: Slice, what: string): Promise<void> {
  const image = await displayedImage();
  expect(image, `${what}: displayedImage()`).not.toBeNull();
  const shown = image as ProbeImage;
  expect({ rows: shown.rows, columns: shown.columns, samplesPerPixel: shown.samplesPerPixel, photometric: shown.photometric, modalityValues: shown.modalityValues }, what).toEqual({
    rows: slice.rows,
    columns: slice.columns,
    samplesPerPixel: 1,
    photometric: 'MONOCHROME2',
    modalityValues: true,
  });
  expect(shown.values.length, `${what}: value count`).toBe(slice.values.length);
  const differing: string[] = [];
  for (let i = 0; i < slice.values.length && differing.length < 5; i++) {
    if (shown.values[i] !== slice.values[i]) differing.push(`(${i % slice.columns}, ${Math.floor(i / slice.columns)}): shown ${shown.values[i]}, file ${slice.values[i]}`);
  }
  expect(differing, `${what}: pixels whose value differs from the file (instance ${slice.instanceNumber})`).toEqual([]);
}

/** On-screen greys at the sample points under `window`, within the greys their neighbours allow ± GREY_TOLERANCE. */
async function expectScreenGreys(slice: Slice, points: readonly SamplePoint[], window: Window, what: string): Promise<void> {
  const seen = await canvasPixels(points);
  const failures = points.flatMap((p, i) => {
    const problem = checkGrey(seen[i] ?? null, greyInterval(neighbourValues(slice, p.column, p.row), window), GREY_TOLERANCE);
    return problem === null ? [] : [`(${p.column}, ${p.row}) ${p.label}: ${problem}`];
  });
  expect(failures, `${what}: sample points off their expected grey (window W${window.width} C${window.center})`).toEqual([]);
}

/**
 * On-screen greys of a slice with content, under the window the viewer says it shows (itself checked to be
 * the file's): uniform points at both ends of the grey scale (air, bone) and mid-grey points (brain).
 */
async function expectSliceOnScreen(slice: Slice, what: string): Promise<void> {
  const points = samplePoints(slice, [slice.window], { uniform: 12, flat: 12 });
  expect(points.flat.length, `${what}: mid-grey sample points found`).toBeGreaterThanOrEqual(8);
  const uniformGreys = new Set(points.uniform.map((p) => Math.round(linearVoiGrey(valueAt(slice, p.column, p.row), slice.window))));
  expect(uniformGreys, `${what}: greys of the uniform sample points`).toEqual(new Set([0, 255]));
  const shownWindow = (await status())?.window;
  expect.soft(shownWindow, `${what}: status().window`).toEqual(slice.window);
  await expectScreenGreys(slice, [...points.uniform, ...points.flat], slice.window, what);
}

/** Where the viewer's automatic choice should draw stacks on this browser: on the CPU when its WebGL is software or absent (stackRendering.ts). */
async function expectedAutoRendering(): Promise<'cpu' | 'gpu'> {
  const renderer = await page().evaluate(() => {
    const canvas = document.createElement('canvas');
    const gl = canvas.getContext('webgl2') ?? canvas.getContext('webgl');
    if (!gl) return null;
    const info = gl.getExtension('WEBGL_debug_renderer_info');
    return String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
  });
  return renderer === null || /swiftshader|llvmpipe|softpipe|software|microsoft basic render/i.test(renderer) ? 'cpu' : 'gpu';
}

/** The workstation's image drawing, chosen as a reader does: ? → Personnaliser → the list → Enregistrer → Fermer. */
async function chooseImageRendering(choice: 'auto' | 'gpu' | 'cpu'): Promise<void> {
  await page().keyboard.press('?');
  await page().getByTestId('hotkey-customise').click();
  const settings = page().getByTestId('hotkey-settings');
  await settings.getByTestId('image-rendering').selectOption(choice);
  await settings.getByRole('button', { name: 'Enregistrer' }).click();
  await settings.getByTestId('hotkeys-saved').waitFor({ state: 'visible' });
  await settings.getByTestId('hotkey-settings-close').click();
  await waitFor(async () => ((await status())?.state === 'shown' ? true : null), { what: `an image shown again after choosing '${choice}'`, timeoutMs: IMAGE_TIMEOUT_MS, intervalMs: 100 });
}

function worklistRow(): ReturnType<Page['locator']> {
  return page().locator(`[data-testid="worklist-row"][data-tele-file-id="${teleFileId}"]`);
}

async function auditRows(query: string): Promise<AuditEvent[]> {
  return (await admin.getJson<AuditPage>(`/api/audit?${query}&limit=1000`)).events;
}

/** The reading position of an instance of the head CT. */
function indexOfInstance(instanceNumber: number): number {
  const index = slices.findIndex((s) => s.instanceNumber === instanceNumber);
  if (index < 0) throw new Error(`no instance ${instanceNumber}`);
  return index;
}

beforeAll(async () => {
  const started = Date.now();
  demoDir = await makeTempDir('viewer-demo');
  const dir = demoDir;
  const servers = (async () => {
    orthanc = await startOrthanc({ name: 'pivot', aet: 'PIVOT', stableAgeSeconds: 1 });
    hub = await startHubProcess({ env: { VIGIE_PACS_URL: orthanc.dicomWebUrl, VIGIE_PACS_POLL: '300ms', VIGIE_SECOND_FACTOR_ROLES: '' } });
    timings['orthanc + hub start'] = Date.now() - started;
    if (hub.process.logTail().includes('Building the web client')) console.log('viewer: the hub rebuilt the web client first (dist/web was older than its sources)');
  })();
  const studies = (async () => {
    const all = await generateDemoStudies({ folder: dir });
    const ct = all.find((s) => s.modality === 'CT' && s.lesion !== undefined);
    const older = all.find((s) => s.priorOf !== undefined);
    if (!ct || !older) throw new Error(`no head CT with a prior among the demo studies: ${all.map((s) => s.description).join(', ')}`);
    headCt = ct;
    prior = older;
    slices = await readSeries(await dcmFiles(ct.folder));
    priorSlices = await readSeries(await dcmFiles(older.folder));
    timings['demo studies generated and read'] = Date.now() - started;
  })();
  const chromium = (async () => {
    browser = await launchChromium({ locale: 'fr-FR', timezoneId: 'Europe/Paris', viewport: { width: 1400, height: 900 } });
    browser.context.setDefaultTimeout(UI_TIMEOUT_MS);
    browser.context.setDefaultNavigationTimeout(UI_TIMEOUT_MS);
    watch = watchPage(browser.page);
  })();
  const results = await Promise.allSettled([servers, studies, chromium]);
  timings['before all'] = Date.now() - started;
  for (const result of results) if (result.status === 'rejected') throw result.reason;
});

afterAll(async () => {
  console.log(`viewer timings (ms): ${JSON.stringify(timings)}`);
  await cleanUpAll([() => browser?.close(), () => hub?.dispose(), () => orthanc?.stop(), () => (demoDir ? removeTempDir(demoDir) : undefined)]);
});

describe('the viewer in Chromium, on the demo head CT stored into the pivot Orthanc', () => {
  it('the demo files are what the checks below assume', () => {
    expect(headCt.priorOf).toBeUndefined();
    expect(prior.priorOf).toBe(headCt.studyInstanceUid);
    expect(prior.patientId).toBe(headCt.patientId);
    expect(slices).toHaveLength(headCt.instanceCount);
    expect(priorSlices).toHaveLength(prior.instanceCount);
    // Axial, 512×512, one frame of reference; reading order = vertex first = last instance first.
    for (const s of slices) {
      expect([s.rowCosines, s.columnCosines]).toEqual([
        [1, 0, 0],
        [0, 1, 0],
      ]);
      expect(s.studyInstanceUid).toBe(headCt.studyInstanceUid);
    }
    expect(slices.map((s) => s.instanceNumber)).toEqual(slices.map((_, i) => slices.length - i));
    const lesion = running(headCt.lesion, 'the lesion');
    // The numbers: the haematoma is on slices 33–41 of the 64.
    expect([lesion.firstInstanceNumber, lesion.lastInstanceNumber]).toEqual([33, 41]);
  });

  it('stores the head CT and its prior from CH Démo Nord: one tele-file, the prior none, but listed as its prior', async () => {
    const theOrthanc = running(orthanc, 'the pivot Orthanc');
    const theHub = running(hub, 'the hub');
    const started = Date.now();
    await storeWithStorescu(theOrthanc, await dcmFiles(headCt.folder), { callingAet: NORD_AET });
    await storeWithStorescu(theOrthanc, await dcmFiles(prior.folder), { callingAet: NORD_AET });
    timings['storescu of both studies'] = Date.now() - started;

    const adminAccount = await theHub.account('admin');
    admin = await HubSession.signIn(theHub.url, adminAccount.username, adminAccount.password);
    const item = await waitFor(async () => (await admin.getJson<TeleFileWorklist>('/api/worklist')).items.find((f) => f.studyInstanceUid === headCt.studyInstanceUid), {
      what: 'the head CT’s tele-file',
      timeoutMs: ARRIVAL_TIMEOUT_MS,
      intervalMs: 200,
    });
    teleFileId = item.id;
    expect(item).toMatchObject({ status: 'routed', requestingSite: { id: 'ch-demo-nord' }, target: { kind: 'pivot-group', id: 'pool-demo' } });
    timings['storescu → tele-file'] = Date.now() - started;

    // The hub found the prior (it reads the PACS), and made no tele-file of it: wait until the prior has
    // been stable long enough to be ingested (StableAge 1 s + poll), then check the worklist again.
    const readerAccount = await theHub.account(READER);
    const reader = await HubSession.signIn(theHub.url, readerAccount.username, readerAccount.password);
    const priors = await waitFor(async () => {
      const answer = await reader.getJson<TeleFilePriors>(`/api/tele-files/${teleFileId}/priors`);
      return answer.priors.some((p) => p.studyInstanceUid === prior.studyInstanceUid) ? answer : null;
    }, { what: 'the prior among the tele-file’s priors', timeoutMs: ARRIVAL_TIMEOUT_MS, intervalMs: 200 });
    expect(priors.priors.map((p) => p.studyInstanceUid)).toEqual([prior.studyInstanceUid]);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const all = (await admin.getJson<TeleFileWorklist>('/api/worklist')).items;
    expect(all.filter((f) => f.studyInstanceUid === prior.studyInstanceUid), 'tele-files of the prior (admin sees every one, refused included)').toEqual([]);
    expect(all.map((f) => f.studyInstanceUid)).toEqual([headCt.studyInstanceUid]);
  });

  it('dr.lefebvre signs in, claims it, opens it with "Ouvrir": the first image is the file’s, value for value and grey for grey', async () => {
    const theHub = running(hub, 'the hub');
    const account = await theHub.account(READER);
    await page().goto(theHub.url);
    await signInWithPassword(page(), account.username, account.password);
    await page().getByTestId('worklist').waitFor({ state: 'visible' });
    consoleErrorsAtSignIn = running(browser, 'Chromium').consoleErrors.length;
    failedResponsesAtSignIn = watch.failedResponses.length;
    await worklistRow().waitFor({ state: 'visible' });
    await worklistRow().getByTestId('claim').click();
    await worklistRow().getByTestId('claimed-by-me').waitFor({ state: 'visible' });

    await openViewerAndWait(() => worklistRow().getByTestId('open-viewer').click(), 'Ouvrir');
    const first = slices[0] as Slice;
    const shown = (await status()) as ProbeStatus;
    expect(shown).toMatchObject({ state: 'shown', imageIndex: 0, imageCount: slices.length, sopInstanceUid: first.sopInstanceUid });
    // The file's own window, as the viewer opens it (soft: the pixel checks below still run and use the file's window).
    expect.soft(shown.window, 'status().window on opening: the file’s WindowCenter/WindowWidth').toEqual(first.window);
    await expectDisplayedSlice(first, 'first image');

    // The first image in reading order is above the vertex (z 157.5 mm, the head ends at 155): air only, so
    // its on-screen check is black everywhere; the slices of the next step carry the mid-grey checks.
    const points = samplePoints(first, [first.window], { uniform: 16, flat: 16 });
    expect(points.uniform.length, 'uniform sample points found').toBeGreaterThanOrEqual(8);
    await expectScreenGreys(first, [...points.uniform, ...points.flat], first.window, 'first image');
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    await page().screenshot({ path: path.join(SCREENSHOT_DIR, 'viewer-first-image.png') });
  });

  it('from the worklist by keyboard: o on the selected row, and Enter on a row the reader claimed', async () => {
    for (const key of ['o', 'Enter']) {
      const started = Date.now();
      await page().keyboard.press('Escape');
      await page().getByTestId('worklist').waitFor({ state: 'visible' });
      await worklistRow().waitFor({ state: 'visible' });
      // Selecting the row (focus selects it) and pressing the key, as a reader at the keyboard does.
      await worklistRow().locator('td.worklist-row__age').click();
      expect(await worklistRow().getAttribute('aria-selected')).toBe('true');
      timings[`Escape → row selected (before ${key})`] = Date.now() - started;
      await openViewerAndWait(() => page().keyboard.press(key), `key ${key}`);
      expect(await status()).toMatchObject({ state: 'shown', imageIndex: 0, sopInstanceUid: slices[0]?.sopInstanceUid });
    }
  });

  it('scrolling to slice k shows slice k: ArrowDown into the haematoma, the mouse wheel out of it', async () => {
    const lesion = running(headCt.lesion, 'the lesion');
    const inside = indexOfInstance(lesion.centreInstanceNumber);
    const started = Date.now();
    // A trace of the index and cell states, for the failure message only.
    await startTrace(page());
    for (let i = 0; i < inside; i++) await page().keyboard.press('ArrowDown');
    try {
      await waitForImage(inside, `image ${inside + 1} (instance ${lesion.centreInstanceNumber}) after ${inside} × ArrowDown`);
    } catch (error) {
      throw new Error(`${(error as Error).message}\nviewer trace (ms since the first press):\n${await stopTrace(page())}`, { cause: error });
    }
    await stopTrace(page());
    timings[`${inside} × ArrowDown → image shown`] = Date.now() - started;
    const insideSlice = slices[inside] as Slice;
    await expectDisplayedSlice(insideSlice, `image ${inside + 1}, inside the haematoma`);
    await expectSliceOnScreen(insideSlice, `image ${inside + 1}, inside the haematoma`);

    // The mouse wheel over the cell, one notch at a time, to a slice clear of the haematoma and its oedema.
    const outsideInstance = lesion.firstInstanceNumber - 5;
    const outside = indexOfInstance(outsideInstance);
    const box = await page().getByTestId('viewport-element').first().boundingBox();
    expect(box).not.toBeNull();
    const { x, y, width, height } = box as { x: number; y: number; width: number; height: number };
    await page().mouse.move(x + width / 2, y + height / 2);
    const wheelStarted = Date.now();
    for (let at = inside; at < outside; at++) {
      await page().mouse.wheel(0, 100);
      await waitFor(async () => (await status())?.imageIndex !== at, { what: `the wheel notch after image ${at + 1} to move on`, timeoutMs: UI_TIMEOUT_MS, intervalMs: 50 });
    }
    await waitForImage(outside, `image ${outside + 1} (instance ${outsideInstance}) after ${outside - inside} wheel notches`);
    timings[`${outside - inside} wheel notches → image shown`] = Date.now() - wheelStarted;
    const outsideSlice = slices[outside] as Slice;
    await expectDisplayedSlice(outsideSlice, `image ${outside + 1}, outside the haematoma`);
    await expectSliceOnScreen(outsideSlice, `image ${outside + 1}, outside the haematoma`);

    // Where the haematoma is, the two slices differ: hyperdense on one, brain on the other.
    const { column, row } = { column: lesion.centreColumn, row: lesion.centreRow };
    expect(valueAt(insideSlice, column, row)).toBeGreaterThan(60);
    expect(valueAt(outsideSlice, column, row)).toBeLessThan(50);
    await page().screenshot({ path: path.join(SCREENSHOT_DIR, 'viewer-outside-lesion.png') });

    // Back to the haematoma, by keyboard, for what follows.
    for (let i = outside; i > inside; i--) await page().keyboard.press('ArrowUp');
    await waitForImage(inside, `back to image ${inside + 1} after ArrowUp`);
    await expectDisplayedSlice(insideSlice, `image ${inside + 1} again`);
  });

  it('drawn on the processor or with WebGL, the haematoma slice shows the same greys: the workstation’s setting switches, “Automatique” follows the browser’s graphics', async () => {
    const lesion = running(headCt.lesion, 'the lesion');
    const inside = indexOfInstance(lesion.centreInstanceNumber);
    const insideSlice = slices[inside] as Slice;
    const automatic = await expectedAutoRendering();
    expect((await status())?.rendering, 'stacks drawn by the automatic choice').toBe(automatic);
    for (const choice of ['gpu', 'cpu', 'auto'] as const) {
      await chooseImageRendering(choice);
      await stepToImage(inside);
      expect((await status())?.rendering, `stacks drawn after choosing '${choice}'`).toBe(choice === 'auto' ? automatic : choice);
      await expectDisplayedSlice(insideSlice, `image ${inside + 1}, drawn '${choice}'`);
      await expectSliceOnScreen(insideSlice, `image ${inside + 1}, drawn '${choice}'`);
    }
    expect(await page().evaluate(() => localStorage.getItem('vigie.imageRendering')), '“Automatique” leaves no setting behind').toBeNull();
  });

  it('the subdural preset (toolbar button) sets its window and the screen follows the VOI function', async () => {
    const lesion = running(headCt.lesion, 'the lesion');
    const slice = slices[indexOfInstance(lesion.centreInstanceNumber)] as Slice;
    // Where the previous step left the viewer, unless it failed on the way.
    await stepToImage(indexOfInstance(lesion.centreInstanceNumber));
    const subdural = WINDOW_PRESETS.find((p) => p.id === 'subdural') as Window & { id: string };
    const subduralWindow = { width: subdural.width, center: subdural.center };
    const points = samplePoints(slice, [slice.window, subduralWindow], { uniform: 8, flat: 12 });
    // The haematoma's centre too (mid-grey under the subdural window), checked like the others.
    const lesionPoint: SamplePoint = { column: lesion.centreColumn, row: lesion.centreRow, label: `haematoma ${valueAt(slice, lesion.centreColumn, lesion.centreRow)} HU` };
    const all = [...points.uniform, ...points.flat, lesionPoint];
    await expectScreenGreys(slice, all, slice.window, 'before the preset');

    await page().locator('[data-action="preset.subdural"]').click();
    await waitFor(async () => {
      const w = (await status())?.window;
      return w?.width === subdural.width && w.center === subdural.center;
    }, { what: 'the subdural window in status()', timeoutMs: UI_TIMEOUT_MS, intervalMs: 50 });
    expect((await status())?.window).toEqual(subduralWindow);
    await expect.poll(() => page().getByTestId('window-level').first().textContent()).toContain(String(subdural.width));
    // The mid-grey points changed by what the VOI says (not only moved within the noise).
    const moved = points.flat.filter((p) => Math.abs(linearVoiGrey(valueAt(slice, p.column, p.row), slice.window) - linearVoiGrey(valueAt(slice, p.column, p.row), subduralWindow)) > 10);
    expect(moved.length, 'mid-grey points whose expected grey changes by more than 10').toBeGreaterThanOrEqual(4);
    await waitFor(async () => {
      const seen = await canvasPixels([lesionPoint]);
      return checkGrey(seen[0] ?? null, greyInterval(neighbourValues(slice, lesionPoint.column, lesionPoint.row), subduralWindow), GREY_TOLERANCE) === null;
    }, { what: 'the canvas to be redrawn with the subdural window', timeoutMs: UI_TIMEOUT_MS, intervalMs: 50 }).catch(() => undefined);
    await expectScreenGreys(slice, all, subduralWindow, 'subdural preset');
    await page().screenshot({ path: path.join(SCREENSHOT_DIR, 'viewer-subdural.png') });
  });

  it('MPR (m) shows four cells, and the coronal cell is a reformat: bright where the haematoma is, not a slice away from it', async () => {
    const lesion = running(headCt.lesion, 'the lesion');
    const started = Date.now();
    await page().keyboard.press('m');
    const gridCells = page().getByTestId('viewport-cell');
    await expect.poll(() => gridCells.count(), { timeout: UI_TIMEOUT_MS }).toBe(4);
    const modes = await gridCells.evaluateAll((list) => list.map((e) => e.getAttribute('data-mode')));
    expect(modes).toEqual(['stack', 'axial', 'coronal', 'sagittal']);
    expect((await status())?.rendering, 'a layout with volumes draws its stack with WebGL too').toBe('gpu');
    await waitFor(async () => (await gridCells.evaluateAll((list) => list.every((e) => e.getAttribute('data-state') === 'shown'))) || null, {
      what: 'the four MPR cells drawn',
      timeoutMs: VOLUME_TIMEOUT_MS,
      intervalMs: 200,
    });
    timings['m → four cells shown'] = Date.now() - started;
    const probeCells = await cells();
    expect(probeCells.map((c) => [c.mode, c.role, c.studyInstanceUid, c.seriesInstanceUid, c.state])).toEqual(
      ['stack', 'axial', 'coronal', 'sagittal'].map((mode) => [mode, 'current', headCt.studyInstanceUid, slices[0]?.seriesInstanceUid, 'shown']),
    );

    // The coronal plane opens at the volume's centre (y ≈ 0), which misses the haematoma (y −15 ± 12 mm):
    // make the coronal cell active and scroll it 30 planes forward (0.5 mm each, along its normal 0,−1,0).
    const coronal = 2;
    await gridCells.nth(coronal).click();
    await expect.poll(async () => (await page().getByTestId('viewport-cell').nth(coronal).getAttribute('class')) ?? '').toContain('viewport-cell--active');
    const before = (await cells())[coronal]?.imageIndex ?? -1;
    const steps = 30;
    for (let i = 0; i < steps; i++) await page().keyboard.press('ArrowDown');
    await waitFor(async () => (await cells())[coronal]?.imageIndex === before + steps, { what: `the coronal cell ${steps} planes on`, timeoutMs: UI_TIMEOUT_MS, intervalMs: 50 });

    // The plane's y from the DICOM geometry: rows of the axial slices run along +y from ImagePositionPatient y,
    // PixelSpacing apart; Cornerstone numbers coronal planes from the far (+y) end along the normal (0, −1, 0).
    const first = slices[0] as Slice;
    const rowSpacing = first.pixelSpacing[0];
    const yMin = first.position[1];
    const yMax = yMin + (first.rows - 1) * rowSpacing;
    const index = (await cells())[coronal]?.imageIndex as number;
    const planeY = yMax - (index + 0.5) * ((yMax - yMin) / first.rows);
    expect(Math.abs(planeY - lesion.centreMm[1]), 'plane distance from the haematoma centre (mm)').toBeLessThan(3);

    const window = (await status())?.window as Window;
    expect(window, 'the coronal cell’s window').toBeDefined();
    // Expected greys: the VOI of the voxels around each point. Volume rendering resamples (trilinear), so the
    // screen may show any mix of the voxels within a voxel of the point in-plane (the canvas pixel read is up
    // to half a screen pixel off, ~0.25 mm) and of the two planes bracketing it across (±1 row of 0.5 mm, the
    // plane's own position ± half a row); ± 2 for the rendering. Slices are 2.5 mm apart in z, so the points
    // are taken on slice planes (z of an instance) and the neighbouring slices are included.
    const voxelsAround = (x: number, y: number, z: number): number[] => {
      const out: number[] = [];
      for (const s of slices) {
        if (Math.abs(s.position[2] - z) > 2.5) continue;
        const { column, row } = pixelOf(s, x, y);
        for (let r = Math.floor(row) - 1; r <= Math.ceil(row) + 1; r++) for (let c = Math.floor(column) - 1; c <= Math.ceil(column) + 1; c++) out.push(valueAt(s, c, r));
      }
      return out;
    };
    const [lx] = lesion.centreMm;
    const insideZ = (slices[indexOfInstance(lesion.centreInstanceNumber)] as Slice).position[2];
    const outsideZ = (slices[indexOfInstance(lesion.firstInstanceNumber - 5)] as Slice).position[2];
    const points = [
      { label: `haematoma, slice ${lesion.centreInstanceNumber}`, world: [lx, planeY, insideZ] as const },
      { label: `haematoma, 2 mm left of its centre`, world: [lx - 2, planeY, insideZ] as const },
      { label: `same x, y on slice ${lesion.firstInstanceNumber - 5}, outside the haematoma`, world: [lx, planeY, outsideZ] as const },
    ];
    const intervals = points.map((p) => greyInterval(voxelsAround(...p.world), window));
    // The volume streams in after the cell is drawn: wait until the planes are there.
    let seen: Array<[number, number, number, number] | null> = [];
    await waitFor(async () => {
      seen = await canvasPixelsAtWorld(points.map((p) => p.world), coronal);
      return seen.every((rgba, i) => checkGrey(rgba, intervals[i] as { min: number; max: number }, GREY_TOLERANCE) === null);
    }, { what: 'the coronal reformat to show the expected greys', timeoutMs: VOLUME_TIMEOUT_MS, intervalMs: 250 }).catch(() => undefined);
    timings['m → coronal reformat checked'] = Date.now() - started;
    timings['four cells shown → coronal checked (30 planes scrolled)'] = Date.now() - started - (timings['m → four cells shown'] ?? 0);
    const failures = points.flatMap((p, i) => {
      const problem = checkGrey(seen[i] ?? null, intervals[i] as { min: number; max: number }, GREY_TOLERANCE);
      return problem === null ? [] : [`${p.label} (${p.world.map((v) => v.toFixed(2)).join(', ')}): ${problem}`];
    });
    expect(failures, `coronal reformat (plane y ${planeY.toFixed(2)} mm, window W${window.width} C${window.center})`).toEqual([]);
    // Bright inside, not outside: the haematoma (72 HU) against brain (30–40 HU).
    expect((seen[0] as number[])[0]).toBeGreaterThan(180);
    expect((seen[2] as number[])[0]).toBeLessThan(160);
    await page().screenshot({ path: path.join(SCREENSHOT_DIR, 'viewer-mpr.png') });

    await page().keyboard.press('m');
    await expect.poll(() => gridCells.count(), { timeout: UI_TIMEOUT_MS }).toBe(1);
    await waitFor(async () => (await status())?.state === 'shown', { what: 'the stack back after MPR', timeoutMs: IMAGE_TIMEOUT_MS });
  });

  it('Shift+P shows the prior beside the study: its own study, labelled, same patient, its own pixels', async () => {
    const started = Date.now();
    await page().keyboard.press('Shift+P');
    const gridCells = page().getByTestId('viewport-cell');
    await expect.poll(() => gridCells.count(), { timeout: UI_TIMEOUT_MS }).toBe(2);
    await waitFor(async () => {
      const now = await cells();
      return now.length === 2 && now.every((c) => c.state === 'shown');
    }, { what: 'both cells drawn', timeoutMs: IMAGE_TIMEOUT_MS, intervalMs: 100 });
    timings['Shift+P → two cells shown'] = Date.now() - started;
    const [current, older] = await cells();
    expect(current).toMatchObject({ role: 'current', studyInstanceUid: headCt.studyInstanceUid, mode: 'stack' });
    expect(older).toMatchObject({ role: 'prior', studyInstanceUid: prior.studyInstanceUid, seriesInstanceUid: priorSlices[0]?.seriesInstanceUid, mode: 'stack', imageCount: priorSlices.length });
    const label = page().getByTestId('prior-label');
    await expect.poll(() => label.count()).toBe(1);
    expect(await label.isVisible()).toBe(true);
    const [yyyy, mm, dd] = [prior.studyDate.slice(0, 4), prior.studyDate.slice(4, 6), prior.studyDate.slice(6, 8)];
    expect(await label.textContent()).toMatch(/^Antérieur du /);
    const text = (await label.textContent()) ?? '';
    expect([`${dd}/${mm}/${yyyy}`, `${yyyy}-${mm}-${dd}`].some((date) => text.includes(date)), `the prior's date in "${text}"`).toBe(true);
    expect(await page().locator('.viewport-cell--other-patient').count()).toBe(0);

    // The prior's cell shows the prior's own image (at whatever level it opens), value for value.
    await gridCells.nth(1).click();
    const shown = await waitFor(
      async () => {
        const now = await status();
        return now?.state === 'shown' && now.imageId?.includes(`/studies/${prior.studyInstanceUid}/`) ? now : null;
      },
      { what: 'the prior cell active (status() naming the prior’s study)', timeoutMs: UI_TIMEOUT_MS, intervalMs: 50 },
    );
    const index = priorSlices.findIndex((s) => s.sopInstanceUid === shown.sopInstanceUid);
    expect(index, `the prior image shown (${shown.sopInstanceUid}) is one of the prior's files`).toBeGreaterThanOrEqual(0);
    expect(shown.imageIndex, 'its position in the prior’s reading order').toBe(index);
    expect((await cells())[1]?.imageIndex).toBe(index);
    await expectDisplayedSlice(priorSlices[index] as Slice, `prior image ${index + 1}`);
    await page().screenshot({ path: path.join(SCREENSHOT_DIR, 'viewer-prior.png') });
  });

  it('study.accessed once for the head CT in this session, despite every frame, three openings and MPR; no page errors', async () => {
    const rows = (await auditRows(`action=study.accessed&actor=${READER}`)).filter((e) => e.targetId === headCt.studyInstanceUid);
    expect(rows, 'study.accessed rows for the head CT').toHaveLength(1);
    expect(rows[0]).toMatchObject({ action: 'study.accessed', outcome: 'success', actorName: READER, targetType: 'study', details: { teleFileId } });
    const priorRows = (await auditRows(`action=study.accessed&actor=${READER}`)).filter((e) => e.targetId === prior.studyInstanceUid);
    // Soft: depends on the prior having been shown (previous step); the checks below still run.
    expect.soft(priorRows, 'study.accessed rows for the prior').toHaveLength(1);
    expect((await auditRows(`action=access.denied&actor=${READER}`)), 'refusals for the reader').toEqual([]);

    const theBrowser = running(browser, 'Chromium');
    expect(theBrowser.pageErrors, 'uncaught errors').toEqual([]);
    expect(theBrowser.consoleErrors.slice(consoleErrorsAtSignIn), 'console errors once signed in').toEqual([]);
    expect(watch.failedResponses.slice(failedResponsesAtSignIn), 'failed requests once signed in').toEqual([]);
  });

  it('a radiologist on no roster gets the error screen, and the hub refuses and audits them', async () => {
    const theHub = running(hub, 'the hub');
    const created = await admin.request('POST', '/api/admin/users', { username: OFF_ROSTER.username, displayName: OFF_ROSTER.displayName, roles: ['radiologist'], password: OFF_ROSTER.password });
    expect(created.status, JSON.stringify(created.json)).toBe(201);

    const started = Date.now();
    // Same browser, another person: the reader's session is dropped first.
    await page().goto(theHub.url);
    await running(browser, 'Chromium').context.clearCookies();
    await page().goto(`${theHub.url}/`);
    await signInWithPassword(page(), OFF_ROSTER.username, OFF_ROSTER.password);
    await page().getByTestId('worklist').waitFor({ state: 'visible' });
    await page().goto(`${theHub.url}/#/tele-files/${teleFileId}/viewer`);
    const error = page().getByTestId('viewer-error');
    await error.waitFor({ state: 'visible' });
    expect(await error.textContent()).toContain(FORBIDDEN_TEXT);
    expect(await page().getByTestId('viewer').count()).toBe(0);
    timings['sign-in as another reader → error screen'] = Date.now() - started;
    await page().screenshot({ path: path.join(SCREENSHOT_DIR, 'viewer-forbidden.png') });

    const denied = await auditRows(`action=access.denied&actor=${OFF_ROSTER.username}`);
    const onPage = denied.filter((e) => (e.targetType === 'tele-file' && e.targetId === teleFileId) || (e.targetType === 'study' && e.targetId === headCt.studyInstanceUid));
    expect(onPage.length, `access.denied rows for the page: ${JSON.stringify(denied.map((e) => [e.targetType, e.targetId]))}`).toBeGreaterThanOrEqual(1);
    for (const row of onPage) expect(row).toMatchObject({ outcome: 'failure', actorName: OFF_ROSTER.username });

    // And the images' own address, directly.
    const session = await HubSession.signIn(theHub.url, OFF_ROSTER.username, OFF_ROSTER.password);
    const studyRowsBefore = (await auditRows(`action=access.denied&actor=${OFF_ROSTER.username}`)).filter((e) => e.targetType === 'study' && e.targetId === headCt.studyInstanceUid);
    const metadata = await session.request('GET', `/dicom-web/studies/${headCt.studyInstanceUid}/metadata`);
    expect(metadata.status).toBe(403);
    const studyRows = (await auditRows(`action=access.denied&actor=${OFF_ROSTER.username}`)).filter((e) => e.targetType === 'study' && e.targetId === headCt.studyInstanceUid);
    expect(studyRows.length, 'access.denied rows for the study, one more after the direct request').toBe(studyRowsBefore.length + 1);
    const added = studyRows.find((e) => !studyRowsBefore.some((b) => b.seq === e.seq));
    expect(added).toMatchObject({ action: 'access.denied', outcome: 'failure', actorName: OFF_ROSTER.username, targetType: 'study' });
    // They never read it.
    expect((await auditRows(`action=study.accessed&actor=${OFF_ROSTER.username}`))).toEqual([]);
  });
});
