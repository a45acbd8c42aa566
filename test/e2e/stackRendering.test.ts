/**
 * Issue 5, decisions 85–86: a stack looks the same whichever path draws it.
 * The viewer draws stacks on the CPU where the browser's WebGL is software
 * and with WebGL elsewhere (or as the workstation's setting says); both paths
 * must put the file's colours on screen. Synthetic files of uniform bands
 * (test/fixtures/renderingSamples.py: signed CT with a rescale and window,
 * MONOCHROME1 DX, PALETTE COLOR), pydicom's RGB (RLE) and YBR_FULL (JPEG)
 * colour files, and a CR with a fractional rescale are stored into a real
 * Orthanc and opened in Chromium on each path; the canvas is read at each
 * band's centre (or at pixels whose neighbourhood is uniform) and compared
 * with what the file alone defines: the PS3.3 linear VOI (inverted for
 * MONOCHROME1), the palette's entries, the decoded RGB.
 *
 * Uploads carry no calling AE title: routing refuses every study, and an
 * admin who is also a radiologist reads them (as in decoding.test.ts).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TeleFileWorklist } from '../../core/api/teleFiles.js';
import { launchChromium, type LaunchedChromium } from '../harness/browser.js';
import { cleanUpAll } from '../harness/cleanup.js';
import { startHubProcess, type HubProcess } from '../harness/hub.js';
import { orthancGetJson, startOrthanc, uploadInstance, type OrthancServer } from '../harness/orthanc.js';
import { runCommand } from '../harness/processes.js';
import { makeTempDir, removeTempDir } from '../harness/tempDir.js';
import { waitFor } from '../harness/waitFor.js';
import { openStudy, viewerStatus } from './decoding/viewerProbe.js';
import { PYDICOM_TEST_FILES, PYTHON } from './decoding/reference.js';
import { HubSession, signInWithPassword } from './liveWorklistSupport.js';
import { linearVoiGrey } from './viewer/dicomReference.js';
import { running } from '../harness/running.js';

const root = path.resolve(import.meta.dirname, '../..');
const SAMPLES_SCRIPT = path.join(root, 'test/fixtures/renderingSamples.py');
const INGEST_TIMEOUT_MS = 30_000;
const UI_TIMEOUT_MS = 15_000;
/** Grey or colour levels a point may differ by (rounding of the VOI, colour conversion). */
const TOLERANCE = 2;
const PATHS = ['cpu', 'gpu'] as const;

const VIEWER_USER = { username: 'dr.rendu', displayName: 'Dr Rendu (test)', password: 'deux-chemins-un-ecran-42', roles: ['admin', 'radiologist'] };
/** pydicom's colour files: RGB, RLE lossless; YBR_FULL, JPEG baseline (decoded to RGB). */
const COLOUR_FILES = ['SC_rgb_rle.dcm', 'SC_rgb_jpeg_dcmtk.dcm'];
/** MONOCHROME1, Rescale Slope 0.684: Cornerstone's CPU path would re-quantise it in the shared cache. */
const FRACTIONAL_RESCALE_FILE = 'dicomdirtests/77654033/CR1/6154';

interface Band {
  stored: number;
  modality?: number;
  window?: { center: number; width: number };
  invert?: boolean;
  rgb?: [number, number, number];
}

interface SampleFile {
  name: string;
  path: string;
  photometric: string;
  sopInstanceUid: string;
  studyInstanceUid: string;
  bandWidth: number;
  rows: number;
  bands: Band[];
}

interface StoredFile {
  name: string;
  sopInstanceUid: string;
  studyInstanceUid: string;
}

type Rgba = [number, number, number, number];

let orthanc: OrthancServer | undefined;
let hub: HubProcess | undefined;
let browser: LaunchedChromium | undefined;
let dir: string | undefined;
let samples: SampleFile[] = [];
const stored = new Map<string, StoredFile>();
const teleFiles = new Map<string, string>();

function page(): Page {
  return running(browser, 'Chromium').page;
}

beforeAll(async () => {
  dir = await makeTempDir('stack-rendering');
  const made = await runCommand(PYTHON, [SAMPLES_SCRIPT, dir], { name: 'renderingSamples.py' });
  samples = made.stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as SampleFile);
  orthanc = await startOrthanc({ name: 'rendering-pivot', aet: 'PIVOT', stableAgeSeconds: 1 });
  const servers = startHubProcess({ env: { VIGIE_PACS_URL: orthanc.dicomWebUrl, VIGIE_PACS_POLL: '300ms', VIGIE_SECOND_FACTOR_ROLES: '' } });
  const chromium = launchChromium({ locale: 'fr-FR', timezoneId: 'Europe/Paris', viewport: { width: 1280, height: 900 } });
  [hub, browser] = await Promise.all([servers, chromium]);
  browser.context.setDefaultTimeout(UI_TIMEOUT_MS);
});

afterAll(async () => {
  await cleanUpAll([() => browser?.close(), () => hub?.dispose(), () => orthanc?.stop(), () => (dir ? removeTempDir(dir) : undefined)]);
});

