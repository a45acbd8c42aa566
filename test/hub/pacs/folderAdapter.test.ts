import { copyFile, readdir, readFile, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import type * as DicomParser from 'dicom-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemoStudies, type DemoStudySummary } from '../../../hub/demo/demoStudies.js';
import { dcmjs } from '../../../hub/demo/loadDcmjs.js';
import { encodePart10 } from '../../../hub/demo/writePart10.js';
import { FolderAdapter } from '../../../hub/pacs/folderAdapter.js';
import { parseMultipartRelated, readAll } from '../../../hub/pacs/multipart.js';
import { PacsBadRequestError, PacsNotFoundError, PacsNotRenderableError } from '../../../hub/pacs/pacsErrors.js';
import pino from 'pino';
import type { PacsLogger } from '../../../hub/pacs/pacsLogger.js';
import type { ChangesPage } from '../../../hub/pacs/pacsAdapter.js';
import { runCommand } from '../../harness/processes.js';
import { makeTempDir, removeTempDir } from '../../harness/tempDir.js';
import { waitFor } from '../../harness/waitFor.js';
import { smallImage } from './dicomBytes.js';

const dicomParser = createRequire(import.meta.url)('dicom-parser') as typeof DicomParser;

const STABILITY_MS = 1_500;
const SLOW = 60_000;

let folder: string;
let demo: DemoStudySummary[];
let adapter: FolderAdapter;
/** Every line the adapter logged, at every level (pino's JSON lines). */
const logLines: { level: number; text: string }[] = [];
// The hub's pino Logger satisfies the PACS layer's logger interface.
const logger: PacsLogger = pino({ level: 'trace' }, { write: (line: string) => void logLines.push({ level: (JSON.parse(line) as { level: number }).level, text: line }) });

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile() && e.name.endsWith('.dcm')).map((e) => join(e.parentPath, e.name));
}

/** Sets every file's ctime to now (utimes changes ctime), so stability is measured from this instant. */
async function touchAll(dir: string): Promise<void> {
  const now = new Date();
  for (const file of await filesUnder(dir)) await utimes(file, now, now);
}

function study(kind: 'head' | 'chest' | 'abdomen' | 'us'): DemoStudySummary {
  return demo[['head', 'chest', 'abdomen', 'us'].indexOf(kind)] as DemoStudySummary;
}

beforeAll(async () => {
  folder = await makeTempDir('pacs-folder');
  demo = await generateDemoStudies({ folder, headCtSlices: 16 });
  // Not DICOM: must be ignored, not break the scan.
  await writeFile(join(folder, 'notes.dcm'), 'pas du DICOM');
  adapter = new FolderAdapter({ folder, stabilityDelayMs: STABILITY_MS, logger });
}, SLOW);

afterAll(async () => {
  await adapter?.close();
  if (folder) await removeTempDir(folder);
});

