import { toTag } from './dicomJson.js';
import { PacsBadRequestError } from './pacsErrors.js';
import type { StudyQuery } from './pacsAdapter.js';

/**
 * QIDO-RS query strings that every archive reads the same way.
 *
 * Orthanc (1.10, DICOMweb 1.7) does not percent-decode query values
 * (PITFALLS): "DEMO%5ETHOR*" matches nothing. So the characters DICOM
 * matching needs — letters, digits, `^ * ? . - _ ,` — are always sent
 * literally (the WHATWG URL parser leaves them alone, and a decoding server
 * reads them unchanged). Any other character is:
 * - `standard`: percent-encoded, as RFC 3986 wants;
 * - `orthanc`: replaced by a wildcard (`?` for one ASCII character, `*` for
 *   a run of non-ASCII ones, whose UTF-8 length Orthanc's matcher counts in
 *   bytes), which widens the match instead of breaking it.
 */
export type QueryEncoding = 'orthanc' | 'standard';

const LITERAL = /[A-Za-z0-9^*?.\-_,]/;

export function encodeQueryValue(value: string, encoding: QueryEncoding): string {
  let out = '';
  let inNonAscii = false;
  for (const char of value) {
    if (LITERAL.test(char)) {
      out += char;
      inNonAscii = false;
    } else if (encoding === 'standard') {
      out += encodeURIComponent(char);
    } else if (char.charCodeAt(0) > 0x7e) {
      if (!inNonAscii) out += '*';
      inNonAscii = true;
    } else {
      out += '?';
      inNonAscii = false;
    }
  }
  return out;
}

function keyOf(key: string): string {
  const tag = toTag(key);
  if (tag === undefined) {
    throw new PacsBadRequestError(
      `"${key.slice(0, 64)}" is not a DICOM attribute (give a keyword such as PatientID or a tag such as 00100020)`,
      `« ${key.slice(0, 64)} » n’est pas un attribut DICOM (donner un mot-clé comme PatientID ou une balise comme 00100020)`,
    );
  }
  return tag;
}

function checkCount(name: string, value: number | undefined): void {
  if (value !== undefined && (!Number.isSafeInteger(value) || value < 0)) {
    throw new PacsBadRequestError(`${name} must be a non-negative integer`, `${name} doit être un entier positif ou nul`);
  }
}

/** The query string (without "?") for a StudyQuery; '' when there is nothing to send. */
export function buildQidoQueryString(query: StudyQuery, encoding: QueryEncoding): string {
  const pairs: string[] = [];
  for (const [key, value] of Object.entries(query.match ?? {})) {
    pairs.push(`${keyOf(key)}=${encodeQueryValue(value, encoding)}`);
  }
  const fields = query.includefield ?? [];
  if (fields.length > 0) {
    const tags = fields.map((field) => (field === 'all' ? 'all' : keyOf(field)));
    pairs.push(`includefield=${tags.join(',')}`);
  }
  checkCount('limit', query.limit);
  checkCount('offset', query.offset);
  if (query.limit !== undefined) pairs.push(`limit=${query.limit}`);
  if (query.offset !== undefined) pairs.push(`offset=${query.offset}`);
  return pairs.join('&');
}
