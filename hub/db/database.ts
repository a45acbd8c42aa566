import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PGliteDialect, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { DB } from './schema.js';

export type DatabaseKind = 'pglite' | 'postgresql';

export interface Database {
  db: Kysely<DB>;
  kind: DatabaseKind;
  /** Where it lives, without credentials: safe to log. */
  description: string;
  close(): Promise<void>;
}

/** The database cannot be reached or opened; the message says what to check. */
export class DatabaseUnavailableError extends Error {
  override readonly name = 'DatabaseUnavailableError';
}

const STATEMENT_TIMEOUT_MS = 15_000;
const CONNECT_TIMEOUT_MS = 5_000;

/** PostgreSQL when a URL is given (production), else PGlite under the data directory (embedded default). */
export async function openDatabase(options: { databaseUrl?: string | undefined; dataDir: string }): Promise<Database> {
  return options.databaseUrl ? openPostgres(options.databaseUrl) : openPglite(path.join(options.dataDir, 'db'));
}

function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `postgresql://${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname}`;
  } catch {
    return 'postgresql://(unparseable URL)';
  }
}

async function openPostgres(url: string): Promise<Database> {
  const description = redactUrl(url);
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    statement_timeout: STATEMENT_TIMEOUT_MS,
    application_name: 'vigie-hub',
  });
  // An idle client losing its server must not crash the hub; the next query reconnects.
  pool.on('error', () => undefined);
  try {
    const client = await pool.connect();
    client.release();
  } catch (error) {
    await pool.end().catch(() => undefined);
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new DatabaseUnavailableError(
      `Cannot reach PostgreSQL at ${description} (${reason}). Check VIGIE_DATABASE_URL, that the server is running and accepts connections from this host, and the credentials.`,
    );
  }
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  return { db, kind: 'postgresql', description, close: () => db.destroy() };
}

async function openPglite(dir: string): Promise<Database> {
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const pglite = await PGlite.create(dir);
    const db = new Kysely<DB>({ dialect: new PGliteDialect({ pglite }) });
    return { db, kind: 'pglite', description: `PGlite at ${dir}`, close: () => db.destroy() };
  } catch (error) {
    throw new DatabaseUnavailableError(
      `Cannot open the embedded database at ${dir} (${(error as Error).message}). Check that the directory is writable and that no other Vigie hub is using it.`,
    );
  }
}
