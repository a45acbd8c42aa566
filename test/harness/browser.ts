/**
 * Debian's Chromium driven by playwright-core (never `npx playwright install`).
 * Each launch gets a fresh profile in a temp dir, removed on close().
 */
import { existsSync } from 'node:fs';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { makeTempDir, removeTempDir } from './tempDir.js';

export const CHROMIUM_PATH = process.env.VIGIE_CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface LaunchChromiumOptions {
  /** No GPU and no SwiftShader WebGL: exercises the CPU rendering fallback. */
  cpuOnly?: boolean;
  /** e.g. 'fr-FR'. */
  locale?: string;
  /** e.g. 'Europe/Paris'. */
  timezoneId?: string;
  viewport?: { width: number; height: number };
  extraArgs?: string[];
  /** Default 30 000 ms. */
  launchTimeoutMs?: number;
}

export interface LaunchedChromium {
  context: BrowserContext;
  /** The context's first page. */
  page: Page;
  /** `console.error` messages from every page of the context, in order. */
  consoleErrors: string[];
  /** Uncaught exceptions from every page of the context, in order. */
  pageErrors: string[];
  /** The fresh profile dir (removed on close). */
  userDataDir: string;
  /** Closes the browser and removes its profile dir. Idempotent. */
  close(): Promise<void>;
}

export async function launchChromium(options: LaunchChromiumOptions = {}): Promise<LaunchedChromium> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}; install chromium (npm run test:setup) or set VIGIE_CHROMIUM_PATH`);
  }
  const userDataDir = await makeTempDir('chromium');
  const args = [
    ...CHROMIUM_ARGS,
    ...(options.cpuOnly === true ? ['--disable-gpu', '--disable-software-rasterizer'] : []),
    ...(options.extraArgs ?? []),
  ];
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args,
      timeout: options.launchTimeoutMs ?? 30_000,
      ...(options.locale === undefined ? {} : { locale: options.locale }),
      ...(options.timezoneId === undefined ? {} : { timezoneId: options.timezoneId }),
      ...(options.viewport === undefined ? {} : { viewport: options.viewport }),
    });
  } catch (err) {
    await removeTempDir(userDataDir);
    throw new Error(`Chromium (${CHROMIUM_PATH}) did not start: ${(err as Error).message}`, { cause: err });
  }

  const consoleErrors: string[] = [];
  const pageErrors: string[] = [];
  const watch = (page: Page): void => {
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => {
      pageErrors.push(error.stack ?? error.message);
    });
  };
  context.pages().forEach(watch);
  context.on('page', watch);

  let page: Page;
  try {
    page = context.pages()[0] ?? (await context.newPage());
  } catch (err) {
    await context.close().catch(() => undefined);
    await removeTempDir(userDataDir);
    throw err;
  }

  let closing: Promise<void> | undefined;
  return {
    context,
    page,
    consoleErrors,
    pageErrors,
    userDataDir,
    close() {
      closing ??= (async () => {
        try {
          await context.close();
        } finally {
          await removeTempDir(userDataDir);
        }
      })();
      return closing;
    },
  };
}
