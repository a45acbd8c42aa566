// Worklist change → SSE delivery to 200 connected clients.
//
// The hub runs as `npm start` does (its own process, its own live feed polling
// every 250 ms) on a fresh PostgreSQL database. This process plays the rest:
// it writes the demo region and 200 on-call readers into that database, opens
// one GET /api/worklist/events stream per reader with node:http (a real
// session each), then commits 50 new routed tele-files one at a time, spaced
// 250–350 ms apart (so changes land at every phase of the poll), as the ingest
// of another hub instance would. Latency = the client's receipt of the
// `tele-file` event − the moment the ingest transaction's COMMIT returned here
// (the same clock: both are this process's performance.now()).
//
// Every client must get every change exactly once: 50 × 200 events, no
// duplicate, no reset; anything else fails the bench.
//
// Baselines: the feed's poll interval (250 ms, a change waits for the next
// poll: ~125 ms on average, up to 250 ms), and one plain HTTP round trip to
// the same hub (GET /api/health, keep-alive).
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { ConfigSchema } from '../hub/config/config.js';
import { openDatabase } from '../hub/db/database.js';
import { IngestService } from '../hub/ingest/ingestService.js';
import { createLogger } from '../hub/logging/logger.js';
import type { PacsAdapter } from '../hub/pacs/pacsAdapter.js';
import { buildServices } from '../hub/services.js';
import { startHubProcess, type HubProcess } from '../test/harness/hub.js';
import type { PostgresServer } from '../test/harness/postgres.js';
import { makeTempDir, removeTempDir } from '../test/harness/tempDir.js';
import { benchStudy, eachLimited, request, setUpPool, signIn } from './benchHub.js';
import { check, distribution, seededRandom, sleep, type Distribution } from './stats.js';

export const LIVE_FEED_POLL_MS = 250;

export interface LiveFeedFigures {
  clients: number;
  changes: number;
  expected: number;
  received: number;
  delivery: Distribution;
  /** Per change: until the last of the 200 clients had it. */
  lastClient: Distribution;
  roundTrip: Distribution;
  connectSeconds: number;
}

interface Stream {
  request: http.ClientRequest;
  received: Map<string, number[]>;
  problems: string[];
}

/** Opens one SSE stream; resolves once the hub answered 200 and sent its first bytes. */
function openStream(baseUrl: string, cookie: string, opened: Stream[], onEvent: (stream: Stream, event: string, data: string) => void): Promise<Stream> {
  const target = new URL('/api/worklist/events', baseUrl);
  return new Promise((resolve, reject) => {
    const stream: Stream = { request: undefined as unknown as http.ClientRequest, received: new Map(), problems: [] };
    const req = http.get({ host: target.hostname, port: target.port, path: target.pathname, agent: false, headers: { cookie, accept: 'text/event-stream' } }, (response) => {
      if (response.statusCode !== 200) {
        reject(new Error(`GET /api/worklist/events answered ${response.statusCode ?? 0}`));
        response.resume();
        return;
      }
      response.setEncoding('utf8');
      let buffer = '';
      let announced = false;
      response.on('data', (chunk: string) => {
        buffer += chunk;
        let end = buffer.indexOf('\n\n');
        while (end >= 0) {
          const message = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          let event = 'message';
          let data = '';
          for (const line of message.split('\n')) {
            if (line.startsWith('event: ')) event = line.slice(7);
            else if (line.startsWith('data: ')) data += line.slice(6);
          }
          if (message.startsWith('retry:') && !announced) {
            announced = true;
            resolve(stream);
          } else if (!message.startsWith(':') && !message.startsWith('retry:')) {
            onEvent(stream, event, data);
          }
          end = buffer.indexOf('\n\n');
        }
      });
      response.on('end', () => stream.problems.push('the stream ended'));
    });
    stream.request = req;
    opened.push(stream);
    req.on('error', (error) => {
      stream.problems.push(error.message);
      reject(error);
    });
  });
}

