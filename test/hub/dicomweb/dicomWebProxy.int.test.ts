import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type * as DicomParser from 'dicom-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemoStudies, type DemoStudySummary } from '../../../hub/demo/demoStudies.js';
import { IngestService } from '../../../hub/ingest/ingestService.js';
import { createLogger } from '../../../hub/logging/logger.js';
import { FolderAdapter } from '../../../hub/pacs/folderAdapter.js';
import { parseMultipartRelated } from '../../../hub/pacs/multipart.js';
import type { DicomJsonDataset } from '../../../hub/pacs/pacsAdapter.js';
import { makeTempDir, removeTempDir } from '../../harness/tempDir.js';
import { waitFor } from '../../harness/waitFor.js';
import { demoRegion, stableStudy } from '../teleFiles/teleFileFixtures.js';
import { signInFully, startTestHub, type TestHub } from '../testHub.js';

const dicomParser = createRequire(import.meta.url)('dicom-parser') as typeof DicomParser;

interface Slice {
  path: string;
  bytes: Buffer;
  series: string;
  sop: string;
  /** Frame 1's pixel data, read independently of the hub. */
  pixels: Buffer;
}

async function firstSlice(folder: string): Promise<Slice> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  const path = entries
    .filter((e) => e.isFile() && e.name.endsWith('.dcm'))
    .map((e) => join(e.parentPath, e.name))
    .sort()[0] as string;
  const bytes = await readFile(path);
  const dataSet = dicomParser.parseDicom(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length));
  const pixelData = dataSet.elements['x7fe00010'] as DicomParser.Element;
  const frameLength = (dataSet.uint16('x00280010') ?? 0) * (dataSet.uint16('x00280011') ?? 0) * ((dataSet.uint16('x00280100') ?? 16) / 8);
  return {
    path,
    bytes,
    series: dataSet.string('x0020000e') ?? '',
    sop: dataSet.string('x00080018') ?? '',
    pixels: Buffer.from(bytes.subarray(pixelData.dataOffset, pixelData.dataOffset + frameLength)),
  };
}

const uidOf = (dataset: DicomJsonDataset | undefined) => dataset?.['0020000D']?.Value?.[0];

