import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TeleFileChange, TeleFileSummary } from '../../../core/api/teleFiles.js';
import { IngestService } from '../../../hub/ingest/ingestService.js';
import { createLogger } from '../../../hub/logging/logger.js';
import type { PacsAdapter } from '../../../hub/pacs/pacsAdapter.js';
import { LiveFeed, type LiveSubscriber } from '../../../hub/teleFiles/liveFeed.js';
import { DATABASE_KINDS, signInFully, startTestHub, type TestHub } from '../testHub.js';
import { announcedRequest, demoRegion, joinSites, stableStudy } from './teleFileFixtures.js';

// Ingest is driven study by study (the PACS side is tested against a real Orthanc in test/hub/ingest).
const noPacs = {} as PacsAdapter;

/** Request first: the emergency physician announces the study, the images follow and are attached to it. */
describe.each(DATABASE_KINDS)('requests announced before their images on %s', (kind) => {
  let hub: TestHub;
  let ingest: IngestService;
  let requester: { cookie: string; id: string };
  let southRequester: { cookie: string; id: string };
  let reader: { cookie: string; id: string };
  let admin: { cookie: string; id: string };

  async function person(username: string, roles: Parameters<TestHub['createUser']>[1]) {
    const user = await hub.createUser(username, roles);
    return { cookie: (await signInFully(hub.app, user.username, user.password)).cookie, id: user.id, username };
  }
  const get = (cookie: string, url: string) => hub.app.inject({ method: 'GET', url, headers: { cookie } });
  const announce = (cookie: string, payload: Record<string, unknown>) => hub.app.inject({ method: 'POST', url: '/api/tele-files', headers: { cookie }, payload });
  const worklistIds = async (cookie: string) => (await get(cookie, '/api/worklist')).json<{ items: TeleFileSummary[] }>().items.map((i) => i.id);
  const events = async (id: string) =>
    (await hub.database.db.selectFrom('tele_file_events').select(['event', 'to_status']).where('tele_file_id', '=', id).orderBy('seq').execute()).map((e) => `${e.event}:${e.to_status}`);
  const auditActions = async (id: string) => (await hub.database.db.selectFrom('audit_events').select(['action', 'actor_name']).where('target_id', '=', id).orderBy('seq').execute()).map((a) => `${a.action}:${a.actor_name}`);

  beforeAll(async () => {
    hub = await startTestHub(kind, { secondFactorRequiredRoles: [] });
    requester = await person('urg.nord', ['requester']);
    southRequester = await person('urg.sud', ['requester']);
    reader = await person('dr.pool', ['radiologist']);
    admin = await person('admin.rf', ['admin']);
    await demoRegion(hub, ['dr.pool']);
    await joinSites(hub, requester.id, ['ch-demo-nord']);
    await joinSites(hub, southRequester.id, ['ch-demo-sud']);
    ingest = new IngestService(hub.database.db, noPacs, hub.services.teleFiles, hub.services.organisation, hub.services.roster, createLogger('silent'), { pollMs: 1000, reconcileWindowMs: 1000 });
  });
  afterAll(() => hub?.close());

  it('tells each person the sites they may announce for', async () => {
    expect((await get(requester.cookie, '/api/me/requesting-sites')).json()).toEqual({ sites: [{ id: 'ch-demo-nord', name: 'CH Démo Nord (fictif)' }] });
    expect((await get(admin.cookie, '/api/me/requesting-sites')).json().sites.map((s: { id: string }) => s.id)).toEqual(['ch-demo-nord', 'ch-demo-sud']);
    expect((await get(reader.cookie, '/api/me/requesting-sites')).json()).toEqual({ sites: [] });
  });

  it('creates a received tele-file waiting for its images, seen by its site’s requesters and admins, not by readers', async () => {
    const response = await announce(requester.cookie, announcedRequest({ accessionNumber: 'RF-WAIT-1', modality: 'ct' }));
    expect(response.statusCode).toBe(201);
    const file = response.json<TeleFileSummary>();
    expect(file).toMatchObject({
      status: 'received',
      studyInstanceUid: null,
      imagesReceivedAt: null,
      numberOfInstances: 0,
      accessionNumber: 'RF-WAIT-1',
      modalities: ['CT'],
      modalityFamily: 'cross-sectional',
      priority: 'vital',
      clinicalQuestion: 'Hématome intracrânien ?',
      requestReceived: true,
      requestingSite: { id: 'ch-demo-nord', name: 'CH Démo Nord (fictif)' },
      patient: { name: 'DUPONT Jean', patientId: 'IPP-1', issuer: 'CH-DEMO-NORD' },
      target: null,
      assignee: null,
    });
    expect(await worklistIds(requester.cookie)).toContain(file.id);
    expect(await worklistIds(admin.cookie)).toContain(file.id);
    expect(await worklistIds(reader.cookie)).not.toContain(file.id);
    expect(await worklistIds(southRequester.cookie)).not.toContain(file.id);
    expect((await get(reader.cookie, `/api/tele-files/${file.id}`)).statusCode).toBe(403);
    expect((await get(requester.cookie, `/api/tele-files/${file.id}`)).json()).toMatchObject({ id: file.id, status: 'received' });
    expect(await events(file.id)).toEqual(['announced:received']);
    expect(await auditActions(file.id)).toEqual(['tele-file.created:urg.nord', 'tele-file.request:urg.nord', 'access.denied:dr.pool']);
  });

  it('attaches the matching study to the SAME tele-file, routes it with its request, and shows it to the readers on call', async () => {
    const file = (await announce(requester.cookie, announcedRequest({ accessionNumber: 'RF-MATCH-1', patientId: 'IPP-77' }))).json<TeleFileSummary>();
    const study = stableStudy({ accessionNumber: 'RF-MATCH-1', patientId: 'IPP-77', issuerOfPatientId: 'CH-DEMO-NORD', patientName: 'DUPONT^JEAN', numberOfInstances: 120, reasonForRequestedProcedure: 'from the RIS' });
    const outcome = await ingest.ingestStudy(study);
    expect(outcome.kind).toBe('attached');
    expect(outcome.teleFile).toMatchObject({
      id: file.id,
      status: 'routed',
      study_instance_uid: study.studyInstanceUid,
      target_id: 'pool-demo',
      requesting_site_id: 'ch-demo-nord',
      number_of_instances: 120,
      patient_name: 'DUPONT^JEAN',
      question: 'Hématome intracrânien ?',
      priority: 'vital',
      contact_phone: '03 22 00 00 00',
      requested_by: 'Dr Urgences',
    });
    expect(outcome.teleFile.images_received_at).not.toBeNull();
    // Seen again (more instances, reconciliation): the same tele-file, never a second one.
    expect((await ingest.ingestStudy(study)).kind).toBe('unchanged');
    expect((await ingest.ingestStudy({ ...study, numberOfInstances: 130 })).teleFile.id).toBe(file.id);
    const rows = await hub.database.db.selectFrom('tele_files').select('id').where('study_instance_uid', '=', study.studyInstanceUid).execute();
    expect(rows).toEqual([{ id: file.id }]);

    const onCall = (await get(reader.cookie, '/api/worklist')).json<{ items: TeleFileSummary[] }>().items.find((i) => i.id === file.id);
    expect(onCall).toMatchObject({ status: 'routed', priority: 'vital', clinicalQuestion: 'Hématome intracrânien ?', requestReceived: true, numberOfInstances: 130, studyInstanceUid: study.studyInstanceUid });
    expect(onCall?.imagesReceivedAt).not.toBeNull();
    expect(await worklistIds(requester.cookie)).toContain(file.id);
    expect(await events(file.id)).toEqual(['announced:received', 'images-attached:received', 'route:routed', 'images-updated:routed']);
    expect(await auditActions(file.id)).toContain('tele-file.images-attached:system');
  });

  it('matches a study without an issuer of its own by the requesting site’s issuer', async () => {
    const file = (await announce(requester.cookie, announcedRequest({ accessionNumber: 'RF-SITE-1', patientId: 'IPP-8' }))).json<TeleFileSummary>();
    const outcome = await ingest.ingestStudy(stableStudy({ accessionNumber: 'RF-SITE-1', patientId: 'IPP-8', issuerOfPatientId: null }));
    expect(outcome).toMatchObject({ kind: 'attached', teleFile: { id: file.id, status: 'routed', issuer: 'CH-DEMO-NORD' } });
  });

  it('never attaches a study of another patient: the study gets its own tele-file and the conflict is audited on the announced one', async () => {
    const file = (await announce(requester.cookie, announcedRequest({ accessionNumber: 'RF-OTHER-1', patientId: 'IPP-2' }))).json<TeleFileSummary>();
    const study = stableStudy({ accessionNumber: 'RF-OTHER-1', patientId: 'SOMEONE-ELSE', issuerOfPatientId: 'CH-DEMO-NORD' });
    const outcome = await ingest.ingestStudy(study);
    expect(outcome).toMatchObject({ kind: 'created', notAttachedTo: file.id, teleFile: { status: 'routed', patient_id: 'SOMEONE-ELSE', study_instance_uid: study.studyInstanceUid } });
    expect(outcome.teleFile.id).not.toBe(file.id);
    const announced = await hub.services.teleFiles.byId(file.id);
    expect(announced).toMatchObject({ status: 'received', study_instance_uid: null, patient_id: 'IPP-2', images_received_at: null });
    const conflict = await hub.database.db.selectFrom('audit_events').select(['action', 'outcome', 'details']).where('target_id', '=', file.id).where('action', '=', 'tele-file.identity-conflict').execute();
    expect(conflict).toHaveLength(1);
    expect(conflict[0]?.outcome).toBe('failure');
    expect(String(conflict[0]?.details.reason)).toContain('another patient ID');
  });

  it('never attaches across issuers: the same accession number from another site is another study', async () => {
    const file = (await announce(requester.cookie, announcedRequest({ accessionNumber: 'RF-SUD-1', patientId: 'IPP-3' }))).json<TeleFileSummary>();
    const outcome = await ingest.ingestStudy(stableStudy({ accessionNumber: 'RF-SUD-1', patientId: 'IPP-3', issuerOfPatientId: 'CH-DEMO-SUD', sourceAet: 'DEMO_SUD' }));
    expect(outcome.kind).toBe('created');
    expect(outcome.teleFile.id).not.toBe(file.id);
    expect((await hub.services.teleFiles.byId(file.id))?.study_instance_uid).toBeNull();
  });

  it('refuses a second announcement of the same accession number for the site (409), whether waiting or already received', async () => {
    await announce(requester.cookie, announcedRequest({ accessionNumber: 'RF-TWICE-1' }));
    const again = await announce(requester.cookie, announcedRequest({ accessionNumber: 'RF-TWICE-1', patientId: 'IPP-9' }));
    expect(again.statusCode).toBe(409);
    expect(again.json().error.message).toContain('already announced and waiting for its images');
    // The images came first: the request goes on that tele-file, not on a second one.
    await ingest.ingestStudy(stableStudy({ accessionNumber: 'RF-FIRST-1' }));
    const late = await announce(requester.cookie, announcedRequest({ accessionNumber: 'RF-FIRST-1' }));
    expect(late.statusCode).toBe(409);
    expect(late.json().error.message).toContain('complete its clinical request');
    // The same accession number at another site is another study.
    expect((await announce(admin.cookie, announcedRequest({ requestingSiteId: 'ch-demo-sud', accessionNumber: 'RF-TWICE-1' }))).statusCode).toBe(201);
  });

  it('lets exactly one of two simultaneous announcements in', async () => {
    const payload = announcedRequest({ accessionNumber: 'RF-RACE-1' });
    const answers = await Promise.all([announce(requester.cookie, payload), announce(requester.cookie, payload)]);
    expect(answers.map((a) => a.statusCode).sort()).toEqual([201, 409]);
    const rows = await hub.database.db.selectFrom('tele_files').select('id').where('announced_accession_number', '=', 'RF-RACE-1').execute();
    expect(rows).toHaveLength(1);
  });

  it('answers 403 to a requester of another site and to a reader, with an audit row', async () => {
    const other = await announce(southRequester.cookie, announcedRequest({ accessionNumber: 'RF-403-1' }));
    expect(other.statusCode).toBe(403);
    expect(other.json().error.message).toContain('CH Démo Nord (fictif)');
    const denied = await hub.database.db.selectFrom('audit_events').select(['action', 'target_id']).where('actor_name', '=', 'urg.sud').where('action', '=', 'access.denied').execute();
    expect(denied).toEqual([{ action: 'access.denied', target_id: 'ch-demo-nord' }]);
    expect((await announce(reader.cookie, announcedRequest({ accessionNumber: 'RF-403-2' }))).statusCode).toBe(403);
    const rows = await hub.database.db.selectFrom('tele_files').select('id').where('announced_accession_number', 'in', ['RF-403-1', 'RF-403-2']).execute();
    expect(rows).toEqual([]);
  });

  it('answers 400 naming each bad field', async () => {
    const empty = await announce(requester.cookie, {});
    expect(empty.statusCode).toBe(400);
    const named = (response: typeof empty) => [...new Set(response.json<{ error: { fields: { field: string }[] } }>().error.fields.map((f) => f.field))].sort();
    expect(named(empty)).toEqual(['accessionNumber', 'contactPhone', 'indication', 'modality', 'patientId', 'priority', 'question', 'requestedBy', 'requestingSiteId']);
    const bad = await announce(requester.cookie, announcedRequest({ accessionNumber: 'A'.repeat(17), patientId: 'IPP\\2', modality: 'scanner!', patientName: 'X'.repeat(65), priority: 'soon', contactPhone: 'call me' }));
    expect(bad.statusCode).toBe(400);
    expect(named(bad)).toEqual(['accessionNumber', 'contactPhone', 'modality', 'patientId', 'patientName', 'priority']);
    expect(bad.json().error.fields.find((f: { field: string }) => f.field === 'accessionNumber').message).toContain('16 characters');
    const unknownSite = await announce(requester.cookie, announcedRequest({ requestingSiteId: 'ch-nowhere' }));
    expect(unknownSite.statusCode).toBe(400);
    expect(named(unknownSite)).toEqual(['requestingSiteId']);
  });

  it('sends the announcement live to its site’s requesters, and to the readers once it is routed', async () => {
    // Driven by hand (tick): the timer's period is longer than the test.
    const feed = new LiveFeed(hub.services.teleFiles, hub.services.worklist, (error) => {
      throw error;
    }, 600_000);
    await feed.start();
    const received: Record<string, TeleFileChange[]> = { requester: [], reader: [] };
    const subscriber = (name: 'requester' | 'reader', user: { id: string; username: string; roles: ('requester' | 'radiologist')[] }): LiveSubscriber => ({
      user,
      shown: new Set(),
      send: (change) => received[name]?.push(change),
      reset: () => undefined,
    });
    const cursor = await hub.services.teleFiles.headSeq();
    await feed.subscribe(subscriber('requester', { id: requester.id, username: 'urg.nord', roles: ['requester'] }), cursor);
    await feed.subscribe(subscriber('reader', { id: reader.id, username: 'dr.pool', roles: ['radiologist'] }), cursor);
    const file = (await announce(requester.cookie, announcedRequest({ accessionNumber: 'RF-LIVE-1', patientId: 'IPP-5' }))).json<TeleFileSummary>();
    await feed.tick();
    // The feed's first poll looks a little behind its head: earlier files may come again, so look at this one.
    const about = (name: 'requester' | 'reader') => (received[name] ?? []).filter((c) => (c.kind === 'upsert' ? c.teleFile.id : c.id) === file.id);
    expect(about('requester').map((c) => (c.kind === 'upsert' ? c.teleFile.status : c.kind))).toEqual(['received']);
    expect(about('reader')).toEqual([]);
    await ingest.ingestStudy(stableStudy({ accessionNumber: 'RF-LIVE-1', patientId: 'IPP-5' }));
    await feed.tick();
    expect(about('reader').map((c) => (c.kind === 'upsert' ? `${c.teleFile.status}:${c.teleFile.clinicalQuestion}` : c.kind))).toEqual(['routed:Hématome intracrânien ?']);
    await feed.stop();
  });
});
