import type { HandlerDetails, WebContents } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { handleCommonWindowEvents } from '../../electron/main/windowEvents.js';

const HUB = 'https://vigie.chu-exemple.fr';

type Listener = (...args: unknown[]) => unknown;

/** Just enough of a WebContents to record what the helper installs. */
function fakeWebContents() {
  const listeners = new Map<string, Listener[]>();
  let openHandler: ((details: HandlerDetails) => unknown) | undefined;
  let requestHandler: Listener | undefined;
  let checkHandler: Listener | undefined;
  const contents = {
    on(event: string, listener: Listener) {
      listeners.set(event, [...(listeners.get(event) ?? []), listener]);
      return contents;
    },
    setWindowOpenHandler(handler: (details: HandlerDetails) => unknown) {
      openHandler = handler;
    },
    session: {
      setPermissionRequestHandler(handler: Listener) {
        requestHandler = handler;
      },
      setPermissionCheckHandler(handler: Listener) {
        checkHandler = handler;
      },
    },
  };
  const openExternal = vi.fn<(url: string) => Promise<void>>(() => Promise.resolve());
  handleCommonWindowEvents(contents as unknown as WebContents, { openExternal, allowedOrigin: HUB });

  return {
    openExternal,
    windowOpen: (url: string) => openHandler?.({ url } as HandlerDetails),
    /** Emits a navigation-like event and says whether it was cancelled. */
    emit(event: string, url: string): boolean {
      const preventDefault = vi.fn();
      const handlers = listeners.get(event) ?? [];
      expect(handlers.length, `a listener for ${event}`).toBeGreaterThan(0);
      for (const handler of handlers) handler({ url, preventDefault });
      return preventDefault.mock.calls.length > 0;
    },
    requestPermission(permission: string): boolean | undefined {
      let granted: boolean | undefined;
      requestHandler?.(contents, permission, (answer: boolean) => (granted = answer), {});
      return granted;
    },
    checkPermission: (permission: string) => checkHandler?.(contents, permission, HUB, {}),
  };
}

describe('handleCommonWindowEvents', () => {
  it('denies every window.open and hands only https: links to the system browser', () => {
    const window = fakeWebContents();
    for (const url of [
      'https://www.has-sante.fr/guide.pdf',
      'http://example.org/',
      'file:///etc/passwd',
      'smb://server/share',
      'javascript:alert(1)',
      'not a url',
    ]) {
      expect(window.windowOpen(url)).toEqual({ action: 'deny' });
    }
    expect(window.openExternal.mock.calls).toEqual([['https://www.has-sante.fr/guide.pdf']]);
  });

  it("cancels navigation to another origin and lets navigation within the hub's origin through", () => {
    const window = fakeWebContents();
    expect(window.emit('will-navigate', 'https://evil.example/phish')).toBe(true);
    expect(window.emit('will-navigate', 'http://vigie.chu-exemple.fr/')).toBe(true);
    expect(window.emit('will-navigate', 'https://vigie.chu-exemple.fr:8443/')).toBe(true);
    expect(window.emit('will-navigate', 'file:///C:/Windows/')).toBe(true);
    expect(window.emit('will-navigate', `${HUB}/worklist?site=3`)).toBe(false);
    expect(window.emit('will-frame-navigate', 'https://evil.example/')).toBe(true);
  });

  it("cancels a redirect away from the hub's origin", () => {
    const window = fakeWebContents();
    expect(window.emit('will-redirect', 'https://evil.example/')).toBe(true);
    expect(window.emit('will-redirect', `${HUB}/login`)).toBe(false);
  });

  it('refuses to attach a <webview>', () => {
    const window = fakeWebContents();
    expect(window.emit('will-attach-webview', 'https://evil.example/')).toBe(true);
  });

  it('denies every permission request and check', () => {
    const window = fakeWebContents();
    for (const permission of ['media', 'geolocation', 'notifications', 'openExternal', 'clipboard-read', 'fullscreen']) {
      expect(window.requestPermission(permission), permission).toBe(false);
      expect(window.checkPermission(permission), permission).toBe(false);
    }
  });
});
