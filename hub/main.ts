import { ConfigError, loadConfig } from './config/config.js';
import { DatabaseUnavailableError } from './db/database.js';
import { startHub } from './index.js';

// Exit codes an operator's service manager can tell apart.
const EXIT_CONFIG = 2;
const EXIT_DATABASE = 3;
const EXIT_OTHER = 1;
const SHUTDOWN_GRACE_MS = 10_000;

function print(line = ''): void {
  process.stdout.write(`${line}\n`);
}

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(EXIT_CONFIG);
    }
    throw error;
  }
  let hub;
  try {
    hub = await startHub(config);
  } catch (error) {
    if (error instanceof DatabaseUnavailableError) {
      process.stderr.write(`Vigie cannot start: ${error.message}\n`);
      process.exit(EXIT_DATABASE);
    }
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') {
      process.stderr.write(`Vigie cannot start: port ${config.port} on ${config.host} is already in use. Stop the other program or set VIGIE_PORT.\n`);
      process.exit(EXIT_OTHER);
    }
    process.stderr.write(`Vigie cannot start: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(EXIT_OTHER);
  }

  print();
  print(`Vigie is ready at ${hub.url}`);
  print(`  database: ${hub.database.description}`);
  print(`  data directory: ${config.dataDir}`);
  if (hub.demoAccounts.length > 0) {
    print('  demo accounts (also in demo-accounts.json in the data directory):');
    for (const account of hub.demoAccounts) print(`    ${account.username.padEnd(14)} ${account.password}   ${account.roles.join(', ')}`);
    if (config.secondFactorRequiredRoles.length > 0) print('  At first sign-in each account enrols an authenticator app (TOTP), e.g. FreeOTP or Google Authenticator.');
  }
  print('Press Ctrl+C to stop.');

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    hub.app.log.info({ signal }, 'shutting down');
    const timer = setTimeout(() => {
      process.stderr.write('Shutdown took too long; exiting.\n');
      process.exit(EXIT_OTHER);
    }, SHUTDOWN_GRACE_MS);
    timer.unref();
    hub.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`Error while shutting down: ${String(error)}\n`);
        process.exit(EXIT_OTHER);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

await main();
