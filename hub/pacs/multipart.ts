import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';

/**
 * multipart/related (RFC 2387) as WADO-RS uses it: parse a PACS answer,
 * build one for frames read from disk, and peek at the first part's headers
 * of a streamed answer without buffering the rest.
 */

export interface ContentType {
  /** Lower-case, e.g. "multipart/related". */
  mediaType: string;
  /** Parameter names lower-case, values unquoted. */
  params: Record<string, string>;
}

/** Parses `type/subtype; name=value; name="quoted; value"`. */
export function parseContentType(header: string): ContentType {
  const semicolon = header.indexOf(';');
  const mediaType = (semicolon < 0 ? header : header.slice(0, semicolon)).trim().toLowerCase();
  const params: Record<string, string> = {};
  let rest = semicolon < 0 ? '' : header.slice(semicolon + 1);
  const param = /^\s*([^=;\s]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]*))\s*(?:;|$)/;
  for (;;) {
    const match = param.exec(rest);
    if (!match) break;
    const name = (match[1] as string).toLowerCase();
    params[name] = match[2] !== undefined ? match[2].replace(/\\(.)/g, '$1') : (match[3] ?? '').trim();
    rest = rest.slice(match[0].length);
  }
  return { mediaType, params };
}

export interface MultipartPart {
  /** Header names lower-case. */
  headers: Record<string, string>;
  body: Buffer;
}

function parseHeaders(block: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of block.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return headers;
}

/** Splits a whole multipart/related body into its parts. Throws an Error naming what is wrong. */
export function parseMultipartRelated(contentType: string, body: Buffer): MultipartPart[] {
  const { mediaType, params } = parseContentType(contentType);
  if (!mediaType.startsWith('multipart/')) throw new Error(`expected a multipart answer, got ${mediaType || 'no content type'}`);
  const boundary = params['boundary'];
  if (boundary === undefined || boundary === '') throw new Error('the multipart answer has no boundary');
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: MultipartPart[] = [];
  let position = body.indexOf(delimiter);
  if (position < 0) throw new Error('the multipart answer holds no part');
  for (;;) {
    position += delimiter.length;
    if (body[position] === 0x2d && body[position + 1] === 0x2d) break; // "--": closing delimiter
    // Skip transport padding and the CRLF after the delimiter.
    const lineEnd = body.indexOf('\r\n', position);
    if (lineEnd < 0) throw new Error('a multipart delimiter is not followed by a line end');
    const headerEnd = body.indexOf('\r\n\r\n', lineEnd);
    const headersStart = lineEnd + 2;
    let bodyStart: number;
    let headers: Record<string, string>;
    if (body[headersStart] === 0x0d && body[headersStart + 1] === 0x0a) {
      headers = {};
      bodyStart = headersStart + 2;
    } else {
      if (headerEnd < 0) throw new Error('a part of the multipart answer has no end of headers');
      headers = parseHeaders(body.subarray(headersStart, headerEnd).toString('latin1'));
      bodyStart = headerEnd + 4;
    }
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), bodyStart);
    if (next < 0) throw new Error('the multipart answer is truncated (no closing delimiter)');
    parts.push({ headers, body: body.subarray(bodyStart, next) });
    position = next + 2;
  }
  return parts;
}

/** One part to send. */
export interface OutgoingPart {
  contentType: string;
  body: Buffer;
}

/**
 * Builds a multipart/related body. `rootType` is the media type of the
 * parts (the `type` parameter, PS3.18 8.7.3.3); `transferSyntaxUid`, when
 * given, is repeated on the top level as Orthanc does.
 */
export function buildMultipartRelated(parts: readonly OutgoingPart[], rootType: string, transferSyntaxUid?: string): { contentType: string; body: Buffer } {
  const boundary = `vigie-${randomUUID()}`;
  const chunks: Buffer[] = [];
  for (const part of parts) {
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Type: ${part.contentType}\r\nContent-Length: ${part.body.length}\r\n\r\n`, 'latin1'));
    chunks.push(part.body);
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  const type = transferSyntaxUid === undefined ? rootType : `${rootType}; transfer-syntax=${transferSyntaxUid}`;
  return { contentType: `multipart/related; type="${type}"; boundary=${boundary}`, body: Buffer.concat(chunks) };
}

const MAX_HEADER_PEEK = 64 * 1024;

/**
 * Reads a streamed multipart body until the first part's headers are known,
 * and returns them with a stream that replays what was read and then the
 * rest. Destroying the returned stream cancels the source.
 */
export async function peekFirstPartHeaders(
  source: ReadableStream<Uint8Array>,
  boundary: string,
): Promise<{ headers: Record<string, string>; body: Readable }> {
  const reader = source.getReader();
  const buffered: Buffer[] = [];
  let size = 0;
  let headers: Record<string, string> | undefined;
  const delimiter = Buffer.from(`--${boundary}`);
  try {
    while (headers === undefined) {
      const { done, value } = await reader.read();
      if (done) break;
      buffered.push(Buffer.from(value.buffer, value.byteOffset, value.byteLength));
      size += value.byteLength;
      const head = Buffer.concat(buffered);
      const start = head.indexOf(delimiter);
      if (start >= 0) {
        const lineEnd = head.indexOf('\r\n', start);
        const headerEnd = lineEnd < 0 ? -1 : head.indexOf('\r\n\r\n', lineEnd);
        if (headerEnd >= 0) headers = parseHeaders(head.subarray(lineEnd + 2, headerEnd).toString('latin1'));
      }
      if (headers === undefined && size > MAX_HEADER_PEEK) throw new Error(`no part header within the first ${MAX_HEADER_PEEK} bytes`);
    }
  } catch (error) {
    await reader.cancel().catch(() => undefined);
    throw error;
  }
  if (headers === undefined) {
    await reader.cancel().catch(() => undefined);
    throw new Error('the multipart answer ended before its first part');
  }
  const prefix = Buffer.concat(buffered);
  async function* replay(): AsyncGenerator<Buffer> {
    try {
      yield prefix;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        yield Buffer.from(value.buffer, value.byteOffset, value.byteLength);
      }
    } finally {
      // Runs on normal end, on error and when the consumer destroys the stream.
      await reader.cancel().catch(() => undefined);
    }
  }
  return { headers, body: Readable.from(replay(), { objectMode: false }) };
}

/** Reads a whole stream into one Buffer (tests and small answers). */
export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}
