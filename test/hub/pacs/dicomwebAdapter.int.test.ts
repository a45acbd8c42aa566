/**
 * DicomwebAdapter on Orthanc's change feed, against a real Orthanc
 * (Debian orthanc + orthanc-dicomweb) fed by dcmtk's storescu.
 */
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import type * as DicomParser from 'dicom-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemoStudies, type DemoStudySummary } from '../../../hub/demo/demoStudies.js';
import { DicomwebAdapter } from '../../../hub/pacs/dicomwebAdapter.js';
import { parseMultipartRelated, readAll } from '../../../hub/pacs/multipart.js';
import { PacsBadRequestError, PacsNotFoundError, PacsRequestError, PacsUnavailableError } from '../../../hub/pacs/pacsErrors.js';
import { getFreePort } from '../../harness/freePort.js';
import { startOrthanc, storeWithStorescu, uploadInstance, type OrthancServer } from '../../harness/orthanc.js';
import { runCommand } from '../../harness/processes.js';
import { makeTempDir, removeTempDir } from '../../harness/tempDir.js';
import { collectUntil, dcmFiles } from './pacsTestSupport.js';

const dicomParser = createRequire(import.meta.url)('dicom-parser') as typeof DicomParser;

let demoDir: string;
let demo: DemoStudySummary[];
let orthanc: OrthancServer;
let adapter: DicomwebAdapter;

function study(kind: 'head' | 'chest' | 'abdomen'): DemoStudySummary {
  return demo[['head', 'chest', 'abdomen'].indexOf(kind)] as DemoStudySummary;
}

function parse(bytes: Buffer): DicomParser.DataSet {
  return dicomParser.parseDicom(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length));
}

beforeAll(async () => {
  demoDir = await makeTempDir('pacs-dicomweb-demo');
  demo = await generateDemoStudies({ folder: demoDir, headCtSlices: 16 });
  orthanc = await startOrthanc({ name: 'pivot-pacs', stableAgeSeconds: 1 });
  adapter = new DicomwebAdapter({ url: orthanc.dicomWebUrl, requestTimeoutMs: 5_000 });
});

afterAll(async () => {
  await adapter?.close();
  await orthanc?.stop();
  if (demoDir) await removeTempDir(demoDir);
});

