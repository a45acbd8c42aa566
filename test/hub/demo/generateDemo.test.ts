import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoStudiesPresent, generateDemoStudies, type DemoStudySummary } from '../../../hub/demo/demoStudies.js';
import { discMean, listDcm, parseFile, rescaledPixels, text, type ParsedFile } from './demoFiles.js';

const SLOW = 120_000;

let folder: string;
let summaries: DemoStudySummary[];
let files: string[];
/** Parsed files keyed by StudyInstanceUID. */
const byStudy = new Map<string, ParsedFile[]>();

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'vigie-test-demo-'));
  summaries = await generateDemoStudies({ folder });
  files = await listDcm(folder);
  for (const file of files) {
    const parsed = await parseFile(join(folder, file));
    const study = text(parsed.dataSet, 'x0020000d') ?? '';
    byStudy.set(study, [...(byStudy.get(study) ?? []), parsed]);
  }
}, SLOW);

afterAll(async () => {
  if (folder) await rm(folder, { recursive: true, force: true });
});

describe('generateDemoStudies', () => {
  it('writes the five studies (the prior head CT last) with the expected modalities and instance counts', () => {
    expect(summaries.map((s) => s.modality)).toEqual(['CT', 'DX', 'CT', 'US', 'CT']);
    expect(summaries.map((s) => s.instanceCount)).toEqual([64, 1, 40, 3, 32]);
    expect(files).toHaveLength(64 + 1 + 40 + 3 + 32);
    for (const summary of summaries) {
      const parsed = byStudy.get(summary.studyInstanceUid) ?? [];
      expect(parsed).toHaveLength(summary.instanceCount);
      expect(summary.folder).toBe(join(folder, summary.studyInstanceUid));
      for (const { dataSet } of parsed) {
        expect(text(dataSet, 'x00080060')).toBe(summary.modality);
        expect(text(dataSet, 'x00100020')).toBe(summary.patientId);
        expect(text(dataSet, 'x00100021')).toBe(summary.issuerOfPatientId);
      }
    }
  });

  it('lays files out as <study>/<series>/<sop>.dcm with a consistent File Meta', () => {
    for (const parsed of [...byStudy.values()].flat()) {
      const ds = parsed.dataSet;
      const sop = text(ds, 'x00080018');
      const expected = join(folder, text(ds, 'x0020000d') ?? '', text(ds, 'x0020000e') ?? '', `${sop}.dcm`);
      expect(parsed.path).toBe(expected);
      expect(text(ds, 'x00020003')).toBe(sop);
      expect(text(ds, 'x00020002')).toBe(text(ds, 'x00080016'));
      expect(text(ds, 'x00020010')).toBe('1.2.840.10008.1.2.1');
      expect(text(ds, 'x00020013')).toBe('VIGIE_0_1');
    }
  });

  it('uses only well-formed 2.25 UIDs', () => {
    const uidTags = ['x00020012', 'x00080018', 'x0020000d', 'x0020000e'];
    for (const parsed of [...byStudy.values()].flat()) {
      for (const tag of uidTags) {
        const uid = text(parsed.dataSet, tag) ?? '';
        expect(uid.length).toBeLessThanOrEqual(64);
        expect(uid).toMatch(/^2\.25\.(0|[1-9][0-9]*)$/);
      }
    }
  });

  it('uses the expected SOP classes', () => {
    const classes = summaries.map((s) => text(byStudy.get(s.studyInstanceUid)?.[0]?.dataSet ?? never(), 'x00080016'));
    expect(classes).toEqual([
      '1.2.840.10008.5.1.4.1.1.2',
      '1.2.840.10008.5.1.4.1.1.1.1',
      '1.2.840.10008.5.1.4.1.1.2',
      '1.2.840.10008.5.1.4.1.1.6.1',
      '1.2.840.10008.5.1.4.1.1.2',
    ]);
  });

  it('holds no PHI-like identity: DEMO names and IDs, fictional sites, no referring physician', () => {
    for (const parsed of [...byStudy.values()].flat()) {
      const ds = parsed.dataSet;
      expect(text(ds, 'x00100010')).toMatch(/^DEMO\^/);
      expect(text(ds, 'x00100020')).toMatch(/^DEMO-\d{4}$/);
      expect(text(ds, 'x00100021')).toMatch(/^CH-DEMO-/);
      expect(text(ds, 'x00080080')).toMatch(/FICTIF/);
      expect(text(ds, 'x00080050')).toMatch(/^DEMO/);
      expect(ds.elements['x00080090']?.length).toBe(0);
    }
    expect(new Set(summaries.map((s) => s.issuerOfPatientId)).size).toBeGreaterThanOrEqual(2);
  });

  it('gives the head CT a consistent volume geometry', () => {
    const head = summaries[0] ?? never();
    const slices = sortedByInstance(byStudy.get(head.studyInstanceUid) ?? []);
    const frames = new Set(slices.map((s) => text(s.dataSet, 'x00200052')));
    expect(frames.size).toBe(1);
    const z = slices.map((s) => s.dataSet.floatString('x00200032', 2) ?? NaN);
    const thickness = slices[0]?.dataSet.floatString('x00180050') ?? NaN;
    for (let i = 1; i < z.length; i++) expect((z[i] as number) - (z[i - 1] as number)).toBeCloseTo(thickness, 4);
    for (const s of slices) {
      expect(text(s.dataSet, 'x00200037')).toBe('1\\0\\0\\0\\1\\0');
      expect(text(s.dataSet, 'x00280030')).toBe('0.5\\0.5');
      expect(s.dataSet.uint16('x00280010')).toBe(512);
      expect(s.dataSet.uint16('x00280011')).toBe(512);
      expect(s.dataSet.floatString('x00281052')).toBe(-1024);
      expect(s.dataSet.floatString('x00281053')).toBe(1);
      expect(s.dataSet.floatString('x00281050')).toBe(40);
      expect(s.dataSet.floatString('x00281051')).toBe(80);
    }
  });

  it('has realistic attenuation: air outside, brain ~30–40 HU, a dense skull', () => {
    const head = summaries[0] ?? never();
    const slices = sortedByInstance(byStudy.get(head.studyInstanceUid) ?? []);
    // z = 60 mm: the widest cut of the head, far from the haematoma (z = 90 mm).
    const mid = rescaledPixels((slices[24] ?? never()).dataSet);
    expect(discMean(mid, 20, 20, 10)).toBeLessThan(-980);
    const brain = discMean(mid, 300, 300, 15);
    expect(brain).toBeGreaterThan(25);
    expect(brain).toBeLessThan(45);
    expect(mid.values.reduce((a, b) => Math.max(a, b), -Infinity)).toBeGreaterThan(900);
  });

  it('puts the hyperdense haematoma on the announced contiguous slices only', () => {
    const head = summaries[0] ?? never();
    const lesion = head.lesion ?? never();
    const slices = sortedByInstance(byStudy.get(head.studyInstanceUid) ?? []);
    expect(lesion.firstInstanceNumber).toBeGreaterThan(1);
    expect(lesion.lastInstanceNumber).toBeLessThan(64);
    expect(lesion.lastInstanceNumber - lesion.firstInstanceNumber + 1).toBeGreaterThanOrEqual(3);
    const meanAt = (instanceNumber: number, radius: number): number => {
      const slice = slices.find((s) => s.dataSet.intString('x00200013') === instanceNumber) ?? never();
      return discMean(rescaledPixels(slice.dataSet), lesion.centreColumn, lesion.centreRow, radius);
    };
    // The centre slice sits at the centre's z.
    const centre = slices.find((s) => s.dataSet.intString('x00200013') === lesion.centreInstanceNumber) ?? never();
    expect(centre.dataSet.floatString('x00200032', 2)).toBeCloseTo(lesion.centreMm[2], 3);
    // Over half the radius on the centre slice: blood.
    expect(meanAt(lesion.centreInstanceNumber, lesion.radiusPixels / 2)).toBeGreaterThan(55);
    // A small disc at the centre on every lesion slice, including the first and last.
    for (let n = lesion.firstInstanceNumber; n <= lesion.lastInstanceNumber; n++) expect(meanAt(n, 1.5)).toBeGreaterThan(55);
    // Just outside the range (oedema, then brain) and 30 mm away: no blood at the same place.
    for (const n of [lesion.firstInstanceNumber - 1, lesion.firstInstanceNumber - 2, lesion.lastInstanceNumber + 1, lesion.lastInstanceNumber + 2]) {
      expect(meanAt(n, 1.5)).toBeLessThan(45);
    }
    const away = slices.find((s) => Math.abs((s.dataSet.floatString('x00200032', 2) ?? NaN) - (lesion.centreMm[2] - 30)) < 0.01) ?? never();
    expect(meanAt(away.dataSet.intString('x00200013') ?? NaN, lesion.radiusPixels / 2)).toBeLessThan(45);
  });

  it('gives the prior head CT the same head without the haematoma', () => {
    const head = summaries[0] ?? never();
    const prior = summaries[4] ?? never();
    const lesion = head.lesion ?? never();
    const slices = sortedByInstance(byStudy.get(prior.studyInstanceUid) ?? []);
    expect(slices).toHaveLength(32);
    // The slice at the haematoma's z (90 mm = slice 18 of 32 at 5 mm): brain, not blood.
    const atLesion = slices.find((s) => Math.abs((s.dataSet.floatString('x00200032', 2) ?? NaN) - lesion.centreMm[2]) < 0.01) ?? never();
    const mean = discMean(rescaledPixels(atLesion.dataSet), lesion.centreColumn, lesion.centreRow, lesion.radiusPixels / 2);
    expect(mean).toBeLessThan(45);
    expect(mean).toBeGreaterThan(20);
    expect(text(atLesion.dataSet, 'x00100020')).toBe(head.patientId);
    expect(text(atLesion.dataSet, 'x00080080')).toBe(text((byStudy.get(head.studyInstanceUid) ?? never())[0]?.dataSet ?? never(), 'x00080080'));
    expect(prior.studyDate < head.studyDate).toBe(true);
  });

  it('is idempotent: a second run rewrites nothing and returns the same summaries', async () => {
    const before = await Promise.all(files.map(async (f) => (await stat(join(folder, f))).mtimeMs));
    expect(await demoStudiesPresent(folder)).toBe(true);
    const again = await generateDemoStudies({ folder });
    expect(again).toEqual(summaries);
    const after = await Promise.all(files.map(async (f) => (await stat(join(folder, f))).mtimeMs));
    expect(after).toEqual(before);
    expect(await listDcm(folder)).toEqual(files);
  }, SLOW);

  it('leaves no temporary files behind', async () => {
    const all = await readdir(folder, { recursive: true });
    expect(all.filter((name) => name.split(sep).some((part) => part.endsWith('.tmp')))).toEqual([]);
  });

  it('reports a folder without the demo, or with another seed, as not present', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'vigie-test-demo-empty-'));
    try {
      expect(await demoStudiesPresent(empty)).toBe(false);
      expect(await demoStudiesPresent(folder, 2)).toBe(false);
      expect(await demoStudiesPresent(folder, 1, 300)).toBe(false);
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });

  it('regenerates only what is missing', async () => {
    const victim = files[10] ?? never();
    const survivor = files[11] ?? never();
    const survivorMtime = (await stat(join(folder, survivor))).mtimeMs;
    await rm(join(folder, victim));
    expect(await demoStudiesPresent(folder)).toBe(false);
    await generateDemoStudies({ folder });
    expect(await demoStudiesPresent(folder)).toBe(true);
    expect((await stat(join(folder, survivor))).mtimeMs).toBe(survivorMtime);
  }, SLOW);
});

function sortedByInstance(parsed: ParsedFile[]): ParsedFile[] {
  return [...parsed].sort((a, b) => (a.dataSet.intString('x00200013') ?? 0) - (b.dataSet.intString('x00200013') ?? 0));
}

function never(): never {
  throw new Error('missing test data');
}
