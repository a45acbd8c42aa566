import { ConfigError, loadConfig } from '../config/config.js';
import { DatabaseUnavailableError, openDatabase, type Database } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';

/** For command-line tools: the database the hub would use, migrated, or a clear message and exit code. */
export async function openConfiguredDatabase(): Promise<Database> {
  try {
    const config = loadConfig();
    const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
    await migrateToLatest(database.db);
    return database;
  } catch (error) {
    if (error instanceof ConfigError || error instanceof DatabaseUnavailableError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(error instanceof ConfigError ? 2 : 3);
    }
    throw error;
  }
}