describe('DicomwebAdapter on Orthanc (change feed)', () => {
  it('recognises Orthanc', async () => {
    expect(await adapter.server()).toBe('orthanc');
  });

  it('returns a stored study exactly once, with the tags routing needs; a replayed cursor returns it again', async () => {
    const chest = study('chest');
    const start = await adapter.headCursor();
    await storeWithStorescu(orthanc, await dcmFiles(chest.folder), { callingAet: 'CH_DEMO_NORD' });
    const collected = await collectUntil(adapter, start, chest.studyInstanceUid);

    const found = collected.studies.filter((s) => s.studyInstanceUid === chest.studyInstanceUid);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      patientId: 'DEMO-0002',
      issuerOfPatientId: 'CH-DEMO-SUD',
      patientName: 'DEMO^THORAX',
      patientSex: 'F',
      modalitiesInStudy: ['DX'],
      bodyPartExamined: 'CHEST',
      institutionName: 'CH DEMO SUD (FICTIF)',
      sourceAet: 'CH_DEMO_NORD',
      studyDescription: 'RADIOGRAPHIE THORAX FACE',
      numberOfSeries: 1,
      numberOfInstances: 1,
    });
    // Orthanc's LastUpdate read as UTC: within the last minute.
    expect(Math.abs((found[0]?.receivedAt.getTime() ?? 0) - Date.now())).toBeLessThan(60_000);

    const replay = await adapter.changes(collected.cursorBefore);
    expect(replay.studies.map((s) => s.studyInstanceUid)).toContain(chest.studyInstanceUid);
    const after = await adapter.changes(collected.cursor);
    expect(after.studies).toEqual([]);
  });

  it('lists a patient’s studies with the issuer, institution and sending AE title (priors), exact PatientID only', async () => {
    const chest = study('chest');
    const studies = await adapter.patientStudies('DEMO-0002');
    expect(studies).toEqual([
      expect.objectContaining({
        studyInstanceUid: chest.studyInstanceUid,
        patientId: 'DEMO-0002',
        issuerOfPatientId: 'CH-DEMO-SUD',
        institutionName: 'CH DEMO SUD (FICTIF)',
        sourceAet: 'CH_DEMO_NORD',
        modalitiesInStudy: ['DX'],
        numberOfInstances: 1,
      }),
    ]);
    // "DEMO-000?" would match as a wildcard at Orthanc: the adapter keeps exact IDs only.
    expect(await adapter.patientStudies('DEMO-000?')).toEqual([]);
  });

  it('asks Orthanc for a rendered JPEG of a native instance', async () => {
    const chest = study('chest');
    const [file] = await dcmFiles(chest.folder);
    const dataSet = parse(await readFile(file as string));
    const image = await adapter.rendered(chest.studyInstanceUid, dataSet.string('x0020000e') ?? '', dataSet.string('x00080018') ?? '', 128);
    expect(image.contentType).toBe('image/jpeg');
    expect([...image.body.subarray(0, 2)]).toEqual([0xff, 0xd8]);
  });

  it('answers QIDO searches, Orthanc-safe (no percent-encoding of ^, spaces as wildcards)', async () => {
    const chest = study('chest');
    const byName = await adapter.searchStudies({ match: { PatientName: 'DEMO^THOR*' }, includefield: ['IssuerOfPatientID'] });
    expect(byName.map((row) => row['0020000D']?.Value?.[0])).toEqual([chest.studyInstanceUid]);
    expect(byName[0]?.['00100021']?.Value).toEqual(['CH-DEMO-SUD']);
    const withSpaces = await adapter.searchStudies({ match: { StudyDescription: 'RADIOGRAPHIE THORAX FACE' } });
    expect(withSpaces).toHaveLength(1);
    expect(await adapter.searchStudies({ match: { PatientID: 'NOBODY' } })).toEqual([]);
  });

  it('serves metadata, instances and native frames as stored', async () => {
    const chest = study('chest');
    const [file] = await dcmFiles(chest.folder);
    const original = await readFile(file as string);
    const dataSet = parse(original);
    const seriesUid = dataSet.string('x0020000e') ?? '';
    const sopUid = dataSet.string('x00080018') ?? '';

    const metadata = await adapter.studyMetadata(chest.studyInstanceUid);
    expect(metadata).toHaveLength(1);
    expect(metadata[0]?.['00080018']?.Value).toEqual([sopUid]);
    expect(await adapter.seriesMetadata(chest.studyInstanceUid, seriesUid)).toHaveLength(1);

    const instance = await adapter.instance(chest.studyInstanceUid, seriesUid, sopUid);
    expect(instance.toString('latin1', 128, 132)).toBe('DICM');
    expect(parse(instance).string('x00080018')).toBe(sopUid);

    const frames = await adapter.frames(chest.studyInstanceUid, seriesUid, sopUid, [1]);
    expect(frames.transferSyntaxUid).toBe('1.2.840.10008.1.2.1');
    const [part] = parseMultipartRelated(frames.contentType, await readAll(frames.body));
    const pixels = dataSet.elements['x7fe00010'] as DicomParser.Element;
    expect(Buffer.compare(part?.body ?? Buffer.alloc(0), original.subarray(pixels.dataOffset, pixels.dataOffset + 1024 * 1024 * 2))).toBe(0);

    await expect(adapter.frames(chest.studyInstanceUid, seriesUid, sopUid, [2])).rejects.toThrow(PacsBadRequestError);
    await expect(adapter.studyMetadata('1.2.3.4.5.6')).rejects.toThrow(PacsNotFoundError);
    await expect(adapter.studyMetadata('1.2.3.04')).rejects.toThrow(PacsBadRequestError);
  });

  it('passes JPEG 2000 and RLE frames through without decoding', async () => {
    const slices = await dcmFiles(study('abdomen').folder);
    const work = await makeTempDir('pacs-dicomweb-encoded');
    try {
      const cases = [
        { flag: '--j2k', source: slices[0] as string, syntax: '1.2.840.10008.1.2.4.90', media: 'image/jp2' },
        { flag: '--rle', source: slices[1] as string, syntax: '1.2.840.10008.1.2.5', media: 'image/dicom-rle' },
      ];
      for (const c of cases) {
        const target = join(work, `${c.flag.slice(2)}.dcm`);
        await runCommand('gdcmconv', [c.flag, c.source, target]);
        const bytes = await readFile(target);
        await uploadInstance(orthanc, bytes);
        const dataSet = parse(bytes);
        const fragments = (dataSet.elements['x7fe00010'] as DicomParser.Element).fragments ?? [];
        const stored = Buffer.concat(fragments.map((f) => bytes.subarray(f.position, f.position + f.length)));
        const studyUid = dataSet.string('x0020000d') ?? '';
        const seriesUid = dataSet.string('x0020000e') ?? '';
        const sopUid = dataSet.string('x00080018') ?? '';

        const frames = await adapter.frames(studyUid, seriesUid, sopUid, [1]);
        expect(frames.transferSyntaxUid).toBe(c.syntax);
        expect(frames.partContentType).toContain(c.media);
        expect(frames.partContentType).toContain(`transfer-syntax=${c.syntax}`);
        const [part] = parseMultipartRelated(frames.contentType, await readAll(frames.body));
        if (c.flag === '--j2k') expect(part?.body.subarray(0, 2)).toEqual(Buffer.from([0xff, 0x4f]));
        expect(Buffer.compare(part?.body ?? Buffer.alloc(0), stored)).toBe(0);

        // Uploaded over HTTP, the instance comes back byte for byte.
        expect(Buffer.compare(await adapter.instance(studyUid, seriesUid, sopUid), bytes)).toBe(0);
      }
    } finally {
      await removeTempDir(work);
    }
  });

  it('reconciles a study whose StableStudy event was lost when Orthanc was killed', async () => {
    const head = study('head');
    const since = new Date();
    const cursor = await adapter.headCursor();
    await storeWithStorescu(orthanc, await dcmFiles(head.folder), { callingAet: 'CH_DEMO_NORD' });
    await orthanc.kill();

    const down = await adapter.changes(cursor).catch((error: unknown) => error);
    expect(down).toBeInstanceOf(PacsUnavailableError);
    const unavailable = down as PacsUnavailableError;
    expect(unavailable.reason).toBe('refused');
    expect(unavailable.message).toMatch(/^The pivot PACS is not responding \(http:\/\/127\.0\.0\.1:\d+\/changes\): connection refused/);
    expect(unavailable.messages.fr).toMatch(/^Le PACS pivot ne répond pas/);
    await expect(adapter.reconcile(since)).rejects.toThrow(PacsUnavailableError);

    await orthanc.restart();
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const afterRestart = await adapter.changes(cursor);
    // PITFALLS: a killed Orthanc never emits the pending StableStudy (usually; the kill may come late).
    if (afterRestart.studies.some((s) => s.studyInstanceUid === head.studyInstanceUid)) {
      console.warn('Orthanc emitted StableStudy before it was killed: the lost-event case was not exercised this run');
    }
    const reconciled = await adapter.reconcile(since);
    const found = reconciled.filter((s) => s.studyInstanceUid === head.studyInstanceUid);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ numberOfInstances: 16, modalitiesInStudy: ['CT'], bodyPartExamined: 'HEAD', sourceAet: 'CH_DEMO_NORD' });
    // Studies older than `since` are not reconciled.
    expect(reconciled.map((s) => s.studyInstanceUid)).not.toContain(study('chest').studyInstanceUid);
  });
});

