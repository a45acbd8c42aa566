import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { ReadingApiError } from '../../../core/readingApi.js';
import { HttpReadingApi } from '../../../renderer/api/httpReadingApi.js';
import { teleFile } from '../teleFileFixture.js';
import { reportView } from '../report/reportFixture.js';

/** What the fake hub answers next, and what it was sent. */
interface Exchange {
  status: number;
  body?: string;
  headers?: Record<string, string>;
  /** Never answer (to test the timeout). */
  hang?: boolean;
}

let server: Server;
let baseUrl: string;
let next: Exchange;
const received: { method: string; url: string; headers: IncomingMessage['headers']; body: string }[] = [];

const session = {
  stage: 'active',
  user: { id: 'u1', username: 'martin', displayName: 'Dr Martin', roles: ['radiologist'], locale: 'fr', mfaEnrolled: true },
  idleExpiresAt: '2026-01-15T18:00:00Z',
  absoluteExpiresAt: '2026-01-16T06:00:00Z',
};

beforeAll(async () => {
  server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({
        method: request.method ?? '',
        url: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      if (next.hang) return;
      response.writeHead(next.status, { 'content-type': 'application/json', ...next.headers });
      response.end(next.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  received.length = 0;
  next = { status: 200, body: '{}' };
});

async function failure(promise: Promise<unknown>): Promise<ReadingApiError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ReadingApiError);
  return error as ReadingApiError;
}

describe('HttpReadingApi', () => {
  const api = () => new HttpReadingApi(baseUrl);

  it('posts the login as JSON and returns the checked session', async () => {
    next = { status: 200, body: JSON.stringify(session) };
    const result = await api().login({ username: 'martin', password: 'secret' });
    expect(result.user.displayName).toBe('Dr Martin');
    expect(received[0]).toMatchObject({ method: 'POST', url: '/api/auth/login' });
    expect(received[0]?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(received[0]?.body ?? '')).toEqual({ username: 'martin', password: 'secret' });
  });

  it('sends no Content-Type on a POST without body (Fastify refuses an empty JSON body)', async () => {
    next = { status: 204 };
    await expect(api().logout()).resolves.toBeUndefined();
    expect(received[0]).toMatchObject({ method: 'POST', url: '/api/auth/logout', body: '' });
    expect(received[0]?.headers['content-type']).toBeUndefined();
  });

  it('puts the locale and accepts 204', async () => {
    next = { status: 204 };
    await api().setLocale('en');
    expect(received[0]).toMatchObject({ method: 'PUT', url: '/api/me/locale', body: '{"locale":"en"}' });
  });

  it('builds the audit query from the defined fields only', async () => {
    next = { status: 200, body: JSON.stringify({ events: [], nextAfterSeq: null }) };
    await api().audit({ action: 'login.failure', limit: 50, actor: undefined });
    expect(received[0]?.url).toBe('/api/audit?action=login.failure&limit=50');
  });

  it('throws the hub error body as a ReadingApiError', async () => {
    next = {
      status: 423,
      body: JSON.stringify({
        error: { code: 'account-locked', message: 'Account locked.', requestId: 'r-1', retryAt: '2026-01-15T17:15:00Z' },
      }),
    };
    const error = await failure(api().login({ username: 'martin', password: 'wrong' }));
    expect(error.status).toBe(423);
    expect(error.body).toEqual({
      code: 'account-locked',
      message: 'Account locked.',
      requestId: 'r-1',
      retryAt: '2026-01-15T17:15:00Z',
    });
  });

  it('keeps the field issues of validation-failed', async () => {
    next = {
      status: 400,
      body: JSON.stringify({
        error: { code: 'validation-failed', message: 'Invalid body.', requestId: 'r-2', fields: [{ field: 'code', message: 'Enter the 6-digit code.' }] },
      }),
    };
    const error = await failure(api().confirmEnrolment('12'));
    expect(error.body.fields).toEqual([{ field: 'code', message: 'Enter the 6-digit code.' }]);
  });

  it('reports a 401 session-expired with its code (the session guard relies on it)', async () => {
    next = { status: 401, body: JSON.stringify({ error: { code: 'session-expired', message: 'Expired.', requestId: 'r-3' } }) };
    const error = await failure(api().worklist());
    expect(error.status).toBe(401);
    expect(error.body.code).toBe('session-expired');
  });

  it('turns an error that is not an error body into internal-error, with the request id header', async () => {
    next = { status: 500, body: '<html>Oops</html>', headers: { 'content-type': 'text/html', 'x-request-id': 'r-4' } };
    const error = await failure(api().worklist());
    expect(error.status).toBe(500);
    expect(error.body.code).toBe('internal-error');
    expect(error.body.requestId).toBe('r-4');
    expect(error.message).toMatch(/HTTP 500/);
  });

  it('turns a JSON error of the wrong shape into internal-error', async () => {
    next = { status: 400, body: JSON.stringify({ error: { code: 'no-such-code', message: 'x', requestId: 'r' } }) };
    expect((await failure(api().worklist())).body.code).toBe('internal-error');
  });

  it('reads a proxy 502/503/504 as the hub not answering', async () => {
    for (const status of [502, 503, 504]) {
      next = { status, body: 'Bad Gateway', headers: { 'content-type': 'text/plain' } };
      const error = await failure(api().session());
      expect(error.body.code).toBe('service-unavailable');
      expect(error.status).toBe(status);
    }
  });

  it('refuses a success response that does not match the contract', async () => {
    next = { status: 200, body: JSON.stringify({ stage: 'active' }) };
    const error = await failure(api().session());
    expect(error.body.code).toBe('internal-error');
    expect(error.message).toMatch(/GET \/api\/session/);
  });

  it('says the hub is not responding when nothing listens', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));

    const error = await failure(new HttpReadingApi(`http://127.0.0.1:${port}`).signInInfo());
    expect(error.status).toBe(0);
    expect(error.body.code).toBe('service-unavailable');
    expect(error.message).toMatch(/not responding/);
  });

  it('gives up on a hub that never answers', async () => {
    next = { status: 200, hang: true };
    const error = await failure(new HttpReadingApi(baseUrl, { timeoutMs: 200 }).worklist());
    expect(error.body.code).toBe('service-unavailable');
    expect(error.message).toMatch(/no answer in time/);
  });

  it('claims at the tele-file path, escaped, and passes a 409 on with its body', async () => {
    next = { status: 409, body: JSON.stringify({ error: { code: 'conflict', message: 'Claimed by someone else.', requestId: 'r-9' } }) };
    const error = await failure(api().claim('a/b'));
    expect(received[0]).toMatchObject({ method: 'POST', url: '/api/tele-files/a%2Fb/claim', body: '' });
    expect(error.status).toBe(409);
    expect(error.body.code).toBe('conflict');
  });

  it('checks a tele-file answer against the contract', async () => {
    const file = teleFile();
    next = { status: 200, body: JSON.stringify(file) };
    await expect(api().release(file.id)).resolves.toEqual(file);
    expect(received[0]).toMatchObject({ method: 'POST', url: `/api/tele-files/${file.id}/release` });
    next = { status: 200, body: JSON.stringify({ ...file, status: 'lost' }) };
    expect((await failure(api().teleFile(file.id))).body.code).toBe('internal-error');
  });

  it('sends the clinical request as JSON', async () => {
    const file = teleFile();
    next = { status: 200, body: JSON.stringify(file) };
    const request = { indication: 'Chute', question: 'Fracture ?', priority: 'urgent' as const, contactPhone: '03 22 66 80 00', requestedBy: 'Dr U' };
    await api().submitClinicalRequest(file.id, request);
    expect(received[0]).toMatchObject({ method: 'POST', url: `/api/tele-files/${file.id}/request` });
    expect(JSON.parse(received[0]?.body ?? '')).toEqual(request);
  });

  it('announces a request first with a POST to the tele-files, and reads the sites the person requests for', async () => {
    const file = teleFile({ status: 'received', studyInstanceUid: null, imagesReceivedAt: null, numberOfInstances: 0 });
    next = { status: 201, body: JSON.stringify(file) };
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
    await expect(api().announceRequest(request)).resolves.toEqual(file);
    expect(received[0]).toMatchObject({ method: 'POST', url: '/api/tele-files' });
    expect(JSON.parse(received[0]?.body ?? '')).toEqual(request);
    next = { status: 200, body: JSON.stringify({ sites: [{ id: 'ch-montdidier', name: 'CH Montdidier' }] }) };
    await expect(api().requestingSites()).resolves.toEqual({ sites: [{ id: 'ch-montdidier', name: 'CH Montdidier' }] });
    expect(received[1]).toMatchObject({ method: 'GET', url: '/api/me/requesting-sites' });
  });

  it('reads and saves the viewer preferences under /api/me', async () => {
    const preferences = { hotkeys: { 'tool.probe': ['x'] }, cacheBudgetMb: 2048, defaultLayout: '2x2' as const };
    next = { status: 200, body: JSON.stringify(preferences) };
    await expect(api().viewerPreferences()).resolves.toEqual(preferences);
    expect(received[0]).toMatchObject({ method: 'GET', url: '/api/me/preferences/viewer' });
    next = { status: 200, body: JSON.stringify(preferences) };
    await expect(api().saveViewerPreferences(preferences)).resolves.toEqual(preferences);
    expect(received[1]).toMatchObject({ method: 'PUT', url: '/api/me/preferences/viewer' });
    expect(JSON.parse(received[1]?.body ?? '')).toEqual(preferences);
  });

  it('saves a draft under the tele-file, and turns a 409 with the current version into a conflict answer', async () => {
    const draft = {
      content: { indication: 'Chute', technique: '', findings: 'RAS', conclusion: '' },
      critical: { flagged: false, communication: { to: '', means: null, at: null } },
      templateId: null,
      baseVersion: 1,
      clientId: 'tab-12345678',
    };
    next = { status: 200, body: JSON.stringify(reportView({ version: 2 })) };
    await expect(api().saveDraft('tf 1', draft)).resolves.toMatchObject({ saved: true, report: { version: 2 } });
    expect(received[0]).toMatchObject({ method: 'PUT', url: '/api/tele-files/tf%201/report/draft' });
    expect(JSON.parse(received[0]?.body ?? '')).toEqual(draft);

    const current = reportView({ version: 5, lastClientId: 'tab-other000' });
    next = { status: 409, body: JSON.stringify({ error: { code: 'conflict', message: 'Saved elsewhere.', requestId: 'r9' }, current }) };
    await expect(api().saveAddendumDraft('r1', draft)).resolves.toEqual({ saved: false, current });
    expect(received[1]).toMatchObject({ method: 'PUT', url: '/api/reports/r1/draft' });

    // A 409 without the current version is an error like any other.
    next = { status: 409, body: JSON.stringify({ error: { code: 'conflict', message: 'Already signed.', requestId: 'r10' } }) };
    const error = await failure(api().saveDraft('tf1', draft));
    expect(error).toMatchObject({ status: 409, body: { code: 'conflict', message: 'Already signed.' } });
  });

  it('signs, opens an addendum, reads reports, templates and macros at their routes', async () => {
    next = { status: 200, body: JSON.stringify(reportView({ status: 'signed' })) };
    const sign = { password: 'pw', version: 2, confirmedPatientId: 'P1', confirmedSiteId: 'ch-montdidier' };
    await expect(api().signReport('r1', sign)).resolves.toMatchObject({ status: 'signed' });
    next = { status: 200, body: JSON.stringify(reportView({ kind: 'addendum', predecessorId: 'r1' })) };
    await expect(api().createAddendum('r1')).resolves.toMatchObject({ kind: 'addendum' });
    next = { status: 200, body: JSON.stringify({ teleFileId: 'tf1', reports: [reportView()] }) };
    await expect(api().reports('tf1')).resolves.toMatchObject({ reports: [{ kind: 'report' }] });
    next = { status: 200, body: JSON.stringify({ templates: [] }) };
    await api().reportTemplates();
    next = { status: 200, body: JSON.stringify({ macros: [{ shortcut: 'nl', text: 'Normal.' }] }) };
    await api().saveMacros({ macros: [{ shortcut: 'nl', text: 'Normal.' }] });
    expect(received.map((r) => `${r.method} ${r.url}`)).toEqual([
      'POST /api/reports/r1/sign',
      'POST /api/reports/r1/addendum',
      'GET /api/tele-files/tf1/reports',
      'GET /api/report-templates',
      'PUT /api/me/macros',
    ]);
    expect(JSON.parse(received[0]?.body ?? '')).toEqual(sign);
  });

  it('sends the roster CSV as text/csv, and the month as a query', async () => {
    next = { status: 200, body: JSON.stringify({ ok: true, imported: 2, replacedFrom: '2026-02-28T23:00:00.000Z', replacedTo: '2026-03-31T22:00:00.000Z', warnings: [] }) };
    const csv = 'date_debut;heure_debut;date_fin;heure_fin;groupe;identifiant\n';
    await expect(api().importRoster(csv)).resolves.toMatchObject({ ok: true, imported: 2 });
    expect(received[0]?.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(received[0]?.body).toBe(csv);

    next = { status: 200, body: JSON.stringify({ entries: [] }) };
    await api().roster({ from: '2026-02-28T23:00:00.000Z', to: '2026-03-31T22:00:00.000Z' });
    expect(received[1]?.url).toBe('/api/admin/roster?from=2026-02-28T23%3A00%3A00.000Z&to=2026-03-31T22%3A00%3A00.000Z');
  });

  it('follows the live worklist from the cursor, and tells a lost session from a network failure', async () => {
    const sources: { url: string; fire: (type: 'open' | 'error') => void; closed: boolean }[] = [];
    const live = new HttpReadingApi(baseUrl, {
      retryDelaysMs: [10],
      eventSource: (url) => {
        const source = {
          url,
          closed: false,
          onopen: null as ((event: Event) => void) | null,
          onerror: null as ((event: Event) => void) | null,
          addEventListener: () => undefined,
          close() {
            this.closed = true;
          },
          fire(type: 'open' | 'error') {
            (type === 'open' ? this.onopen : this.onerror)?.(new Event(type));
          },
        };
        sources.push(source);
        return source;
      },
    });
    const errors: unknown[] = [];
    const stop = live.watchWorklist('c 1', { onChange: () => undefined, onReset: () => undefined, onError: (error) => errors.push(error) });
    expect(sources[0]?.url).toBe(`${baseUrl}/api/worklist/events?since=c%201`);

    // The session is fine: the stream broke on its own; a new one follows.
    next = { status: 200, body: JSON.stringify(session) };
    sources[0]!.fire('error');
    await vi.waitFor(() => expect(sources).toHaveLength(2));
    expect(received.at(-1)?.url).toBe('/api/session');
    expect(errors[0]).toMatchObject({ body: { code: 'service-unavailable' } });

    // The session is gone: the error says so and nothing reconnects.
    next = { status: 401, body: JSON.stringify({ error: { code: 'session-expired', message: 'Expired.', requestId: 'r' } }) };
    sources[1]!.fire('error');
    await vi.waitFor(() => expect(errors).toHaveLength(2));
    expect(errors[1]).toMatchObject({ status: 401, body: { code: 'session-expired' } });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(sources).toHaveLength(2);
    stop();
  });
});
