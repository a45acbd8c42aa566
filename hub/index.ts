import { sweepDeliveredTeleFiles } from './delivery/markTeleFileDelivered.js';
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
import { ensureDemoOrganisation } from './organisation/demoSetup.js';
import { createPacsAdapter } from './pacs/createPacsAdapter.js';
import type { PacsAdapter } from './pacs/pacsAdapter.js';
import { IngestService } from './ingest/ingestService.js';
import { LiveFeed } from './teleFiles/liveFeed.js';
import { TemplateStore } from './reports/templateStore.js';

export interface RunningHub {
  url: string;
  app: FastifyInstance;
  database: Database;
  services: Services;
  demoAccounts: DemoAccount[];
  pacs: PacsAdapter;
  ingest: IngestService;
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
    const services = buildServices(config, database.db, await loadSecretKey(config.secretKey, config.dataDir), await readVersion(), logger);
    // Report templates are product content: seeded on a new database, with or without the demo.
    const seededTemplates = await new TemplateStore(database.db).seedDefaults();
    if (seededTemplates > 0) logger.info({ templates: seededTemplates }, 'default report templates added');
    let demoAccounts: DemoAccount[] = [];
    if (config.demo) {
      demoAccounts = await ensureDemoAccounts(database.db, services.audit, config.dataDir);
      await ensureDemoOrganisation(database.db, services.organisation, services.roster, demoAccounts);
      if (!config.pacsUrl) {
        const studies = await generateDemoStudies({ folder: path.join(config.dataDir, 'pacs'), seed: config.demoSeed });
        logger.info({ studies: studies.length }, 'demo studies ready in the folder PACS');
      }
    }
    const pacs = config.pacsUrl
      ? createPacsAdapter({ kind: 'dicomweb', url: config.pacsUrl, username: config.pacsUsername, password: config.pacsPassword, logger })
      : createPacsAdapter({ kind: 'folder', folder: path.join(config.dataDir, 'pacs'), stabilityDelayMs: config.folderStability, logger });
    services.pacs = pacs;
    const liveFeed = new LiveFeed(services.teleFiles, services.worklist, (error) => logger.error({ err: error }, 'live feed poll failed'));
    await liveFeed.start();
    services.liveFeed = liveFeed;
    const ingest = new IngestService(database.db, pacs, services.teleFiles, services.organisation, services.roster, logger, {
      pollMs: config.pacsPoll,
      reconcileWindowMs: config.reconcileWindow,
      onReadable: (studyUid) => services.studyMetadata.warm(studyUid),
    });
    services.pacsStatus = () => ingest.status;
    const overflowTimer = setInterval(() => {
      void (async () => {
        const active = await services.organisation.active();
        const names = new Map((active?.organisation.sites ?? []).map((s) => [s.id, s.name] as const));
        await services.teleFiles.overflowDue(new Date(), (id) => names.get(id) ?? id);
        await sweepDeliveredTeleFiles(database.db, services.teleFiles);
      })().catch((error: unknown) => logger.error({ err: error }, 'overflow or delivered sweep failed'));
    }, 30_000);
    overflowTimer.unref();
    const app = await buildApp(services, logger);
    await app.listen({ host: config.host, port: config.port });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
    await services.audit.append({ action: 'system.started', actorName: 'system', details: { version: services.version, database: database.kind } });
    // Ingest starts after listening: start-up reconciliation must not delay the sign-in page.
    void ingest.start();
    // Delivery too: reports signed before a restart go out once the hub is up.
    services.delivery.start();
    logger.info({ url, database: database.description }, 'hub ready');
    return {
      url,
      app,
      database,
      services,
      demoAccounts,
      pacs,
      ingest,
      close: async () => {
        clearInterval(overflowTimer);
        await ingest.stop();
        await services.delivery.stop();
        await liveFeed.stop();
        await app.close();
        await pacs.close();
        await database.close();
      },
    };
  } catch (error) {
    await database.close().catch(() => undefined);
    throw error;
  }
}
