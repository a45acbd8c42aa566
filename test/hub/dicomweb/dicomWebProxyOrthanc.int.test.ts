/**
 * The audited DICOMweb proxy in front of a real Orthanc (Debian orthanc +
 * orthanc-dicomweb, no GDCM plugin): the head CT stored as JPEG 2000
 * lossless, its prior (same patient, same site, six months earlier) as
 * JPEG-LS, and a copy of that prior sent by another site's AE title.
 * Checks that frames come through as stored (never decoded), that metadata
 * and QIDO never show the PACS address, priors (route, access, ingest rule
 * with Orthanc's RemoteAET), thumbnails (Orthanc renders JPEG-LS; JPEG 2000
 * is left to the viewer) and the 403 for the other site's study.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TeleFilePriors } from '../../../core/api/priors.js';
import { generateDemoStudies, type DemoStudySummary } from '../../../hub/demo/demoStudies.js';
import { dcmjs } from '../../../hub/demo/loadDcmjs.js';
import { encodePart10 } from '../../../hub/demo/writePart10.js';
import { IngestService } from '../../../hub/ingest/ingestService.js';
import { createLogger } from '../../../hub/logging/logger.js';
import { DicomwebAdapter } from '../../../hub/pacs/dicomwebAdapter.js';
import { parseMultipartRelated, readAll } from '../../../hub/pacs/multipart.js';
import type { DicomJsonDataset, StableStudy } from '../../../hub/pacs/pacsAdapter.js';
import { startOrthanc, storeWithStorescu, type OrthancServer } from '../../harness/orthanc.js';
import { runCommand } from '../../harness/processes.js';
import { makeTempDir, removeTempDir } from '../../harness/tempDir.js';
import { waitFor } from '../../harness/waitFor.js';
import { dcmFiles } from '../pacs/pacsTestSupport.js';
import { demoRegion } from '../teleFiles/teleFileFixtures.js';
import { DATABASE_KINDS, signInFully, startTestHub, type TestHub } from '../testHub.js';

const J2K_LOSSLESS = '1.2.840.10008.1.2.4.90';

let dir: string;
let orthanc: OrthancServer;
let adapter: DicomwebAdapter;
let head: DemoStudySummary;
let prior: DemoStudySummary;
/** The J2K files as stored, by SOPInstanceUID. */
const j2kFiles = new Map<string, Buffer>();
let elsewhere: string;
let stable: StableStudy[];

/** Re-encodes every file of a study with gdcmconv (`--j2k` lossless, `--jpegls`…) into `out`. */
async function reencode(files: string[], flag: string, out: string): Promise<string[]> {
  await mkdir(out, { recursive: true });
  const written: string[] = [];
  for (const file of files) {
    const target = join(out, file.split('/').at(-1) as string);
    await runCommand('gdcmconv', [flag, file, target], { timeoutMs: 30_000 });
    written.push(target);
  }
  return written;
}

/** One slice of the prior as a new study of the same patient (same InstitutionName), to be sent by another site's AE title. */
async function copyAsNewStudy(source: string, target: string): Promise<string> {
  const bytes = await readFile(source);
  const { DicomMessage, DicomMetaDictionary } = dcmjs.data as unknown as {
    DicomMessage: { readFile(b: ArrayBuffer): { dict: Record<string, unknown> } };
    DicomMetaDictionary: { naturalizeDataset(d: Record<string, unknown>): Record<string, unknown> };
  };
  const dataset = DicomMetaDictionary.naturalizeDataset(DicomMessage.readFile(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length)).dict);
  for (const key of ['StudyInstanceUID', 'SeriesInstanceUID', 'SOPInstanceUID']) dataset[key] = `${String(dataset[key])}.7`;
  await writeFile(target, encodePart10(dataset));
  return String(dataset['StudyInstanceUID']);
}

