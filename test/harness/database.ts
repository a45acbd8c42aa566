/** A fresh PostgreSQL database per test file, on the server started by globalPostgres.ts. */
import { inject } from 'vitest';
import type {} from './globalPostgres.js';
import { createPostgresDatabase } from './postgres.js';

/**
 * Creates a uniquely named database on the run's PostgreSQL server and
 * returns its URL. Needs `test/harness/globalPostgres.ts` in the vitest
 * config's `globalSetup`.
 */
export async function freshPostgresDatabase(): Promise<string> {
  const serverUrl = inject('postgresUrl') as string | undefined;
  if (serverUrl === undefined || serverUrl === '') {
    throw new Error(
      "no PostgreSQL server for this run: add 'test/harness/globalPostgres.ts' to globalSetup in the vitest config",
    );
  }
  return createPostgresDatabase(serverUrl);
}
