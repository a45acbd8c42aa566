import type { Session } from 'electron';
import { describe, expect, it } from 'vitest';
import {
  contentSecurityPolicy,
  installContentSecurityPolicy,
} from '../../electron/main/contentSecurityPolicy.js';

function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy.split(';').map((part) => {
      const [name = '', ...sources] = part.trim().split(/\s+/);
      return [name, sources];
    }),
  );
}

describe('contentSecurityPolicy', () => {
  const policy = directives(contentSecurityPolicy('http://127.0.0.1:4173/some/path'));

  it('allows only our own origin by default, and no plugins, frames or foreign forms', () => {
    expect(policy.get('default-src')).toEqual(["'self'"]);
    expect(policy.get('object-src')).toEqual(["'none'"]);
    expect(policy.get('frame-src')).toEqual(["'none'"]);
    expect(policy.get('frame-ancestors')).toEqual(["'none'"]);
    expect(policy.get('base-uri')).toEqual(["'none'"]);
    expect(policy.get('form-action')).toEqual(["'none'"]);
  });

  it('lets scripts compile WebAssembly codecs but never eval JavaScript or run inline scripts', () => {
    expect(policy.get('script-src')).toEqual(["'self'", "'wasm-unsafe-eval'"]);
    for (const sources of policy.values()) {
      expect(sources).not.toContain("'unsafe-eval'");
      expect(sources).not.toContain("'unsafe-inline'");
      expect(sources).not.toContain('*');
    }
  });

  it('allows blob: workers, data:/blob: images, and connections to the hub origin only', () => {
    expect(policy.get('worker-src')).toEqual(["'self'", 'blob:']);
    expect(policy.get('img-src')).toEqual(["'self'", 'data:', 'blob:']);
    expect(policy.get('connect-src')).toEqual(["'self'", 'http://127.0.0.1:4173']);
  });

  it('refuses a hub origin that is not http(s)', () => {
    expect(() => contentSecurityPolicy('file:///tmp/index.html')).toThrow(/http\(s\)/);
  });
});

describe('installContentSecurityPolicy', () => {
  it("replaces the server's policy, whatever its case, and keeps the other headers", () => {
    let listener: ((details: unknown, callback: (response: unknown) => void) => void) | undefined;
    const session = {
      webRequest: {
        onHeadersReceived(registered: typeof listener) {
          listener = registered;
        },
      },
    };
    installContentSecurityPolicy(session as unknown as Session, 'https://vigie.chu-exemple.fr');

    let answer: { responseHeaders?: Record<string, string[]> } | undefined;
    listener?.(
      {
        url: 'https://vigie.chu-exemple.fr/',
        responseHeaders: {
          'content-security-policy': ["default-src * 'unsafe-inline'"],
          'Content-Type': ['text/html'],
        },
      },
      (response) => (answer = response as typeof answer),
    );
    expect(answer?.responseHeaders).toEqual({
      'Content-Type': ['text/html'],
      'Content-Security-Policy': [contentSecurityPolicy('https://vigie.chu-exemple.fr')],
    });
  });
});
