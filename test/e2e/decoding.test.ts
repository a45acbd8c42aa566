/**
 * Issue 5, decoding: every image file of pydicom's test files that pydicom
 * itself decodes is stored into a real pivot Orthanc, opened in the viewer in
 * Chromium through the hub's DICOMweb proxy, and its displayed pixels (the
 * loaded image's `getPixelData()`) are compared with pydicom's decoded values
 * at 64 fixed positions of frame 1 (and of the last frame of a multi-frame
 * image), within a tolerance per class of syntax (decoding/compare.ts,
 * docs/decoding.md). A file the viewer cannot show must say so clearly
 * (state error + a role="alert" naming the file); a file shown with wrong
 * pixels fails.
 *
 * Files are uploaded byte for byte over Orthanc's REST API (storescu would
 * re-encode or refuse some syntaxes). Several pydicom files share a SOP
 * Instance UID and Orthanc keeps one copy per UID, so they go in rounds
 * (decoding/rounds.ts), Orthanc being emptied between rounds.
 *
 * Uploads over HTTP carry no calling AE title, and pydicom's institution
 * names match no site of the demo organisation: every study is refused by
 * routing. Its tele-file exists all the same, and an admin sees refused
 * tele-files (teleFiles/visibility.ts canSee) and may read their studies
 * through the proxy; so the viewer is driven by a user who is admin and
 * radiologist, created for this test.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TeleFileWorklist } from '../../core/api/teleFiles.js';
import { launchChromium, type LaunchedChromium } from '../harness/browser.js';
import { cleanUpAll } from '../harness/cleanup.js';
import { startHubProcess, type HubProcess } from '../harness/hub.js';
import { orthancGetJson, startOrthanc, uploadInstance, type OrthancServer, type UploadResult } from '../harness/orthanc.js';
import { waitFor } from '../harness/waitFor.js';
import { compareFrame, describeFailure, toleranceFor } from './decoding/compare.js';
import { loadReference, type ImageReference, type Sample } from './decoding/reference.js';
import { planRounds, type Round, type StudyInRound } from './decoding/rounds.js';
import { alertTexts, IMAGE_TIMEOUT_MS, openStudy, pickDisplayed, ViewerAbsent, viewerStatus, type ViewerStatus } from './decoding/viewerProbe.js';
import { HubSession, signInWithPassword } from './liveWorklistSupport.js';
import { running } from '../harness/running.js';

const root = path.resolve(import.meta.dirname, '../..');
const REPORT_DIR = path.join(root, '.tmp/e2e');

/** A StableStudy comes StableAge (1 s) after the last instance, then the 300 ms PACS poll and ingest: wide margin for a loaded 2-core machine. */
const INGEST_TIMEOUT_MS = 30_000;
const UI_TIMEOUT_MS = 15_000;
/** From status "shown" to displayedImage() non-null. */
const DISPLAYED_GRACE_MS = 2_000;

/** Admin (sees every tele-file, refused ones included) and radiologist (a reader opens the viewer). */
const VIEWER_USER = { username: 'dr.decodage', displayName: 'Dr Décodage (test)', password: 'pixels-comme-pydicom-42', roles: ['admin', 'radiologist'] };

/**
 * Files pydicom decodes that the viewer may show as "cannot be shown" (with
 * the clear message) instead of pixels. Each needs a reason; keep it short.
 * Empty: Cornerstone3D 5.x decodes every syntax among pydicom's decodable files.
 */
