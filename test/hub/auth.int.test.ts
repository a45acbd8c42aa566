import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentTotp } from '../../hub/accounts/totp.js';
import { DATABASE_KINDS, cookieOf, signInFully, startTestHub, type TestHub } from './testHub.js';

async function auditActions(hub: TestHub, username: string): Promise<string[]> {
  const rows = await hub.database.db.selectFrom('audit_events').select(['action', 'outcome']).where('actor_name', '=', username).orderBy('seq').execute();
  return rows.map((r) => `${r.action}:${r.outcome}`);
}

describe.each(DATABASE_KINDS)('sign-in, second factor and sessions on %s', (kind) => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub(kind, { loginMaxFailures: 3, loginLockout: 60_000 });
  });
  afterAll(() => hub?.close());

  it('refuses a wrong password with a clear message and an audit row', async () => {
    const user = await hub.createUser('dr.wrong', ['radiologist']);
    const response = await hub.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'dr.wrong', password: 'not-the-password' } });
    expect(response.statusCode).toBe(401);
    expect(response.json().error).toMatchObject({ code: 'invalid-credentials', message: 'Wrong username or password.' });
    expect(cookieOf(response)).toBeUndefined();
    expect(await auditActions(hub, user.username)).toEqual(['login.failure:failure']);
  });

  it('enrols TOTP at first sign-in, then asks for a code at the next one', async () => {
    const user = await hub.createUser('Dr.First', ['radiologist']);
    const login = await hub.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'dr.first', password: user.password } });
    expect(login.statusCode).toBe(200);
    expect(login.json()).toMatchObject({ stage: 'enrolment', user: { username: 'dr.first', mfaEnrolled: false } });
    expect(login.json().token).toBeUndefined();
    const partial = cookieOf(login) as string;
    // A partial session opens nothing else.
    expect((await hub.app.inject({ method: 'GET', url: '/api/worklist', headers: { cookie: partial } })).json().error.code).toBe('enrolment-required');

    const start = await hub.app.inject({ method: 'POST', url: '/api/auth/enrolment', headers: { cookie: partial } });
    const { secret, otpauthUri, qrCode } = start.json();
    expect(otpauthUri).toContain(`secret=${secret}`);
    expect(qrCode).toMatch(/^data:image\/svg\+xml;base64,/);
    const wrong = await hub.app.inject({ method: 'POST', url: '/api/auth/enrolment/confirm', headers: { cookie: partial }, payload: { code: '000000' } });
    expect(wrong.json().error.code).toBe('invalid-code');
    const confirm = await hub.app.inject({ method: 'POST', url: '/api/auth/enrolment/confirm', headers: { cookie: partial }, payload: { code: currentTotp(secret) } });
    expect(confirm.statusCode).toBe(200);
    const body = confirm.json();
    expect(body.session.stage).toBe('active');
    expect(body.recoveryCodes).toHaveLength(10);
    const full = cookieOf(confirm) as string;
    expect(full).not.toBe(partial);
    // The partial token was retired when the session was promoted (no fixation).
    expect((await hub.app.inject({ method: 'GET', url: '/api/session', headers: { cookie: partial } })).statusCode).toBe(401);
    expect((await hub.app.inject({ method: 'GET', url: '/api/worklist', headers: { cookie: full } })).statusCode).toBe(200);

    const again = await hub.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'dr.first', password: user.password } });
    expect(again.json().stage).toBe('second-factor');
    const cookie = cookieOf(again) as string;
    const bad = await hub.app.inject({ method: 'POST', url: '/api/auth/second-factor', headers: { cookie }, payload: { code: '123456' } });
    expect(bad.statusCode).toBe(401);
    expect(bad.json().error.code).toBe('invalid-code');
    // The code used at enrolment cannot be replayed.
    const replay = await hub.app.inject({ method: 'POST', url: '/api/auth/second-factor', headers: { cookie }, payload: { code: currentTotp(secret) } });
    expect(replay.json().error.code).toBe('invalid-code');
    const good = await hub.app.inject({ method: 'POST', url: '/api/auth/second-factor', headers: { cookie }, payload: { code: currentTotp(secret, Date.now() + 30_000) } });
    expect(good.statusCode).toBe(200);
    expect(good.json().stage).toBe('active');

    expect(await auditActions(hub, 'dr.first')).toEqual([
      'login.success:success',
      'mfa.enrolment-started:success',
      'mfa.failure:failure',
      'mfa.enrolled:success',
      'login.success:success',
      'mfa.failure:failure',
      'login.failure:failure',
      'mfa.failure:failure',
      'login.failure:failure',
      'mfa.success:success',
    ]);
  });

  it('accepts each recovery code once', async () => {
    const user = await hub.createUser('dr.recovery', ['radiologist']);
    const { recoveryCodes } = await signInFully(hub.app, user.username, user.password);
    const code = recoveryCodes[3] as string;
    for (const expected of [200, 401]) {
      const login = await hub.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: user.username, password: user.password } });
      const response = await hub.app.inject({ method: 'POST', url: '/api/auth/second-factor', headers: { cookie: cookieOf(login) as string }, payload: { code: code.toUpperCase() } });
      expect(response.statusCode).toBe(expected);
    }
    expect(await auditActions(hub, user.username)).toContain('mfa.recovery-code-used:success');
  });

  it('locks an account after repeated failures, says until when, and an admin can unlock it', async () => {
    const user = await hub.createUser('dr.locked', ['radiologist']);
    const admin = await hub.createUser('admin.lock', ['admin']);
    const attempt = (password: string) => hub.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: user.username, password } });
    expect((await attempt('bad-1')).statusCode).toBe(401);
    expect((await attempt('bad-2')).statusCode).toBe(401);
    const locked = await attempt('bad-3');
    expect(locked.statusCode).toBe(423);
    const error = locked.json().error;
    expect(error.code).toBe('account-locked');
    expect(error.message).toMatch(/ask an administrator to unlock/);
    expect(new Date(error.retryAt).getTime()).toBeGreaterThan(Date.now() + 50_000);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(50);
    // Even the right password is refused while locked.
    expect((await attempt(user.password)).statusCode).toBe(423);
    expect(await auditActions(hub, user.username)).toContain('login.locked:failure');

    const { cookie } = await signInFully(hub.app, admin.username, admin.password);
    const unlock = await hub.app.inject({ method: 'POST', url: `/api/admin/users/${user.id}/unlock`, headers: { cookie } });
    expect(unlock.statusCode).toBe(200);
    expect((await attempt(user.password)).statusCode).toBe(200);
  });

  it('gives desktop clients a bearer token and web clients only an httpOnly SameSite=Strict cookie', async () => {
    const user = await hub.createUser('dr.desktop', ['radiologist']);
    await signInFully(hub.app, user.username, user.password);
    const web = await hub.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: user.username, password: user.password } });
    expect(web.json().token).toBeUndefined();
    const cookie = web.cookies.find((c) => c.name === 'vigie_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    const desktop = await hub.app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'x-vigie-client': 'desktop' }, payload: { username: user.username, password: user.password } });
    const token = desktop.json().token as string;
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const session = await hub.app.inject({ method: 'GET', url: '/api/session', headers: { authorization: `Bearer ${token}` } });
    expect(session.json().stage).toBe('second-factor');
    // Only the hash is stored.
    const stored = await hub.database.db.selectFrom('sessions').select('token_hash').execute();
    expect(stored.map((s) => s.token_hash)).not.toContain(token);
  });

  it('refuses a cookie-authenticated write from another site', async () => {
    const user = await hub.createUser('dr.origin', ['radiologist']);
    const { cookie } = await signInFully(hub.app, user.username, user.password);
    const response = await hub.app.inject({ method: 'PUT', url: '/api/me/locale', headers: { cookie, origin: 'https://evil.example' }, payload: { locale: 'en' } });
    expect(response.statusCode).toBe(403);
    const same = await hub.app.inject({ method: 'PUT', url: '/api/me/locale', headers: { cookie }, payload: { locale: 'en' } });
    expect(same.statusCode).toBe(204);
    expect((await hub.services.users.findByUsername(user.username))?.locale).toBe('en');
  });

  it('ends a session at logout', async () => {
    const user = await hub.createUser('dr.logout', ['radiologist']);
    const { cookie } = await signInFully(hub.app, user.username, user.password);
    const logout = await hub.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie } });
    expect(logout.statusCode).toBe(204);
    const after = await hub.app.inject({ method: 'GET', url: '/api/worklist', headers: { cookie } });
    expect(after.statusCode).toBe(401);
    expect(after.json().error.code).toBe('session-expired');
    expect(await auditActions(hub, user.username)).toContain('logout:success');
  });
});