beforeAll(async () => {
  dir = await makeTempDir('dicomweb-orthanc');
  const [demo, server] = await Promise.all([generateDemoStudies({ folder: join(dir, 'demo'), headCtSlices: 16 }), startOrthanc({ name: 'pivot-proxy', aet: 'PIVOT', stableAgeSeconds: 1 })]);
  orthanc = server;
  head = demo[0] as DemoStudySummary;
  prior = demo.find((d) => d.priorOf === head.studyInstanceUid) as DemoStudySummary;
  const headJ2k = await reencode(await dcmFiles(head.folder), '--j2k', join(dir, 'j2k'));
  for (const file of headJ2k) j2kFiles.set((file.split('/').at(-1) as string).replace(/\.dcm$/, ''), await readFile(file));
  const priorJls = await reencode(await dcmFiles(prior.folder), '--jpegls', join(dir, 'jls'));
  elsewhere = await copyAsNewStudy((await dcmFiles(prior.folder))[0] as string, join(dir, 'elsewhere.dcm'));
  await storeWithStorescu(orthanc, headJ2k, { syntaxFlag: '-xv', callingAet: 'DEMO_NORD' });
  await storeWithStorescu(orthanc, priorJls, { syntaxFlag: '-xt', callingAet: 'DEMO_NORD' });
  await storeWithStorescu(orthanc, [join(dir, 'elsewhere.dcm')], { callingAet: 'DEMO_SUD' });
  adapter = new DicomwebAdapter({ url: orthanc.dicomWebUrl, requestTimeoutMs: 10_000 });
  stable = await waitFor(
    async () => {
      const found = await adapter.reconcile(new Date(Date.now() - 3_600_000));
      return [head.studyInstanceUid, prior.studyInstanceUid, elsewhere].every((uid) => found.some((s) => s.studyInstanceUid === uid)) ? found : undefined;
    },
    { what: 'the three studies stable in Orthanc', timeoutMs: 30_000, intervalMs: 500 },
  );
}, 240_000);

afterAll(async () => {
  await adapter?.close();
  await orthanc?.stop();
  if (dir) await removeTempDir(dir);
});

