/** The test harness: real Orthanc, PostgreSQL and Chromium started as child processes, with cleanup. */
export * from './processes.js';
export * from './freePort.js';
export * from './tempDir.js';
export * from './waitFor.js';
export * from './orthanc.js';
export * from './postgres.js';
export * from './browser.js';
export { freshPostgresDatabase } from './database.js';
