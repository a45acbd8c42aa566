/**
 * The DICOMweb proxy's second slice over a folder PACS holding the demo
 * studies: priors (route, access, audit, refusals), the ingest prior rule,
 * thumbnails, multipart retrieval, bulk data, the per-(user, study) decision
 * cache and the cross-origin headers. On PGlite and on PostgreSQL.
 */
import { readdir, readFile, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { TeleFilePriors } from '../../../core/api/priors.js';
import { AnnouncedRequest } from '../../../core/api/teleFiles.js';
import { generateDemoStudies, type DemoStudySummary } from '../../../hub/demo/demoStudies.js';
import { dcmjs } from '../../../hub/demo/loadDcmjs.js';
import { encodePart10 } from '../../../hub/demo/writePart10.js';
import { IngestService } from '../../../hub/ingest/ingestService.js';
import { createLogger } from '../../../hub/logging/logger.js';
import { FolderAdapter } from '../../../hub/pacs/folderAdapter.js';
import { parseMultipartRelated } from '../../../hub/pacs/multipart.js';
import type { DicomJsonDataset, PacsAdapter, PatientStudy } from '../../../hub/pacs/pacsAdapter.js';
import { makeTempDir, removeTempDir } from '../../harness/tempDir.js';
import { announcedRequest, demoRegion, stableStudy } from '../teleFiles/teleFileFixtures.js';
import { DATABASE_KINDS, signInFully, startTestHub, type TestHub } from '../testHub.js';

async function dcmUnder(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile() && e.name.endsWith('.dcm')).map((e) => join(e.parentPath, e.name)).sort();
}

/** Width, height and greyscale pixels of a PNG the hub wrote (one IDAT, filter 0, colour type 0). */
function pngPixels(png: Buffer): { width: number; height: number; pixels: Buffer } {
  expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  expect(png[25]).toBe(0);
  const idatAt = png.indexOf('IDAT');
  const raw = inflateSync(png.subarray(idatAt + 4, idatAt + 4 + png.readUInt32BE(idatAt - 4)));
  const pixels = Buffer.alloc(width * height);
  for (let y = 0; y < height; y++) raw.copy(pixels, y * width, y * (width + 1) + 1, (y + 1) * (width + 1));
  return { width, height, pixels };
}

/** A copy of the prior's first slice as another study of the same patient, sent from another site (institution name). */
async function sameStudyElsewhere(source: string, folder: string): Promise<string> {
  const bytes = await readFile(source);
  const { DicomMessage, DicomMetaDictionary } = dcmjs.data as unknown as {
    DicomMessage: { readFile(b: ArrayBuffer): { dict: Record<string, unknown> } };
    DicomMetaDictionary: { naturalizeDataset(d: Record<string, unknown>): Record<string, unknown> };
  };
  const dataset = DicomMetaDictionary.naturalizeDataset(DicomMessage.readFile(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length)).dict);
  const study = `${String(dataset['StudyInstanceUID'])}.9`;
  dataset['StudyInstanceUID'] = study;
  dataset['SeriesInstanceUID'] = `${String(dataset['SeriesInstanceUID'])}.9`;
  dataset['SOPInstanceUID'] = `${String(dataset['SOPInstanceUID'])}.9`;
  dataset['InstitutionName'] = 'CH DEMO SUD (FICTIF)';
  dataset['StudyDate'] = '20230101';
  await mkdir(join(folder, 'elsewhere'), { recursive: true });
  await writeFile(join(folder, 'elsewhere', 'slice.dcm'), encodePart10(dataset));
  return study;
}

