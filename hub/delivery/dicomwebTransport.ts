import { randomUUID } from 'node:crypto';
import { DeliveryError, describeNetworkError } from './deliveryError.js';
import type { DocumentIdentity } from './documentIdentity.js';
import type { DeliveryTransport } from './transport.js';

// Up to four requests per attempt (already there? study owner? STOW, verify): 100 s, inside the 2-minute claim lease.
const TIMEOUT_MS = 25_000;

type DicomJson = Record<string, { vr?: string; Value?: unknown[] } | undefined>;

/** The DICOMweb base of a STOW-RS URL: STOW posts to `<base>/studies`, QIDO asks `<base>/instances`. */
export function dicomWebBase(stowUrl: string): string {
  return stowUrl.replace(/\/+$/, '').replace(/\/studies$/, '');
}

function firstString(element: { Value?: unknown[] } | undefined): string {
  const value = element?.Value?.[0];
  return typeof value === 'string' ? value.trim() : '';
}

/**
 * STOW-RS to the site's DICOMweb archive, QIDO-RS to check. UIDs are digits
 * and dots: put in the query as they are (Orthanc does not percent-decode,
 * PITFALLS).
 */
export class DicomWebTransport implements DeliveryTransport {
  readonly description: string;
  private readonly base: string;

  constructor(private readonly stowUrl: string) {
    this.base = dicomWebBase(stowUrl);
    this.description = this.base;
  }

  private async request(url: string, init: RequestInit): Promise<Response> {
    try {
      return await fetch(url, { ...init, signal: AbortSignal.timeout(TIMEOUT_MS) });
    } catch (error) {
      throw describeNetworkError(error, new URL(url).host);
    }
  }

  private async qido(path: string): Promise<DicomJson[]> {
    const response = await this.request(`${this.base}${path}`, { headers: { Accept: 'application/dicom+json' } });
    if (response.status === 204) return [];
    if (!response.ok) {
      const body = (await response.text()).slice(0, 200);
      throw new DeliveryError(`The site's PACS refused the search (${response.status} ${response.statusText} from ${this.description})${body ? `: ${body}` : ''}.`);
    }
    const text = await response.text();
    if (text.trim() === '') return [];
    try {
      const parsed = JSON.parse(text) as unknown;
      if (!Array.isArray(parsed)) throw new Error('not an array');
      return parsed as DicomJson[];
    } catch {
      throw new DeliveryError(`The site's PACS answered a search with something that is not DICOM JSON (${this.description}).`);
    }
  }

  async hasInstance(document: DocumentIdentity): Promise<boolean> {
    const found = await this.qido(`/studies/${document.studyInstanceUid}/instances?SOPInstanceUID=${document.sopInstanceUid}`);
    return found.some((item) => firstString(item['00080018']) === document.sopInstanceUid);
  }

  async studyPatientIds(studyInstanceUid: string): Promise<string[]> {
    const found = await this.qido(`/studies?StudyInstanceUID=${studyInstanceUid}&includefield=00100020`);
    return found.filter((item) => firstString(item['0020000D']) === studyInstanceUid || item['0020000D'] === undefined).map((item) => firstString(item['00100020']));
  }

  async send(bytes: Uint8Array, document: DocumentIdentity): Promise<void> {
    const boundary = `vigie-${randomUUID()}`;
    const head = Buffer.from(`--${boundary}\r\nContent-Type: application/dicom\r\n\r\n`, 'latin1');
    const tail = Buffer.from(`\r\n--${boundary}--\r\n`, 'latin1');
    const body = Buffer.concat([head, bytes, tail]);
    const response = await this.request(this.stowUrl, {
      method: 'POST',
      headers: { 'Content-Type': `multipart/related; type="application/dicom"; boundary=${boundary}`, Accept: 'application/dicom+json' },
      body,
    });
    const text = await response.text();
    if (!response.ok && response.status !== 202) {
      throw new DeliveryError(`The site's PACS refused the document (${response.status} ${response.statusText} from ${this.description})${text ? `: ${text.slice(0, 200)}` : ''}.`);
    }
    // A 200/202 may still list the instance as failed (FailedSOPSequence 0008,1198).
    let answer: DicomJson | DicomJson[] | undefined;
    try {
      answer = text.trim() === '' ? undefined : (JSON.parse(text) as DicomJson | DicomJson[]);
    } catch {
      answer = undefined;
    }
    const failed = (Array.isArray(answer) ? answer[0] : answer)?.['00081198']?.Value ?? [];
    if (failed.length > 0) {
      const reason = ((failed[0] as DicomJson)['00081197']?.Value?.[0] as number | undefined) ?? 'unknown';
      throw new DeliveryError(`The site's PACS refused the document ${document.sopInstanceUid} (STOW failure reason ${String(reason)}, ${this.description}).`);
    }
  }
}
