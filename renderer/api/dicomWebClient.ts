import { ReadingApiError } from '../../core/readingApi.js';
import { errorFromResponse } from './httpReadingApi.js';

const TIMEOUT_MS = 30_000;

/**
 * The viewer's metadata requests to the hub's DICOMweb proxy. Unlike the
 * JSON API, these use the browser's HTTP cache: the hub answers with an ETag,
 * so a study opened again costs one 304.
 */
export async function fetchStudyMetadata(studyInstanceUid: string, signal?: AbortSignal, onHeaders?: (headers: Headers) => void): Promise<unknown[]> {
  const url = `/dicom-web/studies/${encodeURIComponent(studyInstanceUid)}/metadata`;
  let response: Response;
  try {
    response = await fetch(url, {
      headers: { Accept: 'application/dicom+json' },
      credentials: 'same-origin',
      cache: 'no-cache',
      signal: signal ? AbortSignal.any([signal, AbortSignal.timeout(TIMEOUT_MS)]) : AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (cause) {
    if (signal?.aborted) throw cause;
    throw new ReadingApiError(0, { code: 'service-unavailable', message: `The hub is not responding (${(cause as Error).message}).`, requestId: '' });
  }
  onHeaders?.(response.headers);
  const text = await response.text().catch(() => '');
  if (!response.ok) throw errorFromResponse(response, text);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = null;
  }
  if (!Array.isArray(parsed)) {
    throw new ReadingApiError(response.status, { code: 'internal-error', message: 'The study metadata from the hub is not a DICOM JSON array.', requestId: response.headers.get('x-request-id') ?? '' });
  }
  return parsed;
}
