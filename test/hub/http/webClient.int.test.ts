/**
 * The web client as the hub serves it: precompressed assets (the viewer's
 * Cornerstone3D chunk is ~4 MB raw) chosen by Accept-Encoding, immutable
 * caching for hashed assets, index.html always revalidated, and the
 * cross-origin isolation headers the decode workers need.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain .mjs build script without types
import { precompress } from '../../../build/precompress.mjs';
import { makeTempDir, removeTempDir } from '../../harness/tempDir.js';
import { startTestHub, type TestHub } from '../testHub.js';

const ASSET = `export const viewer = ${JSON.stringify('x'.repeat(50_000))};\n`;
let webRoot = '';
let hub: TestHub;

beforeAll(async () => {
  webRoot = await makeTempDir('web-root');
  await mkdir(path.join(webRoot, 'assets'));
  await writeFile(path.join(webRoot, 'index.html'), '<!doctype html><title>Vigie</title>' + ' '.repeat(2000));
  await writeFile(path.join(webRoot, 'assets/ViewerPage-abc123.js'), ASSET);
  await writeFile(path.join(webRoot, 'assets/tiny.js'), 'x');
  expect((precompress as (dir: string) => number)(webRoot)).toBe(2);
  hub = await startTestHub('pglite', { webRoot });
});

afterAll(async () => {
  await hub?.close();
  await removeTempDir(webRoot);
});

describe('the web client assets', () => {
  it('are sent brotli- or gzip-compressed as the browser accepts, and decompress to the file', async () => {
    const br = await hub.app.inject({ method: 'GET', url: '/assets/ViewerPage-abc123.js', headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(br.statusCode).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.rawPayload.length).toBeLessThan(ASSET.length / 20);
    expect(brotliDecompressSync(br.rawPayload).toString()).toBe(ASSET);
    expect(br.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(br.headers['content-type']).toMatch(/javascript/);

    const gz = await hub.app.inject({ method: 'GET', url: '/assets/ViewerPage-abc123.js', headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.rawPayload).toString()).toBe(ASSET);

    const plain = await hub.app.inject({ method: 'GET', url: '/assets/ViewerPage-abc123.js', headers: { 'accept-encoding': 'identity' } });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.payload).toBe(ASSET);
  });

  it('keep index.html revalidated and the page cross-origin isolated (SharedArrayBuffer for the decoders)', async () => {
    const index = await hub.app.inject({ method: 'GET', url: '/', headers: { 'accept-encoding': 'br' } });
    expect(index.statusCode).toBe(200);
    expect(index.headers['cache-control']).toBe('no-cache');
    expect(index.headers['cross-origin-opener-policy']).toBe('same-origin');
    expect(index.headers['cross-origin-embedder-policy']).toBe('require-corp');
    // A client-side route gets the page too.
    const route = await hub.app.inject({ method: 'GET', url: '/some/client/route' });
    expect(route.statusCode).toBe(200);
    expect(route.payload).toContain('<title>Vigie</title>');
  });
});
