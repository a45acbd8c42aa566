// Ingest delay: from the last instance stored into the pivot PACS to the
// tele-file routed on the hub, against the PACS's own stability delay.
//
// A real Orthanc (StableAge 2 s: it declares a study complete once no instance
// arrived for 2 s) and the hub as `npm start` runs it, reading Orthanc's change
// feed every 250 ms. storescu (playing the requesting site's modality) sends a
// study from the generated demo set; t0 = storescu returned (the association
// is released: Orthanc has every instance). The tele-file is then watched
// through the admin's GET /api/worklist every 50 ms until it is routed.
//
// Figures per run: "routed at" (the tele-file's updatedAt, written by the hub
// in the routing transaction, on this machine's clock − t0's wall-clock time),
// "seen" (the worklist poll that first showed it: ≤ 50 ms late), and when
// Orthanc's own change feed first showed the study stable (polled every 25 ms).
// delay − StableAge = what is added to the PACS's stability delay: Orthanc's
// stability check granularity, then the hub's part (routed − Orthanc stable):
// its change-feed poll, the DICOMweb metadata reads and the routing transaction.
import path from 'node:path';
import { readdir } from 'node:fs/promises';
import { generateDemoStudies, type DemoStudySummary } from '../hub/demo/demoStudies.js';
import { startHubProcess, type HubProcess } from '../test/harness/hub.js';
import { orthancGetJson, startOrthanc, storeWithStorescu, type OrthancServer } from '../test/harness/orthanc.js';
import { makeTempDir, removeTempDir } from '../test/harness/tempDir.js';
import { request, signIn } from './benchHub.js';
import { check, sleep } from './stats.js';

export const STABLE_AGE_SECONDS = 2;
const PACS_POLL = '250ms';
const WATCH_EVERY_MS = 50;

export interface IngestRun {
  study: string;
  instances: number;
  /** When Orthanc's change feed first showed StableStudy (polled every 25 ms). */
  stableMs: number;
  seenMs: number;
  routedMs: number;
}

export interface IngestDelayFigures {
  stableAgeMs: number;
  pacsPoll: string;
  runs: IngestRun[];
}

async function dcmFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.dcm'))
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}

interface WorklistItem {
  studyInstanceUid: string;
  status: string;
  updatedAt: string;
  target: { id: string } | null;
}

export async function measureIngestDelay(options: { seeds: number[] }): Promise<IngestDelayFigures> {
  const demoDir = await makeTempDir('bench-ingest-demo');
  let orthanc: OrthancServer | undefined;
  let hub: HubProcess | undefined;
  try {
    // Generation (CPU) overlaps the start of Orthanc and of the hub.
    const generated = Promise.all(options.seeds.map((seed) => generateDemoStudies({ folder: path.join(demoDir, `seed-${seed}`), seed, headCtSlices: 16 })));
    orthanc = await startOrthanc({ name: 'bench-pivot', stableAgeSeconds: STABLE_AGE_SECONDS });
    hub = await startHubProcess({ env: { VIGIE_PACS_URL: orthanc.dicomWebUrl, VIGIE_PACS_POLL: PACS_POLL, VIGIE_SECOND_FACTOR_ROLES: '', VIGIE_LOG_LEVEL: 'warn' } });
    const admin = (await hub.demoAccounts()).find((a) => a.roles.includes('admin'));
    if (!admin) throw new Error('no demo admin in demo-accounts.json');
    const cookie = await signIn(hub.url, admin.username, admin.password);
    const sets = await generated;

    // The chest radiograph of each seed (one instance), then one multi-slice head CT.
    const studies: DemoStudySummary[] = sets.map((set) => set.find((s) => s.modality === 'DX') as DemoStudySummary);
    const headCt = sets[0]?.find((s) => s.modality === 'CT' && s.instanceCount === 16);
    if (headCt) studies.push(headCt);

    const runs: IngestRun[] = [];
    for (const study of studies) {
      check(study !== undefined, 'a demo study is missing');
      const files = await dcmFiles(study.folder);
      check(files.length === study.instanceCount, `expected ${study.instanceCount} files for the ${study.modality} study, found ${files.length}`);
      const site = study.issuerOfPatientId === 'CH-DEMO-SUD' ? 'DEMO_SUD' : 'DEMO_NORD';
      const changesBefore = (await orthancGetJson<{ Last: number }>(orthanc, '/changes?last')).Last;
      await storeWithStorescu(orthanc, files, { callingAet: site });
      const storedAt = performance.now();
      const storedWall = Date.now();
      // Orthanc's side: when its change feed first shows the study as stable.
      let stableMs: number | undefined;
      let pacsProblem: unknown;
      const pacs = orthanc;
      const watchPacs = (async () => {
        let since = changesBefore;
        while (stableMs === undefined && performance.now() < storedAt + 30_000) {
          const page = await orthancGetJson<{ Changes: { ChangeType: string }[]; Last: number }>(pacs, `/changes?since=${since}&limit=100`);
          if (page.Changes.some((c) => c.ChangeType === 'StableStudy')) stableMs = performance.now() - storedAt;
          since = page.Last;
          if (stableMs === undefined) await sleep(WATCH_EVERY_MS / 2);
        }
      })().catch((error: unknown) => {
        pacsProblem = error;
      });
      let found: WorklistItem | undefined;
      const deadline = storedAt + 30_000;
      while (!found && performance.now() < deadline) {
        const answer = await request(`${hub.url}/api/worklist`, { headers: { cookie } });
        check(answer.status === 200, `GET /api/worklist answered ${answer.status}`);
        const items = (JSON.parse(answer.body) as { items: WorklistItem[] }).items;
        const mine = items.filter((i) => i.studyInstanceUid === study.studyInstanceUid);
        check(mine.length <= 1, `${mine.length} tele-files for one study`);
        found = mine.find((i) => i.status !== 'received');
        if (!found) await sleep(WATCH_EVERY_MS);
      }
      const seenMs = performance.now() - storedAt;
      await watchPacs;
      check(stableMs !== undefined, `Orthanc never reported the ${study.modality} study stable${pacsProblem ? ` (${String(pacsProblem)})` : ''}`);
      check(found !== undefined, `the ${study.modality} study ${study.studyInstanceUid} never became a tele-file within 30 s`);
      check(found.status === 'routed' && found.target?.id === 'pool-demo', `the ${study.modality} study was ${found.status}, not routed to the demo pool`);
      runs.push({ study: study.description || study.modality, instances: study.instanceCount, stableMs, seenMs, routedMs: new Date(found.updatedAt).getTime() - storedWall });
      // Let Orthanc and the hub settle before the next study.
      await sleep(300);
    }
    return { stableAgeMs: STABLE_AGE_SECONDS * 1000, pacsPoll: PACS_POLL, runs };
  } finally {
    await hub?.dispose();
    await orthanc?.stop();
    await removeTempDir(demoDir);
  }
}
