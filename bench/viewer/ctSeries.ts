// The viewer bench's CT studies: 512 × 512, 16-bit (12 stored) axial slices
// of the demo's synthetic head, uncompressed (Explicit VR Little Endian, so a
// frame is 512 KiB on the wire), written once per seed and kept in a cache
// directory under the system temp dir: a second run (or a second call in one
// run) only checks that the files are there.
//
// Built from the demo generator's own pieces (the head phantom, the CT slice
// dataset, the Part-10 writer); each study is its own StudyInstanceUID for
// the same demo patient of CH Démo Nord, so each becomes its own tele-file.
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ctSliceDataset, type CtSeriesGeometry } from '../../hub/demo/ctSlice.js';
import { DEMO_PATIENTS } from '../../hub/demo/demoPatients.js';
import { addMinutes } from '../../hub/demo/dicomValues.js';
import { renderHeadSlice } from '../../hub/demo/headCt.js';
import { SeededRandom } from '../../hub/demo/seededRandom.js';
import { demoStudyIdentity } from '../../hub/demo/studyIdentity.js';
import { demoUid } from '../../hub/demo/uid.js';
import { encodePart10 } from '../../hub/demo/writePart10.js';

/** Version of this generator's output: bump it when the bytes change, so a stale cache is not reused. */
const GENERATOR_VERSION = 1;
const COVERAGE_MM = 160;
const SIZE = 512;

export interface BenchCtStudy {
  /** The name the bench gives it ("A 300", …). */
  label: string;
  studyInstanceUid: string;
  seriesInstanceUid: string;
  slices: number;
  /** The Part-10 files, in slice order. */
  files: string[];
  /** Bytes of the files on disk. */
  bytes: number;
}

export interface BenchCtRequest {
  label: string;
  slices: number;
}

/** Where the files of `seed` are cached (kept between runs; delete it to regenerate). */
export function cacheDirOf(seed: number): string {
  return path.join(tmpdir(), 'vigie-bench-viewer-cache', `v${GENERATOR_VERSION}-seed-${seed}`);
}

function geometryOf(seed: number, role: string, slices: number): CtSeriesGeometry {
  return {
    size: SIZE,
    pixelSpacing: 0.5,
    originX: -128,
    originY: -128,
    bodyPart: 'HEAD',
    windowCenter: 40,
    windowWidth: 80,
    windowExplanation: 'CERVEAU',
    kernel: 'H30S',
    sliceThickness: COVERAGE_MM / slices,
    frameOfReferenceUid: demoUid(seed, `${role}/frame-of-reference`),
  };
}

/**
 * Writes (or finds) one study per request, study `index` of the seed's night
 * (47 minutes apart). Slice rendering is the slow part (~20–40 ms each); the
 * phantom does not depend on the slice's noise, so one rendering per distinct
 * z is enough and each slice only adds its own noise.
 */
export async function benchCtStudies(seed: number, requests: readonly BenchCtRequest[], log: (line: string) => void = () => undefined): Promise<BenchCtStudy[]> {
  const root = cacheDirOf(seed);
  const out: BenchCtStudy[] = [];
  for (const [index, request] of requests.entries()) {
    const studyRole = `bench-viewer/study/${index}/head-ct-${request.slices}`;
    const identity = demoStudyIdentity(seed, 10 + index, DEMO_PATIENTS.headCt, `SCANNER CEREBRAL BENCH ${request.slices}`, 'CT', studyRole);
    const role = `${studyRole}/series/1`;
    const series = { seriesInstanceUid: demoUid(seed, role), seriesNumber: 2, description: `CERVEAU ${request.slices} COUPES`, start: addMinutes(identity.start, 4) };
    const geometry = geometryOf(seed, role, request.slices);
    const folder = path.join(root, identity.studyInstanceUid);
    await mkdir(folder, { recursive: true });
    // The demo's pieces may change (patient IDs, attributes): the first slice's header, pixels aside, keys the cache.
    const header = ctSliceDataset(identity, series, geometry, { sopInstanceUid: demoUid(seed, `${role}/instance/0`), instanceNumber: 1, z: 0, stored: new Uint16Array(0) });
    const fingerprint = createHash('sha256').update(JSON.stringify(header)).digest('hex');
    const fingerprintFile = path.join(folder, 'header.sha256');
    if ((await readFile(fingerprintFile, 'utf8').catch(() => '')) !== fingerprint) {
      for (const name of await readdir(folder)) await rm(path.join(folder, name), { force: true });
      await writeFile(fingerprintFile, fingerprint);
    }
    const present = new Set((await readdir(folder)).filter((name) => name.endsWith('.dcm')));
    const files: string[] = [];
    let written = 0;
    const started = performance.now();
    for (let i = 0; i < request.slices; i += 1) {
      const sopInstanceUid = demoUid(seed, `${role}/instance/${i}`);
      const name = `${String(i + 1).padStart(4, '0')}-${sopInstanceUid}.dcm`;
      const file = path.join(folder, name);
      files.push(file);
      if (present.has(name)) continue;
      const z = (i * COVERAGE_MM) / request.slices;
      const stored = renderHeadSlice(z).toStoredCt(new SeededRandom(seed, `${role}/noise/${i}`), 4, 25);
      const encoded = encodePart10(ctSliceDataset(identity, series, geometry, { sopInstanceUid, instanceNumber: i + 1, z, stored }));
      // Complete files only under the final name (a killed run leaves a stray .tmp, never a short .dcm).
      await writeFile(`${file}.tmp`, encoded);
      await rename(`${file}.tmp`, file);
      written += 1;
    }
    // Same size for every slice (same header lengths, uncompressed pixels): stat one.
    if (written > 0) log(`  generated ${written} slices of ${request.label} in ${((performance.now() - started) / 1000).toFixed(1)} s (cache ${root})`);
    const bytes = (await stat(files[0] as string)).size * files.length;
    out.push({ label: request.label, studyInstanceUid: identity.studyInstanceUid, seriesInstanceUid: series.seriesInstanceUid, slices: request.slices, files, bytes });
  }
  return out;
}