describe('FolderAdapter ingestion', () => {
  let firstCursor: string;
  let secondCursor: string;

  it('lists each of the 5 demo studies once, only after the stability delay', async () => {
    await touchAll(folder);
    const early = await adapter.changes(null);
    expect(early.studies).toEqual([]);
    firstCursor = early.cursor;

    const seen: ChangesPage['studies'] = [];
    let cursor = firstCursor;
    await waitFor(
      async () => {
        const page = await adapter.changes(cursor);
        seen.push(...page.studies);
        cursor = page.cursor;
        return seen.length >= 5;
      },
      { what: 'the 5 demo studies to become stable', timeoutMs: 15_000, intervalMs: 200 },
    );
    secondCursor = cursor;
    expect(seen.map((s) => s.studyInstanceUid).sort()).toEqual(demo.map((d) => d.studyInstanceUid).sort());
    // And never again from the new cursor.
    expect((await adapter.changes(secondCursor)).studies).toEqual([]);
  });

  it('describes a study with the tags routing needs', async () => {
    const head = study('head');
    const [found] = (await adapter.reconcile(new Date(0))).filter((s) => s.studyInstanceUid === head.studyInstanceUid);
    expect(found).toMatchObject({
      studyInstanceUid: head.studyInstanceUid,
      patientId: 'DEMO-0001',
      issuerOfPatientId: 'CH-DEMO-NORD',
      patientName: 'DEMO^CRANE',
      patientSex: 'M',
      patientBirthDate: '19570412',
      modalitiesInStudy: ['CT'],
      bodyPartExamined: 'HEAD',
      institutionName: 'CH DEMO NORD (FICTIF)',
      sourceAet: null,
      numberOfSeries: 1,
      numberOfInstances: 16,
      requestedProcedureDescription: null,
    });
    expect(found?.receivedAt.getTime()).toBeGreaterThan(Date.now() - 60_000);
  });

  it('replays a cursor (at least once)', async () => {
    const replay = await adapter.changes(firstCursor);
    expect(replay.studies.map((s) => s.studyInstanceUid).sort()).toEqual(demo.map((d) => d.studyInstanceUid).sort());
  });

  it('reconciles by reception time', async () => {
    expect(await adapter.reconcile(new Date(Date.now() + 60_000))).toEqual([]);
    expect(await adapter.reconcile(new Date(Date.now() - 60_000))).toHaveLength(5);
  });

  it('delays a study that receives a new file, then lists it again with its new count', async () => {
    const head = study('head');
    const [slice] = (await filesUnder(head.folder)).sort();
    const bytes = await readFile(slice as string);
    const { DicomMessage, DicomMetaDictionary } = dcmjs.data as unknown as {
      DicomMessage: { readFile(b: ArrayBuffer): { dict: Record<string, unknown> } };
      DicomMetaDictionary: { naturalizeDataset(d: Record<string, unknown>): Record<string, unknown> };
    };
    const dataset = DicomMetaDictionary.naturalizeDataset(DicomMessage.readFile(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length)).dict);
    dataset['SOPInstanceUID'] = `${String(dataset['SOPInstanceUID'])}.1`;
    dataset['InstanceNumber'] = 17;
    const before = await adapter.changes(secondCursor);
    expect(before.studies).toEqual([]);
    await writeFile(join(head.folder, 'late-slice.dcm'), encodePart10(dataset));

    const justAfter = await adapter.changes(before.cursor);
    expect(justAfter.studies).toEqual([]);
    const later = await waitFor(
      async () => {
        const page = await adapter.changes(justAfter.cursor);
        return page.studies.length > 0 ? page : undefined;
      },
      { what: 'the head CT to be stable again', timeoutMs: 10_000, intervalMs: 200 },
    );
    expect(later.studies.map((s) => [s.studyInstanceUid, s.numberOfInstances])).toEqual([[head.studyInstanceUid, 17]]);
  });
});