export async function measureLiveFeed(options: { postgres: PostgresServer; clients: number; changes: number }): Promise<LiveFeedFigures> {
  const databaseUrl = await options.postgres.createDatabase();
  const dataDir = await makeTempDir('bench-feed');
  const streams: Stream[] = [];
  let hub: HubProcess | undefined;
  let closeDatabase: (() => Promise<void>) | undefined;
  try {
    hub = await startHubProcess({ env: { VIGIE_DATABASE_URL: databaseUrl, VIGIE_DEMO: 'false', VIGIE_SECOND_FACTOR_ROLES: '', VIGIE_LOGIN_RATE_PER_MINUTE: '100000', VIGIE_LOG_LEVEL: 'warn' } });
    const url = hub.url;
    // This process's own connection to the hub's database (migrated by the hub at start).
    const opened = await openDatabase({ databaseUrl, dataDir });
    closeDatabase = opened.close;
    const services = buildServices(ConfigSchema.parse({ dataDir, demo: false, logLevel: 'silent' }), opened.db, randomBytes(32), '0.0.0-bench');
    const ingest = new IngestService(opened.db, {} as PacsAdapter, services.teleFiles, services.organisation, services.roster, createLogger('silent'), { pollMs: 60_000, reconcileWindowMs: 60_000 });

    const names = Array.from({ length: options.clients }, (_, i) => `dr.live${String(i).padStart(3, '0')}`);
    const { password, ids } = await setUpPool(services, names);
    // One reader through the login route, the others with the same kind of session row (argon2 is slow on purpose).
    const cookies = [await signIn(url, names[0] as string, password)];
    for (const name of names.slice(1)) cookies.push(`vigie_session=${(await services.sessions.create(ids.get(name) as string, 'active', 'web')).token}`);

    // Baseline: a plain round trip to the same hub.
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const trips: number[] = [];
    for (let i = 0; i < 60; i += 1) {
      const answer = await request(`${url}/api/health`, { agent });
      check(answer.status === 200, `GET /api/health answered ${answer.status}`);
      if (i >= 10) trips.push(answer.ms);
    }
    agent.destroy();

    const receipts = new Map<string, number[]>();
    const onEvent = (stream: Stream, event: string, data: string) => {
      const at = performance.now();
      if (event !== 'tele-file') {
        stream.problems.push(`unexpected event ${event}`);
        return;
      }
      const change = JSON.parse(data) as { kind: string; teleFile?: { id: string }; id?: string };
      if (change.kind !== 'upsert' || !change.teleFile) {
        stream.problems.push(`unexpected change ${change.kind}`);
        return;
      }
      const id = change.teleFile.id;
      const mine = stream.received.get(id) ?? [];
      mine.push(at);
      stream.received.set(id, mine);
      const all = receipts.get(id) ?? [];
      all.push(at);
      receipts.set(id, all);
    };
    const connectStarted = performance.now();
    await eachLimited(cookies, 20, (cookie) => openStream(url, cookie, streams, onEvent));
    const connectSeconds = (performance.now() - connectStarted) / 1000;

    // The hub sends its first bytes before it has subscribed the stream to the feed (it reads the
    // reader's list first): give it a moment, then a warm-up change proves every stream is live.
    await sleep(1_000);
    const warm = await ingest.ingestStudy(benchStudy());
    const live = () => streams.filter((s) => s.received.has(warm.teleFile.id)).length;
    const deadline = Date.now() + 15_000;
    while (live() < options.clients && Date.now() < deadline) await sleep(20);
    check(live() === options.clients, `only ${live()} of ${options.clients} streams got the warm-up change within 15 s`);

    const random = seededRandom(7);
    const committed = new Map<string, number>();
    for (let i = 0; i < options.changes; i += 1) {
      const outcome = await ingest.ingestStudy(benchStudy());
      committed.set(outcome.teleFile.id, performance.now());
      check(outcome.kind === 'created' && outcome.teleFile.status === 'routed', `change ${i} was not a routed tele-file: ${outcome.kind} ${outcome.teleFile.status}`);
      await sleep(LIVE_FEED_POLL_MS + random() * 100);
    }
    const expected = options.changes * options.clients;
    const received = () => [...committed.keys()].reduce((n, id) => n + (receipts.get(id)?.length ?? 0), 0);
    const drain = Date.now() + 10_000;
    while (received() < expected && Date.now() < drain) await sleep(20);

    const problems = streams.flatMap((s) => s.problems);
    check(problems.length === 0, `${problems.length} stream problem(s), first: ${problems[0] ?? ''}`);
    const got = received();
    check(got === expected, `${got} events received for ${expected} expected (${options.changes} changes × ${options.clients} clients)`);
    for (const stream of streams) {
      for (const id of committed.keys()) check((stream.received.get(id)?.length ?? 0) === 1, `a client got change ${id} ${stream.received.get(id)?.length ?? 0} times`);
    }
    const delivery: number[] = [];
    const lastClient: number[] = [];
    for (const [id, t0] of committed) {
      const times = receipts.get(id) ?? [];
      for (const t of times) delivery.push(t - t0);
      lastClient.push(Math.max(...times) - t0);
    }
    return { clients: options.clients, changes: options.changes, expected, received: got, delivery: distribution(delivery), lastClient: distribution(lastClient), roundTrip: distribution(trips), connectSeconds };
  } finally {
    for (const stream of streams) stream.request.destroy();
    await closeDatabase?.().catch(() => undefined);
    await hub?.dispose();
    await removeTempDir(dataDir);
  }
}
