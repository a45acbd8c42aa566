import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { codableSyntax, encodedFrame, encodeFrameStream, frameCoding } from '../../../hub/dicomweb/frameEncoding.js';
import { acceptsCoding } from '../../../hub/dicomweb/responses.js';

const EXPLICIT_LE = '1.2.840.10008.1.2.1';

/** A CT-like frame: a block of air (-1000 HU stored as 0x0018) around noisy tissue. */
function ctLikeFrame(): Buffer {
  const frame = Buffer.alloc(512 * 512 * 2);
  for (let i = 0; i < 512 * 512; i++) frame.writeUInt16LE(i % 512 > 128 && i % 512 < 384 ? 1000 + (i * 7919) % 97 : 24, i * 2);
  return frame;
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe('frame content coding', () => {
  it('codes native pixels only: implicit, explicit and big-endian syntaxes, never JPEG, JPEG 2000, RLE or deflate', () => {
    for (const uid of ['1.2.840.10008.1.2', EXPLICIT_LE, '1.2.840.10008.1.2.2']) expect(codableSyntax(uid)).toBe(true);
    for (const uid of ['1.2.840.10008.1.2.4.50', '1.2.840.10008.1.2.4.70', '1.2.840.10008.1.2.4.80', '1.2.840.10008.1.2.4.90', '1.2.840.10008.1.2.4.201', '1.2.840.10008.1.2.5', '1.2.840.10008.1.2.1.99', '']) {
      expect(codableSyntax(uid)).toBe(false);
      expect(frameCoding('gzip, br', uid)).toBeNull();
    }
  });

  it('prefers br, then gzip, as the client accepts them; none when refused or not offered', () => {
    expect(frameCoding('gzip, deflate, br, zstd', EXPLICIT_LE)).toBe('br');
    expect(frameCoding('gzip, deflate', EXPLICIT_LE)).toBe('gzip');
    expect(frameCoding('br;q=0, gzip', EXPLICIT_LE)).toBe('gzip');
    expect(frameCoding('gzip;q=0', EXPLICIT_LE)).toBeNull();
    expect(frameCoding('identity', EXPLICIT_LE)).toBeNull();
    expect(frameCoding(undefined, EXPLICIT_LE)).toBeNull();
    expect(frameCoding('*', EXPLICIT_LE)).toBe('br');
    expect(frameCoding('*, br;q=0', EXPLICIT_LE)).toBe('gzip');
  });

  it('reads Accept-Encoding as RFC 9110 says: named codings with q, x-gzip, the wildcard', () => {
    expect(acceptsCoding('x-gzip', 'gzip')).toBe(true);
    expect(acceptsCoding('GZIP;Q=0.5', 'gzip')).toBe(true);
    expect(acceptsCoding('gzip;q=0, *', 'gzip')).toBe(false);
    expect(acceptsCoding('deflate', 'br')).toBe(false);
  });

  it('streams a frame coded, which decodes to the very bytes, in well under half the size for CT-like pixels', async () => {
    const frame = ctLikeFrame();
    const gz = await readAll(encodeFrameStream(Readable.from([frame.subarray(0, 1000), frame.subarray(1000)]), 'gzip'));
    expect(Buffer.compare(gunzipSync(gz), frame)).toBe(0);
    expect(gz.length).toBeLessThan(frame.length / 2);
    const br = await readAll(encodeFrameStream(Readable.from([frame]), 'br'));
    expect(Buffer.compare(brotliDecompressSync(br), frame)).toBe(0);
  });

  it('cuts the coded stream when the PACS fails mid-frame, and cancels the PACS transfer when the client goes', async () => {
    const failing = new Readable({
      read() {
        this.push(randomBytes(1024));
        this.destroy(new Error('the PACS closed the connection'));
      },
    });
    await expect(readAll(encodeFrameStream(failing, 'gzip'))).rejects.toThrow();
    const source = new Readable({ read() {} });
    const coded = encodeFrameStream(source, 'gzip');
    coded.destroy();
    await new Promise((resolve) => setImmediate(resolve));
    expect(source.destroyed).toBe(true);
  });

  it('codes a kept frame once per coding', async () => {
    const frame = ctLikeFrame();
    const first = encodedFrame(frame, 'gzip');
    expect(encodedFrame(frame, 'gzip')).toBe(first);
    expect(encodedFrame(frame, 'br')).not.toBe(first);
    expect(Buffer.compare(gunzipSync(await first), frame)).toBe(0);
    expect(Buffer.compare(brotliDecompressSync(await encodedFrame(frame, 'br')), frame)).toBe(0);
  });
});
