import type { WebFrameMain } from 'electron';
import { isSameOrigin, originOf } from './origin.js';

export type SenderFrame = Pick<WebFrameMain, 'url' | 'parent'>;

/**
 * An IPC message is ours only if it comes from the top frame of a page on the
 * app's origin: any other page that ended up in a window (a redirect, an
 * injected frame) must not reach the hub with the reader's session
 * (Electron security checklist #17).
 */
export function createTrustedSenderCheck(appOrigin: string): (frame: SenderFrame | null) => boolean {
  if (originOf(appOrigin) === null) throw new Error(`The app origin must be an http(s) URL, got "${appOrigin}".`);
  return (frame) => frame !== null && frame.parent === null && isSameOrigin(frame.url, appOrigin);
}