describe('FolderAdapter reading', () => {
  it('answers QIDO study searches from the files', async () => {
    // The head CT and its prior (the newest first: ordered by reception, the prior was written last).
    const byName = (await adapter.searchStudies({ match: { PatientName: 'demo^cr*' } })).filter((row) => row['00080020']?.Value?.[0] === study('head').studyDate);
    expect(byName).toHaveLength(1);
    expect(await adapter.searchStudies({ match: { PatientName: 'demo^cr*' } })).toHaveLength(2);
    expect(byName[0]?.['0020000D']).toEqual({ vr: 'UI', Value: [study('head').studyInstanceUid] });
    expect(byName[0]?.['00100021']).toEqual({ vr: 'LO', Value: ['CH-DEMO-NORD'] });
    expect(await adapter.searchStudies({ match: { ModalitiesInStudy: 'CT' } })).toHaveLength(3);
    expect(await adapter.searchStudies({ match: { '0020000D': `${study('us').studyInstanceUid},${study('chest').studyInstanceUid}` } })).toHaveLength(2);
    expect(await adapter.searchStudies({ match: { StudyDate: '19000101-19991231' } })).toHaveLength(0);
    expect(await adapter.searchStudies({ limit: 3 })).toHaveLength(3);
  });

  it('lists a patient’s studies with what identifies their site (priors), exact PatientID only', async () => {
    const head = study('head');
    const prior = demo.find((d) => d.priorOf === head.studyInstanceUid) as DemoStudySummary;
    const studies = await adapter.patientStudies(head.patientId);
    expect(studies.map((s) => s.studyInstanceUid).sort()).toEqual([head.studyInstanceUid, prior.studyInstanceUid].sort());
    const found = studies.find((s) => s.studyInstanceUid === prior.studyInstanceUid);
    expect(found).toMatchObject({ patientId: head.patientId, issuerOfPatientId: 'CH-DEMO-NORD', institutionName: 'CH DEMO NORD (FICTIF)', studyDate: prior.studyDate, modalitiesInStudy: ['CT'], numberOfSeries: 1, numberOfInstances: 32 });
    expect(await adapter.patientStudies('DEMO-000')).toEqual([]);
  });

  it('has no renderer and no bulk data (binary values are inline)', async () => {
    const head = study('head');
    await expect(adapter.rendered(head.studyInstanceUid, '1.2.3', '1.2.3.4', 128)).rejects.toBeInstanceOf(PacsNotRenderableError);
    await expect(adapter.bulkData(head.studyInstanceUid, '1.2.3', '1.2.3.4', '00281201')).rejects.toBeInstanceOf(PacsNotFoundError);
  });

  it('builds WADO-RS metadata in the DICOM JSON model', async () => {
    const abdomen = study('abdomen');
    const metadata = await adapter.studyMetadata(abdomen.studyInstanceUid);
    expect(metadata).toHaveLength(abdomen.instanceCount);
    for (const instance of metadata) {
      expect(instance['0020000D']).toEqual({ vr: 'UI', Value: [abdomen.studyInstanceUid] });
      expect(instance['00080060']).toEqual({ vr: 'CS', Value: ['CT'] });
      expect(instance['00100010']).toEqual({ vr: 'PN', Value: [{ Alphabetic: 'DEMO^ABDOMEN' }] });
      expect(instance['00280010']?.Value?.[0]).toBeTypeOf('number');
      expect(instance['7FE00010']).toBeUndefined();
    }
    const numbers = metadata.map((m) => m['00200013']?.Value?.[0]);
    expect(numbers).toEqual([...numbers].sort((a, b) => Number(a) - Number(b)));
    const series = String(metadata[0]?.['0020000E']?.Value?.[0]);
    expect(await adapter.seriesMetadata(abdomen.studyInstanceUid, series)).toHaveLength(abdomen.instanceCount);
  });

  it('returns frame 1 of a native CT slice as the exact bytes of its pixel data', async () => {
    const head = study('head');
    const [path] = (await filesUnder(head.folder)).filter((p) => !p.endsWith('late-slice.dcm')).sort();
    const bytes = await readFile(path as string);
    const dataSet = dicomParser.parseDicom(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length));
    const pixelData = dataSet.elements['x7fe00010'] as DicomParser.Element;
    const frameLength = (dataSet.uint16('x00280010') ?? 0) * (dataSet.uint16('x00280011') ?? 0) * 2;
    const expected = bytes.subarray(pixelData.dataOffset, pixelData.dataOffset + frameLength);

    const result = await adapter.frames(head.studyInstanceUid, dataSet.string('x0020000e') ?? '', dataSet.string('x00080018') ?? '', [1]);
    expect(result.transferSyntaxUid).toBe('1.2.840.10008.1.2.1');
    expect(result.partContentType).toBe('application/octet-stream; transfer-syntax=1.2.840.10008.1.2.1');
    const parts = parseMultipartRelated(result.contentType, await readAll(result.body));
    expect(parts).toHaveLength(1);
    expect(parts[0]?.headers['content-type']).toBe(result.partContentType);
    expect(Buffer.compare(parts[0]?.body ?? Buffer.alloc(0), expected)).toBe(0);

    const instance = await adapter.instance(head.studyInstanceUid, dataSet.string('x0020000e') ?? '', dataSet.string('x00080018') ?? '');
    expect(Buffer.compare(instance, bytes)).toBe(0);
  });

  it('refuses wrong frame numbers and unknown or illegal UIDs with typed errors', async () => {
    const chest = study('chest');
    const metadata = await adapter.studyMetadata(chest.studyInstanceUid);
    const series = String(metadata[0]?.['0020000E']?.Value?.[0]);
    const sop = String(metadata[0]?.['00080018']?.Value?.[0]);
    await expect(adapter.frames(chest.studyInstanceUid, series, sop, [2])).rejects.toThrow(PacsBadRequestError);
    await expect(adapter.studyMetadata('1.2.3.999')).rejects.toThrow(PacsNotFoundError);
    await expect(adapter.studyMetadata('1.2.03')).rejects.toThrow(PacsBadRequestError);
    await expect(adapter.instance(chest.studyInstanceUid, series, '1.2.3')).rejects.toThrow(PacsNotFoundError);
  });
});

