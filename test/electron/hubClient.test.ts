import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SessionInfo } from '../../core/api/auth.js';
import { ReadingApiError } from '../../core/readingApi.js';
import { createHubClient, type SessionTokenStore } from '../../electron/main/hubClient.js';

const SESSION: Omit<SessionInfo, 'token'> = {
  stage: 'active',
  user: { id: 'u1', username: 'dr.martin', displayName: 'Dr Martin', roles: ['radiologist'], locale: 'fr', mfaEnrolled: true },
  idleExpiresAt: '2025-01-01T02:00:00.000Z',
  absoluteExpiresAt: '2025-01-01T08:00:00.000Z',
};

const DRAFT_ELSEWHERE = {
  id: 'r1',
  teleFileId: 'tf1',
  kind: 'report',
  predecessorId: null,
  status: 'draft',
  content: { indication: 'Chute', technique: '', findings: 'Hématome', conclusion: '' },
  critical: { flagged: false, communication: { to: '', means: null, at: null } },
  templateId: null,
  version: 4,
  updatedAt: '2026-01-15T02:12:00.000Z',
  updatedBy: { id: 'u1', displayName: 'Dr Martin' },
  lastClientId: 'tab-other000',
  signedAt: null,
  signer: null,
  documents: null,
  delivery: null,
};

interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A tiny stand-in for the hub: real HTTP on loopback, a handful of routes, and a record of every request. */
let server: Server;
let hubUrl: string;
let seen: Seen[] = [];
let validToken = 'tok-2';

