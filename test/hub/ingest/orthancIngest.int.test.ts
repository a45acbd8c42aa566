/**
 * Ingest from a real pivot Orthanc into the hub running as a process:
 * hub/main.ts as `npm start` runs it, minus the web-client build
 * (test/harness/hub.ts `withoutWebBuild` says why). VIGIE_PACS_URL selects the DicomwebAdapter on
 * Orthanc's change feed; the demo organisation routes DEMO_NORD / DEMO_SUD to
 * pool-demo, where dr.lefebvre and dr.moreau are on call. Studies come from
 * the generated demo set and are sent by dcmtk's storescu with the requesting
 * site's calling AE title.
 *
 * One Orthanc and one hub data directory serve the whole file; the tests run
 * in order and build on each other (the hub is killed and restarted, Orthanc
 * too), and every step checks that what earlier steps created is still single.
 */
import { cleanUpAll } from '../../harness/cleanup.js';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TeleFileSummary } from '../../../core/api/teleFiles.js';
import { generateDemoStudies, type DemoStudySummary } from '../../../hub/demo/demoStudies.js';
import { orthancGetJson, startOrthanc, storeWithStorescu, type OrthancServer } from '../../harness/orthanc.js';
import { makeTempDir, removeTempDir } from '../../harness/tempDir.js';
import { waitFor } from '../../harness/waitFor.js';
import { dcmFiles } from '../pacs/pacsTestSupport.js';
import { HubApi } from './hubApi.js';
import { startHubProcess, type HubProcess } from '../../harness/hub.js';

/** StableAge 1 s: StableStudy about 1–2 s after the last instance; the hub polls every 500 ms. */
const STABLE_AGE_SECONDS = 1;
/** From storescu's return to a tele-file on the worklist (stable age + poll + describe, with a wide margin for a loaded 2-core machine). */
const INGEST_TIMEOUT_MS = 20_000;

let demoDir: string | undefined;
let hubDataDir: string | undefined;
let first: DemoStudySummary[] = [];
let second: DemoStudySummary[] = [];
let orthanc: OrthancServer | undefined;
let hub: HubProcess | undefined;
let api: HubApi;
/** Tele-file id per StudyInstanceUID as first seen: a later step must find the same one. */
const teleFileIds = new Map<string, string>();
const timings: Record<string, number> = {};

function pivot(): OrthancServer {
  if (!orthanc) throw new Error('the pivot Orthanc did not start');
  return orthanc;
}

function demoStudy(set: readonly DemoStudySummary[], description: RegExp): DemoStudySummary {
  const found = set.find((s) => description.test(s.description));
  if (!found) throw new Error(`no demo study matching ${String(description)} in ${set.map((s) => s.description).join(', ')}`);
  return found;
}
const headCt = (set = first) => demoStudy(set, /CEREBRAL/);
const chestDx = (set = first) => demoStudy(set, /THORAX/);
const abdomenCt = (set = first) => demoStudy(set, /ABDOMINAL SANS/);
const ultrasound = (set = first) => demoStudy(set, /ECHOGRAPHIE/);

/** Starts the hub process on the file's data directory (a restart keeps the database). */
async function startHub(): Promise<HubProcess> {
  const started = Date.now();
  if (!hubDataDir) throw new Error('no data directory for the hub');
  hub = await startHubProcess({
    withoutWebBuild: true,
    dataDir: hubDataDir,
    env: {
      VIGIE_PACS_URL: pivot().dicomWebUrl,
      VIGIE_SECOND_FACTOR_ROLES: '',
      VIGIE_PACS_POLL: '500ms',
      VIGIE_LOG_LEVEL: 'warn',
    },
  });
  api = new HubApi(hub);
  timings[`hub start ${Object.keys(timings).filter((k) => k.startsWith('hub start')).length + 1}`] = Date.now() - started;
  return hub;
}

function runningHub(): HubProcess {
  if (!hub) throw new Error('the hub is not running');
  return hub;
}

async function store(files: string[], callingAet: string): Promise<void> {
  await storeWithStorescu(pivot(), files, { callingAet, timeoutMs: 60_000 });
}

async function instancesInOrthanc(): Promise<number> {
  return (await orthancGetJson<{ CountInstances: number }>(pivot(), '/statistics')).CountInstances;
}