describe('DICOMweb proxy over a folder PACS (pglite)', () => {
  let hub: TestHub;
  let folder: string;
  let demo: DemoStudySummary[];
  let adapter: FolderAdapter;
  let head: DemoStudySummary;
  let slice: Slice;
  let reader: { cookie: string; id: string; username: string; password: string };
  let outsider: { cookie: string; id: string };
  let teleFileId: string;

  const get = (cookie: string, url: string, headers: Record<string, string> = {}) => hub.app.inject({ method: 'GET', url, headers: { cookie, ...headers } });
  const studyUrl = () => `/dicom-web/studies/${head.studyInstanceUid}`;
  const frameUrl = (frames = '1') => `${studyUrl()}/series/${slice.series}/instances/${slice.sop}/frames/${frames}`;
  const auditRows = (action: string, targetId: string, actorId: string) =>
    hub.database.db.selectFrom('audit_events').selectAll().where('action', '=', action).where('target_id', '=', targetId).where('actor_id', '=', actorId).execute();

  beforeAll(async () => {
    hub = await startTestHub('pglite', { secondFactorRequiredRoles: [] });
    folder = await makeTempDir('dicomweb-pacs');
    demo = await generateDemoStudies({ folder, headCtSlices: 16 });
    head = demo.find((d) => d.modality === 'CT' && d.lesion !== undefined) as DemoStudySummary;
    slice = await firstSlice(head.folder);
    adapter = new FolderAdapter({ folder, stabilityDelayMs: 0 });
    hub.services.pacs = adapter;

    const user = await hub.createUser('dr.dicomweb', ['radiologist']);
    reader = { ...user, cookie: (await signInFully(hub.app, user.username, user.password)).cookie };
    const off = await hub.createUser('dr.offcall', ['radiologist']);
    outsider = { id: off.id, cookie: (await signInFully(hub.app, off.username, off.password)).cookie };
    await demoRegion(hub, ['dr.dicomweb']);

    // The head CT as the folder adapter reports it, ingested like the hub does.
    const studies = await waitFor(async () => {
      const found = await adapter.reconcile(new Date(0));
      return found.some((s) => s.studyInstanceUid === head.studyInstanceUid) ? found : undefined;
    }, { what: 'the demo head CT from the folder adapter' });
    const ingest = new IngestService(hub.database.db, adapter, hub.services.teleFiles, hub.services.organisation, hub.services.roster, createLogger('silent'), { pollMs: 1000, reconcileWindowMs: 1000 });
    const outcome = await ingest.ingestStudy(studies.find((s) => s.studyInstanceUid === head.studyInstanceUid) as (typeof studies)[number]);
    expect(outcome.teleFile).toMatchObject({ status: 'routed', target_id: 'pool-demo' });
    teleFileId = outcome.teleFile.id;
    // A visible tele-file whose study the PACS does not hold: QIDO must not fail for it.
    await ingest.ingestStudy(stableStudy());
  }, 120_000);

  afterAll(async () => {
    await adapter?.close();
    await hub?.close();
    if (folder) await removeTempDir(folder);
  });

  it('serves study metadata as DICOM JSON, gzipped when asked, with an ETag that gives 304', async () => {
    const plain = await get(reader.cookie, `${studyUrl()}/metadata`);
    expect(plain.statusCode).toBe(200);
    expect(plain.headers['content-type']).toContain('application/dicom+json');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers['cache-control']).toMatch(/^private, max-age=\d+/);
    const datasets = plain.json<DicomJsonDataset[]>();
    expect(datasets).toHaveLength(head.instanceCount);
    for (const dataset of datasets) expect(dataset['0020000D']).toEqual({ vr: 'UI', Value: [head.studyInstanceUid] });

    const zipped = await get(reader.cookie, `${studyUrl()}/metadata`, { 'accept-encoding': 'gzip, deflate, br' });
    expect(zipped.statusCode).toBe(200);
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers['vary']).toContain('Accept-Encoding');
    const unzipped = gunzipSync(zipped.rawPayload).toString('utf8');
    expect(JSON.parse(unzipped)).toEqual(datasets);
    expect(zipped.rawPayload.length).toBeLessThan(plain.rawPayload.length / 3);

    const etag = plain.headers['etag'] as string;
    expect(etag).toMatch(/^W\/".+"$/);
    expect(zipped.headers['etag']).toBe(etag);
    const revisit = await get(reader.cookie, `${studyUrl()}/metadata`, { 'if-none-match': etag, 'accept-encoding': 'gzip' });
    expect(revisit.statusCode).toBe(304);
    expect(revisit.rawPayload.length).toBe(0);
    expect((await get(reader.cookie, `${studyUrl()}/metadata`, { 'if-none-match': 'W/"other"' })).statusCode).toBe(200);
  });

  it('serves series metadata', async () => {
    const response = await get(reader.cookie, `${studyUrl()}/series/${slice.series}/metadata`);
    expect(response.statusCode).toBe(200);
    const datasets = response.json<DicomJsonDataset[]>();
    expect(datasets).toHaveLength(head.instanceCount);
    expect(datasets.every((d) => d['0020000E']?.Value?.[0] === slice.series && uidOf(d) === head.studyInstanceUid)).toBe(true);
  });

  it('streams frame 1 as stored: the exact pixel bytes of the Part-10 file, cached as immutable', async () => {
    const response = await get(reader.cookie, frameUrl());
    expect(response.statusCode).toBe(200);
    const contentType = response.headers['content-type'] as string;
    expect(contentType).toMatch(/^multipart\/related; *type="?application\/octet-stream"?/);
    expect(response.headers['cache-control']).toBe('private, max-age=31536000, immutable');
    const parts = parseMultipartRelated(contentType, response.rawPayload);
    expect(parts).toHaveLength(1);
    expect(parts[0]?.headers['content-type']).toBe('application/octet-stream; transfer-syntax=1.2.840.10008.1.2.1');
    expect(Buffer.compare(parts[0]?.body ?? Buffer.alloc(0), slice.pixels)).toBe(0);
    // A long frame list (longer than Fastify's default 100-character parameter) reaches the PACS.
    const many = await get(reader.cookie, frameUrl(Array.from({ length: 60 }, () => '1').join(',')));
    expect(many.statusCode).toBe(200);
    expect(parseMultipartRelated(many.headers['content-type'] as string, many.rawPayload)).toHaveLength(60);
  });

  it('content-codes native frames for a client that accepts it (gzip, br), the bytes unchanged once decoded; identity otherwise or when turned off', async () => {
    const pixelsOf = (contentType: string, body: Buffer) => parseMultipartRelated(contentType, body)[0]?.body ?? Buffer.alloc(0);
    const plain = await get(reader.cookie, frameUrl());
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers.vary).toMatch(/accept-encoding/i);
    for (const [accept, coding, decode] of [
      ['gzip, deflate', 'gzip', gunzipSync],
      ['gzip, deflate, br, zstd', 'br', brotliDecompressSync],
    ] as const) {
      const coded = await get(reader.cookie, frameUrl(), { 'accept-encoding': accept });
      expect(coded.statusCode).toBe(200);
      expect(coded.headers['content-encoding']).toBe(coding);
      expect(coded.headers.vary).toMatch(/accept-encoding/i);
      // The demo CT's air compresses: well under the 512 × 512 × 2 bytes of its pixels.
      expect(coded.rawPayload.length).toBeLessThan(slice.pixels.length * 0.8);
      const decoded = decode(coded.rawPayload);
      expect(Buffer.compare(pixelsOf(coded.headers['content-type'] as string, decoded), slice.pixels)).toBe(0);
    }
    expect((await get(reader.cookie, frameUrl(), { 'accept-encoding': 'gzip;q=0, identity' })).headers['content-encoding']).toBeUndefined();
    hub.services.config.frameCompression = false;
    try {
      const off = await get(reader.cookie, frameUrl(), { 'accept-encoding': 'gzip' });
      expect(off.headers['content-encoding']).toBeUndefined();
      expect(Buffer.compare(pixelsOf(off.headers['content-type'] as string, off.rawPayload), slice.pixels)).toBe(0);
    } finally {
      hub.services.config.frameCompression = true;
    }
  });

  it('names the first frame in a header; keeps nothing of a folder PACS (no fingerprint): the worklist names no prepared frame', async () => {
    const metadata = await get(reader.cookie, `${studyUrl()}/metadata`, { accept: 'application/dicom+json' });
    expect(metadata.statusCode).toBe(200);
    expect(metadata.headers['x-vigie-first-frame']).toMatch(new RegExp(`^${studyUrl().replace(/\./g, '\\.')}/series/[0-9.]+/instances/[0-9.]+/frames/1$`));
    const list = await get(reader.cookie, '/api/worklist');
    const item = list.json<{ items: Array<{ id: string; firstFramePath: string | null }> }>().items.find((i) => i.id === teleFileId);
    expect(item?.firstFramePath).toBeNull();
  });

  it('returns the instance as the Part-10 file, byte for byte', async () => {
    const response = await get(reader.cookie, `${studyUrl()}/series/${slice.series}/instances/${slice.sop}`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/dicom');
    expect(response.headers['cache-control']).toBe('private, max-age=31536000, immutable');
    expect(Buffer.compare(response.rawPayload, slice.bytes)).toBe(0);
  });

  it('audits the study once per session, however many frames are read', async () => {
    const { cookie } = await signInFully(hub.app, reader.username, reader.password);
    const before = (await auditRows('study.accessed', head.studyInstanceUid, reader.id)).length;
    const first = await Promise.all(Array.from({ length: 5 }, () => get(cookie, frameUrl())));
    expect(first.map((r) => r.statusCode)).toEqual([200, 200, 200, 200, 200]);
    for (let i = 0; i < 15; i++) expect((await get(cookie, frameUrl())).statusCode).toBe(200);
    expect((await get(cookie, `${studyUrl()}/metadata`)).statusCode).toBe(200);
    const rows = await auditRows('study.accessed', head.studyInstanceUid, reader.id);
    expect(rows.length - before).toBe(1);
    const row = rows.at(-1);
    expect(row).toMatchObject({ target_type: 'study', actor_name: 'dr.dicomweb', outcome: 'success' });
    expect(row?.details).toMatchObject({ teleFileId });
  });

  it('refuses a reader who is not on call, with an access.denied audit row and no study.accessed', async () => {
    for (const url of [`${studyUrl()}/metadata`, frameUrl(), `${studyUrl()}/series/${slice.series}/instances/${slice.sop}`]) {
      const response = await get(outsider.cookie, url);
      expect(response.statusCode).toBe(403);
      expect(response.json<{ error: { code: string; message: string } }>().error).toMatchObject({ code: 'forbidden', message: expect.stringContaining('not yours') });
    }
    const denied = await auditRows('access.denied', head.studyInstanceUid, outsider.id);
    expect(denied).toHaveLength(3);
    expect(denied[0]).toMatchObject({ target_type: 'study', outcome: 'failure' });
    expect(await auditRows('study.accessed', head.studyInstanceUid, outsider.id)).toEqual([]);
    // A study in the PACS without any tele-file: the same 403, never the PACS's answer.
    const chest = demo.find((d) => d.modality !== 'CT') as DemoStudySummary;
    expect((await get(reader.cookie, `/dicom-web/studies/${chest.studyInstanceUid}/metadata`)).statusCode).toBe(403);
  });

  it('answers QIDO with the visible studies only', async () => {
    const all = await get(reader.cookie, '/dicom-web/studies');
    expect(all.statusCode).toBe(200);
    expect(all.headers['content-type']).toContain('application/dicom+json');
    expect(all.json<DicomJsonDataset[]>().map(uidOf)).toEqual([head.studyInstanceUid]);
    const byUid = await get(reader.cookie, `/dicom-web/studies?StudyInstanceUID=${head.studyInstanceUid}&includefield=00081030`);
    expect(byUid.json<DicomJsonDataset[]>().map(uidOf)).toEqual([head.studyInstanceUid]);
    const others = demo.filter((d) => d !== head).map((d) => d.studyInstanceUid);
    const notVisible = await get(reader.cookie, `/dicom-web/studies?StudyInstanceUID=${others.join(',')}`);
    expect(notVisible.statusCode).toBe(200);
    expect(notVisible.json()).toEqual([]);
    expect((await get(reader.cookie, '/dicom-web/studies?ModalitiesInStudy=MR')).json()).toEqual([]);
    expect((await get(outsider.cookie, '/dicom-web/studies')).json()).toEqual([]);
    expect((await get(reader.cookie, '/dicom-web/studies?NotAnAttribute=1')).statusCode).toBe(400);
  });

  it('answers 404 with a message for an unknown SOP instance, 400 for a bad frame list', async () => {
    const unknown = '1.2.826.0.1.3680043.2.1125.999999';
    for (const url of [`${studyUrl()}/series/${slice.series}/instances/${unknown}`, `${studyUrl()}/series/${slice.series}/instances/${unknown}/frames/1`]) {
      const response = await get(reader.cookie, url);
      expect(response.statusCode).toBe(404);
      expect(response.json<{ error: { code: string; message: string } }>().error).toMatchObject({ code: 'not-found', message: expect.stringContaining(unknown) });
    }
    expect((await get(reader.cookie, frameUrl('0'))).statusCode).toBe(400);
    expect((await get(reader.cookie, frameUrl('1,x'))).statusCode).toBe(400);
    expect((await get(reader.cookie, `/dicom-web/studies/1.02.3/metadata`)).statusCode).toBe(400);
  });

  it('requires a session', async () => {
    expect((await hub.app.inject({ method: 'GET', url: `${studyUrl()}/metadata` })).statusCode).toBe(401);
    expect((await hub.app.inject({ method: 'GET', url: '/dicom-web/studies' })).statusCode).toBe(401);
  });

  it('maps an unreachable PACS to 503 with a clear message', async () => {
    const { PacsUnavailableError } = await import('../../../hub/pacs/pacsErrors.js');
    const down = Object.create(adapter) as FolderAdapter;
    // Down is down for every call (the metadata prepared earlier is checked against the PACS before use).
    const refused = () => Promise.reject(new PacsUnavailableError('http://pacs.invalid/dicom-web', 'refused', 'ECONNREFUSED'));
    down.studyMetadata = refused;
    down.searchStudies = refused;
    hub.services.pacs = down;
    try {
      const response = await get(reader.cookie, `${studyUrl()}/metadata`);
      expect(response.statusCode).toBe(503);
      expect(response.json<{ error: { message: string } }>().error.message).toContain('Le PACS pivot ne répond pas');
      expect(response.body).not.toContain('pacs.invalid');
    } finally {
      hub.services.pacs = adapter;
    }
  });
});
