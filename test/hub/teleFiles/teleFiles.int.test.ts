import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IngestService } from '../../../hub/ingest/ingestService.js';
import { createLogger } from '../../../hub/logging/logger.js';
import type { PacsAdapter } from '../../../hub/pacs/pacsAdapter.js';
import { demoOrganisation } from '../../../hub/organisation/demoOrganisation.js';
import { DATABASE_KINDS, signInFully, startTestHub, type TestHub } from '../testHub.js';
import { demoRegion, stableStudy } from './teleFileFixtures.js';

// Ingest is driven study by study here (the PACS side is tested against a real Orthanc in test/hub/ingest).
const noPacs = {} as PacsAdapter;

describe.each(DATABASE_KINDS)('tele-files on %s', (kind) => {
  let hub: TestHub;
  let ingest: IngestService;
  let reader: { cookie: string; id: string };
  let colleague: { cookie: string; id: string };
  let outsider: { cookie: string; id: string };
  let admin: { cookie: string; id: string };

  async function person(username: string, roles: Parameters<TestHub['createUser']>[1]) {
    const user = await hub.createUser(username, roles);
    return { cookie: (await signInFully(hub.app, user.username, user.password)).cookie, id: user.id };
  }
  const get = (cookie: string, url: string) => hub.app.inject({ method: 'GET', url, headers: { cookie } });
  const post = (cookie: string, url: string, payload?: Record<string, unknown>) =>
    payload === undefined ? hub.app.inject({ method: 'POST', url, headers: { cookie } }) : hub.app.inject({ method: 'POST', url, headers: { cookie }, payload });

  beforeAll(async () => {
    hub = await startTestHub(kind, { secondFactorRequiredRoles: [] });
    reader = await person('dr.pool1', ['radiologist']);
    colleague = await person('dr.pool2', ['radiologist']);
    outsider = await person('dr.off', ['radiologist']);
    admin = await person('admin.tf', ['admin']);
    await demoRegion(hub, ['dr.pool1', 'dr.pool2']);
    ingest = new IngestService(hub.database.db, noPacs, hub.services.teleFiles, hub.services.organisation, hub.services.roster, createLogger('silent'), { pollMs: 1000, reconcileWindowMs: 1000 });
  });
  afterAll(() => hub?.close());

  it('turns one study into one routed tele-file, whatever how often it is seen', async () => {
    const study = stableStudy({ numberOfInstances: 30 });
    const first = await ingest.ingestStudy(study);
    expect(first.kind).toBe('created');
    expect(first.teleFile).toMatchObject({ status: 'routed', target_id: 'pool-demo', requesting_site_id: 'ch-demo-nord', issuer: 'CH-DEMO-NORD' });
    expect(first.teleFile.routing_fr).toContain('Pool démo');
    expect((await ingest.ingestStudy(study)).kind).toBe('unchanged');
    const more = await ingest.ingestStudy({ ...study, numberOfInstances: 64 });
    expect(more.kind).toBe('updated');
    expect(more.teleFile.number_of_instances).toBe(64);
    const rows = await hub.database.db.selectFrom('tele_files').select('id').where('study_instance_uid', '=', study.studyInstanceUid).execute();
    expect(rows).toHaveLength(1);
  });

  it('refuses ultrasound with its reason, and an unknown site with its reason', async () => {
    const us = await ingest.ingestStudy(stableStudy({ modalitiesInStudy: ['US'] }));
    expect(us.teleFile).toMatchObject({ status: 'refused', refusal_code: 'ultrasound-not-remote' });
    expect(us.teleFile.refusal_fr).toContain('sonde');
    const stranger = await ingest.ingestStudy(stableStudy({ sourceAet: 'NOBODY', institutionName: 'CH Inconnu', issuerOfPatientId: null }));
    expect(stranger.teleFile).toMatchObject({ status: 'refused', refusal_code: 'unknown-requesting-site' });
    // No issuer anywhere: the patient is namespaced as unknown, never merged into a known site's.
    expect(stranger.teleFile.issuer).toMatch(/^UNKNOWN:/);
  });

  it('takes the issuer from the requesting site when the study has none', async () => {
    const created = await ingest.ingestStudy(stableStudy({ issuerOfPatientId: null }));
    expect(created.teleFile.issuer).toBe('CH-DEMO-NORD');
  });

  it('never merges a study whose patient identity changed', async () => {
    const study = stableStudy();
    await ingest.ingestStudy(study);
    const changed = await ingest.ingestStudy({ ...study, patientId: 'SOMEONE-ELSE', numberOfInstances: 70 });
    expect(changed.kind).toBe('identity-conflict');
    expect(changed.teleFile.patient_id).toBe(study.patientId);
    const audit = await hub.database.db.selectFrom('audit_events').select('action').where('target_id', '=', changed.teleFile.id).execute();
    expect(audit.map((a) => a.action)).toContain('tele-file.identity-conflict');
  });

  it('shows on-call readers their pool, hides it from others with a 403 and an audit row', async () => {
    const { teleFile } = await ingest.ingestStudy(stableStudy());
    const list = await get(reader.cookie, '/api/worklist');
    expect(list.statusCode).toBe(200);
    const item = list.json().items.find((i: { id: string }) => i.id === teleFile.id);
    expect(item).toMatchObject({ status: 'routed', requestingSite: { id: 'ch-demo-nord', name: 'CH Démo Nord (fictif)' }, modalities: ['CT'], assignee: null });
    expect(list.json().items.some((i: { status: string }) => i.status === 'refused')).toBe(false);
    expect((await get(outsider.cookie, '/api/worklist')).json().items).toEqual([]);
    const denied = await get(outsider.cookie, `/api/tele-files/${teleFile.id}`);
    expect(denied.statusCode).toBe(403);
    const rows = await hub.database.db.selectFrom('audit_events').select(['action', 'actor_name']).where('target_id', '=', teleFile.id).where('action', '=', 'access.denied').execute();
    expect(rows).toEqual([{ action: 'access.denied', actor_name: 'dr.off' }]);
    expect((await get(admin.cookie, '/api/worklist')).json().items.some((i: { status: string }) => i.status === 'refused')).toBe(true);
  });

  it('lets one reader claim, tells the second who has it, and lets the first release', async () => {
    const { teleFile } = await ingest.ingestStudy(stableStudy());
    const claimed = await post(reader.cookie, `/api/tele-files/${teleFile.id}/claim`);
    expect(claimed.statusCode).toBe(200);
    expect(claimed.json()).toMatchObject({ status: 'claimed', assignee: { username: 'dr.pool1', displayName: 'Test dr.pool1' } });
    const second = await post(colleague.cookie, `/api/tele-files/${teleFile.id}/claim`);
    expect(second.statusCode).toBe(409);
    expect(second.json().error.message).toBe('Already taken by Test dr.pool1.');
    // The colleague still sees it, as taken.
    const theirs = (await get(colleague.cookie, '/api/worklist')).json().items.find((i: { id: string }) => i.id === teleFile.id);
    expect(theirs.assignee.username).toBe('dr.pool1');
    expect((await post(colleague.cookie, `/api/tele-files/${teleFile.id}/release`)).statusCode).toBe(403);
    const released = await post(reader.cookie, `/api/tele-files/${teleFile.id}/release`);
    expect(released.json()).toMatchObject({ status: 'routed', assignee: null });
    const events = await hub.database.db.selectFrom('tele_file_events').select(['event', 'to_status']).where('tele_file_id', '=', teleFile.id).orderBy('seq').execute();
    expect(events.map((e) => `${e.event}:${e.to_status}`)).toEqual(['created:received', 'route:routed', 'claim:claimed', 'release:routed']);
  });

  it('lets an admin reassign with a reason, and no one else', async () => {
    const { teleFile } = await ingest.ingestStudy(stableStudy());
    await post(reader.cookie, `/api/tele-files/${teleFile.id}/claim`);
    const byReader = await post(reader.cookie, `/api/tele-files/${teleFile.id}/reassign`, { toUsername: 'dr.pool2', reason: 'je suis appelé au bloc' });
    expect(byReader.statusCode).toBe(403);
    const noReason = await post(admin.cookie, `/api/tele-files/${teleFile.id}/reassign`, { toUsername: 'dr.pool2', reason: '' });
    expect(noReason.json().error.fields.map((f: { field: string }) => f.field)).toEqual(['reason']);
    const unknown = await post(admin.cookie, `/api/tele-files/${teleFile.id}/reassign`, { toUsername: 'nobody', reason: 'malade' });
    expect(unknown.statusCode).toBe(400);
    const done = await post(admin.cookie, `/api/tele-files/${teleFile.id}/reassign`, { toUsername: 'dr.pool2', reason: 'dr.pool1 appelé au bloc' });
    expect(done.statusCode).toBe(200);
    expect(done.json()).toMatchObject({ status: 'claimed', assignee: { username: 'dr.pool2' } });
    const audit = await hub.database.db.selectFrom('audit_events').select(['details']).where('target_id', '=', teleFile.id).where('action', '=', 'tele-file.transition').orderBy('seq', 'desc').executeTakeFirstOrThrow();
    expect(audit.details).toMatchObject({ event: 'reassign', reason: 'dr.pool1 appelé au bloc', assigneeBefore: reader.id, assigneeAfter: colleague.id });
  });

  it('records a clinical request from the requesting site, with field errors for a bad one', async () => {
    const { teleFile } = await ingest.ingestStudy(stableStudy());
    const bad = await post(admin.cookie, `/api/tele-files/${teleFile.id}/request`, { indication: '', question: 'x', priority: 'soon', contactPhone: 'call me' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields.map((f: { field: string }) => f.field).sort()).toEqual(['contactPhone', 'indication', 'priority', 'requestedBy']);
    const good = await post(admin.cookie, `/api/tele-files/${teleFile.id}/request`, { indication: 'Chute, AVK', question: 'Hématome sous-dural ?', priority: 'vital', contactPhone: '03 22 00 00 00', requestedBy: 'Dr Urgences' });
    expect(good.statusCode).toBe(200);
    expect(good.json()).toMatchObject({ priority: 'vital', clinicalQuestion: 'Hématome sous-dural ?', requestReceived: true });
    expect((await post(reader.cookie, `/api/tele-files/${teleFile.id}/request`, {})).statusCode).toBe(403);
  });
});

describe('overflow to a provider', () => {
  it('moves a tele-file still unclaimed at its deadline to the provider, and leaves a claimed one alone', async () => {
    const hub = await startTestHub('pglite', { secondFactorRequiredRoles: [] });
    try {
      const organisation = demoOrganisation();
      organisation.sites.push({ kind: 'provider', id: 'teleradio-demo', name: 'Téléradiologie Démo' });
      const rule = organisation.coverage.rules[0] as { action: { kind: 'route'; target: unknown; overflow?: unknown } };
      rule.action.overflow = { providerId: 'teleradio-demo', afterMinutesUnclaimed: 30 };
      await hub.services.organisation.save(organisation, { id: null, username: 'test' });
      const reader = await hub.createUser('dr.late', ['radiologist']);
      await hub.services.roster.add([{ personId: 'dr.late', target: { kind: 'pivot-group', groupId: 'pool-demo' }, from: new Date(Date.now() - 3_600_000), to: new Date(Date.now() + 3_600_000) }]);
      const ingest = new IngestService(hub.database.db, {} as PacsAdapter, hub.services.teleFiles, hub.services.organisation, hub.services.roster, createLogger('silent'), { pollMs: 1000, reconcileWindowMs: 1000 });
      const waiting = (await ingest.ingestStudy(stableStudy())).teleFile;
      const taken = (await ingest.ingestStudy(stableStudy())).teleFile;
      expect(waiting.overflow_provider_id).toBe('teleradio-demo');
      await hub.services.teleFiles.claim(taken.id, { kind: 'person', id: reader.id, roles: ['radiologist'] }, {});
      expect(await hub.services.teleFiles.overflowDue(new Date(Date.now() + 29 * 60_000), () => 'x')).toEqual([]);
      const moved = await hub.services.teleFiles.overflowDue(new Date(Date.now() + 31 * 60_000), () => 'Téléradiologie Démo');
      expect(moved.map((r) => r.id)).toEqual([waiting.id]);
      expect(moved[0]).toMatchObject({ status: 'routed', target_kind: 'provider', target_id: 'teleradio-demo', target_name: 'Téléradiologie Démo' });
      expect((await hub.services.teleFiles.byId(taken.id))?.target_id).toBe('pool-demo');
    } finally {
      await hub.close();
    }
  });
});

describe.each(DATABASE_KINDS)('claims under concurrency on %s', (kind) => {
  it('50 concurrent claimers on 500 tele-files: each claimed exactly once', { timeout: 300_000 }, async () => {
    const hub = await startTestHub(kind, { secondFactorRequiredRoles: [], loginRateLimitPerMinute: 1000 });
    try {
      const names = Array.from({ length: 50 }, (_, i) => `dr.c${i}`);
      const users = await Promise.all(names.map((n) => hub.createUser(n, ['radiologist'])));
      await demoRegion(hub, names);
      const cookies = [];
      for (const u of users) cookies.push((await signInFully(hub.app, u.username, u.password)).cookie);
      // Set-up only: 500 routed tele-files written at once (ingest itself is tested above).
      const rows = await hub.database.db
        .insertInto('tele_files')
        .values(
          Array.from({ length: 500 }, () => {
            const s = stableStudy();
            return { study_instance_uid: s.studyInstanceUid, status: 'routed' as const, patient_name: s.patientName, patient_id: s.patientId, issuer: 'CH-DEMO-NORD', modalities: ['CT'], modality_family: 'cross-sectional', number_of_instances: 1, target_kind: 'pivot-group' as const, target_id: 'pool-demo', target_name: 'Pool démo', requesting_site_id: 'ch-demo-nord' };
          }),
        )
        .returning('id')
        .execute();
      const ids = rows.map((r) => r.id);
      // Five claimers contend for every file, each in its own order.
      const outcomes = await Promise.all(
        cookies.map(async (cookie, c) => {
          const wins: string[] = [];
          const mine = ids.filter((_, i) => i % 10 === c % 10);
          const order = mine.map((_, i) => mine[(i * 7 + c) % mine.length] as string);
          for (const id of order) {
            const response = await hub.app.inject({ method: 'POST', url: `/api/tele-files/${id}/claim`, headers: { cookie } });
            if (response.statusCode === 200) wins.push(id);
            else expect(response.statusCode).toBe(409);
          }
          return wins;
        }),
      );
      const allWins = outcomes.flat();
      expect(allWins).toHaveLength(500);
      expect(new Set(allWins).size).toBe(500);
      const claimed = await hub.database.db.selectFrom('tele_files').select(['status', 'assignee_id']).execute();
      expect(claimed.every((r) => r.status === 'claimed' && r.assignee_id !== null)).toBe(true);
      const claimEvents = await hub.database.db.selectFrom('tele_file_events').select((eb) => eb.fn.countAll<string>().as('n')).where('event', '=', 'claim').executeTakeFirstOrThrow();
      expect(Number(claimEvents.n)).toBe(500);
    } finally {
      await hub.close();
    }
  });
});