/**
 * Waits until the study has tele-files on the admin's worklist and `until`
 * holds, then returns them all (a duplicate is returned, not hidden, so the
 * caller's `toHaveLength(1)` fails with the evidence).
 */
async function teleFilesOnceThere(study: DemoStudySummary, what: string, until: (files: TeleFileSummary[]) => boolean = () => true): Promise<TeleFileSummary[]> {
  return waitFor(
    async () => {
      const files = await api.teleFilesOf(study.studyInstanceUid);
      return files.length > 0 && until(files) ? files : undefined;
    },
    { what: `${what} (study ${study.studyInstanceUid})`, timeoutMs: INGEST_TIMEOUT_MS, intervalMs: 250 },
  );
}

/** Every study sent so far has exactly one tele-file, the one first seen, and one `tele-file.created` audit row. */
async function expectEachStudySingle(studies: readonly DemoStudySummary[]): Promise<TeleFileSummary[]> {
  const worklist = await api.worklist('admin');
  const perUid = new Map<string, TeleFileSummary[]>();
  // Tele-files announced before their images have no study yet: not this check's concern.
  for (const file of worklist) if (file.studyInstanceUid !== null) perUid.set(file.studyInstanceUid, [...(perUid.get(file.studyInstanceUid) ?? []), file]);
  const counts = Object.fromEntries([...perUid].map(([uid, files]) => [uid, files.length]));
  expect(counts).toEqual(Object.fromEntries(studies.map((s) => [s.studyInstanceUid, 1])));
  for (const study of studies) {
    const id = teleFileIds.get(study.studyInstanceUid);
    if (id !== undefined) expect(perUid.get(study.studyInstanceUid)?.[0]?.id, `tele-file of ${study.description}`).toBe(id);
  }
  const created = await api.createdAuditRows();
  const createdPerFile = new Map<string, number>();
  for (const row of created) createdPerFile.set(row.targetId ?? '?', (createdPerFile.get(row.targetId ?? '?') ?? 0) + 1);
  expect(Object.fromEntries(createdPerFile)).toEqual(Object.fromEntries(worklist.map((f) => [f.id, 1])));
  return worklist;
}

/**
 * storescu the study, SIGKILL Orthanc before its StableStudy (StableAge 1 s
 * after the last instance), restart it, and check the premise: Orthanc holds
 * every instance and its change log has no StableStudy for the study (a
 * killed Orthanc never emits it). `whileDown` runs between the kill and the
 * restart. Returns when Orthanc answered again.
 */
async function sendThenKillOrthancBeforeStable(study: DemoStudySummary, callingAet: string, whileDown: () => Promise<void> = async () => undefined): Promise<number> {
  const files = await dcmFiles(study.folder);
  await store(files, callingAet);
  const stored = Date.now();
  await pivot().kill();
  const killedAfterMs = Date.now() - stored;
  timings[`storescu return → Orthanc killed (${study.description})`] = killedAfterMs;
  expect(killedAfterMs, 'Orthanc killed before StableAge ran out').toBeLessThan(STABLE_AGE_SECONDS * 1000 - 300);
  await whileDown();
  await pivot().restart();
  const backAt = Date.now();

  const lookup = await fetch(`${pivot().httpUrl}/tools/lookup`, { method: 'POST', body: study.studyInstanceUid, signal: AbortSignal.timeout(5_000) });
  const [match] = (await lookup.json()) as { ID: string; Type: string }[];
  expect(match?.Type).toBe('Study');
  const series = await orthancGetJson<{ Instances: string[] }[]>(pivot(), `/studies/${match?.ID}/series`);
  expect(series.flatMap((s) => s.Instances)).toHaveLength(files.length);
  const changes = await orthancGetJson<{ Changes: { ChangeType: string; ID: string }[] }>(pivot(), '/changes?since=0&limit=100000');
  expect(changes.Changes.filter((c) => c.ChangeType === 'StableStudy' && c.ID === match?.ID), 'StableStudy changes of the study').toEqual([]);
  return backAt;
}

const PACS_WARNING = 'PACS ingest problem';
function pacsWarnings(hubProcess: HubProcess): number {
  return hubProcess.process.logTail().split('\n').filter((line) => line.includes(PACS_WARNING)).length;
}

