import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { DATABASE_KINDS, signInFully, startTestHub, type TestHub } from './testHub.js';

describe.each(DATABASE_KINDS)('viewer preferences on the hub (%s)', (kind) => {
  let hub: TestHub;
  let reader: string;
  let colleague: string;
  beforeAll(async () => {
    hub = await startTestHub(kind);
    const a = await hub.createUser('lecteur', ['radiologist']);
    const b = await hub.createUser('collegue', ['radiologist']);
    reader = (await signInFully(hub.app, a.username, a.password)).cookie;
    colleague = (await signInFully(hub.app, b.username, b.password)).cookie;
  });
  afterAll(() => hub?.close());

  const get = (cookie?: string) => hub.app.inject({ method: 'GET', url: '/api/me/preferences/viewer', headers: cookie ? { cookie } : {} });
  const put = (cookie: string, payload: unknown) => hub.app.inject({ method: 'PUT', url: '/api/me/preferences/viewer', headers: { cookie }, payload: payload as object });

  it('answers the defaults to someone who never saved any', async () => {
    const response = await get(reader);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ hotkeys: {}, cacheBudgetMb: 1024, defaultLayout: '1x1' });
  });

  it('refuses anyone not signed in', async () => {
    expect((await get()).statusCode).toBe(401);
    expect((await hub.app.inject({ method: 'PUT', url: '/api/me/preferences/viewer', payload: {} })).statusCode).toBe(401);
  });

  it('saves, returns and replaces a reader’s preferences, for them only', async () => {
    const saved = await put(reader, { hotkeys: { 'tool.probe': ['x'], 'cine.toggle': [] }, cacheBudgetMb: 2048, defaultLayout: '2x2' });
    expect(saved.statusCode).toBe(200);
    expect(saved.json()).toEqual({ hotkeys: { 'tool.probe': ['x'], 'cine.toggle': [] }, cacheBudgetMb: 2048, defaultLayout: '2x2' });
    expect((await get(reader)).json()).toEqual(saved.json());
    expect((await get(colleague)).json()).toEqual({ hotkeys: {}, cacheBudgetMb: 1024, defaultLayout: '1x1' });

    // A second save replaces the whole value (one row per person and kind).
    expect((await put(reader, { cacheBudgetMb: 512 })).statusCode).toBe(200);
    expect((await get(reader)).json()).toEqual({ hotkeys: {}, cacheBudgetMb: 512, defaultLayout: '1x1' });
    const rows = await hub.database.db.selectFrom('user_preferences').selectAll().execute();
    expect(rows.filter((row) => row.kind === 'viewer')).toHaveLength(1);
  });

  it('refuses a key bound to two actions, naming the key and both actions, and keeps what was saved', async () => {
    const before = (await get(reader)).json();
    const response = await put(reader, { hotkeys: { 'tool.zoom': ['w'] } });
    expect(response.statusCode).toBe(400);
    const error = response.json().error;
    expect(error.code).toBe('validation-failed');
    expect(error.fields).toHaveLength(1);
    expect(error.fields[0].field).toBe('hotkeys.tool.zoom');
    expect(error.message).toContain('“w”');
    expect(error.message).toContain('tool.windowLevel');
    expect(error.message).toContain('tool.zoom');
    expect((await get(reader)).json()).toEqual(before);
  });

  it('answers 400 with the list of bad fields', async () => {
    const response = await put(reader, { hotkeys: { 'tool.probe': ['Shift+x'], 'tool.magic': ['q'] }, cacheBudgetMb: 64, defaultLayout: '3x3', theme: 'dark' });
    expect(response.statusCode).toBe(400);
    const fields = (response.json().error.fields as { field: string }[]).map((f) => f.field).sort();
    expect(fields).toEqual(expect.arrayContaining(['cacheBudgetMb', 'defaultLayout', 'hotkeys']));
    expect(fields).toContain('');
  });

  it('answers the defaults when what is stored no longer fits the schema (saved by another version)', async () => {
    const { id } = await hub.database.db.selectFrom('users').select('id').where('username', '=', 'collegue').executeTakeFirstOrThrow();
    await sql`insert into user_preferences (user_id, kind, value) values (${id}, 'viewer', ${JSON.stringify({ hotkeys: { 'tool.removed': ['q'] } })})`.execute(hub.database.db);
    const response = await get(colleague);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ hotkeys: {}, cacheBudgetMb: 1024, defaultLayout: '1x1' });
  });

  it('deletes a person’s preferences with them', async () => {
    const { id } = await hub.database.db.selectFrom('users').select('id').where('username', '=', 'collegue').executeTakeFirstOrThrow();
    await hub.database.db.deleteFrom('sessions').where('user_id', '=', id).execute();
    await hub.database.db.deleteFrom('recovery_codes').where('user_id', '=', id).execute();
    await hub.database.db.deleteFrom('users').where('id', '=', id).execute();
    const left = await hub.database.db.selectFrom('user_preferences').select('user_id').where('user_id', '=', id).execute();
    expect(left).toEqual([]);
  });
});
