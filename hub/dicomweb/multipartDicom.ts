import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { parseContentType } from '../pacs/multipart.js';

/** What a WADO-RS retrieve of instances may answer (PS3.18 8.7.3). */
export type InstanceRendition = 'multipart' | 'bare';

/**
 * How an instance is asked for: `multipart/related; type="application/dicom"`
 * (PS3.18, what DICOMweb clients send) → multipart; `application/dicom`,
 * `*\/*` or nothing → the bare Part-10 body (what this proxy answered first,
 * kept for existing clients). Null: nothing acceptable (406).
 * A transfer-syntax parameter other than `*` is not honoured: instances are
 * sent as stored, never transcoded.
 */
export function instanceRendition(accept: string | undefined, allowBare: boolean): InstanceRendition | null {
  if (accept === undefined || accept.trim() === '') return allowBare ? 'bare' : 'multipart';
  let bare = false;
  for (const item of accept.split(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/)) {
    const { mediaType, params } = parseContentType(item);
    if (params['q'] !== undefined && Number(params['q']) === 0) continue;
    if (mediaType === 'multipart/related') {
      const type = (params['type'] ?? 'application/dicom').toLowerCase();
      if (type === 'application/dicom' || type === '*/*') return 'multipart';
    } else if (mediaType === 'application/dicom' || mediaType === '*/*' || mediaType === 'application/*') {
      bare = true;
    }
  }
  if (bare) return allowBare ? 'bare' : 'multipart';
  return null;
}

/**
 * A multipart/related; type="application/dicom" body built as instances are
 * read one after another (a whole CT series never sits in memory at once).
 */
export function multipartDicomStream(instances: AsyncIterable<Buffer>): { contentType: string; body: Readable } {
  const boundary = `vigie-${randomUUID()}`;
  async function* parts(): AsyncGenerator<Buffer> {
    for await (const bytes of instances) {
      yield Buffer.from(`--${boundary}\r\nContent-Type: application/dicom\r\nContent-Length: ${bytes.length}\r\n\r\n`, 'latin1');
      yield bytes;
      yield Buffer.from('\r\n');
    }
    yield Buffer.from(`--${boundary}--\r\n`);
  }
  return { contentType: `multipart/related; type="application/dicom"; boundary=${boundary}`, body: Readable.from(parts()) };
}
