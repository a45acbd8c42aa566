/**
 * DicomwebAdapter's generic path (QIDO-RS polling, as with dcm4chee or any
 * DICOMweb archive), run against a real Orthanc with the change feed off.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemoStudies, type DemoStudySummary } from '../../../hub/demo/demoStudies.js';
import { DicomwebAdapter } from '../../../hub/pacs/dicomwebAdapter.js';
import { PacsCursorError } from '../../../hub/pacs/pacsErrors.js';
import { startOrthanc, storeWithStorescu, type OrthancServer } from '../../harness/orthanc.js';
import { makeTempDir, removeTempDir } from '../../harness/tempDir.js';
import { collectUntil, dcmFiles } from './pacsTestSupport.js';

const STABILITY_MS = 1_000;

let demoDir: string;
let demo: DemoStudySummary[];
let orthanc: OrthancServer;
let adapter: DicomwebAdapter;

function study(kind: 'head' | 'chest' | 'abdomen'): DemoStudySummary {
  return demo[['head', 'chest', 'abdomen'].indexOf(kind)] as DemoStudySummary;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  demoDir = await makeTempDir('pacs-qido-demo');
  demo = await generateDemoStudies({ folder: demoDir, headCtSlices: 16 });
  orthanc = await startOrthanc({ name: 'pivot-qido', stableAgeSeconds: 1 });
  adapter = new DicomwebAdapter({
    url: orthanc.dicomWebUrl,
    useOrthancChanges: false,
    stabilityDelayMs: STABILITY_MS,
    // The demo studies are dated 2024: watch every StudyDate.
    pollWindowDays: null,
    reconcileLookbackDays: null,
  });
});

afterAll(async () => {
  await adapter?.close();
  await orthanc?.stop();
  if (demoDir) await removeTempDir(demoDir);
});

describe('DicomwebAdapter by QIDO polling (useOrthancChanges: false)', () => {
  let cursorAfterChest: string;

  it('reports a study once its instance count held for the stability delay, exactly once', async () => {
    const chest = study('chest');
    const empty = await adapter.changes(null);
    expect(empty.studies).toEqual([]);
    await storeWithStorescu(orthanc, await dcmFiles(chest.folder), { callingAet: 'CH_DEMO_NORD' });
    const firstSight = await adapter.changes(empty.cursor);
    expect(firstSight.studies).toEqual([]); // seen once: not stable yet

    const collected = await collectUntil(adapter, firstSight.cursor, chest.studyInstanceUid, { settleMs: 2 * STABILITY_MS });
    const found = collected.studies.filter((s) => s.studyInstanceUid === chest.studyInstanceUid);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      patientId: 'DEMO-0002',
      issuerOfPatientId: 'CH-DEMO-SUD',
      modalitiesInStudy: ['DX'],
      bodyPartExamined: 'CHEST',
      institutionName: 'CH DEMO SUD (FICTIF)',
      sourceAet: null, // QIDO has no calling AE title
      numberOfSeries: 1,
      numberOfInstances: 1,
    });
    cursorAfterChest = collected.cursor;

    // At least once: the cursor from before the report reports it again.
    const replay = await adapter.changes(firstSight.cursor);
    expect(replay.studies.map((s) => s.studyInstanceUid)).toEqual([chest.studyInstanceUid]);
    expect((await adapter.changes(cursorAfterChest)).studies).toEqual([]);
  });

  it('waits while a study keeps receiving instances, then reports it with all of them', async () => {
    // A longer delay here, so that a slow poll on a loaded machine cannot pass for stability.
    const slow = new DicomwebAdapter({ url: orthanc.dicomWebUrl, useOrthancChanges: false, stabilityDelayMs: 3_000, pollWindowDays: null });
    const head = study('head');
    const files = await dcmFiles(head.folder);
    let page = await slow.changes(await slow.headCursor());
    await storeWithStorescu(orthanc, files.slice(0, 8));
    page = await slow.changes(page.cursor); // first sight: 8 instances
    await storeWithStorescu(orthanc, files.slice(8));
    page = await slow.changes(page.cursor); // 16: the clock restarts
    expect(page.studies).toEqual([]);
    await sleep(1_000);
    page = await slow.changes(page.cursor);
    expect(page.studies).toEqual([]); // a third of the delay since the count last changed

    const collected = await collectUntil(slow, page.cursor, head.studyInstanceUid, { settleMs: 1_000 });
    const found = collected.studies.filter((s) => s.studyInstanceUid === head.studyInstanceUid);
    expect(found.map((s) => s.numberOfInstances)).toEqual([16]);
  });

  it('starts from now with headCursor(), reconciles everything, and refuses a foreign cursor', async () => {
    const head = await adapter.headCursor();
    await sleep(STABILITY_MS + 200);
    expect((await adapter.changes(head)).studies).toEqual([]);
    const reconciled = await adapter.reconcile(new Date());
    expect(reconciled.map((s) => s.studyInstanceUid).sort()).toEqual([study('head').studyInstanceUid, study('chest').studyInstanceUid].sort());
    await expect(adapter.changes('orthanc:12')).rejects.toThrow(PacsCursorError);
  });
});