describe('FolderAdapter logging', () => {
  it('never logs a patient name or ID at info level or above', () => {
    expect(logLines.some((line) => line.level === 30 && line.text.includes('became stable'))).toBe(true);
    expect(logLines.some((line) => line.level === 40 && line.text.includes('not-dicom'))).toBe(true);
    const loud = logLines.filter((line) => line.level >= 30).map((line) => line.text);
    for (const phi of ['DEMO^', 'DEMO-000', '19570412']) expect(loud.filter((text) => text.includes(phi))).toEqual([]);
  });
});

describe('FolderAdapter frames as stored', () => {
  let other: string;
  let otherAdapter: FolderAdapter;

  beforeAll(async () => {
    other = await makeTempDir('pacs-folder-encoded');
    otherAdapter = new FolderAdapter({ folder: other, stabilityDelayMs: 0 });
  });

  afterAll(async () => {
    await otherAdapter?.close();
    if (other) await removeTempDir(other);
  });

  it('cuts the frames of a native multi-frame image', async () => {
    await writeFile(join(other, 'multi.dcm'), smallImage({ frames: 3, studyUid: '1.2.826.0.1.3680043.2.1125.20', sopUid: '1.2.826.0.1.3680043.2.1125.21' }));
    const result = await otherAdapter.frames('1.2.826.0.1.3680043.2.1125.20', '1.2.826.0.1.3680043.2.1125.3', '1.2.826.0.1.3680043.2.1125.21', [3, 1]);
    const parts = parseMultipartRelated(result.contentType, await readAll(result.body));
    const frameBytes = 4 * 6;
    const pixel = (i: number): number => i % 251;
    expect([...(parts[0]?.body ?? [])]).toEqual(Array.from({ length: frameBytes }, (_, i) => pixel(2 * frameBytes + i)));
    expect([...(parts[1]?.body ?? [])]).toEqual(Array.from({ length: frameBytes }, (_, i) => pixel(i)));
  });

  it('returns a JPEG 2000 frame as its codestream, named by its transfer syntax', async () => {
    const slice = (await filesUnder(study('head').folder)).sort()[0] as string;
    const target = join(other, 'j2k.dcm');
    await runCommand('gdcmconv', ['--j2k', slice, target]);
    const bytes = await readFile(target);
    const dataSet = dicomParser.parseDicom(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length));
    const fragments = (dataSet.elements['x7fe00010'] as DicomParser.Element).fragments ?? [];
    const codestream = Buffer.concat(fragments.map((f) => bytes.subarray(f.position, f.position + f.length)));

    const result = await otherAdapter.frames(study('head').studyInstanceUid, dataSet.string('x0020000e') ?? '', dataSet.string('x00080018') ?? '', [1]);
    expect(result.transferSyntaxUid).toBe('1.2.840.10008.1.2.4.90');
    expect(result.partContentType).toBe('image/jp2; transfer-syntax=1.2.840.10008.1.2.4.90');
    const [part] = parseMultipartRelated(result.contentType, await readAll(result.body));
    expect(part?.body.subarray(0, 2)).toEqual(Buffer.from([0xff, 0x4f]));
    expect(Buffer.compare(part?.body ?? Buffer.alloc(0), codestream)).toBe(0);
  });

  it('sees a file copied in with its old mtime (ctime moves)', async () => {
    const slice = (await filesUnder(study('abdomen').folder)).sort()[0] as string;
    const copy = join(other, 'copied.dcm');
    await copyFile(slice, copy);
    const old = new Date('2020-01-01T00:00:00Z');
    await utimes(copy, old, old);
    const found = await waitFor(
      async () => (await otherAdapter.reconcile(new Date(Date.now() - 30_000))).find((s) => s.studyInstanceUid === study('abdomen').studyInstanceUid),
      { what: 'the copied slice', timeoutMs: 5_000 },
    );
    expect(found.numberOfInstances).toBe(1);
  });
});
