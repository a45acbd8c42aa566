import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemoStudies, type DemoStudySummary } from '../../../hub/demo/demoStudies.js';
import { dciodvfyAll } from '../../harness/dciodvfy.js';
import { listDcm } from './demoFiles.js';

const SLOW = 180_000;
const EXPECTED_IOD: Record<string, string> = { CT: 'CTImage', DX: 'DXImageForPresentation', US: 'USImage' };

let folder: string;
let summaries: DemoStudySummary[];

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'vigie-test-demo-iod-'));
  summaries = await generateDemoStudies({ folder });
}, SLOW);

afterAll(async () => {
  if (folder) await rm(folder, { recursive: true, force: true });
});

// Every file of every study is checked, not a sample: all 140 objects take a
// few seconds at two dciodvfy processes at a time, and a sample could miss a
// slice-specific mistake (a DS value too long at one z, say).
describe('demo studies pass dciodvfy', () => {
  it.each([0, 1, 2, 3, 4])('study %i has no IOD error', async (index) => {
    const summary = summaries[index];
    if (!summary) throw new Error(`no study ${index}`);
    const files = (await listDcm(summary.folder)).map((f) => join(summary.folder, f));
    expect(files).toHaveLength(summary.instanceCount);
    const reports = await dciodvfyAll(files, 2);
    const errors = reports.flatMap((r, i) => r.errors.map((e) => `${files[i]}: ${e}`));
    expect(errors).toEqual([]);
    expect(new Set(reports.map((r) => r.iod))).toEqual(new Set([EXPECTED_IOD[summary.modality]]));
    expect(reports.every((r) => r.exitCode === 0)).toBe(true);
    // Warnings are allowed by the brief but there are none today; keep it that way.
    expect(reports.flatMap((r) => r.warnings)).toEqual([]);
  }, SLOW);
});

describe('the prior head CT', () => {
  it('is the head CT patient’s, from the same site, about six months earlier, with its own UIDs', () => {
    const [head, , , , prior] = summaries;
    if (!head || !prior) throw new Error('missing studies');
    expect(prior).toMatchObject({ modality: 'CT', patientId: head.patientId, issuerOfPatientId: head.issuerOfPatientId, instanceCount: 32, priorOf: head.studyInstanceUid });
    expect(prior.lesion).toBeUndefined();
    const days = (Date.parse(`${head.studyDate.slice(0, 4)}-${head.studyDate.slice(4, 6)}-${head.studyDate.slice(6)}`) - Date.parse(`${prior.studyDate.slice(0, 4)}-${prior.studyDate.slice(4, 6)}-${prior.studyDate.slice(6)}`)) / 86_400_000;
    expect(days).toBeGreaterThanOrEqual(170);
    expect(days).toBeLessThanOrEqual(190);
    expect(prior.studyInstanceUid).not.toBe(head.studyInstanceUid);
  });
});
