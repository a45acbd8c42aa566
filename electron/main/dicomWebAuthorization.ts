import type { Session } from 'electron';
import { isSameOrigin, originOf } from './origin.js';

type WebRequest = Pick<Session['webRequest'], 'onBeforeSendHeaders'>;

/**
 * The viewer's image requests (Cornerstone's XHRs to /dicom-web/…) leave the
 * renderer without a session: on the desktop the token lives in main, never in
 * the page. Main adds it to those requests only — same hub origin, the
 * DICOMweb path — so a script in the page still cannot read it, and no other
 * host ever receives it.
 */
export function installDicomWebAuthorization(webRequest: WebRequest, hubUrl: URL, token: () => Promise<string | null>): void {
  const origin = originOf(hubUrl);
  if (origin === null) throw new Error(`The hub URL must be http(s), got "${hubUrl.href}".`);
  const prefix = `${origin}${hubUrl.pathname.replace(/\/$/, '')}/dicom-web/`;
  webRequest.onBeforeSendHeaders({ urls: [`${prefix}*`] }, (details, callback) => {
    // The filter already limits the URLs; checked again because a wrong pattern would leak the token.
    if (!details.url.startsWith(prefix) || !isSameOrigin(details.url, origin)) {
      callback({ requestHeaders: details.requestHeaders });
      return;
    }
    token().then(
      (value) => {
        const headers = { ...details.requestHeaders, 'X-Vigie-Client': 'desktop' };
        callback({ requestHeaders: value === null ? headers : { ...headers, Authorization: `Bearer ${value}` } });
      },
      () => callback({ requestHeaders: details.requestHeaders }),
    );
  });
}
