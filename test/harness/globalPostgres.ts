/**
 * Vitest globalSetup: one PostgreSQL server for the whole run.
 *
 *   // vitest.config.ts
 *   globalSetup: ['test/harness/globalPostgres.ts']
 *
 * Tests then call freshPostgresDatabase() (test/harness/database.ts) for a
 * database of their own on that server.
 */
import type { TestProject } from 'vitest/node';
import { startPostgres } from './postgres.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Superuser URL of the run's PostgreSQL server (postgres://postgres@127.0.0.1:PORT/postgres). */
    postgresUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startPostgres();
  project.provide('postgresUrl', server.url);
  return async () => {
    await server.stop();
  };
}
