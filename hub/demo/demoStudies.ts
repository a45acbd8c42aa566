/**
 * The synthetic, PHI-free demo studies: a head CT with an acute haematoma, a
 * chest radiograph, an abdominal CT, an abdominal ultrasound, and a prior
 * head CT of the head CT's patient (six months earlier, no haematoma). Every byte is
 * decided by the seed (and the head CT slice count), so two hubs or two test
 * runs with the same seed hold the same files and UIDs.
 */
import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { planAbdomenCt } from './abdomenCt.js';
import { writeFileAtomic } from './atomicWrite.js';
import { planChestRadiograph } from './chestRadiograph.js';
import { HEAD_CT_DEFAULT_SLICES, planHeadCt } from './headCt.js';
import { planHeadCtPrior } from './headCtPrior.js';
import type { DemoStudyPlan, HeadCtLesionLocation } from './plan.js';
import { planUltrasound } from './ultrasound.js';
import { encodePart10 } from './writePart10.js';

export type { HeadCtLesionLocation } from './plan.js';
export { HEAD_CT_DEFAULT_SLICES, HEAD_CT_LESION, headCtLesionLocation } from './headCt.js';
export { HEAD_CT_PRIOR_DAYS_BEFORE, HEAD_CT_PRIOR_SLICES } from './headCtPrior.js';

export const DEFAULT_DEMO_SEED = 1;

const MAX_WRITES_IN_FLIGHT = 4;

export interface DemoStudySummary {
  studyInstanceUid: string;
  modality: string;
  description: string;
  patientId: string;
  issuerOfPatientId: string;
  instanceCount: number;
  /** The study's folder: `<folder>/<StudyInstanceUID>`. */
  folder: string;
  /** Only on the head CT: where the haematoma is. */
  lesion?: HeadCtLesionLocation;
  /** Only on the prior head CT: the StudyInstanceUID of the study it is a prior of. */
  priorOf?: string;
  /** StudyDate (DA). */
  studyDate: string;
}

export interface GenerateDemoOptions {
  folder: string;
  seed?: number;
  /** Head CT slice count (default 64); benchmarks ask for 300 or 1000. */
  headCtSlices?: number;
}

function checkSeed(seed: number): void {
  if (!Number.isSafeInteger(seed) || seed < 0) throw new RangeError('seed must be a non-negative safe integer');
}

/** The five studies, in a fixed order (the prior last), without rendering anything. */
export function planDemoStudies(seed: number = DEFAULT_DEMO_SEED, headCtSlices: number = HEAD_CT_DEFAULT_SLICES): DemoStudyPlan[] {
  checkSeed(seed);
  return [planHeadCt(seed, 0, headCtSlices), planChestRadiograph(seed, 1), planAbdomenCt(seed, 2), planUltrasound(seed, 3), planHeadCtPrior(seed, 4)];
}

function studyFolder(folder: string, plan: DemoStudyPlan): string {
  return join(folder, plan.identity.studyInstanceUid);
}

function summarise(folder: string, plan: DemoStudyPlan, plans: readonly DemoStudyPlan[]): DemoStudySummary {
  const { identity } = plan;
  const summary: DemoStudySummary = {
    studyInstanceUid: identity.studyInstanceUid,
    modality: identity.modality,
    description: identity.description,
    patientId: identity.patient.id,
    issuerOfPatientId: identity.patient.site.issuerOfPatientId,
    instanceCount: plan.series.reduce((n, s) => n + s.instances.length, 0),
    folder: studyFolder(folder, plan),
    studyDate: identity.start.date,
  };
  if (plan.lesion) summary.lesion = plan.lesion;
  // The prior: same patient as another study, and older than it.
  const newer = plans.find((p) => p !== plan && p.identity.patient.id === identity.patient.id && p.identity.start.date > identity.start.date);
  if (newer) summary.priorOf = newer.identity.studyInstanceUid;
  return summary;
}

/** Every file a plan should produce: `<folder>/<study>/<series>/<sop>.dcm`. */
function* expectedFiles(folder: string, plan: DemoStudyPlan) {
  for (const series of plan.series) {
    const seriesFolder = join(studyFolder(folder, plan), series.seriesInstanceUid);
    for (const instance of series.instances) {
      yield { seriesFolder, path: join(seriesFolder, `${instance.sopInstanceUid}.dcm`), instance };
    }
  }
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/**
 * Writes the demo studies under `folder`. Files already present are kept as
 * they are (they can only be complete: every file is written atomically, and
 * the same seed gives the same bytes), so a second call only stats files and
 * a call after a crash finishes the job.
 */
export async function generateDemoStudies(opts: GenerateDemoOptions): Promise<DemoStudySummary[]> {
  const plans = planDemoStudies(opts.seed ?? DEFAULT_DEMO_SEED, opts.headCtSlices ?? HEAD_CT_DEFAULT_SLICES);
  const created = new Set<string>();
  // Rendering is synchronous CPU work while flushing to disk happens in the
  // libuv pool: keeping a few writes in flight overlaps the two (the flushes
  // alone take as long as the rendering).
  const inFlight = new Set<Promise<void>>();
  let failure: { error: unknown } | undefined;
  for (const plan of plans) {
    for (const { seriesFolder, path, instance } of expectedFiles(opts.folder, plan)) {
      if (failure) break;
      if (await isFile(path)) continue;
      if (!created.has(seriesFolder)) {
        await mkdir(seriesFolder, { recursive: true });
        created.add(seriesFolder);
      }
      const write: Promise<void> = writeFileAtomic(path, encodePart10(instance.build())).then(
        () => {
          inFlight.delete(write);
        },
        (error: unknown) => {
          inFlight.delete(write);
          failure ??= { error };
        },
      );
      inFlight.add(write);
      if (inFlight.size >= MAX_WRITES_IN_FLIGHT) await Promise.race(inFlight);
    }
  }
  await Promise.all(inFlight);
  if (failure) throw failure.error;
  return plans.map((plan) => summarise(opts.folder, plan, plans));
}

/** The summaries `generateDemoStudies` would return, without touching the disk. */
export function demoStudySummaries(opts: GenerateDemoOptions): DemoStudySummary[] {
  return planDemoStudies(opts.seed ?? DEFAULT_DEMO_SEED, opts.headCtSlices ?? HEAD_CT_DEFAULT_SLICES).map((plan, _i, plans) => summarise(opts.folder, plan, plans));
}

/**
 * Cheap start-up check: true when every expected file of every demo study
 * exists (stats only, no rendering).
 */
export async function demoStudiesPresent(
  folder: string,
  seed: number = DEFAULT_DEMO_SEED,
  headCtSlices: number = HEAD_CT_DEFAULT_SLICES,
): Promise<boolean> {
  for (const plan of planDemoStudies(seed, headCtSlices)) {
    for (const { path } of expectedFiles(folder, plan)) {
      if (!(await isFile(path))) return false;
    }
  }
  return true;
}