describe.each(DATABASE_KINDS)('DICOMweb proxy: priors, thumbnails, retrieval (%s)', (kind) => {
  let hub: TestHub;
  let folder: string;
  let adapter: FolderAdapter;
  let demo: DemoStudySummary[];
  let head: DemoStudySummary;
  let prior: DemoStudySummary;
  let abdomen: DemoStudySummary;
  let ultrasound: DemoStudySummary;
  let elsewhere: string;
  let reader: { cookie: string; id: string };
  let outsider: { cookie: string; id: string };
  let headFile: string;
  let abdomenFile: string;
  let headSeries: string;
  let headSlices: string[];

  const get = (cookie: string, url: string, headers: Record<string, string> = {}) => hub.app.inject({ method: 'GET', url, headers: { cookie, ...headers } });
  const audits = (action: string, targetId: string, actorId: string) =>
    hub.database.db.selectFrom('audit_events').selectAll().where('action', '=', action).where('target_id', '=', targetId).where('actor_id', '=', actorId).execute();

  beforeAll(async () => {
    hub = await startTestHub(kind, { secondFactorRequiredRoles: [] });
    folder = await makeTempDir('dicomweb-priors');
    demo = await generateDemoStudies({ folder, headCtSlices: 16 });
    head = demo[0] as DemoStudySummary;
    abdomen = demo[2] as DemoStudySummary;
    ultrasound = demo[3] as DemoStudySummary;
    prior = demo.find((d) => d.priorOf === head.studyInstanceUid) as DemoStudySummary;
    headSlices = await dcmUnder(head.folder);
    headSeries = (headSlices[0] as string).split('/').at(-2) as string;
    elsewhere = await sameStudyElsewhere((await dcmUnder(prior.folder))[0] as string, folder);
    adapter = new FolderAdapter({ folder, stabilityDelayMs: 0 });
    hub.services.pacs = adapter;
    const user = await hub.createUser('dr.priors', ['radiologist']);
    reader = { id: user.id, cookie: (await signInFully(hub.app, user.username, user.password)).cookie };
    const off = await hub.createUser('dr.elsewhere', ['radiologist']);
    outsider = { id: off.id, cookie: (await signInFully(hub.app, off.username, off.password)).cookie };
    await demoRegion(hub, ['dr.priors']);
  }, 180_000);

  afterAll(async () => {
    await adapter?.close();
    await hub?.close();
    if (folder) await removeTempDir(folder);
  });

  it('ingest keeps the six-month-old head CT as a prior (no tele-file) and files the others', async () => {
    const ingest = new IngestService(hub.database.db, adapter, hub.services.teleFiles, hub.services.organisation, hub.services.roster, createLogger('silent'), { pollMs: 1000, reconcileWindowMs: 1000 });
    const studies = await adapter.reconcile(new Date(0));
    expect(studies).toHaveLength(6);
    // The prior first, as a PACS may report it before the newer study: the rule does not depend on the order.
    studies.sort((a, b) => (a.studyInstanceUid === prior.studyInstanceUid ? -1 : b.studyInstanceUid === prior.studyInstanceUid ? 1 : 0));
    const outcomes = new Map<string, string>();
    for (const study of studies) outcomes.set(study.studyInstanceUid, (await ingest.receive(study)).kind);
    expect(outcomes.get(prior.studyInstanceUid)).toBe('prior');
    expect(outcomes.get(head.studyInstanceUid)).toBe('created');
    expect(outcomes.get(abdomen.studyInstanceUid)).toBe('created');
    // The copy sent from the other site is not a prior of the north site's head CT: it gets its own (routed) tele-file.
    expect(outcomes.get(elsewhere)).toBe('created');
    expect(await hub.services.teleFiles.byStudyUid(prior.studyInstanceUid)).toBeUndefined();
    headFile = (await hub.services.teleFiles.byStudyUid(head.studyInstanceUid))?.id as string;
    abdomenFile = (await hub.services.teleFiles.byStudyUid(abdomen.studyInstanceUid))?.id as string;
    // Seen again (reconciliation), the prior stays a prior and the head CT keeps its one tele-file.
    expect((await ingest.receive(studies.find((s) => s.studyInstanceUid === prior.studyInstanceUid) as (typeof studies)[number])).kind).toBe('prior');
    expect((await ingest.receive(studies.find((s) => s.studyInstanceUid === head.studyInstanceUid) as (typeof studies)[number])).kind).toBe('unchanged');
  });

  it('an old study that its site announced is attached, never kept as a prior', async () => {
    const newer: PatientStudy = { studyInstanceUid: '2.25.424242', patientId: 'IPP-PRIOR', issuerOfPatientId: 'CH-DEMO-NORD', studyDate: '20261120', studyTime: '100000', studyDescription: '', modalitiesInStudy: ['CT'], numberOfSeries: 1, numberOfInstances: 10, sourceAet: 'DEMO_NORD', institutionName: null };
    const fake = { kind: 'dicomweb', description: 'fake', patientStudies: async (id: string) => (id === 'IPP-PRIOR' ? [newer] : []) } as unknown as PacsAdapter;
    const ingest = new IngestService(hub.database.db, fake, hub.services.teleFiles, hub.services.organisation, hub.services.roster, createLogger('silent'), { pollMs: 1000, reconcileWindowMs: 1000 });
    const old = stableStudy({ patientId: 'IPP-PRIOR', accessionNumber: 'OLD-1', studyDate: '20260101' });
    expect((await ingest.receive(old)).kind).toBe('prior');
    const announced = AnnouncedRequest.parse(announcedRequest({ accessionNumber: 'OLD-2', patientId: 'IPP-PRIOR' }));
    const file = await hub.services.teleFiles.announce(announced, { id: 'ch-demo-nord', name: 'CH Démo Nord (fictif)', issuer: 'CH-DEMO-NORD' }, { id: reader.id, username: 'dr.priors' });
    const outcome = await ingest.receive(stableStudy({ patientId: 'IPP-PRIOR', accessionNumber: 'OLD-2', studyDate: '20260101' }));
    expect(outcome.kind).toBe('attached');
    expect(outcome.kind === 'attached' ? outcome.teleFile.id : null).toBe(file.id);
  });

  it('lists the priors of a tele-file, newest first, for its readers only', async () => {
    const response = await get(reader.cookie, `/api/tele-files/${headFile}/priors`);
    expect(response.statusCode).toBe(200);
    const body = TeleFilePriors.parse(response.json());
    expect(body.teleFileId).toBe(headFile);
    expect(body.studyInstanceUid).toBe(head.studyInstanceUid);
    expect(body.priors).toEqual([
      {
        studyInstanceUid: prior.studyInstanceUid,
        studyDate: `${prior.studyDate.slice(0, 4)}-${prior.studyDate.slice(4, 6)}-${prior.studyDate.slice(6)}`,
        studyTime: expect.stringMatching(/^\d{2}:\d{2}:\d{2}$/),
        studyDescription: 'SCANNER CEREBRAL SANS INJECTION',
        modalitiesInStudy: ['CT'],
        numberOfSeries: 1,
        numberOfInstances: 32,
      },
    ]);
    // Same patient at another site: not a prior. Another patient: none.
    expect(body.priors.map((p) => p.studyInstanceUid)).not.toContain(elsewhere);
    expect(TeleFilePriors.parse((await get(reader.cookie, `/api/tele-files/${abdomenFile}/priors`)).json()).priors).toEqual([]);
    const denied = await get(outsider.cookie, `/api/tele-files/${headFile}/priors`);
    expect(denied.statusCode).toBe(403);
    expect(await audits('access.denied', headFile, outsider.id)).toHaveLength(1);
  });

  it('lets the reader open the prior, audited once with priorOf', async () => {
    const url = `/dicom-web/studies/${prior.studyInstanceUid}/metadata`;
    const first = await get(reader.cookie, url);
    expect(first.statusCode).toBe(200);
    expect(first.json<DicomJsonDataset[]>()).toHaveLength(32);
    expect((await get(reader.cookie, url)).statusCode).toBe(200);
    const rows = await audits('study.accessed', prior.studyInstanceUid, reader.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.details).toMatchObject({ teleFileId: headFile, priorOf: headFile, via: 'dicom-web' });
    // With the hint naming the right tele-file: same answer.
    expect((await get(reader.cookie, `${url}?priorOf=${headFile}`)).statusCode).toBe(200);
  });

  it('refuses a prior to someone who cannot see its tele-file, a wrong hint, another site’s study and another patient’s', async () => {
    expect((await get(outsider.cookie, `/dicom-web/studies/${prior.studyInstanceUid}/metadata`)).statusCode).toBe(403);
    expect(await audits('access.denied', prior.studyInstanceUid, outsider.id)).toHaveLength(1);
    // A fresh reader session so that no cached decision helps; the hint names the abdomen (another patient): checked, refused.
    const user = await hub.createUser('dr.hint', ['radiologist']);
    await hub.services.roster.add([{ personId: 'dr.hint', target: { kind: 'pivot-group', groupId: 'pool-demo' }, from: new Date(Date.now() - 60_000), to: new Date(Date.now() + 3_600_000) }]);
    const hinted = (await signInFully(hub.app, user.username, user.password)).cookie;
    expect((await get(hinted, `/dicom-web/studies/${prior.studyInstanceUid}/metadata?priorOf=${abdomenFile}`)).statusCode).toBe(403);
    expect(await audits('access.denied', prior.studyInstanceUid, user.id)).toHaveLength(1);
    expect((await get(hinted, `/dicom-web/studies/${prior.studyInstanceUid}/metadata?priorOf=not-an-id`)).statusCode).toBe(400);
    // The ultrasound (another patient, another site, refused: admins only) is not readable.
    expect((await get(reader.cookie, `/dicom-web/studies/${ultrasound.studyInstanceUid}/metadata`)).statusCode).toBe(403);
    expect(await audits('access.denied', ultrasound.studyInstanceUid, reader.id)).toHaveLength(1);
  });

  it('does not ask the database again for each frame within the decision delay', async () => {
    const slice = headSlices[0] as string;
    const sop = slice.split('/').at(-1)?.replace(/\.dcm$/, '') as string;
    const frame = `/dicom-web/studies/${head.studyInstanceUid}/series/${headSeries}/instances/${sop}/frames/1`;
    expect((await get(reader.cookie, frame)).statusCode).toBe(200);
    const reach = vi.spyOn(hub.services.worklist, 'reachOf');
    const byStudy = vi.spyOn(hub.services.teleFiles, 'byStudyUid');
    try {
      for (let i = 0; i < 5; i++) expect((await get(reader.cookie, frame)).statusCode).toBe(200);
      expect(reach).not.toHaveBeenCalled();
      expect(byStudy).not.toHaveBeenCalled();
    } finally {
      reach.mockRestore();
      byStudy.mockRestore();
    }
  });

  it('renders a PNG thumbnail of the series’ middle slice, cached privately, same-origin only', async () => {
    const response = await get(reader.cookie, `/dicom-web/studies/${head.studyInstanceUid}/series/${headSeries}/thumbnail`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('image/png');
    expect(response.headers['cache-control']).toBe('private, max-age=86400');
    expect(response.headers['cross-origin-resource-policy']).toBe('same-origin');
    const { width, height, pixels } = pngPixels(response.rawPayload);
    expect([width, height]).toEqual([128, 128]);
    // Brain window 40/80: the corner is air (black), the left hemisphere 40 mm off the midline brain (grey), the skull white somewhere.
    expect(pixels[0]).toBe(0);
    const centre = pixels[64 * 128 + 84] as number;
    expect(centre).toBeGreaterThan(60);
    expect(centre).toBeLessThan(220);
    expect(Math.max(...pixels)).toBe(255);
    const sop = (headSlices[3] as string).split('/').at(-1)?.replace(/\.dcm$/, '') as string;
    const instance = await get(reader.cookie, `/dicom-web/studies/${head.studyInstanceUid}/series/${headSeries}/instances/${sop}/thumbnail`);
    expect(instance.statusCode).toBe(200);
    expect(instance.headers['cache-control']).toContain('immutable');
    expect(instance.rawPayload.equals(response.rawPayload)).toBe(false);
    expect((await get(outsider.cookie, `/dicom-web/studies/${head.studyInstanceUid}/series/${headSeries}/thumbnail`)).statusCode).toBe(403);
  });

  it('answers an instance as multipart/related when asked so, and bare otherwise', async () => {
    const slice = headSlices[1] as string;
    const sop = slice.split('/').at(-1)?.replace(/\.dcm$/, '') as string;
    const url = `/dicom-web/studies/${head.studyInstanceUid}/series/${headSeries}/instances/${sop}`;
    const bytes = await readFile(slice);
    const multipart = await get(reader.cookie, url, { accept: 'multipart/related; type="application/dicom"; transfer-syntax=*' });
    expect(multipart.statusCode).toBe(200);
    const parts = parseMultipartRelated(multipart.headers['content-type'] as string, multipart.rawPayload);
    expect(parts).toHaveLength(1);
    expect(parts[0]?.headers['content-type']).toBe('application/dicom');
    expect(parts[0]?.body.equals(bytes)).toBe(true);
    const bare = await get(reader.cookie, url, { accept: 'application/dicom' });
    expect(bare.headers['content-type']).toBe('application/dicom');
    expect(bare.rawPayload.equals(bytes)).toBe(true);
    expect((await get(reader.cookie, url, { accept: 'image/png' })).statusCode).toBe(406);
  });

  it('retrieves a whole series and a whole study (the prior) as multipart/related', async () => {
    const series = await get(reader.cookie, `/dicom-web/studies/${head.studyInstanceUid}/series/${headSeries}`, { accept: 'multipart/related; type="application/dicom"' });
    expect(series.statusCode).toBe(200);
    const parts = parseMultipartRelated(series.headers['content-type'] as string, series.rawPayload);
    expect(parts).toHaveLength(16);
    const files = await Promise.all(headSlices.map((p) => readFile(p)));
    expect(parts.every((part) => files.some((f) => f.equals(part.body)))).toBe(true);
    const study = await get(reader.cookie, `/dicom-web/studies/${prior.studyInstanceUid}`);
    expect(study.statusCode).toBe(200);
    expect(parseMultipartRelated(study.headers['content-type'] as string, study.rawPayload)).toHaveLength(32);
    expect((await get(outsider.cookie, `/dicom-web/studies/${head.studyInstanceUid}`)).statusCode).toBe(403);
  });

  it('has no bulk data to serve from a folder (values are inline) and refuses odd bulk paths', async () => {
    const sop = (headSlices[0] as string).split('/').at(-1)?.replace(/\.dcm$/, '') as string;
    const base = `/dicom-web/studies/${head.studyInstanceUid}/series/${headSeries}/instances/${sop}/bulk`;
    expect((await get(reader.cookie, `${base}/00281201`)).statusCode).toBe(404);
    expect((await get(reader.cookie, `${base}/..%2F..%2Fetc`)).statusCode).toBe(400);
    const metadata = JSON.stringify((await get(reader.cookie, `/dicom-web/studies/${head.studyInstanceUid}/metadata`)).json());
    expect(metadata).not.toContain('BulkDataURI');
  });
});