/** The colour on screen at the centre of image pixel (column, row) of the active cell. */
async function canvasPixel(column: number, row: number): Promise<Rgba | null> {
  return page().evaluate(([c, r]) => {
    const probe = Reflect.get(window, 'vigieViewer') as { canvasPixel(c: number, r: number): Rgba | null } | undefined;
    return probe ? probe.canvasPixel(c, r) : null;
  }, [column, row] as const);
}

async function drawnOn(): Promise<string | undefined> {
  return page().evaluate(() => (Reflect.get(window, 'vigieViewer') as { status(): { rendering?: string } } | undefined)?.status().rendering);
}

async function displayed(): Promise<{ rows: number; columns: number; samplesPerPixel: number; values: number[] } | null> {
  return page().evaluate(() => (Reflect.get(window, 'vigieViewer') as { displayedImage(): { rows: number; columns: number; samplesPerPixel: number; values: number[] } | null } | undefined)?.displayedImage() ?? null);
}

/** Opens a stored file's tele-file with this workstation setting; the path the viewer says it drew with. */
async function openOn(choice: 'cpu' | 'gpu', file: StoredFile): Promise<string | undefined> {
  await page().evaluate((value) => localStorage.setItem('vigie.imageRendering', value), choice);
  const opened = await openStudy(page(), teleFiles.get(file.studyInstanceUid) as string, new Set([file.sopInstanceUid]));
  expect(opened.kind, `${file.name}: opened (${JSON.stringify(opened.status)})`).toBe('shown');
  return drawnOn();
}

function expectedColour(band: Band): [number, number, number] {
  if (band.rgb) return band.rgb;
  const grey = Math.round(linearVoiGrey(band.modality as number, band.window as { center: number; width: number }));
  const shown = band.invert ? 255 - grey : grey;
  return [shown, shown, shown];
}

function differs(seen: Rgba | null, expected: readonly number[]): string | null {
  if (!seen) return 'no pixel (off the canvas)';
  if (seen[3] !== 255) return `not opaque: rgba(${seen.join(', ')})`;
  const worst = Math.max(...expected.map((value, k) => Math.abs((seen[k] ?? 0) - value)));
  return worst > TOLERANCE ? `rgb(${seen.slice(0, 3).join(', ')}), expected rgb(${expected.join(', ')}) ± ${TOLERANCE}` : null;
}

/** Points of the displayed colour image whose 3×3 neighbourhood is one colour, each read on the canvas. */
async function colourFailures(name: string): Promise<string[]> {
  const image = await waitFor(async () => (await displayed()) ?? undefined, { what: `${name}: displayedImage()`, timeoutMs: 2_000, intervalMs: 50 });
  // RGB, or RGBA as some decoders hand it over: the first three samples of each pixel.
  const stride = image.samplesPerPixel;
  expect([3, 4], `${name}: samples per pixel`).toContain(stride);
  const at = (column: number, row: number, k: number) => image.values[(row * image.columns + column) * stride + k] as number;
  const points: Array<{ column: number; row: number; rgb: [number, number, number] }> = [];
  for (let row = 2; row < image.rows - 2; row += 5) {
    for (let column = 2; column < image.columns - 2; column += 5) {
      const rgb: [number, number, number] = [at(column, row, 0), at(column, row, 1), at(column, row, 2)];
      let uniform = true;
      for (let dr = -1; dr <= 1 && uniform; dr++) for (let dc = -1; dc <= 1 && uniform; dc++) uniform = [0, 1, 2].every((k) => at(column + dc, row + dr, k) === rgb[k]);
      if (uniform) points.push({ column, row, rgb });
    }
  }
  expect(points.length, `${name}: points with a uniform neighbourhood`).toBeGreaterThanOrEqual(20);
  expect(new Set(points.map((p) => p.rgb.join(','))).size, `${name}: distinct colours among them`).toBeGreaterThanOrEqual(4);
  const failures: string[] = [];
  for (const point of points) {
    const problem = differs(await canvasPixel(point.column, point.row), point.rgb);
    if (problem) failures.push(`${name} at (${point.column}, ${point.row}): ${problem}`);
  }
  return failures;
}

