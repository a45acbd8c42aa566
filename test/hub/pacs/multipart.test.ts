import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { buildMultipartRelated, parseContentType, parseMultipartRelated, peekFirstPartHeaders, readAll } from '../../../hub/pacs/multipart.js';

describe('multipart/related', () => {
  it('parses content types with quoted parameters (as Orthanc sends them)', () => {
    const header = 'multipart/related; type="application/octet-stream; transfer-syntax=1.2.840.10008.1.2.1"; boundary=abc-123';
    expect(parseContentType(header)).toEqual({
      mediaType: 'multipart/related',
      params: { type: 'application/octet-stream; transfer-syntax=1.2.840.10008.1.2.1', boundary: 'abc-123' },
    });
  });

  it('round-trips parts, binary bodies included', () => {
    const a = Buffer.from([0xff, 0x4f, 0x0d, 0x0a, 0x2d, 0x2d, 0x00]);
    const b = Buffer.alloc(1000, 7);
    const built = buildMultipartRelated(
      [
        { contentType: 'image/jp2; transfer-syntax=1.2.840.10008.1.2.4.90', body: a },
        { contentType: 'image/jp2; transfer-syntax=1.2.840.10008.1.2.4.90', body: b },
      ],
      'image/jp2',
      '1.2.840.10008.1.2.4.90',
    );
    expect(built.contentType).toMatch(/^multipart\/related; type="image\/jp2; transfer-syntax=1\.2\.840\.10008\.1\.2\.4\.90"; boundary=vigie-/);
    const parts = parseMultipartRelated(built.contentType, built.body);
    expect(parts.map((p) => p.headers['content-type'])).toEqual(['image/jp2; transfer-syntax=1.2.840.10008.1.2.4.90', 'image/jp2; transfer-syntax=1.2.840.10008.1.2.4.90']);
    expect(parts[0]?.body).toEqual(a);
    expect(parts[1]?.body).toEqual(b);
  });

  it('refuses a truncated answer', () => {
    const built = buildMultipartRelated([{ contentType: 'application/octet-stream', body: Buffer.alloc(10) }], 'application/octet-stream');
    expect(() => parseMultipartRelated(built.contentType, built.body.subarray(0, built.body.length - 20))).toThrow(/truncated/);
    expect(() => parseMultipartRelated('application/json', built.body)).toThrow(/multipart/);
  });

  it('peeks at the first part header of a stream and replays everything', async () => {
    const built = buildMultipartRelated([{ contentType: 'image/dicom-rle; transfer-syntax=1.2.840.10008.1.2.5', body: Buffer.alloc(100_000, 3) }], 'image/dicom-rle');
    const boundary = parseContentType(built.contentType).params['boundary'] as string;
    const chunks = Array.from({ length: Math.ceil(built.body.length / 7) }, (_, i) => built.body.subarray(i * 7, i * 7 + 7));
    const source = Readable.toWeb(Readable.from(chunks)) as ReadableStream<Uint8Array>;
    const { headers, body } = await peekFirstPartHeaders(source, boundary);
    expect(headers['content-type']).toBe('image/dicom-rle; transfer-syntax=1.2.840.10008.1.2.5');
    expect(Buffer.compare(await readAll(body), built.body)).toBe(0);
  });
});