/** Waits until the hub has logged one more "PACS ingest problem" warning than `before`: it noticed the PACS is down. */
async function hubNoticedPacsDown(hubProcess: HubProcess, before: number): Promise<void> {
  await waitFor(() => pacsWarnings(hubProcess) > before, { what: `a "${PACS_WARNING}" warning in the hub log while Orthanc is down`, timeoutMs: 10_000, intervalMs: 100 });
}

function remember(study: DemoStudySummary, file: TeleFileSummary): void {
  teleFileIds.set(study.studyInstanceUid, file.id);
}

beforeAll(async () => {
  const started = Date.now();
  demoDir = await makeTempDir('ingest-demo');
  hubDataDir = await makeTempDir('ingest-hub');
  const dir = demoDir;
  // Orthanc and the hub start in their own processes while this one renders the demo studies.
  const servers = startOrthanc({ name: 'pivot', aet: 'PIVOT', stableAgeSeconds: STABLE_AGE_SECONDS }).then(async (server) => {
    orthanc = server;
    await startHub();
  });
  const studies = (async () => {
    first = await generateDemoStudies({ folder: join(dir, 'seed-1'), seed: 1 });
    // A second set with new UIDs for the Orthanc crash tests; a short head CT is enough there.
    second = await generateDemoStudies({ folder: join(dir, 'seed-2'), seed: 2, headCtSlices: 16 });
  })();
  const results = await Promise.allSettled([servers, studies]);
  timings['before all'] = Date.now() - started;
  for (const result of results) if (result.status === 'rejected') throw result.reason;
});

afterAll(async () => {
  console.log(`orthancIngest timings (ms): ${JSON.stringify(timings)}`);
  // The data directory goes below: no need for a graceful shutdown.
  await cleanUpAll([
    () => hub?.process.kill(),
    () => orthanc?.stop(),
    () => (hubDataDir ? removeTempDir(hubDataDir) : undefined),
    () => (demoDir ? removeTempDir(demoDir) : undefined),
  ]);
});