describe.each(DATABASE_KINDS)('DICOMweb proxy in front of a real Orthanc (%s)', (kind) => {
  let hub: TestHub;
  let reader: { cookie: string; id: string };
  let headFile: string;
  let headSeries: string;
  let priorSeries: string;

  const get = (url: string, headers: Record<string, string> = {}) => hub.app.inject({ method: 'GET', url, headers: { cookie: reader.cookie, ...headers } });
  const pacsAddress = () => `127.0.0.1:${orthanc.httpPort}`;

  beforeAll(async () => {
    hub = await startTestHub(kind, { secondFactorRequiredRoles: [] });
    hub.services.pacs = adapter;
    const user = await hub.createUser('dr.orthanc', ['radiologist']);
    reader = { id: user.id, cookie: (await signInFully(hub.app, user.username, user.password)).cookie };
    await demoRegion(hub, ['dr.orthanc']);
  }, 60_000);

  afterAll(async () => {
    await hub?.close();
  });

  it('ingest files the head CT and keeps its prior as a prior (site from Orthanc’s RemoteAET)', async () => {
    const ingest = new IngestService(hub.database.db, adapter, hub.services.teleFiles, hub.services.organisation, hub.services.roster, createLogger('silent'), { pollMs: 1000, reconcileWindowMs: 1000 });
    const byUid = (uid: string) => stable.find((s) => s.studyInstanceUid === uid) as StableStudy;
    expect((await ingest.receive(byUid(prior.studyInstanceUid))).kind).toBe('prior');
    const created = await ingest.receive(byUid(head.studyInstanceUid));
    expect(created.kind).toBe('created');
    headFile = created.kind === 'created' ? created.teleFile.id : '';
    expect(await hub.services.teleFiles.byStudyUid(prior.studyInstanceUid)).toBeUndefined();
  });

  it('serves metadata and QIDO without the PACS address', async () => {
    const metadata = await get(`/dicom-web/studies/${head.studyInstanceUid}/metadata`);
    expect(metadata.statusCode).toBe(200);
    const datasets = metadata.json<DicomJsonDataset[]>();
    expect(datasets).toHaveLength(16);
    headSeries = String(datasets[0]?.['0020000E']?.Value?.[0]);
    expect(metadata.body).not.toContain(pacsAddress());
    const search = await get('/dicom-web/studies');
    expect(search.statusCode).toBe(200);
    const rows = search.json<DicomJsonDataset[]>();
    expect(rows.map((r) => r['0020000D']?.Value?.[0])).toEqual([head.studyInstanceUid]);
    expect(rows[0]?.['00081190']?.Value).toEqual([`/dicom-web/studies/${head.studyInstanceUid}`]);
    expect(search.body).not.toContain(pacsAddress());
  });

  it('prepares the first frame: named in the header and on the worklist, served as Orthanc holds it, checked against Orthanc’s fingerprint', async () => {
    const metadata = await get(`/dicom-web/studies/${head.studyInstanceUid}/metadata`);
    const named = metadata.headers['x-vigie-first-frame'] as string;
    expect(named).toMatch(new RegExp(`^/dicom-web/studies/${head.studyInstanceUid.replace(/\./g, '\\.')}/series/[0-9.]+/instances/[0-9.]+/frames/1$`));
    const item = await waitFor(async () => {
      const found = (await get('/api/worklist')).json<{ items: Array<{ id: string; firstFramePath: string | null }> }>().items.find((i) => i.id === headFile);
      return found?.firstFramePath ? found : undefined;
    }, { what: 'the worklist naming the prepared first frame' });
    expect(item.firstFramePath).toBe(named);
    const [, , , , , series, , sop] = named.split('/') as string[];
    const served = await get(named);
    const fromOrthanc = await adapter.frames(head.studyInstanceUid, series as string, sop as string, [1]);
    expect(served.statusCode).toBe(200);
    const [part] = parseMultipartRelated(served.headers['content-type'] as string, served.rawPayload);
    const [expected] = parseMultipartRelated(fromOrthanc.contentType, await readAll(fromOrthanc.body));
    expect(part?.body.length).toBeGreaterThan(0);
    expect(Buffer.compare(part?.body ?? Buffer.alloc(0), expected?.body ?? Buffer.alloc(1))).toBe(0);
    // Orthanc's fingerprint: the study resource, its LastUpdate and its series (the decoding test stores studies again under the same UIDs).
    expect(await adapter.studyFingerprint(head.studyInstanceUid)).toMatch(/^[0-9a-f-]{44}\|\d{8}T\d{6}\|[0-9a-f-]{44}/);
  });

  it('passes JPEG 2000 frames through as stored, never decoded', async () => {
    const [sop, file] = [...j2kFiles.entries()][5] as [string, Buffer];
    // Already compressed: no content coding on top, whatever the client accepts.
    const response = await get(`/dicom-web/studies/${head.studyInstanceUid}/series/${headSeries}/instances/${sop}/frames/1`, { 'accept-encoding': 'gzip, deflate, br' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-encoding']).toBeUndefined();
    const parts = parseMultipartRelated(response.headers['content-type'] as string, response.rawPayload);
    expect(parts).toHaveLength(1);
    expect(parts[0]?.headers['content-type']).toContain(`transfer-syntax=${J2K_LOSSLESS}`);
    const codestream = parts[0]?.body as Buffer;
    // SOC + SIZ markers: a J2K codestream, and the very bytes of the stored file.
    expect([...codestream.subarray(0, 4)]).toEqual([0xff, 0x4f, 0xff, 0x51]);
    expect(codestream.length).toBeLessThan(512 * 512 * 2);
    expect(file.includes(codestream.subarray(0, Math.min(codestream.length, 4096)))).toBe(true);
    // The whole instance, as multipart/related; type="application/dicom": the stored J2K file.
    const instance = await get(`/dicom-web/studies/${head.studyInstanceUid}/series/${headSeries}/instances/${sop}`, { accept: 'multipart/related; type="application/dicom"' });
    expect(instance.statusCode).toBe(200);
    const [part] = parseMultipartRelated(instance.headers['content-type'] as string, instance.rawPayload);
    expect(part?.body.subarray(128, 132).toString('latin1')).toBe('DICM');
    expect(part?.body.includes(Buffer.from(J2K_LOSSLESS))).toBe(true);
  });

  it('serves a bulk data value through the proxy (Orthanc’s WADO-RS bulk), refusing odd paths', async () => {
    const [sop] = [...j2kFiles.entries()][2] as [string, Buffer];
    const base = `/dicom-web/studies/${head.studyInstanceUid}/series/${headSeries}/instances/${sop}/bulk`;
    // The Frame of Reference UID is a value Orthanc keeps: its bytes come back as the part's body.
    const response = await get(`${base}/00200052`);
    expect(response.statusCode).toBe(200);
    const [part] = parseMultipartRelated(response.headers['content-type'] as string, response.rawPayload);
    expect(part?.body.toString('latin1')).toMatch(/^2\.25\.\d+\0?$/);
    expect((await get(`${base}/not-a-tag`)).statusCode).toBe(400);
  });

  it('lists the prior and lets the reader open it, audited with priorOf', async () => {
    const list = TeleFilePriors.parse((await get(`/api/tele-files/${headFile}/priors`)).json());
    expect(list.priors.map((p) => [p.studyInstanceUid, p.numberOfInstances, p.modalitiesInStudy])).toEqual([[prior.studyInstanceUid, 32, ['CT']]]);
    const metadata = await get(`/dicom-web/studies/${prior.studyInstanceUid}/metadata`);
    expect(metadata.statusCode).toBe(200);
    const datasets = metadata.json<DicomJsonDataset[]>();
    expect(datasets).toHaveLength(32);
    priorSeries = String(datasets[0]?.['0020000E']?.Value?.[0]);
    const rows = await hub.database.db.selectFrom('audit_events').selectAll().where('action', '=', 'study.accessed').where('target_id', '=', prior.studyInstanceUid).execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]?.details).toMatchObject({ priorOf: headFile });
  });

  it('thumbnails: Orthanc renders the JPEG-LS prior; the JPEG 2000 head CT is left to the viewer; Orthanc stays up', async () => {
    const rendered = await get(`/dicom-web/studies/${prior.studyInstanceUid}/series/${priorSeries}/thumbnail`);
    expect(rendered.statusCode).toBe(200);
    expect(rendered.headers['content-type']).toBe('image/jpeg');
    expect([...rendered.rawPayload.subarray(0, 2)]).toEqual([0xff, 0xd8]);
    expect(rendered.headers['cache-control']).toBe('private, max-age=86400');
    const j2k = await get(`/dicom-web/studies/${head.studyInstanceUid}/series/${headSeries}/thumbnail`);
    expect(j2k.statusCode).toBe(404);
    expect(j2k.json<{ error: { message: string } }>().error.message).toMatch(/^No rendered thumbnail/);
    expect(j2k.body).not.toContain(pacsAddress());
    expect(orthanc.isRunning()).toBe(true);
  });

  it('refuses the same patient’s study sent by another site (AE title first), with an audit row', async () => {
    const response = await get(`/dicom-web/studies/${elsewhere}/metadata`);
    expect(response.statusCode).toBe(403);
    const rows = await hub.database.db.selectFrom('audit_events').selectAll().where('action', '=', 'access.denied').where('target_id', '=', elsewhere).where('actor_id', '=', reader.id).execute();
    expect(rows).toHaveLength(1);
    expect((await get(`/dicom-web/studies/${elsewhere}/series/${priorSeries}/thumbnail`)).statusCode).toBe(403);
  });
});