function error(code: string, message: string) {
  return JSON.stringify({ error: { code, message, requestId: 'req-1' } });
}

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      seen.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, body });
      const desktop = request.headers['x-vigie-client'] === 'desktop';
      const signedIn = request.headers.authorization === `Bearer ${validToken}`;
      const json = (status: number, payload: string) => {
        response.writeHead(status, { 'Content-Type': 'application/json' }).end(payload);
      };
      const route = `${request.method} ${request.url}`;
      if (route === 'POST /prefix/api/auth/login') {
        const { password } = JSON.parse(body) as { password: string };
        if (password !== 'correct horse') return json(401, error('invalid-credentials', 'Wrong username or password.'));
        // Like the hub: the token is in the body only for desktop clients.
        return json(200, JSON.stringify(desktop ? { ...SESSION, token: validToken } : SESSION));
      }
      if (!signedIn) return json(401, error('session-expired', 'Your session has expired; sign in again.'));
      if (route === 'GET /prefix/api/session') return json(200, JSON.stringify({ ...SESSION, token: validToken }));
      if (route === 'POST /prefix/api/auth/enrolment/confirm') {
        return json(200, JSON.stringify({ session: { ...SESSION, token: 'tok-3' }, recoveryCodes: ['abcde-fghij'] }));
      }
      if (route.startsWith('GET /prefix/api/audit')) return json(200, JSON.stringify({ events: [], nextAfterSeq: null }));
      if (route === 'GET /prefix/api/worklist') return json(200, JSON.stringify({ items: 'not a list' }));
      if (route === 'POST /prefix/api/tele-files/tf%2F1/claim') return json(409, error('conflict', 'Someone else has it.'));
      if (route === 'POST /prefix/api/tele-files') return json(409, error('conflict', 'Accession number A42 is already announced.'));
      if (route === 'GET /prefix/api/me/requesting-sites') return json(200, JSON.stringify({ sites: [{ id: 'ch-montdidier', name: 'CH Montdidier' }] }));
      if (route === 'POST /prefix/api/admin/roster/import') {
        return json(200, JSON.stringify({ ok: false, errors: [{ line: 3, fr: 'Date invalide.', en: 'Invalid date.' }] }));
      }
      if (route === 'PUT /prefix/api/tele-files/tf1/report/draft') {
        return json(409, JSON.stringify({ ...JSON.parse(error('conflict', 'Saved in another tab.')), current: DRAFT_ELSEWHERE }));
      }
      if (route === 'PUT /prefix/api/reports/r1/draft') return json(409, error('conflict', 'This report is signed.'));
      if (route === 'POST /prefix/api/auth/logout') return void response.writeHead(204).end();
      if (route === 'PUT /prefix/api/me/locale') return void response.writeHead(502).end('<html>Bad gateway</html>');
      return json(404, error('not-found', 'No such route.'));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  hubUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/prefix`;
});

afterAll(async () => {
  await new Promise<void>((resolve, reject) => server.close((failure) => (failure ? reject(failure) : resolve())));
});

beforeEach(() => {
  seen = [];
  validToken = 'tok-2';
});

function memoryStore(initial: string | null = null): SessionTokenStore & { saved: (string | null)[] } {
  let token = initial;
  const saved: (string | null)[] = [];
  return {
    saved,
    load: () => Promise.resolve(token),
    save: (next) => {
      token = next;
      saved.push(next);
      return Promise.resolve();
    },
  };
}

describe('createHubClient against an HTTP hub', () => {
  it('says it is the desktop client, keeps the token, and never returns it', async () => {
    const store = memoryStore();
    const client = createHubClient({ hubUrl, tokenStore: store });

    const session = await client.login({ username: 'dr.martin', password: 'correct horse' });
    expect(session).toEqual(SESSION);
    expect(session).not.toHaveProperty('token');
    expect(seen[0]?.headers['x-vigie-client']).toBe('desktop');
    expect(seen[0]?.headers.authorization).toBeUndefined();
    expect(seen[0]?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(seen[0]?.body ?? '')).toEqual({ username: 'dr.martin', password: 'correct horse' });
    expect(store.saved).toEqual(['tok-2']);

    const again = await client.session();
    expect(again).not.toHaveProperty('token');
    expect(seen[1]?.headers.authorization).toBe('Bearer tok-2');
    expect(seen[1]?.headers['x-vigie-client']).toBe('desktop');
  });

  it('uses the token from the store after a restart', async () => {
    const client = createHubClient({ hubUrl, tokenStore: memoryStore('tok-2') });
    await expect(client.session()).resolves.toEqual(SESSION);
    expect(seen[0]?.headers.authorization).toBe('Bearer tok-2');
  });

  it('takes the rotated token from the enrolment answer and strips it from the nested session', async () => {
    const store = memoryStore('tok-2');
    const client = createHubClient({ hubUrl, tokenStore: store });
    const confirmed = await client.confirmEnrolment('123456');
    expect(confirmed).toEqual({ session: SESSION, recoveryCodes: ['abcde-fghij'] });
    expect(confirmed.session).not.toHaveProperty('token');
    expect(store.saved).toEqual(['tok-3']);
  });

  it("clears the token on 401 and throws the hub's error", async () => {
    const store = memoryStore('stale');
    const client = createHubClient({ hubUrl, tokenStore: store });
    const failure = await client.session().catch((caught: unknown) => caught);
    expect(failure).toBeInstanceOf(ReadingApiError);
    expect(failure).toMatchObject({ status: 401, body: { code: 'session-expired', requestId: 'req-1' } });
    expect(store.saved).toEqual([null]);

    await client.session().catch(() => undefined);
    expect(seen[1]?.headers.authorization).toBeUndefined();
  });

  it('sends the audit query as a query string', async () => {
    const client = createHubClient({ hubUrl, tokenStore: memoryStore('tok-2') });
    await client.audit({ action: 'login.failure', limit: 50, actor: undefined });
    expect(seen[0]?.url).toBe('/prefix/api/audit?action=login.failure&limit=50');
  });

  it('reports an answer of the wrong shape or a non-JSON error as a ReadingApiError', async () => {
    const client = createHubClient({ hubUrl, tokenStore: memoryStore('tok-2') });
    await expect(client.worklist()).rejects.toMatchObject({
      status: 502,
      body: { code: 'internal-error', message: expect.stringContaining('GET /prefix/api/worklist') },
    });
    await expect(client.setLocale('en')).rejects.toMatchObject({ status: 502, body: { code: 'internal-error' } });
  });

  it('puts the tele-file id in the path, escaped, and passes a 409 on as it came', async () => {
    const client = createHubClient({ hubUrl, tokenStore: memoryStore('tok-2') });
    await expect(client.claim('tf/1')).rejects.toMatchObject({ status: 409, body: { code: 'conflict', message: 'Someone else has it.' } });
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/prefix/api/tele-files/tf%2F1/claim', body: '' });
    expect(seen[0]?.headers['content-type']).toBeUndefined();
  });

  it('announces a request at the tele-files collection as JSON, and reads the person’s requesting sites', async () => {
    const client = createHubClient({ hubUrl, tokenStore: memoryStore('tok-2') });
    const request = {
      requestingSiteId: 'ch-montdidier',
      accessionNumber: 'A42',
      patientId: 'IPP1',
      modality: 'CT',
      indication: 'Chute',
      question: 'Fracture ?',
      priority: 'urgent' as const,
      contactPhone: '03 22 66 80 00',
      requestedBy: 'Dr U',
    };
    await expect(client.announceRequest(request)).rejects.toMatchObject({ status: 409, body: { code: 'conflict', message: 'Accession number A42 is already announced.' } });
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/prefix/api/tele-files' });
    expect(seen[0]?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(seen[0]?.body ?? '')).toEqual(request);
    await expect(client.requestingSites()).resolves.toEqual({ sites: [{ id: 'ch-montdidier', name: 'CH Montdidier' }] });
    expect(seen[1]).toMatchObject({ method: 'GET', url: '/prefix/api/me/requesting-sites' });
  });

  it('sends the roster as text/csv, not as JSON, and returns the checked result', async () => {
    const client = createHubClient({ hubUrl, tokenStore: memoryStore('tok-2') });
    const csv = 'date_debut;heure_debut;date_fin;heure_fin;groupe;identifiant\n01/03/2026;18:00;02/03/2026;08:00;amiens;dr.martin\n';
    await expect(client.importRoster(csv)).resolves.toEqual({ ok: false, errors: [{ line: 3, fr: 'Date invalide.', en: 'Invalid date.' }] });
    expect(seen[0]?.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(seen[0]?.body).toBe(csv);
  });

  it('answers a draft conflict with the version saved elsewhere, and throws a conflict that carries none', async () => {
    const client = createHubClient({ hubUrl, tokenStore: memoryStore('tok-2') });
    const draft = {
      content: { indication: 'Chute', technique: '', findings: '', conclusion: '' },
      critical: { flagged: false, communication: { to: '', means: null, at: null } },
      templateId: null,
      baseVersion: 3,
      clientId: 'tab-12345678',
    };
    await expect(client.saveDraft('tf1', draft)).resolves.toEqual({ saved: false, current: DRAFT_ELSEWHERE });
    await expect(client.saveAddendumDraft('r1', draft)).rejects.toMatchObject({ status: 409, body: { code: 'conflict', message: 'This report is signed.' } });
    expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual(['PUT /prefix/api/tele-files/tf1/report/draft', 'PUT /prefix/api/reports/r1/draft']);
  });

  it('forgets the token on logout', async () => {
    const store = memoryStore('tok-2');
    const client = createHubClient({ hubUrl, tokenStore: store });
    await client.logout();
    expect(seen[0]?.method).toBe('POST');
    expect(store.saved).toEqual([null]);
  });

  it('says which hub cannot be reached', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const client = createHubClient({ hubUrl: `http://127.0.0.1:${port}/`, tokenStore: memoryStore() });
    await expect(client.signInInfo()).rejects.toMatchObject({
      status: 503,
      body: { code: 'service-unavailable', message: `The hub at http://127.0.0.1:${port} cannot be reached (ECONNREFUSED).` },
    });
  });
});
