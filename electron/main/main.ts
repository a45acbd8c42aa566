import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, safeStorage, session, shell } from 'electron';
import { installContentSecurityPolicy } from './contentSecurityPolicy.js';
import { loadDesktopSettings } from './desktopSettings.js';
import { startEmbeddedHub, type EmbeddedHub } from './embeddedHub.js';
import { createHubClient } from './hubClient.js';
import { resolveHubEndpoint } from './hubEndpoint.js';
import { registerReadingApiHandlers } from './ipcHandlers.js';
import { secureWebPreferences } from './secureWebPreferences.js';
import { createTokenStore, type TokenStore } from './tokenStore.js';
import { installDicomWebAuthorization } from './dicomWebAuthorization.js';
import { createTrustedSenderCheck } from './trustedSender.js';
import { handleCommonWindowEvents } from './windowEvents.js';

// The only main-process module that imports 'electron' at run time: everything it wires takes
// Electron objects as parameters so that it can be unit-tested without the binary.

const here = dirname(fileURLToPath(import.meta.url));
// A sandboxed preload cannot import modules: the build bundles preload.ts and its imports into this one CommonJS file.
const PRELOAD_PATH = join(here, '../preload/preload.cjs');

let mainWindow: BrowserWindow | null = null;
let embeddedHub: EmbeddedHub | null = null;

// Every renderer sandboxed, whatever options a future window is created with.
app.enableSandbox();

if (app.requestSingleInstanceLock()) {
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('window-all-closed', () => app.quit());
  app.on('before-quit', (event) => {
    if (!embeddedHub) return;
    // Let the embedded hub finish its requests and close its database before the process ends.
    event.preventDefault();
    const hub = embeddedHub;
    embeddedHub = null;
    void hub.close().finally(() => app.quit());
  });
  start().catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));
} else {
  // Two instances would share the token file and, with the embedded hub, its database.
  app.quit();
}

async function start(): Promise<void> {
  await app.whenReady();
  const userData = app.getPath('userData');

  const settings = await loadDesktopSettings(join(userData, 'settings.json'));
  if (!settings.ok) return fail(settings.error);
  const endpoint = resolveHubEndpoint({ env: process.env, settings: settings.value });
  if (!endpoint.ok) return fail(endpoint.error);

  let hubUrl: URL;
  if (endpoint.value.kind === 'remote') {
    hubUrl = endpoint.value.url;
  } else {
    // Loaded only when needed: a workstation on a remote hub never loads the hub's code (PGlite, Fastify).
    embeddedHub = await startEmbeddedHub(() => import('../../hub/index.js'), { env: process.env, dataDir: join(userData, 'hub') });
    hubUrl = new URL(embeddedHub.url);
  }
  const hubOrigin = hubUrl.origin;

  installContentSecurityPolicy(session.defaultSession, hubOrigin);
  // Every webContents, including any opened later, gets the same navigation and permission policy.
  app.on('web-contents-created', (_event, contents) => {
    handleCommonWindowEvents(contents, { openExternal: (url) => shell.openExternal(url), allowedOrigin: hubOrigin });
  });

  const hubClient = createHubClient({
    hubUrl,
    tokenStore: reportingWhyNotPersisted(createTokenStore({ safeStorage, filePath: join(userData, 'session-token.bin') })),
  });
  installDicomWebAuthorization(session.defaultSession.webRequest, hubUrl, () => hubClient.sessionToken());
  registerReadingApiHandlers(ipcMain, {
    hubClient,
    isTrustedSender: createTrustedSenderCheck(hubOrigin),
    log: (message, details) => console.warn(message, details),
  });

  mainWindow = createMainWindow(hubUrl);
  mainWindow.on('closed', () => {
    mainWindow = null;
  });
}

function createMainWindow(hubUrl: URL): BrowserWindow {
  const window = new BrowserWindow({
    title: 'Vigie',
    width: 1440,
    height: 900,
    minWidth: 1024,
    minHeight: 700,
    show: false,
    // Reading rooms are dark; a white flash before the first paint is a glare.
    backgroundColor: '#000000',
    webPreferences: secureWebPreferences({ preload: PRELOAD_PATH }),
  });
  window.once('ready-to-show', () => window.show());
  // The hub serves the renderer (the same web client pivot workstations use); the preload gives it window.vigie.
  window.loadURL(hubUrl.href).catch((error: unknown) => {
    fail(`The hub at ${hubUrl.origin} did not serve Vigie (${error instanceof Error ? error.message : String(error)}).`);
  });
  return window;
}

function reportingWhyNotPersisted(store: TokenStore): TokenStore {
  let reported = false;
  return {
    load: () => store.load(),
    save: async (token) => {
      const persistence = await store.save(token);
      if (token !== null && !persistence.persisted && !reported) {
        reported = true;
        console.warn(persistence.reason);
      }
      return persistence;
    },
  };
}

function fail(message: string): void {
  dialog.showErrorBox('Vigie cannot start', message);
  const hub = embeddedHub;
  embeddedHub = null;
  void (hub ? hub.close().catch(() => undefined) : Promise.resolve()).finally(() => app.exit(1));
}