const KNOWN_UNSHOWABLE: ReadonlyMap<string, string> = new Map<string, string>([
  ['SC_jpeg_no_color_transform.dcm', 'JPEG baseline colour declared RGB: whether the colours were transformed is not recorded, and Cornerstone3D’s decoder converts where pydicom, GDCM and DCMTK do not (measured: wrong colours); refused by renderer/viewer/cornerstone/imageCheck.ts; Cornerstone3D’s colour JPEG decoder also never finishes on it (the viewer’s 15 s watchdog reports it)'],
  ['SC_jpeg_no_color_transform_2.dcm', 'JPEG baseline colour declared RGB: whether the colours were transformed is not recorded, and Cornerstone3D’s decoder converts where pydicom, GDCM and DCMTK do not (measured: wrong colours); refused by renderer/viewer/cornerstone/imageCheck.ts; Cornerstone3D’s colour JPEG decoder also never finishes on it (the viewer’s 15 s watchdog reports it)'],
  ['SC_rgb_jpeg_app14_dcmd.dcm', 'JPEG baseline colour declared RGB: whether the colours were transformed is not recorded, and Cornerstone3D’s decoder converts where pydicom, GDCM and DCMTK do not (measured: wrong colours); refused by renderer/viewer/cornerstone/imageCheck.ts; Cornerstone3D’s colour JPEG decoder also never finishes on it (the viewer’s 15 s watchdog reports it)'],
  ['SC_rgb_jpeg_lossy_gdcm.dcm', 'JPEG baseline colour declared RGB: whether the colours were transformed is not recorded, and Cornerstone3D’s decoder converts where pydicom, GDCM and DCMTK do not (measured: wrong colours); refused by renderer/viewer/cornerstone/imageCheck.ts'],
  ['SC_rgb_dcmtk_+eb+cr.dcm', 'JPEG baseline colour declared RGB: whether the colours were transformed is not recorded, and Cornerstone3D’s decoder converts where pydicom, GDCM and DCMTK do not (measured: wrong colours); refused by renderer/viewer/cornerstone/imageCheck.ts (this one happened to decode right: the rule cannot tell the files apart)'],
  ['liver_1frame.dcm', '1-bit pixel data: Cornerstone3D’s WADO-RS loader leaves it packed (1 value per 8 pixels); refused by the size check'],
  ['liver_expb_1frame.dcm', '1-bit pixel data (big endian, sent as little endian): left packed by the loader; refused by the size check'],
  ['SC_ybr_full_422_uncompressed.dcm', 'Orthanc 1.10 cannot extract frames of uncompressed YBR_FULL_422 ("Bad file format", HTTP 400, in any transfer syntax)'],
  ['SC_rgb_rle_16bit.dcm', '16-bit colour RLE: Cornerstone3D’s RLE decoder restores these samples wrongly (measured); refused by imageCheck.ts'],
  ['SC_rgb_rle_16bit_2frame.dcm', '16-bit colour RLE: Cornerstone3D’s RLE decoder restores these samples wrongly (measured); refused by imageCheck.ts'],
  ['SC_rgb_rle_32bit.dcm', '32-bit RLE: Cornerstone3D’s RLE decoder says "unsupported pixel format for RLE"'],
  ['SC_rgb_rle_32bit_2frame.dcm', '32-bit RLE: Cornerstone3D’s RLE decoder says "unsupported pixel format for RLE"'],
  ['rtdose_rle.dcm', '32-bit RLE: Cornerstone3D’s RLE decoder says "unsupported pixel format for RLE"'],
  ['rtdose_rle_1frame.dcm', '32-bit RLE: Cornerstone3D’s RLE decoder says "unsupported pixel format for RLE"'],
  ['rtdose_expb.dcm', '32-bit big endian: Orthanc 1.10 cannot send the frames as stored and converts them to little endian wrongly (measured); the hub refuses the conversion (hub/pacs/dicomwebAdapter.ts)'],
  ['rtdose_expb_1frame.dcm', '32-bit big endian: Orthanc 1.10 cannot send the frames as stored and converts them to little endian wrongly (measured); the hub refuses the conversion'],
  ['J2K_pixelrep_mismatch.dcm', 'the JPEG 2000 stream is unsigned where the file says signed; pydicom follows the file, the decoder the stream: refused by the signedness check'],
]);

/** Files pydicom decodes that the pivot Orthanc refuses to store (so no viewer can show them from it), each with the reason. */
const KNOWN_NOT_STORABLE: ReadonlyMap<string, string> = new Map<string, string>([
  [
    'SC_rgb_jpeg.dcm',
    'its file meta says JPEG Baseline (explicit VR) but the data set is encoded implicit VR: pydicom guesses and reads on, DCMTK (Orthanc, dcmdump) stops at a bogus 1.3 GB element; Orthanc answers 400 "Bad file format". Its SOP Instance UID is also SC_rgb_jpeg_dcmd.dcm’s, which is compared.',
  ],
]);

// The reference is needed to declare one test per round: load it while the file is collected (< 1 s).
const reference = await loadReference();
const rounds = planRounds(reference.images);

let orthanc: OrthancServer | undefined;
let hub: HubProcess | undefined;
let browser: LaunchedChromium | undefined;
let admin: HubSession | undefined;
let page: Page | undefined;
const timings: Record<string, number> = {};

type Outcome =
  | { kind: 'compared'; file: ImageReference; frames: string[]; notes: string[] }
  | { kind: 'failed'; file: ImageReference; problems: string[] }
  | { kind: 'cannot-show'; file: ImageReference; message: string; expected: boolean }
  /** Orthanc refused the upload: the file never reaches the viewer. */
  | { kind: 'not-stored'; file: ImageReference; message: string; expected: boolean };
