import { writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DicomInspector, type Inspection, type InspectedInstance } from '../../../hub/pacs/untrustedDicom.js';
import { runCommand } from '../../harness/processes.js';
import { makeTempDir, removeTempDir } from '../../harness/tempDir.js';
import { element, identity, manyTinyElements, nestedSequences, part10, smallImage, us } from './dicomBytes.js';

let dir: string;
let inspector: DicomInspector;

beforeAll(async () => {
  dir = await makeTempDir('pacs-untrusted');
  inspector = new DicomInspector({ timeLimitMs: 10_000 });
});

afterAll(async () => {
  await inspector.close();
  await removeTempDir(dir);
});

async function inspectAsFile(name: string, bytes: Buffer, which: DicomInspector = inspector): Promise<Inspection<InspectedInstance>> {
  const path = join(dir, name);
  await writeFile(path, bytes);
  return which.inspectFile(path, 'full');
}

function problemOf(result: Inspection<InspectedInstance>): { code: string; message: string } {
  if (result.ok) throw new Error('expected the file to be refused');
  return result.error;
}

/** The inspector still works: the hub would have survived. */
async function stillWorks(which: DicomInspector = inspector): Promise<void> {
  const result = await which.inspectBytes(smallImage(), 'summary');
  expect(result.ok).toBe(true);
}

describe('DicomInspector on good files', () => {
  it('reads identity, frames and the attributes as DICOM JSON', async () => {
    const result = await inspectAsFile('good.dcm', smallImage({ frames: 3 }));
    if (!result.ok) throw new Error(result.error.message);
    const instance = result.value;
    expect(instance.studyInstanceUid).toBe('1.2.826.0.1.3680043.2.1125.2');
    expect(instance.transferSyntaxUid).toBe('1.2.840.10008.1.2.1');
    expect(instance.numberOfFrames).toBe(3);
    expect(instance.pixels).toMatchObject({ kind: 'native', frameBits: 4 * 6 * 8 });
    expect(instance.dataset['00100010']).toEqual({ vr: 'PN', Value: [{ Alphabetic: 'TEST^SMALL' }] });
    expect(instance.dataset['7FE00010']).toBeUndefined();
  });
});