describe.each(DATABASE_KINDS)('session expiry on %s', (kind) => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub(kind, { sessionIdle: 2500, sessionAbsolute: 60_000, secondFactorRequiredRoles: [] });
  });
  afterAll(() => hub?.close());

  it('expires an idle session with a clear 401 and an audit row', async () => {
    const user = await hub.createUser('dr.idle', ['radiologist']);
    const { cookie } = await signInFully(hub.app, user.username, user.password);
    expect((await hub.app.inject({ method: 'GET', url: '/api/worklist', headers: { cookie } })).statusCode).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 2700));
    const expired = await hub.app.inject({ method: 'GET', url: '/api/worklist', headers: { cookie } });
    expect(expired.statusCode).toBe(401);
    expect(expired.json().error).toMatchObject({ code: 'session-expired', message: 'Your session has expired. Please sign in again.' });
    expect(await auditActions(hub, user.username)).toEqual(['login.success:success', 'session.expired:success']);
  });

  it('says on the sign-in page that the second factor is relaxed', async () => {
    const info = await hub.app.inject({ method: 'GET', url: '/api/sign-in-info' });
    expect(info.json().secondFactorRelaxedFor).toEqual(['radiologist', 'neuroradiologist', 'admin', 'requester']);
  });
});

describe('absolute session expiry', () => {
  it('ends a session at its absolute limit even when it is used all the time', async () => {
    const hub = await startTestHub('pglite', { sessionIdle: 60_000, sessionAbsolute: 3000, secondFactorRequiredRoles: [] });
    try {
      const user = await hub.createUser('dr.absolute', ['radiologist']);
      const signedInAt = Date.now();
      const { cookie } = await signInFully(hub.app, user.username, user.password);
      while (Date.now() - signedInAt < 2000) {
        expect((await hub.app.inject({ method: 'GET', url: '/api/worklist', headers: { cookie } })).statusCode).toBe(200);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      await new Promise((resolve) => setTimeout(resolve, 3100 - (Date.now() - signedInAt)));
      expect((await hub.app.inject({ method: 'GET', url: '/api/worklist', headers: { cookie } })).json().error.code).toBe('session-expired');
    } finally {
      await hub.close();
    }
  });
});

describe('the background session check', () => {
  it('does not keep an idle session alive', async () => {
    const hub = await startTestHub('pglite', { sessionIdle: 2500, secondFactorRequiredRoles: [] });
    try {
      const user = await hub.createUser('dr.tab', ['radiologist']);
      const { cookie } = await signInFully(hub.app, user.username, user.password);
      const started = Date.now();
      while (Date.now() - started < 3000) {
        await hub.app.inject({ method: 'GET', url: '/api/session', headers: { cookie } });
        await new Promise((resolve) => setTimeout(resolve, 400));
      }
      const response = await hub.app.inject({ method: 'GET', url: '/api/session', headers: { cookie } });
      expect(response.json().error?.code).toBe('session-expired');
    } finally {
      await hub.close();
    }
  });
});
