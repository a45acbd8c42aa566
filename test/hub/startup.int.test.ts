import { spawn } from 'node:child_process';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../hub/db/database.js';
import { migrateToLatest } from '../../hub/db/migrate.js';
import { freshPostgresDatabase } from '../harness/database.js';
import { getFreePort } from '../harness/freePort.js';
import { makeTempDir, removeTempDir } from '../harness/tempDir.js';

const root = path.resolve(import.meta.dirname, '../..');

function runHub(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'hub/main.ts'], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => resolve({ code, stderr }));
  });
}

describe('hub start-up failures', () => {
  it('exits non-zero with a clear message when PostgreSQL is unreachable', async () => {
    const port = await getFreePort();
    const dataDir = await makeTempDir('unreachable');
    try {
      const { code, stderr } = await runHub({ VIGIE_DATA: dataDir, VIGIE_DATABASE_URL: `postgres://vigie:secret@127.0.0.1:${port}/vigie`, VIGIE_DEMO: 'false' });
      expect(code).toBe(3);
      expect(stderr).toContain(`Cannot reach PostgreSQL at postgresql://127.0.0.1:${port}/vigie (ECONNREFUSED)`);
      expect(stderr).toContain('Check VIGIE_DATABASE_URL');
      expect(stderr).not.toContain('secret');
    } finally {
      await removeTempDir(dataDir);
    }
  });

  it('exits with code 2 and names every bad setting', async () => {
    const { code, stderr } = await runHub({ VIGIE_PORT: '99999', VIGIE_SESSION_IDLE: 'forever', VIGIE_SECOND_FACTOR_ROLES: 'admin,doctor' });
    expect(code).toBe(2);
    expect(stderr).toContain('VIGIE_PORT = "99999": a port is between 0 and 65535.');
    expect(stderr).toContain('VIGIE_SESSION_IDLE = "forever": "forever" is not a duration');
    expect(stderr).toContain('unknown role(s) doctor');
  });

  it('leaves nothing half-migrated when a migration fails', async () => {
    const url = await freshPostgresDatabase();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    // A table in the way makes the foundation migration fail midway, after it created others.
    await client.query('create table audit_events (x int)');
    const database = await openDatabase({ databaseUrl: url, dataDir: '/nonexistent' });
    try {
      await expect(migrateToLatest(database.db)).rejects.toThrow(/Database migration 0001_foundation failed, nothing was applied/);
      const tables = await client.query<{ tablename: string }>("select tablename from pg_tables where schemaname = 'public' order by tablename");
      expect(tables.rows.map((r) => r.tablename).filter((t) => !t.startsWith('kysely_'))).toEqual(['audit_events']);
      const applied = await sql<{ n: string }>`select count(*) as n from kysely_migration`.execute(database.db).catch(() => ({ rows: [{ n: '0' }] }));
      expect(Number(applied.rows[0]?.n)).toBe(0);
    } finally {
      await database.close();
      await client.end();
    }
  });
});