const outcomes = new Map<string, Outcome>();
const outcomeKey = (file: ImageReference) => `${file.sopInstanceUid} ${file.path}`;
/** Set when the first study found no `window.vigieViewer` at all: the others would only wait as long to fail the same way. */
let viewerAbsent: ViewerAbsent | undefined;
/** Screenshots of the first studies that could not be checked, for a person to look at (.tmp/ is git-ignored). */
const MAX_SCREENSHOTS = 8;
let screenshots = 0;

beforeAll(async () => {
  const started = Date.now();
  await mkdir(REPORT_DIR, { recursive: true });
  const servers = (async () => {
    orthanc = await startOrthanc({ name: 'pivot', aet: 'PIVOT', stableAgeSeconds: 1 });
    hub = await startHubProcess({ env: { VIGIE_PACS_URL: orthanc.dicomWebUrl, VIGIE_PACS_POLL: '300ms', VIGIE_SECOND_FACTOR_ROLES: '' } });
    timings['orthanc + hub start'] = Date.now() - started;
    if (hub.process.logTail().includes('Building the web client')) console.log('decoding: the hub rebuilt the web client first (dist/web was older than its sources)');
  })();
  const chromium = (async () => {
    browser = await launchChromium({ locale: 'fr-FR', timezoneId: 'Europe/Paris', viewport: { width: 1280, height: 900 } });
    browser.context.setDefaultTimeout(UI_TIMEOUT_MS);
    browser.context.setDefaultNavigationTimeout(UI_TIMEOUT_MS);
    page = browser.page;
    // The hub serves frames as immutable for a year and metadata for a minute;
    // between rounds the same URLs name another copy of an instance. Decoding
    // is under test here, not caching: the HTTP cache is switched off.
    const cdp = await browser.context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  })();
  const results = await Promise.allSettled([servers, chromium]);
  timings['before all'] = Date.now() - started;
  for (const result of results) if (result.status === 'rejected') throw result.reason;
});

afterAll(async () => {
  console.log(`decoding timings (ms): ${JSON.stringify(timings)}`);
  await cleanUpAll([() => browser?.close(), () => hub?.dispose(), () => orthanc?.stop()]);
});

/** Empties the pivot Orthanc (the next round stores other copies of the same instances). */
async function emptyOrthanc(server: OrthancServer): Promise<void> {
  for (const id of await orthancGetJson<string[]>(server, '/studies')) {
    const response = await fetch(`${server.httpUrl}/studies/${id}`, { method: 'DELETE', signal: AbortSignal.timeout(30_000) });
    if (!response.ok) throw new Error(`DELETE /studies/${id} answered ${response.status}: ${await response.text()}`);
    await response.body?.cancel();
  }
}

/**
 * Uploads the round's files; returns the round as Orthanc holds it (without
 * the files it refused, each recorded with Orthanc's answer).
 */
async function storeRound(server: OrthancServer, round: Round): Promise<Round> {
  const stored: ImageReference[] = [];
  for (const file of round.files) {
    let result: UploadResult;
    try {
      result = await uploadInstance(server, await readFile(reference.absolute(file.path)));
    } catch (error) {
      const answer = (error as Error).message.replace(/\s+/g, ' ');
      outcomes.set(outcomeKey(file), { kind: 'not-stored', file, message: answer, expected: KNOWN_NOT_STORABLE.has(file.path) });
      continue;
    }
    // "AlreadyStored" would mean another copy is what Orthanc serves: the plan forbids it.
    expect(result.Status, `${file.path}: Orthanc's answer to the upload`).toBe('Success');
    // Orthanc answers metadata as plain text.
    const response = await fetch(`${server.httpUrl}/instances/${result.ID}/metadata/TransferSyntax`, { signal: AbortSignal.timeout(10_000) });
    expect((await response.text()).trim(), `${file.path}: the transfer syntax Orthanc stored`).toBe(file.transferSyntaxUid);
    stored.push(file);
  }
  const studies = round.studies.flatMap((study) => {
    const files = study.files.filter((f) => stored.includes(f));
    return files.length === 0 ? [] : [{ ...study, files }];
  });
  return { number: round.number, files: stored, studies };
}