describe('DicomwebAdapter when the PACS is unreachable or refuses us', () => {
  it('reports a PACS that is down with a readable message and no credentials', async () => {
    const port = await getFreePort('127.0.0.1');
    const down = new DicomwebAdapter({ url: `http://vigie:s3cret@127.0.0.1:${port}/dicom-web`, requestTimeoutMs: 2_000 });
    const error = await down.searchStudies({ match: { PatientName: 'DEMO^SECRET*' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PacsUnavailableError);
    const message = (error as PacsUnavailableError).message;
    expect(message).toContain(`The pivot PACS is not responding (http://127.0.0.1:${port}/system): connection refused`);
    expect(message).not.toContain('s3cret');
    expect(message).not.toContain('DEMO^SECRET');
  });

  it('uses basic auth, and says so when the password is wrong', async () => {
    // Orthanc behind a reverse proxy that demands basic auth, as a hospital deploys it
    // (the harness cannot start an Orthanc with AuthenticationEnabled: its readiness probe has no credentials).
    const expected = `Basic ${Buffer.from('vigie:s3cret').toString('base64')}`;
    const proxy = createServer((req, res) => {
      if (req.headers.authorization !== expected) {
        res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="pacs"' }).end('authentication required');
        return;
      }
      void fetch(`${orthanc.httpUrl}${req.url ?? '/'}`, { headers: { accept: req.headers.accept ?? '*/*' } }).then(async (upstream) => {
        res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/octet-stream' });
        res.end(Buffer.from(await upstream.arrayBuffer()));
      });
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const { port } = proxy.address() as AddressInfo;
    try {
      const good = new DicomwebAdapter({ url: `http://vigie:s3cret@127.0.0.1:${port}/dicom-web` });
      expect(await good.server()).toBe('orthanc');
      expect((await good.searchStudies({ match: { PatientID: 'DEMO-0002' } })).length).toBe(1);
      const bad = new DicomwebAdapter({ url: `http://127.0.0.1:${port}/dicom-web`, username: 'vigie', password: 'wrong', server: 'orthanc' });
      const error = await bad.searchStudies({}).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PacsRequestError);
      expect((error as PacsRequestError).status).toBe(401);
      expect((error as PacsRequestError).message).toBe(
        `The pivot PACS answered HTTP 401 to http://127.0.0.1:${port}/dicom-web/studies (check the PACS user name and password in the configuration).`,
      );
    } finally {
      await new Promise((resolve) => proxy.close(resolve));
    }
  });
});
