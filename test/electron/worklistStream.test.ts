import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { TeleFileChange } from '../../core/api/teleFiles.js';
import { ReadingApiError } from '../../core/readingApi.js';
import { createHubClient, type SessionTokenStore } from '../../electron/main/hubClient.js';
import type { WorklistStreamHandlers } from '../../electron/main/worklistStream.js';

/**
 * The desktop's live worklist against a real HTTP server on loopback that
 * speaks text/event-stream as the hub does: each connection is scripted by
 * the test, which also sees the URL and headers the client sent.
 */
type Script = (request: IncomingMessage, response: ServerResponse) => void;
let server: Server;
let hubUrl: string;
const connections: { url: string; authorization: string | undefined; accept: string | undefined; closed: Promise<void> }[] = [];
let scripts: Script[] = [];
const stops: (() => void)[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    let closed!: () => void;
    const done = new Promise<void>((resolve) => (closed = resolve));
    response.on('close', () => closed());
    connections.push({ url: request.url ?? '', authorization: request.headers.authorization, accept: request.headers.accept, closed: done });
    const script = scripts.shift();
    if (script) script(request, response);
    else response.writeHead(503).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  hubUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});

afterEach(() => {
  for (const stop of stops.splice(0)) stop();
  connections.length = 0;
  scripts = [];
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const store = (token: string | null = 'tok'): SessionTokenStore & { saved: (string | null)[] } => {
  const saved: (string | null)[] = [];
  return { saved, load: () => Promise.resolve(token), save: (next) => Promise.resolve(void saved.push(next)) };
};

const REMOVE: TeleFileChange = { kind: 'remove', id: '2f1c9a52-3b7e-4c1d-9a0e-6d5b8f7e1a23' };

function eventStream(response: ServerResponse) {
  response.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store' });
  response.flushHeaders();
}

function recorder() {
  const seen: string[] = [];
  const errors: unknown[] = [];
  const handlers: WorklistStreamHandlers = {
    onChange: (change, cursor) => seen.push(`${change.kind}@${cursor}`),
    onReset: () => seen.push('reset'),
    onStatus: (status) => seen.push(status),
    onError: (error) => errors.push(error),
  };
  return { seen, errors, handlers };
}

function watch(cursor: string, handlers: WorklistStreamHandlers, tokenStore = store()) {
  const client = createHubClient({ hubUrl, tokenStore, timeoutMs: 2_000, stream: { retryDelaysMs: [20], idleTimeoutMs: 400 } });
  const stop = client.watchWorklist(cursor, handlers);
  stops.push(stop);
  return stop;
}

describe('the desktop live worklist (SSE over fetch)', () => {
  it('asks from the cursor with the bearer token, and reads events however the bytes are cut', async () => {
    const json = JSON.stringify(REMOVE);
    const body = `: ping\n\nid: c-42\nevent: tele-file\ndata: ${json}\n\nevent: unknown\ndata: {}\n\nid: c-43\r\nevent: tele-file\r\ndata: ${json}\r\n\r\n`;
    scripts.push((_request, response) => {
      eventStream(response);
      // One byte at a time: every split of a line, of a CRLF, of a multi-byte character.
      const bytes = Buffer.from(body, 'utf8');
      let i = 0;
      const next = () => {
        if (i >= bytes.length) return;
        response.write(bytes.subarray(i, i + 1));
        i += 1;
        setImmediate(next);
      };
      next();
    });
    const { seen, handlers } = recorder();
    watch('c-41', handlers);
    await vi.waitFor(() => expect(seen).toEqual(['live', 'remove@c-42', 'remove@c-43']));
    expect(connections[0]).toMatchObject({ url: '/api/worklist/events?since=c-41', authorization: 'Bearer tok', accept: 'text/event-stream' });
  });

  it('reconnects after the hub closes the stream, resuming from the last cursor received', async () => {
    scripts.push((_request, response) => {
      eventStream(response);
      response.end(`id: c-7\nevent: tele-file\ndata: ${JSON.stringify(REMOVE)}\n\n`);
    });
    scripts.push((_request, response) => {
      eventStream(response);
      response.write('event: reset\ndata: {}\n\n');
    });
    const { seen, handlers } = recorder();
    watch('c-6', handlers);
    await vi.waitFor(() => expect(seen).toEqual(['live', 'remove@c-7', 'reconnecting', 'live', 'reset']));
    expect(connections.map((c) => c.url)).toEqual(['/api/worklist/events?since=c-6', '/api/worklist/events?since=c-7']);
  });

  it('keeps trying while the hub is down, and says so', async () => {
    scripts.push((_request, response) => void response.writeHead(503, { 'Content-Type': 'text/html' }).end('<h1>Starting</h1>'));
    scripts.push((_request, response) => void response.writeHead(200, { 'Content-Type': 'application/json' }).end('{}'));
    scripts.push((_request, response) => eventStream(response));
    const { seen, errors, handlers } = recorder();
    watch('c-1', handlers);
    await vi.waitFor(() => expect(seen).toEqual(['reconnecting', 'reconnecting', 'live']));
    expect(errors[0]).toBeInstanceOf(ReadingApiError);
    expect(errors[0]).toMatchObject({ status: 503, body: { code: 'service-unavailable' } });
    // An answer that is not an event stream is a contract problem, not a stream.
    expect(errors[1]).toMatchObject({ body: { code: 'internal-error' } });
    expect(connections).toHaveLength(3);
  });

  it('stops on 401, reports the lost session and forgets the token', async () => {
    scripts.push((_request, response) => {
      response.writeHead(401, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify({ error: { code: 'session-expired', message: 'Expired.', requestId: 'r-1' } }));
    });
    const tokenStore = store();
    const { seen, errors, handlers } = recorder();
    watch('c-1', handlers, tokenStore);
    await vi.waitFor(() => expect(errors).toHaveLength(1));
    expect(errors[0]).toMatchObject({ status: 401, body: { code: 'session-expired' } });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(connections).toHaveLength(1);
    expect(seen).toEqual([]);
    expect(tokenStore.saved).toEqual([null]);
  });

  it('drops a connection that went silent (no ping) and opens a new one', async () => {
    scripts.push((_request, response) => {
      eventStream(response);
      response.write(': ping\n\n');
    });
    scripts.push((_request, response) => {
      eventStream(response);
      // Pings keep this one alive well past the idle limit.
      const timer = setInterval(() => response.write(': ping\n\n'), 100);
      response.on('close', () => clearInterval(timer));
    });
    const { seen, handlers } = recorder();
    watch('c-1', handlers);
    await vi.waitFor(() => expect(seen).toEqual(['live', 'reconnecting', 'live']), { timeout: 3_000 });
    await connections[0]?.closed;
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(connections).toHaveLength(2);
  });

  it('closes the connection when stopped, and reports nothing after', async () => {
    scripts.push((_request, response) => eventStream(response));
    const { seen, errors, handlers } = recorder();
    const stop = watch('c-1', handlers);
    await vi.waitFor(() => expect(seen).toEqual(['live']));
    stop();
    await connections[0]?.closed;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(seen).toEqual(['live']);
    expect(errors).toEqual([]);
    expect(connections).toHaveLength(1);
  });
});

describe('the hub ending the stream for a lost session', () => {
  it('reports the lost session and does not reconnect', async () => {
    scripts.push((_request, response) => {
      eventStream(response);
      // As the hub does at a ping when the session is gone.
      response.end('event: session-expired\ndata: {}\n\n');
    });
    const { seen, errors, handlers } = recorder();
    watch('c-1', handlers);
    await vi.waitFor(() => expect(errors).toHaveLength(1));
    expect(errors[0]).toMatchObject({ status: 401, body: { code: 'session-expired' } });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(seen).toEqual(['live']);
    expect(connections).toHaveLength(1);
  });
});