describe('ingest from a real pivot Orthanc into the hub process', () => {
  it('a chest radiograph sent by DEMO_SUD becomes one tele-file routed to the demo pool, audited once', async () => {
    const started = Date.now();
    const chest = chestDx();
    await store(await dcmFiles(chest.folder), 'DEMO_SUD');
    const files = await teleFilesOnceThere(chest, 'the chest radiograph’s tele-file');
    timings['chest: storescu → worklist'] = Date.now() - started;

    expect(files).toHaveLength(1);
    const [file] = files as [TeleFileSummary];
    remember(chest, file);
    expect(file).toMatchObject({
      status: 'routed',
      requestingSite: { id: 'ch-demo-sud' },
      target: { kind: 'pivot-group', id: 'pool-demo', name: 'Pool démo' },
      modalities: ['DX'],
      modalityFamily: 'conventional',
      numberOfInstances: 1,
      refusal: null,
      patient: { patientId: 'DEMO-0002', issuer: 'CH-DEMO-SUD' },
    });
    expect(file.routingExplanation?.en).toContain('→ pool Pool démo');
    expect(file.routingExplanation?.en).toMatch(/on call: .*Lefebvre.*Moreau|on call: .*Moreau.*Lefebvre/);
    expect(file.routingExplanation?.fr).toContain('→ pool Pool démo');

    const created = (await api.createdAuditRows()).filter((row) => row.targetId === file.id);
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({ actorName: 'system', outcome: 'success', details: { modalities: ['DX'], instances: 1 } });

    // The readers on call for the pool see it.
    expect((await api.teleFilesOf(chest.studyInstanceUid, 'dr.lefebvre')).map((f) => f.id)).toEqual([file.id]);
  });

  it('an ultrasound study is refused with its reason, shown to the admin only', async () => {
    const us = ultrasound();
    await store(await dcmFiles(us.folder), 'DEMO_SUD');
    const files = await teleFilesOnceThere(us, 'the ultrasound’s tele-file');

    expect(files).toHaveLength(1);
    const [file] = files as [TeleFileSummary];
    remember(us, file);
    expect(file).toMatchObject({ status: 'refused', requestingSite: { id: 'ch-demo-sud' }, target: null, modalities: ['US'], numberOfInstances: us.instanceCount });
    expect(file.refusal?.code).toBe('ultrasound-not-remote');
    expect(file.refusal?.text.en).not.toBe('');
    expect(file.refusal?.text.fr).not.toBe('');
    expect((await api.createdAuditRows()).filter((row) => row.targetId === file.id)).toHaveLength(1);

    for (const reader of ['dr.lefebvre', 'dr.moreau']) {
      const worklist = await api.worklist(reader);
      expect(worklist.map((f) => f.studyInstanceUid), `${reader}'s worklist`).toContain(chestDx().studyInstanceUid);
      expect(worklist.map((f) => f.studyInstanceUid), `${reader}'s worklist`).not.toContain(us.studyInstanceUid);
    }
    // Nor by its address.
    expect((await api.get(`/api/tele-files/${file.id}`, 'dr.lefebvre')).status).toBe(403);
    expect((await api.get(`/api/tele-files/${file.id}`, 'admin')).status).toBe(200);
  });

  it('a study sent in two halves stays one tele-file and ends with every instance counted', async () => {
    const started = Date.now();
    const head = headCt();
    const files = await dcmFiles(head.folder);
    expect(files).toHaveLength(64);

    await store(files.slice(0, 32), 'DEMO_NORD');
    const firstHalf = await teleFilesOnceThere(head, 'the head CT’s tele-file after its first half');
    expect(firstHalf).toHaveLength(1);
    const [file] = firstHalf as [TeleFileSummary];
    remember(head, file);
    expect(file).toMatchObject({ status: 'routed', requestingSite: { id: 'ch-demo-nord' }, target: { id: 'pool-demo' }, numberOfInstances: 32 });

    await store(files.slice(32), 'DEMO_NORD');
    const whole = await teleFilesOnceThere(head, 'the head CT’s tele-file counting 64 instances', (found) => found.some((f) => f.numberOfInstances === 64));
    timings['head CT in two halves'] = Date.now() - started;
    expect(whole).toHaveLength(1);
    expect(whole[0]).toMatchObject({ id: file.id, status: 'routed', numberOfInstances: 64, modalities: ['CT'] });
    expect(whole[0]?.version).toBeGreaterThan(file.version);

    await expectEachStudySingle([chestDx(), ultrasound(), head]);
  });

  it('a hub killed while a study is being sent creates it once after restart; nothing earlier is doubled', async () => {
    const abdomen = abdomenCt();
    const files = await dcmFiles(abdomen.folder);
    const before = await instancesInOrthanc();

    let sendingDone = false;
    const sendStarted = Date.now();
    const sending = store(files, 'DEMO_NORD').finally(() => {
      sendingDone = true;
      timings['abdomen CT storescu (40 instances)'] = Date.now() - sendStarted;
    });
    sending.catch(() => undefined); // awaited below; no unhandled rejection meanwhile
    await waitFor(async () => (await instancesInOrthanc()) > before, { what: 'the first abdomen CT instances in Orthanc', timeoutMs: 30_000, intervalMs: 20 });
    await runningHub().process.kill();
    const killedMidSend = !sendingDone;
    await sending;
    expect(await instancesInOrthanc()).toBe(before + files.length);
    // The point of the test: the hub died with the study half-sent.
    expect(killedMidSend, 'storescu was still sending when the hub was killed').toBe(true);

    const restarted = Date.now();
    await startHub();
    const found = await teleFilesOnceThere(abdomen, 'the abdomen CT’s tele-file after the hub restart', (f) => f.some((x) => x.numberOfInstances === files.length));
    timings['hub restart → abdomen on worklist'] = Date.now() - restarted;
    expect(found).toHaveLength(1);
    const [file] = found as [TeleFileSummary];
    remember(abdomen, file);
    expect(file).toMatchObject({ status: 'routed', requestingSite: { id: 'ch-demo-nord' }, target: { id: 'pool-demo' }, numberOfInstances: 40 });

    await expectEachStudySingle([chestDx(), ultrasound(), headCt(), abdomen]);
  });

  it('while Orthanc is down the hub stays up and says so in /api/health and its log; after a restart new studies flow again', async () => {
    const hubNow = runningHub();
    const warningsBefore = pacsWarnings(hubNow);
    // A hub just restarted reports the PACS reachable once its first poll has succeeded.
    const before = await waitFor(
      async () => {
        const body = (await (await fetch(`${hubNow.url}/api/health`, { signal: AbortSignal.timeout(5_000) })).json()) as { pacs?: { reachable?: boolean } };
        return body.pacs?.reachable ? body : null;
      },
      { what: 'the hub to report the PACS reachable', timeoutMs: 30_000, intervalMs: 200 },
    );
    expect(before).toMatchObject({ status: 'ok', database: 'ok', pacs: { reachable: true, lastError: null } });
    await pivot().kill();

    // The worklist still answers from the hub's database.
    expect(await api.worklist('admin')).toHaveLength(4);
    await hubNoticedPacsDown(hubNow, warningsBefore);
    const health = await fetch(`${hubNow.url}/api/health`, { signal: AbortSignal.timeout(5_000) });
    expect(health.status).toBe(200);
    const body = (await health.json()) as { status: string; pacs: { reachable: boolean; lastError: string | null } };
    expect(body).toMatchObject({ status: 'degraded', database: 'ok', pacs: { reachable: false } });
    expect(body.pacs.lastError).toContain('does not answer');

    const restarted = Date.now();
    await pivot().restart();
    const chest2 = chestDx(second);
    await store(await dcmFiles(chest2.folder), 'DEMO_SUD');
    const files = await teleFilesOnceThere(chest2, 'the second chest radiograph’s tele-file after the Orthanc restart');
    timings['orthanc restart → new study on worklist'] = Date.now() - restarted;
    expect(files).toHaveLength(1);
    remember(chest2, files[0] as TeleFileSummary);
    expect(files[0]).toMatchObject({ status: 'routed', requestingSite: { id: 'ch-demo-sud' } });
  });

  it('a study whose StableStudy an Orthanc kill swallowed reaches the running hub once Orthanc is back', async () => {
    const head2 = headCt(second);
    const hubNow = runningHub();
    const warningsBefore = pacsWarnings(hubNow);
    // Orthanc stays down until the hub has seen it down: the hub reconciles when its poll recovers from an error.
    // An outage shorter than one poll interval is not seen at all (see the todo below).
    const backAt = await sendThenKillOrthancBeforeStable(head2, 'DEMO_NORD', () => hubNoticedPacsDown(hubNow, warningsBefore));
    const found = await teleFilesOnceThere(head2, 'the second head CT’s tele-file from the running hub after the Orthanc restart');
    timings['orthanc back → swallowed study on worklist (running hub)'] = Date.now() - backAt;
    expect(found).toHaveLength(1);
    remember(head2, found[0] as TeleFileSummary);
    expect(found[0]).toMatchObject({ status: 'routed', requestingSite: { id: 'ch-demo-nord' }, target: { id: 'pool-demo' }, numberOfInstances: head2.instanceCount });
  });

  // Orthanc killed right after a store and restarted between two polls: the hub never gets an error, so it never
  // reconciles, and Orthanc never emits the StableStudy: the study stays without a tele-file until the next hub
  // restart (checked by hand with VIGIE_PACS_POLL=15s: nothing after 40 s, created at once by a hub restart).
  // Needs a periodic reconciliation, or a sweep of studies seen in NewInstance/NewSeries changes without a
  // StableStudy, before it can be tested here.
  it.todo('a study swallowed by an Orthanc restart shorter than one poll interval still gets its tele-file');

  it('a study swallowed by an Orthanc kill while the hub was down is created by the hub’s start-up reconciliation; every study has exactly one tele-file', async () => {
    const abdomen2 = abdomenCt(second);
    await runningHub().stop();
    await sendThenKillOrthancBeforeStable(abdomen2, 'DEMO_NORD');

    const restarted = Date.now();
    await startHub();
    const found = await teleFilesOnceThere(abdomen2, 'the second abdomen CT’s tele-file after the hub’s start-up reconciliation');
    timings['hub restart → reconciled study on worklist'] = Date.now() - restarted;
    expect(found).toHaveLength(1);
    remember(abdomen2, found[0] as TeleFileSummary);
    expect(found[0]).toMatchObject({ status: 'routed', requestingSite: { id: 'ch-demo-nord' }, target: { id: 'pool-demo' }, numberOfInstances: abdomen2.instanceCount });

    const sent = [chestDx(), ultrasound(), headCt(), abdomenCt(), chestDx(second), headCt(second), abdomen2];
    const all = await expectEachStudySingle(sent);
    expect(all).toHaveLength(sent.length);
  });
});