describe('DicomInspector on hostile files (PITFALLS "Untrusted DICOM")', () => {
  it('refuses a file that is not DICOM', async () => {
    const problem = problemOf(await inspectAsFile('notes.txt', Buffer.from('Compte rendu: RAS\n'.repeat(20))));
    expect(problem.code).toBe('not-dicom');
    expect(problem.message).toMatch(/no "DICM" marker/);
    await stillWorks();
  });

  it('refuses a truncated file', async () => {
    const whole = smallImage({ rows: 64, columns: 64 });
    const problem = problemOf(await inspectAsFile('truncated.dcm', whole.subarray(0, whole.length - 1000)));
    expect(problem.code).toBe('truncated');
    expect(problem.message).toMatch(/truncated|past its end/);
    await stillWorks();
  });

  it('refuses a file whose StudyInstanceUID is garbage', async () => {
    const bytes = part10(Buffer.concat([identity({ study: '1.2.03.abc' })]));
    const problem = problemOf(await inspectAsFile('bad-uid.dcm', bytes));
    expect(problem.code).toBe('bad-uid');
    expect(problem.message).toBe('StudyInstanceUID (0020,000D) is "1.2.03.abc", not digits separated by dots without leading zeros');
  });

  it('refuses a UID longer than 64 characters', async () => {
    const long = `1.2.${'1'.repeat(70)}`;
    const problem = problemOf(await inspectAsFile('long-uid.dcm', part10(identity({ sop: long }))));
    expect(problem).toEqual({ code: 'bad-uid', message: 'SOPInstanceUID (0008,0018) is 74 characters long (at most 64)' });
  });

  it('refuses thousands of nested sequences without overflowing the hub', async () => {
    const bytes = part10(Buffer.concat([identity(), nestedSequences(5_000)]));
    const problem = problemOf(await inspectAsFile('nested.dcm', bytes));
    expect(problem.code).toBe('nesting-too-deep');
    expect(problem.message).toMatch(/nested/);
    await stillWorks();
  });

  it('refuses an element that declares a length far past the end of the file', async () => {
    const bytes = part10(Buffer.concat([identity(), element(0x0009, 0x1010, 'OB', Buffer.alloc(16), 0x7fff_fff0)]));
    const problem = problemOf(await inspectAsFile('huge-length.dcm', bytes));
    expect(problem.code).toBe('truncated');
    await stillWorks();
  });

  it('refuses pixel data shorter than Rows × Columns × frames × bits', async () => {
    const bytes = part10(
      Buffer.concat([
        identity(),
        element(0x0028, 0x0002, 'US', us(1)),
        element(0x0028, 0x0008, 'IS', '10'),
        element(0x0028, 0x0010, 'US', us(512)),
        element(0x0028, 0x0011, 'US', us(512)),
        element(0x0028, 0x0100, 'US', us(16)),
        element(0x7fe0, 0x0010, 'OW', Buffer.alloc(100)),
      ]),
    );
    const problem = problemOf(await inspectAsFile('short-pixels.dcm', bytes));
    expect(problem.code).toBe('bad-pixel-data');
    expect(problem.message).toContain('512 × 512 × 1 × 10 × 16 bits needs 5242880 bytes but the pixel data holds 100');
  });

  it('refuses a file above the size cap before reading it', async () => {
    const small = new DicomInspector({ maxFileBytes: 1000 });
    try {
      const problem = problemOf(await inspectAsFile('big.dcm', smallImage({ rows: 64, columns: 64 }), small));
      expect(problem.code).toBe('too-large');
    } finally {
      await small.close();
    }
  });

  it('cuts a parse that takes too long and keeps working', async () => {
    const slow = new DicomInspector({ timeLimitMs: 200 });
    try {
      const problem = problemOf(await inspectAsFile('many-elements.dcm', part10(Buffer.concat([identity(), manyTinyElements(1_500_000)])), slow));
      expect(problem).toEqual({ code: 'timeout', message: 'parsing took more than 200 ms' });
      await stillWorks(slow);
    } finally {
      await slow.close();
    }
  });

  it('survives a worker that runs out of heap', async () => {
    const tight = new DicomInspector({ maxOldGenerationSizeMb: 16, timeLimitMs: 30_000 });
    try {
      const problem = problemOf(await inspectAsFile('heap.dcm', part10(Buffer.concat([identity(), manyTinyElements(1_500_000)])), tight));
      expect(problem.code).toBe('out-of-memory');
      await stillWorks(tight);
    } finally {
      await tight.close();
    }
  });
});

describe('the parse worker outside vitest', () => {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
  const inspectorUrl = pathToFileURL(join(root, 'hub/pacs/untrustedDicom.ts')).href;

  async function script(name: string, body: string): Promise<string> {
    const path = join(dir, name);
    await writeFile(path, body);
    return path;
  }

  it('starts under `node --import tsx` and under tsx registered at run time (build/start.mjs)', async () => {
    const image = join(dir, 'outside.dcm');
    await writeFile(image, smallImage());
    const inspect = await script(
      'inspect.mjs',
      `import { DicomInspector } from ${JSON.stringify(inspectorUrl)};
const inspector = new DicomInspector();
const result = await inspector.inspectFile(process.argv[2]);
await inspector.close();
console.log(JSON.stringify(result.ok ? result.value.studyInstanceUid : result.error));
`,
    );
    const launcher = await script(
      'launch.mjs',
      `import { register } from ${JSON.stringify(pathToFileURL(join(root, 'node_modules/tsx/dist/esm/api/index.mjs')).href)};
register();
await import(${JSON.stringify(pathToFileURL(inspect).href)});
`,
    );
    const expected = '"1.2.826.0.1.3680043.2.1125.2"';
    const withImport = await runCommand(process.execPath, ['--import', 'tsx', inspect, image], { cwd: root, timeoutMs: 30_000 });
    expect(withImport.stdout.trim()).toBe(expected);
    const withRegister = await runCommand(process.execPath, [launcher, image], { cwd: root, timeoutMs: 30_000 });
    expect(withRegister.stdout.trim()).toBe(expected);
  });
});
