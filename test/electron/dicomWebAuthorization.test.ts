import { describe, expect, it } from 'vitest';
import { installDicomWebAuthorization } from '../../electron/main/dicomWebAuthorization.js';

type Listener = (details: { url: string; requestHeaders: Record<string, string> }, callback: (response: { requestHeaders: Record<string, string> }) => void) => void;

function fakeWebRequest() {
  const registered: { filter: { urls: string[] } | null; listener: Listener | null } = { filter: null, listener: null };
  const webRequest = {
    onBeforeSendHeaders(filter: { urls: string[] }, listener: Listener) {
      registered.filter = filter;
      registered.listener = listener;
    },
  };
  const send = (url: string) =>
    new Promise<Record<string, string>>((resolve) => {
      if (!registered.listener) throw new Error('no listener');
      registered.listener({ url, requestHeaders: { Accept: 'multipart/related' } }, (response) => resolve(response.requestHeaders));
    });
  return { webRequest: webRequest as never, registered, send };
}

describe('the viewer image requests on the desktop', () => {
  it('carry the session token to the hub DICOMweb routes only', async () => {
    const { webRequest, registered, send } = fakeWebRequest();
    installDicomWebAuthorization(webRequest, new URL('https://hub.example.fr/vigie/'), () => Promise.resolve('tok-123'));
    expect(registered.filter).toEqual({ urls: ['https://hub.example.fr/vigie/dicom-web/*'] });
    expect(await send('https://hub.example.fr/vigie/dicom-web/studies/1.2/metadata')).toEqual({ Accept: 'multipart/related', 'X-Vigie-Client': 'desktop', Authorization: 'Bearer tok-123' });
    // Outside the prefix or on another origin (a wrong filter): left as they were.
    expect(await send('https://hub.example.fr/vigie/api/worklist')).toEqual({ Accept: 'multipart/related' });
    expect(await send('https://evil.example/vigie/dicom-web/x')).toEqual({ Accept: 'multipart/related' });
  });

  it('adds no Authorization header before sign-in, and refuses a hub that is not http(s)', async () => {
    const { webRequest, send } = fakeWebRequest();
    installDicomWebAuthorization(webRequest, new URL('http://127.0.0.1:8080'), () => Promise.resolve(null));
    expect(await send('http://127.0.0.1:8080/dicom-web/studies')).toEqual({ Accept: 'multipart/related', 'X-Vigie-Client': 'desktop' });
    expect(() => installDicomWebAuthorization(fakeWebRequest().webRequest, new URL('file:///tmp/x'), () => Promise.resolve(null))).toThrow(/http/);
  });
});
