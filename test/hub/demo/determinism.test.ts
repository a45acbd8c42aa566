import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateDemoStudies, planDemoStudies } from '../../../hub/demo/demoStudies.js';
import { listDcm } from './demoFiles.js';

const SLOW = 120_000;
const folders: string[] = [];

async function freshFolder(): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'vigie-test-demo-det-'));
  folders.push(folder);
  return folder;
}

async function hashes(folder: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const file of await listDcm(folder)) {
    out.set(file, createHash('sha256').update(await readFile(join(folder, file))).digest('hex'));
  }
  return out;
}

/** Every UID a plan would write: studies, series and instances. */
function allUids(seed: number, headCtSlices?: number): Set<string> {
  const uids = new Set<string>();
  for (const plan of planDemoStudies(seed, headCtSlices)) {
    uids.add(plan.identity.studyInstanceUid);
    for (const series of plan.series) {
      uids.add(series.seriesInstanceUid);
      for (const instance of series.instances) uids.add(instance.sopInstanceUid);
    }
  }
  return uids;
}

afterAll(async () => {
  await Promise.all(folders.map((f) => rm(f, { recursive: true, force: true })));
});

describe('demo study determinism', () => {
  it('writes byte-identical files for the same seed', async () => {
    const a = await freshFolder();
    const b = await freshFolder();
    const summariesA = await generateDemoStudies({ folder: a, seed: 7 });
    const summariesB = await generateDemoStudies({ folder: b, seed: 7 });
    expect(summariesB.map((s) => s.studyInstanceUid)).toEqual(summariesA.map((s) => s.studyInstanceUid));
    const hashesA = await hashes(a);
    expect(hashesA.size).toBe(140);
    expect(await hashes(b)).toEqual(hashesA);
  }, SLOW);

  it('derives different UIDs from a different seed, or another head CT slice count', () => {
    const seed7 = allUids(7);
    const seed8 = allUids(8);
    expect(seed7.size).toBe(140 + 5 + 5);
    expect(seed8.size).toBe(seed7.size);
    expect([...seed8].filter((uid) => seed7.has(uid))).toEqual([]);
    const thin = allUids(7, 300);
    const shared = [...thin].filter((uid) => seed7.has(uid));
    // Only the other four studies are shared (DX 1 + 2, abdomen CT 40 + 2, US 3 + 2, prior head CT 32 + 2), none of the head CT's UIDs.
    expect(shared).toHaveLength(3 + 42 + 5 + 34);
  });

  it('gives each seed its own patients (seed 1 keeps DEMO-0001…): two seeds in one PACS are never priors of each other', () => {
    const ids = (seed: number) => planDemoStudies(seed).map((plan) => plan.identity.patient.id);
    expect(ids(1)).toEqual(['DEMO-0001', 'DEMO-0002', 'DEMO-0003', 'DEMO-0004', 'DEMO-0001']);
    expect(ids(7)).toEqual(['DEMO-0001-S7', 'DEMO-0002-S7', 'DEMO-0003-S7', 'DEMO-0004-S7', 'DEMO-0001-S7']);
  });

  it('keeps UIDs within 64 characters for any seed', () => {
    for (const uid of allUids(Number.MAX_SAFE_INTEGER)) {
      expect(uid.length).toBeLessThanOrEqual(64);
      expect(uid).toMatch(/^2\.25\.(0|[1-9][0-9]*)$/);
    }
  });
});
