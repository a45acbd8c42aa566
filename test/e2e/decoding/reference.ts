/**
 * pydicom's view of its own test files (test/fixtures/pydicomReference.py):
 * which files are images it decodes, and sampled decoded values to compare
 * the viewer's pixels with.
 */
import path from 'node:path';
import { runCommand } from '../../harness/processes.js';

const root = path.resolve(import.meta.dirname, '../../..');
export const REFERENCE_SCRIPT = path.join(root, 'test/fixtures/pydicomReference.py');
/** Only Debian's interpreter has pydicom (PITFALLS): never the `python3` on PATH. */
export const PYTHON = process.env.VIGIE_PYDICOM_PYTHON ?? '/usr/bin/python3';
export const PYDICOM_TEST_FILES = process.env.VIGIE_PYDICOM_TEST_FILES ?? '/usr/lib/python3/dist-packages/pydicom/data/test_files';

/** One sampled position: greyscale files carry `stored` and `modality`, colour files `rgb`. */
export interface Sample {
  r: number;
  c: number;
  stored?: number;
  modality?: number;
  rgb?: number[];
}

interface Identity {
  /** Relative to the test files directory. */
  path: string;
  sopInstanceUid: string | null;
  studyInstanceUid: string | null;
  seriesInstanceUid: string | null;
  transferSyntaxUid: string | null;
  transferSyntaxName: string | null;
  sopClassUid: string | null;
  modality: string | null;
}

interface ImageFacts extends Identity {
  photometric: string | null;
  samplesPerPixel: number | null;
  rows: number | null;
  columns: number | null;
  numberOfFrames: number | null;
  bitsAllocated: number | null;
  bitsStored: number | null;
  pixelRepresentation: number | null;
  planarConfiguration: number | null;
  rescaleSlope: number | null;
  rescaleIntercept: number | null;
  doseGridScaling: number | null;
  seriesNumber: number | null;
  instanceNumber: number | null;
}

export interface ImageReference extends ImageFacts {
  kind: 'image';
  sopInstanceUid: string;
  studyInstanceUid: string;
  seriesInstanceUid: string;
  transferSyntaxUid: string;
  rows: number;
  columns: number;
  decodedFrames: number;
  colour: boolean;
  colourConversion: string;
  dtype: string;
  warnings: string[];
  frame1: Sample[];
  lastFrame: Sample[] | null;
}

export type ReferenceEntry =
  | ImageReference
  | (ImageFacts & { kind: 'undecodable'; reason: string })
  | (Identity & { kind: 'no-pixel-data' })
  | { kind: 'not-dicom'; path: string; reason: string };

export interface Reference {
  environment: { pydicom: string; numpy: string; handlers: string[]; root: string };
  entries: ReferenceEntry[];
  images: ImageReference[];
  /** Absolute path of a file named in the reference. */
  absolute(relative: string): string;
}

/** Runs the generator (well under a second for pydicom's ~165 files). */
export async function loadReference(): Promise<Reference> {
  const result = await runCommand(PYTHON, [REFERENCE_SCRIPT, PYDICOM_TEST_FILES], { name: 'pydicomReference.py', timeoutMs: 60_000 });
  const lines = result.stdout.split('\n').filter((line) => line.trim() !== '');
  const [first, ...rest] = lines.map((line) => JSON.parse(line) as { kind: string });
  if (first?.kind !== 'environment') throw new Error(`pydicomReference.py did not start with its environment line: ${lines[0]}`);
  const environment = first as unknown as Reference['environment'];
  const entries = rest as ReferenceEntry[];
  const images = entries.filter((e): e is ImageReference => e.kind === 'image');
  for (const image of images) {
    if (!image.sopInstanceUid || !image.studyInstanceUid || !image.seriesInstanceUid) throw new Error(`${image.path}: pydicom decodes it but it lacks a UID`);
  }
  return { environment, entries, images, absolute: (relative) => path.join(environment.root, relative) };
}
