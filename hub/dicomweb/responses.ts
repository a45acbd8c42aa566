import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { HttpProblem } from '../http/httpProblem.js';
import { PacsBadRequestError, PacsError, PacsNotFoundError, PacsNotRenderableError, PacsUnavailableError } from '../pacs/pacsErrors.js';

const gzipAsync = promisify(gzip);

/** A SOP instance never changes (a new version gets a new UID): frames and instances are cached for a year. */
export const IMMUTABLE_CACHE = 'private, max-age=31536000, immutable';
/**
 * Metadata may grow (a late series makes the study stable again): kept a
 * minute, then revalidated with its ETag (a 304 costs one round trip, no body).
 */
export const METADATA_CACHE = 'private, max-age=60';
/** A series thumbnail shows its middle instance, which a late instance may change: a day, not a year. */
export const THUMBNAIL_CACHE = 'private, max-age=86400';
/** QIDO answers follow the worklist: always revalidated. */
export const SEARCH_CACHE = 'private, no-cache';

export const DICOM_JSON = 'application/dicom+json';

/** A weak ETag over the JSON text (weak: the same for its gzip and identity encodings). */
export function etagOf(json: string): string {
  return `W/"${createHash('sha256').update(json).digest('base64url').slice(0, 27)}"`;
}

/** True when If-None-Match names this ETag (or `*`), compared weakly as RFC 9110 says for GET. */
export function matchesIfNoneMatch(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  const bare = (tag: string) => tag.trim().replace(/^W\//, '');
  return header.split(',').some((tag) => tag.trim() === '*' || bare(tag) === bare(etag));
}

/** True when Accept-Encoding allows this content coding (a `q=0` refuses it; `*` stands for any not named). */
export function acceptsCoding(header: string | undefined, wanted: 'gzip' | 'br'): boolean {
  if (!header) return false;
  let wildcard = false;
  for (const item of header.toLowerCase().split(',')) {
    const [coding, ...params] = item.split(';').map((s) => s.trim());
    const q = params.find((p) => p.startsWith('q='));
    const allowed = q === undefined || Number(q.slice(2)) > 0;
    if (coding === wanted || (wanted === 'gzip' && coding === 'x-gzip')) return allowed;
    if (coding === '*') wildcard = allowed;
  }
  return wildcard;
}

/** True when Accept-Encoding allows gzip. */
export function acceptsGzip(header: string | undefined): boolean {
  return acceptsCoding(header, 'gzip');
}

export async function gzipped(json: string): Promise<Buffer> {
  return gzipAsync(Buffer.from(json, 'utf8'));
}

/**
 * The PACS layer's typed errors as answers a reader (or IT) can act on.
 * Messages name UIDs only; the PACS address stays in the hub's log.
 */
export function pacsProblem(error: unknown): HttpProblem | null {
  if (!(error instanceof PacsError)) return null;
  if (error instanceof PacsUnavailableError) {
    return new HttpProblem(503, 'service-unavailable', 'The pivot PACS is not responding (Le PACS pivot ne répond pas). Try again in a minute; if it lasts, call IT.');
  }
  if (error instanceof PacsNotFoundError) return new HttpProblem(404, 'not-found', `The pivot PACS has no ${error.what}.`);
  if (error instanceof PacsNotRenderableError) return notRenderable(error.why);
  if (error instanceof PacsBadRequestError) return new HttpProblem(400, 'bad-request', `The pivot PACS cannot answer this request: ${error.message}.`);
  // PacsRequestError (401/403/500 from the PACS), PacsResponseError (unreadable answer), PacsCursorError.
  return new HttpProblem(502, 'service-unavailable', 'The pivot PACS answered with an error or an unreadable answer. Try again; if it lasts, call IT (the hub log has the details).');
}

/**
 * No thumbnail from the hub for this image (compressed pixel data, a layout
 * the hub does not render, a PACS without a renderer): 404 with a stable
 * message start, so the viewer draws the thumbnail itself from the frames.
 */
export function notRenderable(why: string): HttpProblem {
  return new HttpProblem(404, 'not-found', `No rendered thumbnail (draw it from the frames): ${why}.`);
}
