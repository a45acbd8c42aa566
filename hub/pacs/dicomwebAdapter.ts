import type { DicomJsonDataset } from './dicomJson.js';
import { fetchDicomJson } from './dicomwebMetadata.js';
import { parseContentType, parseMultipartRelated, peekFirstPartHeaders } from './multipart.js';
import { OrthancChangeFeed } from './orthancChanges.js';
import type { BulkDataResult, ChangesPage, FramesResult, PacsAdapter, RenderedImage, StudyQuery } from './pacsAdapter.js';
import { PacsBadRequestError, PacsError, PacsNotFoundError, PacsNotRenderableError, PacsRequestError, PacsResponseError, PacsUnavailableError } from './pacsErrors.js';
import { PATIENT_STUDY_FIELDS, patientStudyFromRow, type PatientStudy } from './patientStudies.js';
import { TAG } from './dicomJson.js';
import { PacsHttpClient } from './pacsHttpClient.js';
import { silentPacsLogger, type PacsLogger } from './pacsLogger.js';
import { QidoPoller } from './qidoPolling.js';
import { buildQidoQueryString, type QueryEncoding } from './qidoQuery.js';
import type { StableStudy } from './stableStudy.js';
import { EXPLICIT_VR_LITTLE_ENDIAN } from './transferSyntax.js';
import { uidProblem } from './uid.js';

/**
 * A pivot PACS over DICOMweb: Orthanc, dcm4chee-arc or any archive.
 *
 * Ingestion: when the server is Orthanc (GET /system on its REST root
 * answers with Version and ApiVersion) and `useOrthancChanges` is on, from
 * Orthanc's change feed (orthancChanges.ts); otherwise by QIDO polling
 * (qidoPolling.ts), which works with any archive.
 *
 * Reading: QIDO-RS and WADO-RS, frames and instances asked "as stored"
 * (`transfer-syntax=*`) so that nothing is decoded on the way (PITFALLS:
 * Orthanc's GDCM decoder crashes; the viewer decodes).
 */
export interface DicomwebAdapterOptions {
  /** DICOMweb root, e.g. http://pacs:8042/dicom-web (credentials in the URL are accepted and never shown). */
  url: string;
  username?: string;
  password?: string;
  /** Orthanc's REST root; default: `url` without its trailing /dicom-web. */
  orthancUrl?: string;
  /** Use Orthanc's change feed when the server is Orthanc. Default true. */
  useOrthancChanges?: boolean;
  /** 'auto' asks GET /system. Default 'auto'. */
  server?: 'auto' | 'orthanc' | 'generic';
  /** Per request, until the answer (JSON: until its end). Default 10 000 ms. */
  requestTimeoutMs?: number;
  /** Frames and instances: whole transfer. Default 120 000 ms. */
  transferTimeoutMs?: number;
  /** QIDO polling: unchanged instance count for this long = stable. Default 30 000 ms. */
  stabilityDelayMs?: number;
  /** QIDO polling: StudyDate window in days; null = every study. Default 2. */
  pollWindowDays?: number | null;
  /** QIDO reconcile: StudyDate lookback in days before `since`; null = every study. Default 7. */
  reconcileLookbackDays?: number | null;
  /** QIDO page size and Orthanc changes per call. Default 500. */
  pageSize?: number;
  /** How Orthanc's zone-less dates are read. Default 'utc' (Orthanc ≥ 1.9 writes UTC). */
  orthancTimestamps?: 'utc' | 'local';
  logger?: PacsLogger;
}

type Feed = Pick<PacsAdapter, 'changes' | 'headCursor' | 'reconcile'>;

const FRAMES_ACCEPT = 'multipart/related; type="application/octet-stream"; transfer-syntax=*';
/**
 * Asked only when the PACS cannot send a frame as stored: Orthanc 1.10 answers
 * 500 for explicit big endian and deflated files with `transfer-syntax=*`, and
 * sends them fine as explicit little endian (a lossless re-encoding of native
 * pixel data). The viewer decodes either.
 */
