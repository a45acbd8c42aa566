import type { WebContents } from 'electron';
import { isSameOrigin } from './origin.js';

/**
 * Permissions a page of ours may be granted. None is needed yet; adding one
 * here is a deliberate, reviewable act.
 */
export const ALLOWED_PERMISSIONS: ReadonlySet<string> = new Set<string>([]);

export interface CommonWindowEventOptions {
  /** shell.openExternal, injected so the policy can be tested without Electron. */
  openExternal(url: string): Promise<void> | void;
  /** The hub's origin: the only one our windows may show. */
  allowedOrigin: string;
}

type WindowWebContents = Pick<WebContents, 'on' | 'setWindowOpenHandler' | 'session'>;

/**
 * The one place where a window's navigation and permission policy lives
 * (Electron security checklist #5, #13, #14, #15; Signal's
 * handleCommonWindowEvents). Call it for every webContents we create.
 */
export function handleCommonWindowEvents(webContents: WindowWebContents, options: CommonWindowEventOptions): void {
  const { openExternal, allowedOrigin } = options;

  // A new window would escape this policy; links meant for the outside world open
  // in the system browser, and only over https: (file:, smb:, custom schemes can run code).
  webContents.setWindowOpenHandler(({ url }) => {
    if (isHttpsUrl(url)) void Promise.resolve(openExternal(url)).catch(() => undefined);
    return { action: 'deny' };
  });

  const keepOnAllowedOrigin = (event: { url: string; preventDefault(): void }): void => {
    if (!isSameOrigin(event.url, allowedOrigin)) event.preventDefault();
  };
  webContents.on('will-navigate', keepOnAllowedOrigin);
  webContents.on('will-frame-navigate', keepOnAllowedOrigin);
  // A same-origin request redirected elsewhere would otherwise slip past will-navigate.
  webContents.on('will-redirect', keepOnAllowedOrigin);

  // <webview> is disabled in secureWebPreferences; refuse it here too in case a window is opened without them.
  webContents.on('will-attach-webview', (event) => event.preventDefault());

  const { session } = webContents;
  session.setPermissionRequestHandler((_contents, permission, callback) => {
    callback(ALLOWED_PERMISSIONS.has(permission));
  });
  session.setPermissionCheckHandler((_contents, permission) => ALLOWED_PERMISSIONS.has(permission));
}

function isHttpsUrl(url: string): boolean {
  try {
    return new URL(url).protocol === 'https:';
  } catch {
    return false;
  }
}