/** The tele-file of each study of the round, once ingested (created in the first round that holds the study). */
async function teleFilesOf(round: Round): Promise<Map<string, string>> {
  const session = running(admin, 'the admin session');
  return waitFor(
    async () => {
      const items = (await session.getJson<TeleFileWorklist>('/api/worklist')).items;
      const byStudy = new Map(items.flatMap((item) => (item.studyInstanceUid === null ? [] : [[item.studyInstanceUid, item.id] as const])));
      return round.studies.every((s) => byStudy.has(s.studyInstanceUid)) ? byStudy : undefined;
    },
    { what: `a tele-file for each of the ${round.studies.length} studies of round ${round.number}`, timeoutMs: INGEST_TIMEOUT_MS, intervalMs: 250 },
  );
}

/** A screenshot of one of the first failures, for a person to look at (.tmp/ is git-ignored). */
async function snap(p: Page, label: string): Promise<void> {
  if (screenshots++ >= MAX_SCREENSHOTS) return;
  await p.screenshot({ path: path.join(REPORT_DIR, `decoding-failure-${label.replace(/[^\w.+-]/g, '_')}.png`) }).catch(() => undefined);
}

/** Whether an alert text names this file (its SOP Instance UID, or its instance number) and says something more. */
function namesFile(text: string, file: ImageReference): boolean {
  if (text.includes(file.sopInstanceUid)) return true;
  const instance = file.instanceNumber;
  return instance !== null && new RegExp(`\\b${instance}\\b`).test(text) && /s[ée]rie|series|image|instance/i.test(text);
}

interface Target {
  file: ImageReference;
  frame: number;
  samples: Sample[];
}

/**
 * Opens the study and walks down its series once (ArrowDown), comparing each
 * sampled frame as it passes: frame 1 of every file, and the last frame of a
 * multi-frame file.
 */
async function checkStudy(p: Page, teleFileId: string, study: StudyInRound): Promise<void> {
  const targets = new Map<string, Target>();
  for (const file of study.files) {
    targets.set(`${file.sopInstanceUid}#1`, { file, frame: 1, samples: file.frame1 });
    if (file.lastFrame && file.decodedFrames > 1) targets.set(`${file.sopInstanceUid}#${file.decodedFrames}`, { file, frame: file.decodedFrames, samples: file.lastFrame });
  }
  const compared = new Map<string, string[]>();
  const notes = new Map<string, string[]>();
  const failed = new Map<string, string[]>();
  const record = (map: Map<string, string[]>, file: ImageReference, line: string) => map.set(file.sopInstanceUid, [...(map.get(file.sopInstanceUid) ?? []), line]);
  const fail = async (file: ImageReference, line: string) => {
    record(failed, file, line);
    await snap(p, `${path.basename(file.path)}`);
  };

  const opened = await openStudy(p, teleFileId, new Set(study.files.map((f) => f.sopInstanceUid)));
  let status: ViewerStatus = opened.status;
  const seen: string[] = [];
  let stopped = '';
  try {
    for (let step = 0; ; step++) {
      const key = `${status.sopInstanceUid ?? '?'}#${status.frameNumber ?? 1}`;
      seen.push(`${status.imageIndex ?? '?'}:${key}:${status.state}`);
      const target = targets.get(key);
      if (target) {
        targets.delete(key);
        const { file } = target;
        if (status.state === 'error') {
          // The status changes at once, the page draws the alert on its next frame: give it a moment.
          const alerts = await waitFor(
            async () => {
              const texts = await alertTexts(p);
              return texts.some((a) => namesFile(a, file)) ? texts : undefined;
            },
            { what: 'an alert naming the file', timeoutMs: DISPLAYED_GRACE_MS, intervalMs: 50 },
          ).catch(() => alertTexts(p));
          const message = alerts.find((a) => namesFile(a, file)) ?? alerts.join(' | ');
          const expected = KNOWN_UNSHOWABLE.has(file.path);
          if (!namesFile(message, file)) await fail(file, `cannot be shown, but no role="alert" names it (SOP UID or series/instance number): ${JSON.stringify(alerts)}; status ${JSON.stringify(status)}`);
          else outcomes.set(outcomeKey(file), { kind: 'cannot-show', file, message, expected });
        } else {
          // "shown" and the image object may be set in two steps: give it a moment.
          const shown = await waitFor(() => pickDisplayed(p, target.samples), { what: 'displayedImage()', timeoutMs: DISPLAYED_GRACE_MS, intervalMs: 50 }).catch(() => null);
          if (!shown) await fail(file, `frame ${target.frame}: the viewer says "shown" but displayedImage() stayed null for ${DISPLAYED_GRACE_MS} ms (status ${JSON.stringify(status)})`);
          else {
            const comparison = compareFrame(file, target.samples, shown);
            if (comparison.ok) {
              record(compared, file, `frame ${target.frame}`);
              record(notes, file, `frame ${target.frame}: max |diff| ${comparison.maxDiff}, ${comparison.withinTypical}/${comparison.compared} within ±${toleranceFor(file).typicalAbs}, as ${comparison.matchedAs}`);
            } else await fail(file, describeFailure(file, `frame ${target.frame}`, comparison));
          }
        }
      }
      const count = status.imageCount ?? 0;
      if (targets.size === 0 || step + 1 >= count) break;
      const before = status.imageIndex;
      await p.keyboard.press('ArrowDown');
      let last: ViewerStatus | null = null;
      status = await waitFor(
        async () => {
          const s = await viewerStatus(p);
          last = s;
          return s && s.imageIndex !== before && (s.state === 'shown' || s.state === 'error') ? s : undefined;
        },
        { what: `the viewer to move on from image index ${before ?? '?'} with ArrowDown`, timeoutMs: IMAGE_TIMEOUT_MS, intervalMs: 50 },
      ).catch((error: unknown) => {
        throw new Error(`${(error as Error).message}; last status ${JSON.stringify(last)}`, { cause: error });
      });
    }
  } catch (error) {
    stopped = `; stopped: ${(error as Error).message}`;
  }
  for (const target of targets.values()) record(failed, target.file, `frame ${target.frame} was never shown walking down the series (seen: ${seen.join(', ')})${stopped}`);

  for (const file of study.files) {
    const id = outcomeKey(file);
    const problems = failed.get(file.sopInstanceUid);
    if (problems) outcomes.set(id, { kind: 'failed', file, problems });
    else if (!outcomes.has(id)) outcomes.set(id, { kind: 'compared', file, frames: compared.get(file.sopInstanceUid) ?? [], notes: notes.get(file.sopInstanceUid) ?? [] });
  }
}

