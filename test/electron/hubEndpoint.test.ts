import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDesktopSettings } from '../../electron/main/desktopSettings.js';
import { startEmbeddedHub } from '../../electron/main/embeddedHub.js';
import { resolveHubEndpoint } from '../../electron/main/hubEndpoint.js';

describe('resolveHubEndpoint', () => {
  it('prefers VIGIE_HUB_URL over the settings file', () => {
    const result = resolveHubEndpoint({
      env: { VIGIE_HUB_URL: 'https://vigie.chu-exemple.fr/' },
      settings: { hubUrl: 'https://other.example/' },
    });
    expect(result).toMatchObject({ ok: true, value: { kind: 'remote', source: 'VIGIE_HUB_URL' } });
    expect(result.ok && result.value.kind === 'remote' && result.value.url.href).toBe('https://vigie.chu-exemple.fr/');
  });

  it('falls back to the settings file, then to the embedded hub', () => {
    expect(resolveHubEndpoint({ env: { VIGIE_HUB_URL: ' ' }, settings: { hubUrl: 'https://pivot.example/vigie/' } })).toMatchObject({
      ok: true,
      value: { kind: 'remote', source: 'settings' },
    });
    expect(resolveHubEndpoint({ env: {}, settings: null })).toEqual({ ok: true, value: { kind: 'embedded' } });
  });

  it('allows plain http only to this machine, where the bearer token cannot be read on the network', () => {
    expect(resolveHubEndpoint({ env: { VIGIE_HUB_URL: 'http://127.0.0.1:8080/' } }).ok).toBe(true);
    expect(resolveHubEndpoint({ env: { VIGIE_HUB_URL: 'http://localhost:8080/' } }).ok).toBe(true);
    expect(resolveHubEndpoint({ env: { VIGIE_HUB_URL: 'http://[::1]:8080/' } }).ok).toBe(true);
    expect(resolveHubEndpoint({ env: { VIGIE_HUB_URL: 'http://pivot.chu.local/' } })).toMatchObject({
      ok: false,
      error: expect.stringContaining('use https://'),
    });
  });

  it('explains what is wrong with a URL it cannot use', () => {
    for (const bad of ['vigie.example', 'ftp://vigie.example/', 'https://admin:pw@vigie.example/']) {
      expect(resolveHubEndpoint({ env: { VIGIE_HUB_URL: bad } })).toMatchObject({
        ok: false,
        error: expect.stringContaining('VIGIE_HUB_URL'),
      });
    }
  });
});

describe('startEmbeddedHub', () => {
  it('configures the hub on loopback, port 0 and our data directory, starts it, and closes it', async () => {
    let closed = false;
    let configured: unknown;
    const hub = await startEmbeddedHub(
      () =>
        Promise.resolve({
          loadConfig: (env: Record<string, string | undefined>, cwd: string) => ({ env, cwd }),
          startHub: (config: unknown) => {
            configured = config;
            return Promise.resolve({ url: 'http://127.0.0.1:41234', close: () => Promise.resolve(void (closed = true)) });
          },
        }),
      { env: { VIGIE_HOST: '0.0.0.0', VIGIE_PORT: '8470', VIGIE_DEMO: 'false' }, dataDir: '/profile/hub' },
    );
    expect(configured).toEqual({
      env: { VIGIE_HOST: '127.0.0.1', VIGIE_PORT: '0', VIGIE_DEMO: 'false', VIGIE_DATA: '/profile/hub' },
      cwd: '/profile/hub',
    });
    expect(hub.url).toBe('http://127.0.0.1:41234');
    await hub.close();
    expect(closed).toBe(true);
  });

  it('says what the entry point lacks', async () => {
    const options = { env: {}, dataDir: '/profile/hub' };
    const loadConfig = () => ({});
    await expect(startEmbeddedHub(() => Promise.resolve({ loadConfig }), options)).rejects.toThrow(/does not export a startHub function/);
    await expect(startEmbeddedHub(() => Promise.resolve({ startHub: () => Promise.resolve() }), options)).rejects.toThrow(
      /does not export loadConfig/,
    );
    await expect(
      startEmbeddedHub(() => Promise.resolve({ loadConfig, startHub: () => Promise.resolve({ port: 1 }) }), options),
    ).rejects.toThrow(/must resolve to \{ url: string, close\(\): Promise<void> \}/);
  });
});

describe('loadDesktopSettings', () => {
  it('reads the hub URL, treats a missing file as no settings, and names what is wrong in a bad one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vigie-settings-'));
    try {
      const file = join(dir, 'settings.json');
      expect(await loadDesktopSettings(file)).toEqual({ ok: true, value: {} });
      await writeFile(file, JSON.stringify({ hubUrl: 'https://vigie.chu-exemple.fr/' }));
      expect(await loadDesktopSettings(file)).toEqual({ ok: true, value: { hubUrl: 'https://vigie.chu-exemple.fr/' } });
      await writeFile(file, '{ hubUrl: nope');
      expect(await loadDesktopSettings(file)).toMatchObject({ ok: false, error: expect.stringContaining('not valid JSON') });
      await writeFile(file, JSON.stringify({ hubUrl: 42 }));
      expect(await loadDesktopSettings(file)).toMatchObject({ ok: false, error: expect.stringContaining('hubUrl:') });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