describe('stack rendering: the CPU and WebGL paths put the file’s colours on screen', () => {
  it('the synthetic files, pydicom’s colour files and a fractional-rescale CR are stored, one tele-file each', async () => {
    const server = running(orthanc, 'Orthanc');
    const theHub = running(hub, 'the hub');
    expect(samples.map((s) => s.photometric)).toEqual(['MONOCHROME2', 'MONOCHROME1', 'PALETTE COLOR']);
    const files = [...samples.map((s) => ({ name: s.name, path: s.path })), ...[...COLOUR_FILES, FRACTIONAL_RESCALE_FILE].map((name) => ({ name, path: path.join(PYDICOM_TEST_FILES, name) }))];
    for (const file of files) {
      const result = await uploadInstance(server, await readFile(file.path));
      expect(result.Status, `${file.name}: Orthanc's answer`).toBe('Success');
      const instance = await orthancGetJson<{ MainDicomTags: { SOPInstanceUID: string } }>(server, `/instances/${result.ID}`);
      const study = await orthancGetJson<{ MainDicomTags: { StudyInstanceUID: string } }>(server, `/studies/${result.ParentStudy}`);
      stored.set(file.name, { name: file.name, sopInstanceUid: instance.MainDicomTags.SOPInstanceUID, studyInstanceUid: study.MainDicomTags.StudyInstanceUID });
    }
    const adminAccount = await theHub.account('admin');
    const admin = await HubSession.signIn(theHub.url, adminAccount.username, adminAccount.password);
    const created = await admin.request('POST', '/api/admin/users', { username: VIEWER_USER.username, displayName: VIEWER_USER.displayName, roles: VIEWER_USER.roles, password: VIEWER_USER.password });
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    const byStudy = await waitFor(
      async () => {
        const items = (await admin.getJson<TeleFileWorklist>('/api/worklist')).items;
        const found = new Map(items.flatMap((item) => (item.studyInstanceUid === null ? [] : [[item.studyInstanceUid, item.id] as const])));
        return [...stored.values()].every((f) => found.has(f.studyInstanceUid)) ? found : undefined;
      },
      { what: `a tele-file for each of the ${stored.size} studies`, timeoutMs: INGEST_TIMEOUT_MS, intervalMs: 250 },
    );
    for (const [study, id] of byStudy) teleFiles.set(study, id);
    await page().goto(theHub.url);
    await signInWithPassword(page(), VIEWER_USER.username, VIEWER_USER.password);
    await page().getByTestId('worklist').waitFor({ state: 'visible' });
  });

  for (const choice of PATHS) {
    it(`drawn '${choice}': every band of the CT (linear VOI), the MONOCHROME1 DX (inverted) and the palette image shows the file’s colour`, async () => {
      const failures: string[] = [];
      for (const sample of samples) {
        const file = stored.get(sample.name) as StoredFile;
        expect(await openOn(choice, file), `${sample.name}: the path the viewer drew with`).toBe(choice);
        const colours = new Set<string>();
        for (const [index, band] of sample.bands.entries()) {
          const column = index * sample.bandWidth + sample.bandWidth / 2;
          const expected = expectedColour(band);
          colours.add(expected.join(','));
          for (const row of [sample.rows / 4, sample.rows / 2, (3 * sample.rows) / 4]) {
            const problem = differs(await canvasPixel(column, row), expected);
            if (problem) failures.push(`${sample.name} band ${index} (stored ${band.stored}) at (${column}, ${row}): ${problem}`);
          }
        }
        // Bands of distinct colours: a blank or uniform canvas could not pass.
        expect(colours.size, `${sample.name}: distinct expected colours`).toBeGreaterThanOrEqual(5);
      }
      expect(failures, `drawn '${choice}': points off the file's colour`).toEqual([]);
    });

    it(`drawn '${choice}': pydicom’s RGB and YBR_FULL files show their decoded colours where the neighbourhood is uniform`, async () => {
      const failures: string[] = [];
      const wanted = new Map(COLOUR_FILES.map((name) => [(stored.get(name) as StoredFile).sopInstanceUid, name]));
      const checked = new Set<string>();
      // pydicom's two files are two images of one study: open it once, walk its images.
      for (const study of new Set(COLOUR_FILES.map((name) => (stored.get(name) as StoredFile).studyInstanceUid))) {
        await page().evaluate((value) => localStorage.setItem('vigie.imageRendering', value), choice);
        const opened = await openStudy(page(), teleFiles.get(study) as string, new Set(wanted.keys()));
        expect(opened.kind, `colour study opened (${JSON.stringify(opened.status)})`).toBe('shown');
        let status = opened.status;
        for (let step = 0; step < (status.imageCount ?? 1); step++) {
          const name = status.sopInstanceUid === undefined ? undefined : wanted.get(status.sopInstanceUid);
          if (name !== undefined) {
            checked.add(name);
            expect(await drawnOn(), `${name}: the path the viewer drew with`).toBe(choice);
            failures.push(...(await colourFailures(name)));
          }
          if (step + 1 >= (status.imageCount ?? 1)) break;
          const before = status.imageIndex;
          await page().keyboard.press('ArrowDown');
          status = await waitFor(
            async () => {
              const s = await viewerStatus(page());
              return s && s.imageIndex !== before && s.state === 'shown' ? s : undefined;
            },
            { what: `the next image after index ${before ?? '?'}`, timeoutMs: UI_TIMEOUT_MS, intervalMs: 50 },
          );
        }
      }
      expect([...checked].sort(), 'colour files seen').toEqual([...COLOUR_FILES].sort());
      expect(failures, `drawn '${choice}': points off the decoded colour`).toEqual([]);
    });
  }

  it('a CR with a fractional rescale is drawn with WebGL even where the processor is chosen, and the workstation’s choice is restored', async () => {
    const file = stored.get(FRACTIONAL_RESCALE_FILE) as StoredFile;
    expect(await openOn('cpu', file)).toBe('gpu');
    await page().evaluate(() => localStorage.removeItem('vigie.imageRendering'));
  });
});
