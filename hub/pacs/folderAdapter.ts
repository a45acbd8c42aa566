import { open, readFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { TAG, firstNumber, firstString, stringAttribute, toTag, type DicomJsonDataset } from './dicomJson.js';
import { nativeFrameFromRange, nativeFrameRange } from './dicomInspection.js';
import { FolderScanner, type FileState, type FolderSnapshot, type ScannedFile, type ScannedStudy } from './folderScan.js';
import { buildMultipartRelated } from './multipart.js';
import type { BulkDataResult, ChangesPage, FramesResult, PacsAdapter, RenderedImage, StudyQuery } from './pacsAdapter.js';
import { PacsBadRequestError, PacsCursorError, PacsNotFoundError, PacsNotRenderableError } from './pacsErrors.js';
import { patientStudyFromRow, type PatientStudy } from './patientStudies.js';
import { silentPacsLogger, type PacsLogger } from './pacsLogger.js';
import { buildStableStudy, type SeriesSummary, type StableStudy } from './stableStudy.js';
import { rowMatches } from './studyMatching.js';
import { frameMediaType, frameTransferSyntax } from './transferSyntax.js';
import { uidProblem } from './uid.js';
import { DicomInspector, type InspectedInstance } from './untrustedDicom.js';

/**
 * A directory of DICOM Part-10 files as a PACS: the embedded default and the
 * demo (generateDemoStudies writes `<folder>/<Study>/<Series>/<SOP>.dcm`,
 * but any layout works: files are grouped by the UIDs inside them).
 *
 * Ingestion: a study is stable when none of its files changed (ctime or
 * mtime) for `stabilityDelayMs`. The cursor is a time T: changes(T) returns
 * the studies whose last change is in (T, now − delay], and the next cursor
 * is now − delay. Every file is parsed in the worker (untrustedDicom.ts).
 *
 * Reading: DICOM JSON metadata and frame positions are built per study on
 * first use (one full parse per file, in the worker) and kept for the
 * `cachedStudies` most recently read studies; frames are then read from
 * disk at their offsets, without parsing.
 */
export interface FolderAdapterOptions {
  folder: string;
  /** Default 10 000 ms. */
  stabilityDelayMs?: number;
  /** Default: an inspector of its own (2 worker threads), closed by close(). */
  inspector?: DicomInspector;
  logger?: PacsLogger;
  /** Studies whose metadata stays in memory. Default 8. */
  cachedStudies?: number;
  /** A reading request reuses a folder scan younger than this. Default 2 000 ms. */
  scanReuseMs?: number;
}

interface IndexedInstance {
  path: string;
  state: FileState;
  instance: InspectedInstance;
}

interface StudyIndex {
  /** Changes when the study's files change: the index is then rebuilt. */
  signature: string;
  /** In series then instance order. */
  instances: IndexedInstance[];
}

const CURSOR_PREFIX = 'folder:';

function studySignature(study: ScannedStudy): string {
  return `${study.files.length}:${study.changedAtMs}`;
}

type SortKey = [seriesNumber: number, seriesUid: string, instanceNumber: number, sopUid: string];

/** Instances in series-number then instance-number order (UIDs break ties, for a stable order). */
function sortKey(instance: InspectedInstance): SortKey {
  const { dataset } = instance;
  return [
    firstNumber(dataset, TAG.SeriesNumber) ?? Number.MAX_SAFE_INTEGER,
    instance.seriesInstanceUid,
    firstNumber(dataset, TAG.InstanceNumber) ?? Number.MAX_SAFE_INTEGER,
    instance.sopInstanceUid,
  ];
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareKeys(a: SortKey, b: SortKey): number {
  return a[0] - b[0] || compareText(a[1], b[1]) || a[2] - b[2] || compareText(a[3], b[3]);
}

function checkUid(value: string, name: string): void {
  if (uidProblem(value) !== null) {
    throw new PacsBadRequestError(`${name} "${value.slice(0, 80)}" is not a DICOM UID`, `${name} « ${value.slice(0, 80)} » n’est pas un UID DICOM`);
  }
}

/** Study-level attributes a QIDO study row carries (PS3.18 Table 10.6.1-5), copied from one instance. */
const STUDY_ROW_TAGS = [
  TAG.SpecificCharacterSet,
  TAG.StudyDate,
  TAG.StudyTime,
  TAG.AccessionNumber,
  '00080090',
  TAG.InstitutionName,
  TAG.StudyDescription,
  TAG.PatientName,
  TAG.PatientID,
  TAG.IssuerOfPatientID,
  TAG.PatientBirthDate,
  TAG.PatientSex,
  TAG.StudyInstanceUID,
  TAG.StudyID,
];

export class FolderAdapter implements PacsAdapter {
  readonly kind = 'folder';
  readonly description: string;
  private readonly scanner: FolderScanner;
  private readonly inspector: DicomInspector;
  private readonly ownsInspector: boolean;
  private readonly stabilityDelayMs: number;
  private readonly cachedStudies: number;
  private readonly scanReuseMs: number;
  private readonly logger: PacsLogger;
  /** LRU: most recently used last. */
  private readonly indexes = new Map<string, Promise<StudyIndex>>();

  constructor(options: FolderAdapterOptions) {
    this.logger = options.logger ?? silentPacsLogger;
    this.ownsInspector = options.inspector === undefined;
    this.inspector = options.inspector ?? new DicomInspector({ workers: 2, logger: this.logger });
    this.scanner = new FolderScanner(options.folder, this.inspector, this.logger);
    this.stabilityDelayMs = options.stabilityDelayMs ?? 10_000;
    this.cachedStudies = options.cachedStudies ?? 8;
    this.scanReuseMs = options.scanReuseMs ?? 2_000;
    this.description = `DICOM folder ${options.folder}`;
  }

  // -------------------------------------------------------------------------
  // Ingestion
  // -------------------------------------------------------------------------

  async changes(cursor: string | null): Promise<ChangesPage> {
    const after = this.parseCursor(cursor);
    const snapshot = await this.scanner.scan();
    const horizon = snapshot.takenAtMs - this.stabilityDelayMs;
    const studies = [...snapshot.studies.values()]
      .filter((study) => study.changedAtMs > after && study.changedAtMs <= horizon)
      .sort((a, b) => a.changedAtMs - b.changedAtMs)
      .flatMap((study) => this.toStableStudy(study));
    if (studies.length > 0) this.logger.info({ studies: studies.length }, 'DICOM folder: studies became stable');
    return { studies, cursor: `${CURSOR_PREFIX}${Math.max(after, horizon)}`, done: true };
  }

  async headCursor(): Promise<string> {
    return `${CURSOR_PREFIX}${Date.now() - this.stabilityDelayMs}`;
  }

  async reconcile(since: Date): Promise<StableStudy[]> {
    const snapshot = await this.scanner.scan();
    const horizon = snapshot.takenAtMs - this.stabilityDelayMs;
    return [...snapshot.studies.values()]
      .filter((study) => study.changedAtMs >= since.getTime() && study.changedAtMs <= horizon)
      .flatMap((study) => this.toStableStudy(study));
  }

  private parseCursor(cursor: string | null): number {
    if (cursor === null) return Number.NEGATIVE_INFINITY;
    const value = cursor.startsWith(CURSOR_PREFIX) ? Number(cursor.slice(CURSOR_PREFIX.length)) : NaN;
    if (!Number.isFinite(value)) throw new PacsCursorError(`"${cursor.slice(0, 40)}" is not a folder cursor`);
    return value;
  }

  private representative(study: ScannedStudy): ScannedFile {
    const sorted = [...study.files].sort((a, b) => compareKeys(sortKey(a.summary), sortKey(b.summary)));
    return sorted[0] as ScannedFile;
  }

  private toStableStudy(study: ScannedStudy): StableStudy[] {
    const series = new Map<string, SeriesSummary>();
    for (const file of study.files) {
      const dataset = file.summary.dataset;
      const summary = series.get(file.summary.seriesInstanceUid) ?? { modality: null, bodyPartExamined: null, instanceCount: 0 };
      summary.instanceCount += 1;
      summary.modality ??= firstString(dataset, TAG.Modality) ?? null;
      summary.bodyPartExamined ??= firstString(dataset, TAG.BodyPartExamined) ?? null;
      series.set(file.summary.seriesInstanceUid, summary);
    }
    const first = this.representative(study);
    try {
      return [
        buildStableStudy({
          studyInstanceUid: study.studyInstanceUid,
          instance: first.summary.dataset,
          series: [...series.values()],
          sourceAet: first.summary.sourceAet,
          receivedAt: new Date(study.changedAtMs),
        }),
      ];
    } catch (error) {
      this.logger.warn({ reason: (error as Error).message.slice(0, 300) }, 'DICOM folder: a study cannot be described and is skipped');
      return [];
    }
  }

  // -------------------------------------------------------------------------
  // Reading
  // -------------------------------------------------------------------------

  async searchStudies(query: StudyQuery): Promise<DicomJsonDataset[]> {
    const match = new Map<string, string>();
    for (const [key, value] of Object.entries(query.match ?? {})) {
      const tag = toTag(key);
      if (tag === undefined) throw new PacsBadRequestError(`"${key.slice(0, 64)}" is not a DICOM attribute`, `« ${key.slice(0, 64)} » n’est pas un attribut DICOM`);
      match.set(tag, value);
    }
    const snapshot = await this.scanner.recent(this.scanReuseMs);
    const rows = [...snapshot.studies.values()]
      .sort((a, b) => b.changedAtMs - a.changedAtMs)
      .map((study) => this.studyRow(study))
      .filter((row) => rowMatches(row, match));
    const offset = query.offset ?? 0;
    return rows.slice(offset, query.limit === undefined ? undefined : offset + query.limit);
  }

  private studyRow(study: ScannedStudy): DicomJsonDataset {
    const source = this.representative(study).summary.dataset;
    const row: DicomJsonDataset = {};
    for (const tag of STUDY_ROW_TAGS) {
      const attribute = source[tag];
      if (attribute !== undefined) row[tag] = attribute;
    }
    const modalities = new Set<string>();
    const series = new Set<string>();
    for (const file of study.files) {
      series.add(file.summary.seriesInstanceUid);
      const modality = firstString(file.summary.dataset, TAG.Modality);
      if (modality !== undefined) modalities.add(modality);
    }
    row[TAG.ModalitiesInStudy] = stringAttribute('CS', [...modalities].sort());
    row[TAG.NumberOfStudyRelatedSeries] = { vr: 'IS', Value: [series.size] };
    row[TAG.NumberOfStudyRelatedInstances] = { vr: 'IS', Value: [study.files.length] };
    return row;
  }

  /** Files change in place on disk without a trace this adapter keeps: nothing is kept between requests. */
  async studyFingerprint(): Promise<string | null> {
    return null;
  }

  async patientStudies(patientId: string): Promise<PatientStudy[]> {
    const snapshot = await this.scanner.recent(this.scanReuseMs);
    return [...snapshot.studies.values()].flatMap((study) => {
      const representative = this.representative(study);
      if (firstString(representative.summary.dataset, TAG.PatientID) !== patientId) return [];
      const row = patientStudyFromRow(this.studyRow(study), representative.summary.sourceAet);
      return row === undefined ? [] : [row];
    });
  }

  /** No renderer here: the proxy renders native pixel data itself (hub/dicomweb/thumbnail.ts); compressed frames are drawn by the viewer. */
  async rendered(_study: string, _series: string, sopInstanceUid: string, _size?: number): Promise<RenderedImage> {
    throw new PacsNotRenderableError(`the folder PACS has no renderer for instance ${sopInstanceUid}`, `le PACS dossier ne sait pas rendre l’instance ${sopInstanceUid}`);
  }

  /**
   * Folder metadata never holds a BulkDataURI: binary values up to 256 KiB
   * (palette LUT data included: at most 128 KiB) are InlineBinary, larger
   * ones are left out, pixel data is read by frame.
   */
  async bulkData(_study: string, _series: string, sopInstanceUid: string, path: string): Promise<BulkDataResult> {
    throw new PacsNotFoundError(`bulk data ${path.slice(0, 40)} of instance ${sopInstanceUid} (the folder PACS inlines binary values)`);
  }

  async studyMetadata(studyInstanceUid: string): Promise<DicomJsonDataset[]> {
    const index = await this.studyIndex(studyInstanceUid);
    return index.instances.map((entry) => entry.instance.dataset);
  }

  async seriesMetadata(studyInstanceUid: string, seriesInstanceUid: string): Promise<DicomJsonDataset[]> {
    checkUid(seriesInstanceUid, 'SeriesInstanceUID');
    const index = await this.studyIndex(studyInstanceUid);
    const instances = index.instances.filter((entry) => entry.instance.seriesInstanceUid === seriesInstanceUid);
    if (instances.length === 0) throw new PacsNotFoundError(`series ${seriesInstanceUid} in study ${studyInstanceUid}`);
    return instances.map((entry) => entry.instance.dataset);
  }

  async frames(studyInstanceUid: string, seriesInstanceUid: string, sopInstanceUid: string, frameNumbers: readonly number[]): Promise<FramesResult> {
    if (frameNumbers.length === 0) throw new PacsBadRequestError('no frame number given', 'aucun numéro d’image demandé');
    for (let attempt = 1; ; attempt++) {
      const entry = await this.findInstance(studyInstanceUid, seriesInstanceUid, sopInstanceUid, attempt > 1);
      const { instance } = entry;
      for (const n of frameNumbers) {
        if (!Number.isInteger(n) || n < 1 || n > instance.numberOfFrames) {
          throw new PacsBadRequestError(
            `frame ${n} does not exist: instance ${sopInstanceUid} has ${instance.numberOfFrames} frame(s)`,
            `l’image ${n} n’existe pas : l’instance ${sopInstanceUid} en a ${instance.numberOfFrames}`,
          );
        }
      }
      const transferSyntaxUid = frameTransferSyntax(instance.transferSyntaxUid);
      const mediaType = frameMediaType(transferSyntaxUid);
      const partContentType = `${mediaType}; transfer-syntax=${transferSyntaxUid}`;
      const frames = await this.readFrames(entry, frameNumbers);
      if (frames === 'changed') {
        // The file changed since it was indexed: index the study again, once.
        this.indexes.delete(studyInstanceUid);
        if (attempt >= 2) throw new PacsNotFoundError(`stable copy of instance ${sopInstanceUid} (the file keeps changing)`);
        continue;
      }
      const { contentType, body } = buildMultipartRelated(
        frames.map((frame) => ({ contentType: partContentType, body: frame })),
        mediaType,
        transferSyntaxUid,
      );
      return { contentType, partContentType, transferSyntaxUid, body: Readable.from([body]) };
    }
  }

  async instance(studyInstanceUid: string, seriesInstanceUid: string, sopInstanceUid: string): Promise<Buffer> {
    const entry = await this.findInstance(studyInstanceUid, seriesInstanceUid, sopInstanceUid);
    try {
      return await readFile(entry.path);
    } catch {
      this.indexes.delete(studyInstanceUid);
      throw new PacsNotFoundError(`instance ${sopInstanceUid} (its file is gone)`);
    }
  }

  async close(): Promise<void> {
    this.indexes.clear();
    if (this.ownsInspector) await this.inspector.close();
  }

  private async findInstance(studyInstanceUid: string, seriesInstanceUid: string, sopInstanceUid: string, freshScan = false): Promise<IndexedInstance> {
    checkUid(seriesInstanceUid, 'SeriesInstanceUID');
    checkUid(sopInstanceUid, 'SOPInstanceUID');
    const index = await this.studyIndex(studyInstanceUid, freshScan);
    const entry = index.instances.find((e) => e.instance.sopInstanceUid === sopInstanceUid && e.instance.seriesInstanceUid === seriesInstanceUid);
    if (entry !== undefined) return entry;
    // The file may be newer than the reused scan: look once more on a fresh one.
    if (!freshScan) return this.findInstance(studyInstanceUid, seriesInstanceUid, sopInstanceUid, true);
    throw new PacsNotFoundError(`instance ${sopInstanceUid} in series ${seriesInstanceUid} of study ${studyInstanceUid}`);
  }

  /** Frame bytes read at their offsets; 'changed' when the file is not the one indexed. */
  private async readFrames(entry: IndexedInstance, frameNumbers: readonly number[]): Promise<Buffer[] | 'changed'> {
    const { pixels } = entry.instance;
    if (pixels === null) throw new PacsBadRequestError(`instance ${entry.instance.sopInstanceUid} has no pixel data`, `l’instance ${entry.instance.sopInstanceUid} n’a pas de pixels`);
    if (entry.instance.deflated) {
      // Offsets point into the inflated dataset: the worker inflates and cuts.
      const result = await this.inspector.extractFrames(entry.path, frameNumbers);
      if (!result.ok) return 'changed';
      return result.value;
    }
    let handle;
    try {
      handle = await open(entry.path, 'r');
    } catch {
      return 'changed';
    }
    try {
      const info = await handle.stat();
      if (info.ino !== entry.state.ino || info.size !== entry.state.size || info.mtimeMs !== entry.state.mtimeMs) return 'changed';
      const read = async (offset: number, length: number): Promise<Buffer> => {
        const buffer = Buffer.alloc(length);
        const { bytesRead } = await handle.read(buffer, 0, length, offset);
        if (bytesRead !== length) throw new PacsNotFoundError(`complete frame data of instance ${entry.instance.sopInstanceUid}`);
        return buffer;
      };
      const out: Buffer[] = [];
      for (const n of frameNumbers) {
        if (pixels.kind === 'native') {
          const range = nativeFrameRange(pixels, n - 1);
          out.push(nativeFrameFromRange(await read(range.start, range.end - range.start), range.shift, range.length));
        } else {
          const fragments = pixels.frames[n - 1] ?? [];
          out.push(Buffer.concat(await Promise.all(fragments.map((f) => read(f.offset, f.length)))));
        }
      }
      return out;
    } finally {
      await handle.close();
    }
  }

  /** The study's full index, built on first use and rebuilt when its files change. */
  private async studyIndex(studyInstanceUid: string, freshScan = false): Promise<StudyIndex> {
    checkUid(studyInstanceUid, 'StudyInstanceUID');
    const snapshot: FolderSnapshot = freshScan ? await this.scanner.scan() : await this.scanner.recent(this.scanReuseMs);
    const study = snapshot.studies.get(studyInstanceUid);
    if (study === undefined) {
      // The study may be newer than the reused scan: look once more on a fresh one.
      if (!freshScan) return this.studyIndex(studyInstanceUid, true);
      this.indexes.delete(studyInstanceUid);
      throw new PacsNotFoundError(`study ${studyInstanceUid}`);
    }
    const signature = studySignature(study);
    const cached = this.indexes.get(studyInstanceUid);
    if (cached !== undefined) {
      const index = await cached.catch(() => undefined);
      if (index?.signature === signature) {
        this.indexes.delete(studyInstanceUid);
        this.indexes.set(studyInstanceUid, cached);
        return index;
      }
    }
    const building = this.buildIndex(study, signature);
    this.indexes.delete(studyInstanceUid);
    this.indexes.set(studyInstanceUid, building);
    while (this.indexes.size > this.cachedStudies) this.indexes.delete(this.indexes.keys().next().value as string);
    building.catch(() => this.indexes.delete(studyInstanceUid));
    return building;
  }

  private async buildIndex(study: ScannedStudy, signature: string): Promise<StudyIndex> {
    const entries = await Promise.all(
      study.files.map(async (file): Promise<IndexedInstance | undefined> => {
        const result = await this.inspector.inspectFile(file.path, 'full');
        if (!result.ok) {
          this.logger.warn({ problem: result.error.code, reason: result.error.message }, 'DICOM folder: a file became unusable');
          return undefined;
        }
        return { path: file.path, state: { ino: file.ino, size: file.size, mtimeMs: file.mtimeMs, ctimeMs: file.ctimeMs }, instance: result.value };
      }),
    );
    const instances = entries
      .filter((e): e is IndexedInstance => e !== undefined && e.instance.studyInstanceUid === study.studyInstanceUid)
      .sort((a, b) => compareKeys(sortKey(a.instance), sortKey(b.instance)));
    this.logger.debug({ study: study.studyInstanceUid, instances: instances.length }, 'DICOM folder: study indexed');
    return { signature, instances };
  }
}
