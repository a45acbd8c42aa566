import type { Session } from 'electron';
import { originOf } from './origin.js';

/**
 * The renderer's Content-Security-Policy (Electron security checklist #7).
 * Everything comes from the hub, which serves the renderer, so 'self' is the
 * hub. Exceptions, each for one reason:
 * - 'wasm-unsafe-eval': the image codecs (JPEG 2000, JPEG-LS, HTJ2K) are WebAssembly;
 *   it allows compiling wasm and nothing else (no eval of JavaScript).
 * - worker-src blob:: the DICOM image loader starts its decode workers from blob URLs.
 * - img-src data: blob:: the enrolment QR code is a data: URL; rendered frames are blobs.
 */
export function contentSecurityPolicy(hubOrigin: string): string {
  const origin = originOf(hubOrigin);
  if (origin === null) throw new Error(`The hub origin must be an http(s) URL, got "${hubOrigin}".`);
  const directives: Record<string, string[]> = {
    'default-src': ["'self'"],
    'script-src': ["'self'", "'wasm-unsafe-eval'"],
    'style-src': ["'self'"],
    'img-src': ["'self'", 'data:', 'blob:'],
    'font-src': ["'self'"],
    'worker-src': ["'self'", 'blob:'],
    'connect-src': ["'self'", origin],
    'media-src': ["'self'"],
    'object-src': ["'none'"],
    'frame-src': ["'none'"],
    'child-src': ["'none'"],
    'frame-ancestors': ["'none'"],
    'form-action': ["'none'"],
    'base-uri': ["'none'"],
  };
  return Object.entries(directives)
    .map(([name, sources]) => `${name} ${sources.join(' ')}`)
    .join('; ');
}

/**
 * Sets our policy on every response the session receives, replacing any policy
 * the server sent: a second policy would be combined with ours (both must pass),
 * and the hub's web-client policy is written for browsers, not for this shell.
 */
export function installContentSecurityPolicy(session: Pick<Session, 'webRequest'>, hubOrigin: string): void {
  const policy = contentSecurityPolicy(hubOrigin);
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: withContentSecurityPolicy(details.responseHeaders, policy) });
  });
}

export function withContentSecurityPolicy(
  headers: Record<string, string[]> | undefined,
  policy: string,
): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  for (const [name, values] of Object.entries(headers ?? {})) {
    // Header names arrive in whatever case the server wrote them.
    if (name.toLowerCase() === 'content-security-policy') continue;
    result[name] = values;
  }
  result['Content-Security-Policy'] = [policy];
  return result;
}
