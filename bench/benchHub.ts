// The real hub app, in this process, listening on loopback: built like
// test/hub/testHub.ts (which needs vitest's inject for PostgreSQL), on PGlite
// or on a database the bench created on its own PostgreSQL server. Plus the
// few things every issue-4 bench needs: readers on call in the demo pool,
// signed in through the real login route, and a small HTTP client.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { Role } from '../core/roles.js';
import { hashPassword } from '../hub/accounts/passwords.js';
import { ConfigSchema, type Config } from '../hub/config/config.js';
import { openDatabase, type Database } from '../hub/db/database.js';
import { migrateToLatest } from '../hub/db/migrate.js';
import { buildApp } from '../hub/http/app.js';
import { IngestService } from '../hub/ingest/ingestService.js';
import { createLogger } from '../hub/logging/logger.js';
import { DEMO_POOL, demoOrganisation } from '../hub/organisation/demoOrganisation.js';
import type { PacsAdapter, StableStudy } from '../hub/pacs/pacsAdapter.js';
import { buildServices, type Services } from '../hub/services.js';
import { LiveFeed } from '../hub/teleFiles/liveFeed.js';
import { makeTempDir, removeTempDir } from '../test/harness/tempDir.js';
import { stableStudy } from '../test/hub/teleFiles/teleFileFixtures.js';

export interface BenchHub {
  url: string;
  app: FastifyInstance;
  services: Services;
  database: Database;
  config: Config;
  /** Ingest driven study by study, with the real routing (no PACS behind it). */
  ingest: IngestService;
  liveFeed: LiveFeed | null;
  close(): Promise<void>;
}

const withTimeout = async <T>(promise: Promise<T>, ms: number): Promise<T | undefined> => {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const timeout = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), ms);
    });
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
};

/** The hub app on PGlite (no URL) or on the given PostgreSQL database, listening on 127.0.0.1. */
export async function startBenchHub(options: { databaseUrl?: string; liveFeedPollMs?: number } = {}): Promise<BenchHub> {
  const dataDir = await makeTempDir('bench-hub');
  let database: Database | undefined;
  let app: FastifyInstance | undefined;
  let liveFeed: LiveFeed | null = null;
  const close = async () => {
    // Bounded: a hung request (a bug the bench is reporting) must not hang the whole run.
    await withTimeout(liveFeed?.stop() ?? Promise.resolve(), 5_000);
    if (app) await withTimeout(app.close(), 5_000);
    if (database) await withTimeout(database.close(), 5_000);
    await removeTempDir(dataDir);
  };
  try {
    const config: Config = {
      ...ConfigSchema.parse({ dataDir, demo: false, logLevel: 'silent', host: '127.0.0.1', port: 0, secondFactorRequiredRoles: [], loginRateLimitPerMinute: 1_000_000 }),
      ...(options.databaseUrl ? { databaseUrl: options.databaseUrl } : {}),
    };
    database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir });
    await migrateToLatest(database.db);
    const services = buildServices(config, database.db, randomBytes(32), '0.0.0-bench');
    if (options.liveFeedPollMs !== undefined) {
      liveFeed = new LiveFeed(services.teleFiles, services.worklist, (error) => process.stderr.write(`live feed poll failed: ${String(error)}\n`), options.liveFeedPollMs);
      await liveFeed.start();
      services.liveFeed = liveFeed;
    }
    app = await buildApp(services, createLogger(process.env.VIGIE_BENCH_HUB_LOG === 'error' ? 'error' : 'silent'));
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    if (address === null || typeof address === 'string') throw new Error('the bench hub has no TCP address');
    const ingest = new IngestService(database.db, {} as PacsAdapter, services.teleFiles, services.organisation, services.roster, createLogger('silent'), { pollMs: 60_000, reconcileWindowMs: 60_000 });
    return { url: `http://127.0.0.1:${address.port}`, app, services, database, config, ingest, liveFeed, close };
  } catch (error) {
    await close().catch(() => undefined);
    throw error;
  }
}

/**
 * The demo region (two requesting sites, one shared pool that reads at any
 * hour) and `readers` on call in its pool from an hour ago to tomorrow, each a
 * radiologist with the same password (hashed once: argon2 is slow on purpose).
 */
export async function setUpPool(services: Services, readers: readonly string[], extra: { username: string; roles: Role[] }[] = []): Promise<{ password: string; ids: Map<string, string> }> {
  const password = `bench-${randomBytes(9).toString('base64url')}`;
  const passwordHash = await hashPassword(password);
  const ids = new Map<string, string>();
  for (const username of readers) ids.set(username, (await services.users.create({ username, displayName: `Dr ${username}`, roles: ['radiologist'], passwordHash })).id);
  for (const { username, roles } of extra) ids.set(username, (await services.users.create({ username, displayName: username, roles, passwordHash })).id);
  await services.organisation.save(demoOrganisation(), { id: null, username: 'bench' });
  const now = Date.now();
  await services.roster.add(readers.map((personId) => ({ personId, target: { kind: 'pivot-group' as const, groupId: DEMO_POOL }, from: new Date(now - 3_600_000), to: new Date(now + 86_400_000) })));
  return { password, ids };
}

/** A CT from the demo north site, as the PACS adapter would report it once stable (the tests' fixture). */
export function benchStudy(): StableStudy {
  return stableStudy();
}

export interface HttpAnswer {
  status: number;
  body: string;
  ms: number;
  headers: http.IncomingHttpHeaders;
}

/** One HTTP request on loopback, with a deadline (status 0 when it ran out or failed). */
export function request(url: string, options: { method?: string; headers?: Record<string, string>; body?: string; agent?: http.Agent; timeoutMs?: number } = {}): Promise<HttpAnswer> {
  const target = new URL(url);
  if (target.hostname !== '127.0.0.1') throw new Error('bench traffic stays on loopback');
  return new Promise((resolve) => {
    const started = performance.now();
    const headers: Record<string, string> = { ...options.headers };
    if (options.body !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(Buffer.byteLength(options.body));
    }
    const req = http.request({ host: target.hostname, port: target.port, path: target.pathname + target.search, method: options.method ?? 'GET', headers, agent: options.agent }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString(), ms: performance.now() - started, headers: response.headers }));
      response.on('error', () => resolve({ status: 0, body: 'response error', ms: performance.now() - started, headers: {} }));
    });
    req.setTimeout(options.timeoutMs ?? 20_000, () => req.destroy(new Error(`no answer within ${options.timeoutMs ?? 20_000} ms`)));
    req.on('error', (error) => resolve({ status: 0, body: error.message, ms: performance.now() - started, headers: {} }));
    req.end(options.body);
  });
}

/** Signs in through POST /api/auth/login (no second factor for these roles) and returns the session cookie. */
export async function signIn(baseUrl: string, username: string, password: string): Promise<string> {
  const answer = await request(`${baseUrl}/api/auth/login`, { method: 'POST', body: JSON.stringify({ username, password }) });
  const setCookie = answer.headers['set-cookie']?.find((c) => c.startsWith('vigie_session='));
  const cookie = setCookie?.split(';')[0];
  if (answer.status !== 200 || !cookie || !answer.body.includes('"active"')) throw new Error(`bench sign-in of ${username} failed: ${answer.status} ${answer.body.slice(0, 200)}`);
  return cookie;
}

/** Runs `fn` over `items`, `concurrency` at a time. */
export async function eachLimited<T, R>(items: readonly T[], concurrency: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        out[index] = await fn(items[index] as T, index);
      }
    }),
  );
  return out;
}