const FRAMES_ACCEPT_LITTLE_ENDIAN = 'multipart/related; type="application/octet-stream"; transfer-syntax=1.2.840.10008.1.2.1';
const INSTANCE_ACCEPT = 'multipart/related; type="application/dicom"; transfer-syntax=*';
const MAX_FRAMES_PER_REQUEST = 10_000;
const BULK_ACCEPT = 'multipart/related; type="application/octet-stream"; transfer-syntax=*';
/** Orthanc resource IDs (SHA-1 groups): anything else from the REST API is not followed. */
const ORTHANC_ID = /^[0-9a-f]{8}(-[0-9a-f]{8}){4}$/;
/** What a bulk data path may hold: tags, item numbers and slashes (PS3.18 BulkDataURI as Orthanc writes it). */
const BULK_PATH = /^[0-9A-Fa-f]{8}(\/[0-9]{1,6}\/[0-9A-Fa-f]{8})*$/;

function checkUid(value: string, name: string): void {
  const problem = uidProblem(value);
  if (problem !== null) throw new PacsBadRequestError(`${name} ${problem}`, `${name} invalide (${problem})`);
}

export class DicomwebAdapter implements PacsAdapter {
  readonly kind = 'dicomweb';
  readonly description: string;
  private readonly dicomweb: PacsHttpClient;
  private readonly rest: PacsHttpClient;
  private readonly logger: PacsLogger;
  private readonly transferTimeoutMs: number;
  private readonly options: DicomwebAdapterOptions;
  private serverKind: Promise<'orthanc' | 'generic'> | undefined;
  private feedPromise: Promise<Feed> | undefined;

