import type { Readable } from 'node:stream';
import type { DicomJsonDataset } from './dicomJson.js';
import type { PatientStudy } from './patientStudies.js';
import type { StableStudy } from './stableStudy.js';

export type { StableStudy } from './stableStudy.js';
export type { DicomJsonAttribute, DicomJsonDataset } from './dicomJson.js';
export type { PatientStudy } from './patientStudies.js';

/** One call's worth of ingestion. */
export interface ChangesPage {
  /** Studies that became stable after the given cursor, each at most once per page. */
  studies: StableStudy[];
  /** Where the next call starts. Persist it only AFTER `studies` are processed. */
  cursor: string;
  /** False when more changes are waiting: call again at once instead of sleeping. */
  done: boolean;
}

/** A QIDO-RS study search. */
export interface StudyQuery {
  /**
   * Matching keys (PS3.18 8.3.4): an 8-hex-digit tag ("00100020") or a
   * keyword ("PatientID") → a DICOM matching value ("DEMO^*", "20240101-",
   * "1.2.3,1.2.4", "" for universal matching).
   */
  match?: Record<string, string>;
  /** Extra attributes to return (tags or keywords), or ['all']. */
  includefield?: string[];
  limit?: number;
  offset?: number;
}

/** Frames as stored, ready to be sent on as a WADO-RS answer. */
export interface FramesResult {
  /**
   * Content-Type of `body`: `multipart/related; type="…"; boundary=…` (one
   * part per requested frame, in the order asked).
   */
  contentType: string;
  /** Media type of each part, with its transfer-syntax parameter, e.g. `image/jp2; transfer-syntax=1.2.840.10008.1.2.4.90`. */
  partContentType: string;
  /** The syntax the frames are encoded in: never decoded by the hub (PITFALLS: do not ask Orthanc to decode). */
  transferSyntaxUid: string;
  /** The multipart body. Destroying it cancels the transfer from the PACS. */
  body: Readable;
}

/** A small image made by the PACS (WADO-RS rendered). */
export interface RenderedImage {
  /** image/jpeg or image/png. */
  contentType: string;
  body: Buffer;
}

/** A bulk data value as the PACS sends it (usually multipart/related; type="application/octet-stream"). */
export interface BulkDataResult {
  contentType: string;
  body: Buffer;
}

/**
 * The hub's view of a pivot PACS: ingestion of complete studies, and the
 * reading side of the DICOMweb proxy (issue 5). Implementations:
 * DicomwebAdapter (Orthanc's change feed, or QIDO polling on any DICOMweb
 * archive) and FolderAdapter (a directory of Part-10 files).
 *
 * Every method may throw PacsUnavailableError (retry later), and the
 * reading methods PacsNotFoundError / PacsBadRequestError for a wrong UID or
 * frame number. See README.md for the semantics of cursors.
 */
export interface PacsAdapter {
  readonly kind: 'dicomweb' | 'folder';
  /** What this adapter reads, for logs and the admin page (never credentials). */
  readonly description: string;

  /**
   * Studies that became stable since `cursor` (null: since the beginning of
   * what the adapter can see). At least once: a replayed cursor returns the
   * same studies again, and a study that receives more instances later is
   * returned again when it is stable again, with its new counts. The caller
   * dedups by StudyInstanceUID.
   */
  changes(cursor: string | null): Promise<ChangesPage>;

  /** A cursor at "now": changes(headCursor()) returns only what becomes stable from now on. */
  headCursor(): Promise<string>;

  /**
   * Every stable study received since `since`, for start-up reconciliation
   * (a killed Orthanc never emits pending StableStudy events). May return
   * more than asked (see README per adapter); never less.
   */
  reconcile(since: Date): Promise<StableStudy[]>;

  searchStudies(query: StudyQuery): Promise<DicomJsonDataset[]>;
  /** WADO-RS metadata of every instance of the study. */
  studyMetadata(studyInstanceUid: string): Promise<DicomJsonDataset[]>;
  seriesMetadata(studyInstanceUid: string, seriesInstanceUid: string): Promise<DicomJsonDataset[]>;
  /**
   * A value that changes whenever the study changes at the PACS (an instance
   * added, deleted or stored again, even under the same UIDs), or null when
   * the PACS cannot say: then nothing of the study may be kept between
   * requests (hub/dicomweb/studyMetadataCache.ts).
   */
  studyFingerprint(studyInstanceUid: string): Promise<string | null>;
  /** Frames (1-based numbers) exactly as stored, without decoding. */
  frames(studyInstanceUid: string, seriesInstanceUid: string, sopInstanceUid: string, frameNumbers: readonly number[]): Promise<FramesResult>;
  /** The instance as a DICOM Part-10 file, in its stored transfer syntax. */
  instance(studyInstanceUid: string, seriesInstanceUid: string, sopInstanceUid: string): Promise<Buffer>;

  /**
   * Every study the PACS holds for this PatientID (exact match, any issuer:
   * the caller checks the issuer and the site), with what identifies its
   * requesting site. For priors (issue 5) and the ingest prior rule.
   */
  patientStudies(patientId: string): Promise<PatientStudy[]>;
  /**
   * The instance's first frame rendered by the PACS to fit `size`×`size`
   * (JPEG or PNG). PacsNotRenderableError when the adapter has no renderer.
   */
  rendered(studyInstanceUid: string, seriesInstanceUid: string, sopInstanceUid: string, size: number): Promise<RenderedImage>;
  /**
   * A value named by a BulkDataURI of this adapter's metadata (`path` is what
   * follows `/instances/{sop}/bulk/` in the proxy's rewritten URI).
   * PacsNotFoundError when the adapter emits none (the folder adapter inlines values).
   */
  bulkData(studyInstanceUid: string, seriesInstanceUid: string, sopInstanceUid: string, path: string): Promise<BulkDataResult>;

  /** Releases workers and timers. */
  close(): Promise<void>;
}