describe('decoding: pydicom’s test files, stored in the pivot Orthanc and shown in the viewer', () => {
  it('pydicom decodes a known set of its own test files', () => {
    const count = (kind: string) => reference.entries.filter((e) => e.kind === kind).length;
    console.log(
      `decoding: pydicom ${reference.environment.pydicom} (${reference.environment.handlers.join(', ')}): ${reference.images.length} decodable image files, ` +
        `${count('undecodable')} undecodable, ${count('no-pixel-data')} without pixel data, ${count('not-dicom')} not DICOM; ${rounds.length} rounds`,
    );
    // Debian's pydicom 2.3 ships ~75 decodable images; far fewer means the
    // generator or the handlers broke, and the test would prove little.
    expect(reference.images.length).toBeGreaterThanOrEqual(60);
    expect(reference.environment.handlers).toEqual(expect.arrayContaining(['numpy_handler', 'pillow_handler', 'rle_handler']));
    for (const path of KNOWN_NOT_STORABLE.keys()) expect(reference.images.map((i) => i.path), 'a known exception that is no longer a decodable file').toContain(path);
    for (const path of KNOWN_UNSHOWABLE.keys()) expect(reference.images.map((i) => i.path), 'a known exception that is no longer a decodable file').toContain(path);
  });

  it('an admin who is also a radiologist signs in in Chromium', async () => {
    const theHub = running(hub, 'the hub');
    const p = running(page, 'Chromium');
    const adminAccount = await theHub.account('admin');
    admin = await HubSession.signIn(theHub.url, adminAccount.username, adminAccount.password);
    const created = await admin.request('POST', '/api/admin/users', { username: VIEWER_USER.username, displayName: VIEWER_USER.displayName, roles: VIEWER_USER.roles, password: VIEWER_USER.password });
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    await p.goto(theHub.url);
    await signInWithPassword(p, VIEWER_USER.username, VIEWER_USER.password);
    await p.getByTestId('worklist').waitFor({ state: 'visible' });
  });

  for (const round of rounds) {
    it(`round ${round.number}: ${round.files.length} files in ${round.studies.length} studies are stored, opened and compared`, async () => {
      const server = running(orthanc, 'the pivot Orthanc');
      const p = running(page, 'Chromium');
      const started = Date.now();
      await emptyOrthanc(server);
      const held = await storeRound(server, round);
      timings[`round ${round.number} store`] = Date.now() - started;
      const teleFiles = await teleFilesOf(held);
      timings[`round ${round.number} ingest`] = Date.now() - started;
      // A new document: Cornerstone's image cache holds the last round's copies under the same image ids.
      if (round.number > 1) {
        // Leave the viewer first, so the new document does not start on a study being replaced.
        await p.evaluate(() => {
          window.location.hash = '#/';
        });
        await p.reload();
        await p.getByTestId('worklist').waitFor({ state: 'visible' });
      }
      for (const study of held.studies) {
        const teleFileId = teleFiles.get(study.studyInstanceUid);
        if (!teleFileId) throw new Error(`no tele-file for study ${study.studyInstanceUid}`);
        try {
          if (viewerAbsent) throw new ViewerAbsent(`not opened: the viewer was absent for an earlier study (${viewerAbsent.message})`);
          await checkStudy(p, teleFileId, study);
        } catch (error) {
          const repeated = viewerAbsent !== undefined;
          if (!repeated) await snap(p, `round${round.number}-${path.basename(study.files[0]?.path ?? 'study')}`);
          let message = (error as Error).message;
          if (error instanceof ViewerAbsent && !repeated) {
            // Why the page has no viewer is usually in its own errors.
            const chromium = running(browser, 'Chromium');
            message += `; page errors ${JSON.stringify(chromium.pageErrors.slice(-3))}; console errors ${JSON.stringify(chromium.consoleErrors.slice(-3))}`;
            viewerAbsent = new ViewerAbsent(message);
          }
          for (const file of study.files) outcomes.set(outcomeKey(file), { kind: 'failed', file, problems: [message] });
        }
      }
      timings[`round ${round.number}`] = Date.now() - started;
      const lines = round.files.flatMap((file) => {
        const outcome = outcomes.get(outcomeKey(file));
        if (!outcome) return [`${file.path}: not checked`];
        if (outcome.kind === 'failed') return outcome.problems.map((problem) => `${file.path} [${file.transferSyntaxName ?? file.transferSyntaxUid}]: ${problem}`);
        if (outcome.kind === 'not-stored' && !outcome.expected) return [`${file.path} [${file.transferSyntaxName ?? file.transferSyntaxUid}]: the pivot Orthanc refused it: ${outcome.message}`];
        if (outcome.kind === 'cannot-show' && !outcome.expected) return [`${file.path} [${file.transferSyntaxName ?? file.transferSyntaxUid}]: pydicom decodes it but the viewer says it cannot: ${outcome.message}`];
        return [];
      });
      expect(lines, `round ${round.number}: files not shown as pydicom decodes them`).toEqual([]);
    });
  }

  it('every decodable file was compared (or is a known exception shown with its message), and the page had no uncaught error', async () => {
    const all = [...outcomes.values()];
    const report = {
      pydicom: reference.environment,
      rounds: rounds.map((r) => ({ number: r.number, files: r.files.map((f) => f.path) })),
      outcomes: all.map((o) => ({
        path: o.file.path,
        transferSyntax: o.file.transferSyntaxName,
        photometric: o.file.photometric,
        tolerance: toleranceFor(o.file).name,
        kind: o.kind,
        ...(o.kind === 'compared' ? { frames: o.frames, notes: o.notes } : o.kind === 'failed' ? { problems: o.problems } : { message: o.message, expected: o.expected }),
      })),
      undecodable: reference.entries.flatMap((e) => (e.kind === 'undecodable' ? [{ path: e.path, reason: e.reason }] : [])),
      timings,
    };
    await mkdir(REPORT_DIR, { recursive: true });
    await writeFile(path.join(REPORT_DIR, 'decoding-report.json'), JSON.stringify(report, null, 2));
    const tally = (kind: Outcome['kind']) => all.filter((o) => o.kind === kind).length;
    console.log(`decoding: ${reference.images.length} decodable, ${all.length} checked: ${tally('compared')} compared, ${tally('cannot-show')} shown as "cannot be shown", ${tally('not-stored')} refused by Orthanc, ${tally('failed')} failed (report: .tmp/e2e/decoding-report.json)`);
    expect(all.length, 'every decodable file was stored and opened').toBe(reference.images.length);
    const unexpected = all.filter((o) => o.kind === 'failed' || ((o.kind === 'not-stored' || o.kind === 'cannot-show') && !o.expected));
    expect(unexpected.map((o) => `${o.file.path}: ${o.kind}`), 'files neither compared nor a known exception').toEqual([]);
    expect(running(browser, 'Chromium').pageErrors, 'uncaught errors in the page').toEqual([]);
  });
});