  constructor(options: DicomwebAdapterOptions) {
    this.options = options;
    this.logger = options.logger ?? silentPacsLogger;
    const auth = { username: options.username, password: options.password, timeoutMs: options.requestTimeoutMs };
    this.dicomweb = new PacsHttpClient({ baseUrl: options.url, ...auth });
    const restUrl = options.orthancUrl ?? options.url.replace(/\/dicom-web\/*$/i, '');
    this.rest = new PacsHttpClient({ baseUrl: restUrl, ...auth });
    this.transferTimeoutMs = options.transferTimeoutMs ?? 120_000;
    this.description = `DICOMweb ${this.dicomweb.baseUrl}`;
    if (options.server !== undefined && options.server !== 'auto') this.serverKind = Promise.resolve(options.server);
  }

  /** 'orthanc' or 'generic', asked once (an unreachable PACS is asked again next time). */
  server(): Promise<'orthanc' | 'generic'> {
    this.serverKind ??= this.detectServer().catch((error: unknown) => {
      this.serverKind = undefined;
      throw error;
    });
    return this.serverKind;
  }

  private async detectServer(): Promise<'orthanc' | 'generic'> {
    try {
      const system = (await this.rest.json({ path: '/system' })) as { Version?: unknown; ApiVersion?: unknown } | null;
      if (typeof system?.Version === 'string' && typeof system.ApiVersion === 'number') {
        this.logger.info({ version: system.Version }, 'pivot PACS is Orthanc');
        return 'orthanc';
      }
    } catch (error) {
      if (error instanceof PacsUnavailableError) throw error;
      if (!(error instanceof PacsError)) throw error;
      // 401, 404, not JSON…: not an Orthanc we can read; the QIDO path works with any archive.
    }
    this.logger.info({}, 'pivot PACS is a generic DICOMweb archive');
    return 'generic';
  }

  private async encoding(): Promise<QueryEncoding> {
    return (await this.server()) === 'orthanc' ? 'orthanc' : 'standard';
  }

  private feed(): Promise<Feed> {
    this.feedPromise ??= (async (): Promise<Feed> => {
      const useChanges = this.options.useOrthancChanges ?? true;
      if (useChanges && (await this.server()) === 'orthanc') {
        return new OrthancChangeFeed(this.rest, this.dicomweb, {
          pageSize: this.options.pageSize ?? 500,
          timestamps: this.options.orthancTimestamps ?? 'utc',
          logger: this.logger,
        });
      }
      return new QidoPoller(this.dicomweb, () => this.encoding(), {
        stabilityDelayMs: this.options.stabilityDelayMs ?? 30_000,
        windowDays: this.options.pollWindowDays === undefined ? 2 : this.options.pollWindowDays,
        reconcileLookbackDays: this.options.reconcileLookbackDays === undefined ? 7 : this.options.reconcileLookbackDays,
        pageSize: this.options.pageSize ?? 500,
        maxPages: 20,
        logger: this.logger,
      });
    })().catch((error: unknown) => {
      this.feedPromise = undefined;
      throw error;
    });
    return this.feedPromise;
  }

  // -------------------------------------------------------------------------
  // Ingestion
  // -------------------------------------------------------------------------

  async changes(cursor: string | null): Promise<ChangesPage> {
    return (await this.feed()).changes(cursor);
  }

  async headCursor(): Promise<string> {
    return (await this.feed()).headCursor();
  }

  async reconcile(since: Date): Promise<StableStudy[]> {
    return (await this.feed()).reconcile(since);
  }

  // -------------------------------------------------------------------------
  // Reading
  // -------------------------------------------------------------------------

  async searchStudies(query: StudyQuery): Promise<DicomJsonDataset[]> {
    const queryString = buildQidoQueryString(query, await this.encoding());
    return fetchDicomJson(this.dicomweb, `/studies${queryString === '' ? '' : `?${queryString}`}`, 'studies');
  }

  async studyMetadata(studyInstanceUid: string): Promise<DicomJsonDataset[]> {
    checkUid(studyInstanceUid, 'StudyInstanceUID');
    return fetchDicomJson(this.dicomweb, `/studies/${studyInstanceUid}/metadata`, `study ${studyInstanceUid}`);
  }

  async seriesMetadata(studyInstanceUid: string, seriesInstanceUid: string): Promise<DicomJsonDataset[]> {
    checkUid(studyInstanceUid, 'StudyInstanceUID');
    checkUid(seriesInstanceUid, 'SeriesInstanceUID');
    return fetchDicomJson(
      this.dicomweb,
      `/studies/${studyInstanceUid}/series/${seriesInstanceUid}/metadata`,
      `series ${seriesInstanceUid} of study ${studyInstanceUid}`,
    );
  }

  /** BitsAllocated (0028,0100) of one instance, from its WADO-RS metadata; null when the PACS does not say. */
  private async bitsAllocatedOf(studyInstanceUid: string, seriesInstanceUid: string, sopInstanceUid: string): Promise<number | null> {
    const datasets: DicomJsonDataset[] = await fetchDicomJson(this.dicomweb, `/studies/${studyInstanceUid}/series/${seriesInstanceUid}/instances/${sopInstanceUid}/metadata`, `instance ${sopInstanceUid}`).catch(() => []);
    const value = (datasets[0]?.['00280100'] as { Value?: unknown[] } | undefined)?.Value?.[0];
    return typeof value === 'number' ? value : null;
  }

  async frames(studyInstanceUid: string, seriesInstanceUid: string, sopInstanceUid: string, frameNumbers: readonly number[]): Promise<FramesResult> {
    checkUid(studyInstanceUid, 'StudyInstanceUID');
    checkUid(seriesInstanceUid, 'SeriesInstanceUID');
    checkUid(sopInstanceUid, 'SOPInstanceUID');
    if (frameNumbers.length === 0 || frameNumbers.length > MAX_FRAMES_PER_REQUEST || frameNumbers.some((n) => !Number.isSafeInteger(n) || n < 1)) {
      throw new PacsBadRequestError('frame numbers must be positive integers (at least one)', 'les numéros d’image doivent être des entiers positifs');
    }
    const path = `/studies/${studyInstanceUid}/series/${seriesInstanceUid}/instances/${sopInstanceUid}/frames/${frameNumbers.join(',')}`;
    const notFound = `instance ${sopInstanceUid} or its frames`;
    let answer;
    try {
      answer = await this.dicomweb.send({ path, accept: FRAMES_ACCEPT, notFound });
    } catch (error) {
      if (!(error instanceof PacsRequestError || error instanceof PacsBadRequestError)) throw error;
      // Orthanc 1.10 converts 32-bit big-endian pixel data to little endian wrongly (pydicom's rtdose_expb.dcm): refused, not sent wrong.
      const bitsAllocated = await this.bitsAllocatedOf(studyInstanceUid, seriesInstanceUid, sopInstanceUid);
      if (bitsAllocated !== null && bitsAllocated > 16) {
        throw new PacsBadRequestError(
          `instance ${sopInstanceUid}: the PACS cannot send its ${bitsAllocated}-bit frames as stored, and its conversion of them is not reliable`,
          `instance ${sopInstanceUid} : le PACS ne peut pas envoyer ses images ${bitsAllocated} bits telles que stockées, et sa conversion n’est pas fiable`,
        );
      }
      answer = await this.dicomweb.send({ path, accept: FRAMES_ACCEPT_LITTLE_ENDIAN, notFound });
    }
    // The request's time limit covered the wait for headers; the transfer gets its own, longer one.
    answer.clearTimeout();
    const transferTimer = setTimeout(
      () => answer.abort(new PacsUnavailableError(answer.url, 'timeout', `frames not transferred within ${this.transferTimeoutMs} ms`)),
      this.transferTimeoutMs,
    );
    try {
      const contentType = answer.response.headers.get('content-type') ?? '';
      const top = parseContentType(contentType);
      const boundary = top.params['boundary'];
      if (!top.mediaType.startsWith('multipart/') || boundary === undefined || answer.response.body === null) {
        throw new PacsResponseError(answer.url, `frames answered as ${top.mediaType || 'nothing'}, not multipart/related`);
      }
      let peeked;
      try {
        peeked = await peekFirstPartHeaders(answer.response.body, boundary);
      } catch (error) {
        if (error instanceof PacsError) throw error;
        throw new PacsResponseError(answer.url, (error as Error).message, { cause: error });
      }
      const partContentType = peeked.headers['content-type'] ?? 'application/octet-stream';
      const part = parseContentType(partContentType);
      const typeParam = parseContentType(top.params['type'] ?? '');
      const transferSyntaxUid = part.params['transfer-syntax'] ?? typeParam.params['transfer-syntax'] ?? EXPLICIT_VR_LITTLE_ENDIAN;
      const body = peeked.body;
      body.once('close', () => clearTimeout(transferTimer));
      return { contentType, partContentType, transferSyntaxUid, body };
    } catch (error) {
      clearTimeout(transferTimer);
      answer.abort(error instanceof Error ? error : new Error(String(error)));
      throw error;
    }
  }

  async instance(studyInstanceUid: string, seriesInstanceUid: string, sopInstanceUid: string): Promise<Buffer> {
    checkUid(studyInstanceUid, 'StudyInstanceUID');
    checkUid(seriesInstanceUid, 'SeriesInstanceUID');
    checkUid(sopInstanceUid, 'SOPInstanceUID');
    const path = `/studies/${studyInstanceUid}/series/${seriesInstanceUid}/instances/${sopInstanceUid}`;
    const { contentType, body, url } = await this.dicomweb.bytes({
      path,
      accept: INSTANCE_ACCEPT,
      timeoutMs: this.transferTimeoutMs,
      notFound: `instance ${sopInstanceUid}`,
    });
    const { mediaType } = parseContentType(contentType);
    if (mediaType === 'application/dicom') return body;
    let parts;
    try {
      parts = parseMultipartRelated(contentType, body);
    } catch (error) {
      throw new PacsResponseError(url, (error as Error).message, { cause: error });
    }
    const [first] = parts;
    if (first === undefined) throw new PacsNotFoundError(`instance ${sopInstanceUid}`, url);
    return Buffer.from(first.body);
  }

  /**
   * Orthanc: its study resource's ID, LastUpdate and series (LastUpdate moves
   * with every instance stored or deleted; a study deleted and stored again is
   * a new resource). A generic archive says nothing QIDO can be trusted with
   * for content stored again under the same UIDs: null.
   */
  async studyFingerprint(studyInstanceUid: string): Promise<string | null> {
    checkUid(studyInstanceUid, 'StudyInstanceUID');
    if ((await this.server()) !== 'orthanc') return null;
    const lookup = (await this.rest.json({ method: 'POST', path: '/tools/lookup', contentType: 'text/plain', body: studyInstanceUid })) as unknown;
    const studyId = Array.isArray(lookup) ? (lookup as { ID?: unknown; Type?: unknown }[]).find((r) => r.Type === 'Study')?.ID : undefined;
    if (typeof studyId !== 'string' || !ORTHANC_ID.test(studyId)) return null;
    const study = (await this.rest.json({ path: `/studies/${studyId}` })) as { LastUpdate?: unknown; Series?: unknown } | null;
    if (typeof study?.LastUpdate !== 'string' || !Array.isArray(study.Series)) return null;
    return `${studyId}|${study.LastUpdate}|${study.Series.join(',')}`;
  }

  async patientStudies(patientId: string): Promise<PatientStudy[]> {
    const rows = await this.searchStudies({ match: { [TAG.PatientID]: patientId }, includefield: PATIENT_STUDY_FIELDS });
    const out: PatientStudy[] = [];
    for (const row of rows) {
      const study = patientStudyFromRow(row, null);
      // QIDO matching may be wider than asked (Orthanc turns unsafe characters into wildcards, matches case-insensitively).
      if (study === undefined || study.patientId !== patientId || uidProblem(study.studyInstanceUid) !== null) continue;
      out.push({ ...study, sourceAet: (await this.server()) === 'orthanc' ? await this.orthancRemoteAet(study.studyInstanceUid) : null });
    }
    return out;
  }

  /**
   * The calling AE title that sent a study to Orthanc (its first instance's
   * RemoteAET metadata): QIDO does not carry it, and a site is recognised by
   * it first (core/site.ts). Null when Orthanc does not know it.
   */
  private async orthancRemoteAet(studyInstanceUid: string): Promise<string | null> {
    try {
      const lookup = (await this.rest.json({ method: 'POST', path: '/tools/lookup', contentType: 'text/plain', body: studyInstanceUid })) as unknown;
      const studyId = Array.isArray(lookup) ? (lookup as { ID?: unknown; Type?: unknown }[]).find((r) => r.Type === 'Study')?.ID : undefined;
      if (typeof studyId !== 'string' || !ORTHANC_ID.test(studyId)) return null;
      const instances = (await this.rest.json({ path: `/studies/${studyId}/instances` })) as unknown;
      const first = Array.isArray(instances) ? (instances[0] as { ID?: unknown } | undefined)?.ID : undefined;
      if (typeof first !== 'string' || !ORTHANC_ID.test(first)) return null;
      const aet = (await this.rest.text({ path: `/instances/${first}/metadata/RemoteAET`, notFound: 'RemoteAET' })).trim();
      return aet === '' ? null : aet;
    } catch (error) {
      if (error instanceof PacsNotFoundError || error instanceof PacsRequestError) return null;
      throw error;
    }
  }

  async rendered(studyInstanceUid: string, seriesInstanceUid: string, sopInstanceUid: string, size: number): Promise<RenderedImage> {
    checkUid(studyInstanceUid, 'StudyInstanceUID');
    checkUid(seriesInstanceUid, 'SeriesInstanceUID');
    checkUid(sopInstanceUid, 'SOPInstanceUID');
    const side = Math.max(16, Math.min(1024, Math.round(size)));
    const path = `/studies/${studyInstanceUid}/series/${seriesInstanceUid}/instances/${sopInstanceUid}/rendered?viewport=${side},${side}`;
    try {
      const { contentType, body } = await this.dicomweb.bytes({ path, accept: 'image/jpeg', timeoutMs: this.transferTimeoutMs, notFound: `instance ${sopInstanceUid}` });
      const mediaType = parseContentType(contentType).mediaType;
      if (mediaType !== 'image/jpeg' && mediaType !== 'image/png') throw new PacsResponseError(this.dicomweb.displayUrl(path), `rendered image answered as ${mediaType || 'nothing'}`);
      return { contentType: mediaType, body };
    } catch (error) {
      // One media type only: Orthanc 1.10 answers 400 to a list ("Unsupported MIME type"). Orthanc answers 4xx/5xx when it cannot decode the syntax (JPEG 2000 without its GDCM plugin, which must not be loaded: PITFALLS).
      if ((error instanceof PacsRequestError && error.status !== 401 && error.status !== 403) || error instanceof PacsBadRequestError) {
        throw new PacsNotRenderableError(`the pivot PACS cannot render instance ${sopInstanceUid} (HTTP ${error instanceof PacsRequestError ? error.status : 400})`, `le PACS pivot ne sait pas rendre l’instance ${sopInstanceUid}`);
      }
      throw error;
    }
  }

  async bulkData(studyInstanceUid: string, seriesInstanceUid: string, sopInstanceUid: string, bulkPath: string): Promise<BulkDataResult> {
    checkUid(studyInstanceUid, 'StudyInstanceUID');
    checkUid(seriesInstanceUid, 'SeriesInstanceUID');
    checkUid(sopInstanceUid, 'SOPInstanceUID');
    if (!BULK_PATH.test(bulkPath)) throw new PacsBadRequestError('a bulk data path is tags and item numbers separated by slashes', 'un chemin de données volumineuses est une suite de balises et de numéros d’élément');
    const path = `/studies/${studyInstanceUid}/series/${seriesInstanceUid}/instances/${sopInstanceUid}/bulk/${bulkPath}`;
    const { contentType, body } = await this.dicomweb.bytes({ path, accept: BULK_ACCEPT, timeoutMs: this.transferTimeoutMs, notFound: `bulk data ${bulkPath} of instance ${sopInstanceUid}` });
    return { contentType, body };
  }

  async close(): Promise<void> {
    // Nothing held: every request has its own timer.
  }
}
