import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../hub/audit/auditVerify.js';
import { DATABASE_KINDS, signInFully, startTestHub, type TestHub } from './testHub.js';

describe.each(DATABASE_KINDS)('the audit trail on %s', (kind) => {
  let hub: TestHub;
  let adminCookie: string;
  beforeAll(async () => {
    hub = await startTestHub(kind, { secondFactorRequiredRoles: [] });
    const admin = await hub.createUser('admin.audit', ['admin']);
    adminCookie = (await signInFully(hub.app, admin.username, admin.password)).cookie;
  });
  afterAll(() => hub?.close());

  it('keeps a verifiable chain under concurrent appends', async () => {
    await Promise.all(Array.from({ length: 40 }, (_, i) => hub.services.audit.append({ action: 'access.denied', outcome: 'failure', details: { i, nested: { b: 1, a: [1, 2] } } })));
    const result = await verifyAuditChain(hub.database.db);
    expect(result).toMatchObject({ ok: true });
    expect(result.rows).toBeGreaterThanOrEqual(41);
  });

  it('is refused UPDATE, DELETE and TRUNCATE by the database itself', async () => {
    for (const statement of ["update audit_events set action = 'logout'", 'delete from audit_events', 'truncate audit_events']) {
      await expect(sql.raw(statement).execute(hub.database.db)).rejects.toThrow(/append-only/);
    }
  });

  it('serves GET /api/audit to admins, filtered, and refuses others with an audit row', async () => {
    const reader = await hub.createUser('dr.curious', ['radiologist']);
    const { cookie } = await signInFully(hub.app, reader.username, reader.password);
    const denied = await hub.app.inject({ method: 'GET', url: '/api/audit', headers: { cookie } });
    expect(denied.statusCode).toBe(403);
    expect(denied.json().error.message).toMatch(/admin role/);

    const page = await hub.app.inject({ method: 'GET', url: '/api/audit?action=access.denied&actor=dr.curious', headers: { cookie: adminCookie } });
    expect(page.statusCode).toBe(200);
    const events = page.json().events as { actorName: string; action: string; targetId: string }[];
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actorName: 'dr.curious', action: 'access.denied', targetId: 'GET /api/audit' });

    const paged = await hub.app.inject({ method: 'GET', url: '/api/audit?limit=2', headers: { cookie: adminCookie } });
    expect(paged.json().events).toHaveLength(2);
    expect(paged.json().nextAfterSeq).toBe(paged.json().events[1].seq);

    const bad = await hub.app.inject({ method: 'GET', url: '/api/audit?limit=5000&action=nope', headers: { cookie: adminCookie } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields.map((f: { field: string }) => f.field).sort()).toEqual(['action', 'limit']);
  });

  it('records admin changes with who made them', async () => {
    const created = await hub.app.inject({ method: 'POST', url: '/api/admin/users', headers: { cookie: adminCookie }, payload: { username: 'dr.new', displayName: 'Dr New', roles: ['radiologist'], password: 'a-long-enough-password' } });
    expect(created.statusCode).toBe(201);
    const id = created.json().id as string;
    const duplicate = await hub.app.inject({ method: 'POST', url: '/api/admin/users', headers: { cookie: adminCookie }, payload: { username: 'DR.NEW', displayName: 'Dr New', roles: ['radiologist'], password: 'a-long-enough-password' } });
    expect(duplicate.statusCode).toBe(409);
    const patched = await hub.app.inject({ method: 'PATCH', url: `/api/admin/users/${id}`, headers: { cookie: adminCookie }, payload: { roles: ['radiologist', 'neuroradiologist'] } });
    expect(patched.json().roles).toEqual(['radiologist', 'neuroradiologist']);
    const rows = await hub.database.db.selectFrom('audit_events').select(['action', 'actor_name', 'details']).where('target_id', '=', id).orderBy('seq').execute();
    expect(rows.map((r) => [r.action, r.actor_name])).toEqual([['user.created', 'admin.audit'], ['user.roles-changed', 'admin.audit']]);
    expect(rows[1]?.details).toMatchObject({ from: ['radiologist'], to: ['radiologist', 'neuroradiologist'] });
  });

  it('names the first tampered row', async () => {
    const target = await hub.database.db.selectFrom('audit_events').select('seq').where('action', '=', 'user.created').orderBy('seq').executeTakeFirstOrThrow();
    // Only a database superuser can do this, and only by switching the guard off.
    await sql.raw('alter table audit_events disable trigger audit_events_no_update_delete').execute(hub.database.db);
    await sql`update audit_events set actor_name = 'someone.else' where seq = ${target.seq}`.execute(hub.database.db);
    await sql.raw('alter table audit_events enable trigger audit_events_no_update_delete').execute(hub.database.db);
    const result = await verifyAuditChain(hub.database.db);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(String(result.brokenSeq)).toBe(String(target.seq));
      expect(result.reason).toMatch(/was changed after it was written/);
    }
  });
});
