import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, type TestHub } from './testHub.js';

describe('bad input gets a 4xx that says what to fix', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub('pglite');
  });
  afterAll(() => hub?.close());

  const login = (payload: string, contentType = 'application/json') =>
    hub.app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'content-type': contentType }, payload });

  it('malformed JSON', async () => {
    const response = await login('{"username": "a", ');
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({ code: 'bad-request' });
    expect(response.json().error.message).toMatch(/not valid JSON/);
  });

  it('missing fields, each named', async () => {
    const response = await login('{}');
    expect(response.statusCode).toBe(400);
    const error = response.json().error;
    expect(error.code).toBe('validation-failed');
    expect(error.fields).toEqual([
      { field: 'username', message: 'This field is required.' },
      { field: 'password', message: 'This field is required.' },
    ]);
  });

  it('over-long strings', async () => {
    const response = await login(JSON.stringify({ username: 'x'.repeat(65), password: 'y'.repeat(300) }));
    const error = response.json().error;
    expect(response.statusCode).toBe(400);
    expect(error.fields).toEqual([
      { field: 'username', message: 'A username has at most 64 characters.' },
      { field: 'password', message: 'A password has at most 256 characters.' },
    ]);
    expect(error.message).toContain('username: A username has at most 64 characters.');
  });

  it('a wrong type', async () => {
    const response = await login(JSON.stringify({ username: 42, password: ['x'] }));
    expect(response.json().error.fields.map((f: { field: string }) => f.field)).toEqual(['username', 'password']);
  });

  it('an unknown route', async () => {
    const response = await hub.app.inject({ method: 'GET', url: '/api/teleFiles?x=1' });
    expect(response.statusCode).toBe(404);
    expect(response.json().error).toMatchObject({ code: 'not-found', message: expect.stringContaining('GET /api/teleFiles') });
  });

  it('a body that is not JSON', async () => {
    const response = await login('username=a&password=b', 'application/x-www-form-urlencoded');
    expect(response.statusCode).toBe(415);
    expect(response.json().error.code).toBe('unsupported-media-type');
  });

  it('an empty JSON body', async () => {
    const response = await login('');
    expect(response.statusCode).toBe(400);
    expect(response.json().error.message).toMatch(/body is empty/);
  });

  it('a body over the limit', async () => {
    const response = await login(JSON.stringify({ username: 'a', password: 'x'.repeat(2 * 1024 * 1024) }));
    expect(response.statusCode).toBe(413);
  });

  it('a route that needs a session, without one', async () => {
    const response = await hub.app.inject({ method: 'GET', url: '/api/worklist' });
    expect(response.statusCode).toBe(401);
    expect(response.json().error).toMatchObject({ code: 'not-signed-in', message: 'You are not signed in. Sign in first.' });
  });

});

describe('an unexpected failure', () => {
  it('gets a generic message with the request id, and no internals', async () => {
    const hub = await startTestHub('pglite', { secondFactorRequiredRoles: [] });
    const user = await hub.createUser('dr.boom', ['radiologist']);
    const login = await hub.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: user.username, password: user.password } });
    const cookie = `vigie_session=${login.cookies[0]?.value}`;
    await hub.database.close();
    try {
      const response = await hub.app.inject({ method: 'GET', url: '/api/worklist', headers: { cookie } });
      expect(response.statusCode).toBe(500);
      const error = response.json().error;
      expect(error.code).toBe('internal-error');
      expect(error.requestId).toMatch(/^[0-9a-f-]{36}$/);
      expect(error.message).toBe(`Something went wrong on the hub. If it happens again, give this reference to IT: ${error.requestId}.`);
    } finally {
      await hub.app.close();
    }
  });
});

describe('too many sign-in attempts from one address', () => {
  it('are slowed down with a 429 that says when to retry', async () => {
    const hub = await startTestHub('pglite', { loginRateLimitPerMinute: 3 });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i += 1) {
        const response = await hub.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: `nobody${i}`, password: 'x' } });
        statuses.push(response.statusCode);
        if (response.statusCode === 429) {
          expect(response.json().error.code).toBe('too-many-requests');
          expect(response.json().error.retryAt).toBeDefined();
        }
      }
      expect(statuses).toEqual([401, 401, 401, 429]);
    } finally {
      await hub.close();
    }
  });
});
