import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { ensureDemoAccounts, type DemoAccount } from './accounts/demoAccounts.js';
import { loadSecretKey } from './accounts/secretKey.js';
import type { Config } from './config/config.js';
export { loadConfig } from './config/config.js';
import { openDatabase, type Database } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';
import { generateDemoStudies } from './demo/demoStudies.js';
import { buildApp } from './http/app.js';
import { createLogger } from './logging/logger.js';
import { buildServices, type Services } from './services.js';

export interface RunningHub {
  url: string;
  app: FastifyInstance;
  database: Database;
  services: Services;
  demoAccounts: DemoAccount[];
  close(): Promise<void>;
}

async function readVersion(): Promise<string> {
  const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/**
 * The hub's single entry point (also used by the desktop shell for the
 * embedded default): open and migrate the database, prepare the demo, listen.
 * Anything that fails before listening closes what was opened.
 */
export async function startHub(config: Config, options: { logger?: Logger } = {}): Promise<RunningHub> {
  const logger = options.logger ?? createLogger(config.logLevel);
  await mkdir(config.dataDir, { recursive: true, mode: 0o700 });
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    const applied = await migrateToLatest(database.db);
    if (applied.length > 0) logger.info({ applied }, 'database migrated');
    const services = buildServices(config, database.db, await loadSecretKey(config.secretKey, config.dataDir), await readVersion());
    let demoAccounts: DemoAccount[] = [];
    if (config.demo) {
      demoAccounts = await ensureDemoAccounts(database.db, services.audit, config.dataDir);
      const studies = await generateDemoStudies({ folder: path.join(config.dataDir, 'pacs'), seed: config.demoSeed });
      logger.info({ studies: studies.length }, 'demo studies ready in the folder PACS');
    }
    const app = await buildApp(services, logger);
    await app.listen({ host: config.host, port: config.port });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
    await services.audit.append({ action: 'system.started', actorName: 'system', details: { version: services.version, database: database.kind } });
    logger.info({ url, database: database.description }, 'hub ready');
    return {
      url,
      app,
      database,
      services,
      demoAccounts,
      close: async () => {
        await app.close();
        await database.close();
      },
    };
  } catch (error) {
    await database.close().catch(() => undefined);
    throw error;
  }
}
