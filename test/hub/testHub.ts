import { randomBytes } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { ConfigSchema, type Config } from '../../hub/config/config.js';
import { openDatabase, type Database } from '../../hub/db/database.js';
import { migrateToLatest } from '../../hub/db/migrate.js';
import { buildApp } from '../../hub/http/app.js';
import { createLogger } from '../../hub/logging/logger.js';
import { buildServices, type Services } from '../../hub/services.js';
import { hashPassword } from '../../hub/accounts/passwords.js';
import { currentTotp } from '../../hub/accounts/totp.js';
import type { Role } from '../../core/roles.js';
import { freshPostgresDatabase } from '../harness/database.js';
import { makeTempDir, removeTempDir } from '../harness/tempDir.js';

export type DatabaseKindUnderTest = 'pglite' | 'postgresql';
export const DATABASE_KINDS: DatabaseKindUnderTest[] = ['pglite', 'postgresql'];

export interface TestHub {
  app: FastifyInstance;
  services: Services;
  database: Database;
  config: Config;
  createUser(username: string, roles: Role[], password?: string): Promise<{ id: string; username: string; password: string }>;
  close(): Promise<void>;
}

/** The real hub app on a real database (a fresh PGlite directory, or a fresh database on the run's PostgreSQL). */
export async function startTestHub(kind: DatabaseKindUnderTest, overrides: Partial<Config> = {}): Promise<TestHub> {
  const dataDir = await makeTempDir('hub');
  const config = { ...ConfigSchema.parse({ dataDir, demo: false, logLevel: 'silent' }), ...overrides };
  if (kind === 'postgresql') config.databaseUrl = await freshPostgresDatabase();
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir });
  await migrateToLatest(database.db);
  const services = buildServices(config, database.db, randomBytes(32), '0.0.0-test');
  const app = await buildApp(services, createLogger('silent'));
  await app.ready();
  return {
    app,
    services,
    database,
    config,
    async createUser(username, roles, password = `pw-${randomBytes(8).toString('hex')}`) {
      const user = await services.users.create({ username, displayName: `Test ${username}`, roles, passwordHash: await hashPassword(password) });
      return { id: user.id, username: user.username, password };
    },
    async close() {
      await app.close();
      await database.close();
      await removeTempDir(dataDir);
    },
  };
}

export function cookieOf(response: LightMyRequestResponse): string | undefined {
  const cookie = response.cookies.find((c) => c.name === 'vigie_session');
  return cookie?.value ? `vigie_session=${cookie.value}` : undefined;
}

/** Signs in through the real routes: password, then enrolment (first time) or the TOTP code. Returns the cookie and the TOTP secret. */
export async function signInFully(app: FastifyInstance, username: string, password: string, secret?: string): Promise<{ cookie: string; secret: string; recoveryCodes: string[] }> {
  const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
  if (login.statusCode !== 200) throw new Error(`login failed: ${login.body}`);
  let cookie = cookieOf(login) as string;
  const stage = login.json<{ stage: string }>().stage;
  if (stage === 'active') return { cookie, secret: '', recoveryCodes: [] };
  if (stage === 'enrolment') {
    const start = await app.inject({ method: 'POST', url: '/api/auth/enrolment', headers: { cookie } });
    const enrolSecret = start.json<{ secret: string }>().secret;
    const confirm = await app.inject({ method: 'POST', url: '/api/auth/enrolment/confirm', headers: { cookie }, payload: { code: currentTotp(enrolSecret) } });
    if (confirm.statusCode !== 200) throw new Error(`enrolment failed: ${confirm.body}`);
    cookie = cookieOf(confirm) as string;
    return { cookie, secret: enrolSecret, recoveryCodes: confirm.json<{ recoveryCodes: string[] }>().recoveryCodes };
  }
  if (!secret) throw new Error('second factor required but no secret given');
  // A code is accepted once per 30 s step: use the next step's code, which the ±1 window accepts.
  const second = await app.inject({ method: 'POST', url: '/api/auth/second-factor', headers: { cookie }, payload: { code: currentTotp(secret, Date.now() + 30_000) } });
  if (second.statusCode !== 200) throw new Error(`second factor failed: ${second.body}`);
  return { cookie: cookieOf(second) as string, secret, recoveryCodes: [] };
}
