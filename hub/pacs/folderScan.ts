import { readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { DicomProblem, DicomInspector, InspectedInstance } from './untrustedDicom.js';
import type { PacsLogger } from './pacsLogger.js';

/**
 * The folder PACS as files on disk: walks the tree, inspects each new or
 * changed file once (in the parse worker, summary mode), and groups the
 * usable ones by StudyInstanceUID. Unchanged files (same inode, size, mtime
 * and ctime) reuse the previous inspection, so a scan of a quiet folder is
 * a walk and a stat per file.
 */

export interface FileState {
  ino: number;
  size: number;
  mtimeMs: number;
  ctimeMs: number;
}

export interface ScannedFile extends FileState {
  path: string;
  /**
   * max(ctime, mtime): ctime also moves when a file is renamed or copied in
   * with its old mtime kept (`cp -p`, rsync), and cannot be set back.
   */
  changedAtMs: number;
  summary: InspectedInstance;
}

export interface ScannedStudy {
  studyInstanceUid: string;
  /** Usable files, one per SOP Instance UID (the most recently changed copy). */
  files: ScannedFile[];
  /** When the study last changed: its most recently changed file. */
  changedAtMs: number;
}

export interface FolderSnapshot {
  /** When the walk started: every change before this instant is in the snapshot. */
  takenAtMs: number;
  studies: ReadonlyMap<string, ScannedStudy>;
  /** Files that are not usable DICOM (reported once each in the log). */
  unusableFiles: number;
}

type Inspected = { state: FileState; result: { ok: true; value: InspectedInstance } | { ok: false; error: DicomProblem } };

function sameState(a: FileState, b: FileState): boolean {
  return a.ino === b.ino && a.size === b.size && a.mtimeMs === b.mtimeMs && a.ctimeMs === b.ctimeMs;
}

/** Hidden files (temporary names of atomic writes), DICOMDIR indexes and symbolic links are skipped. */
function skipped(relativePath: string): boolean {
  return relativePath.split(sep).some((part) => part.startsWith('.')) || relativePath.endsWith('DICOMDIR');
}

export class FolderScanner {
  private readonly known = new Map<string, Inspected>();
  private inFlight: Promise<FolderSnapshot> | undefined;
  private last: FolderSnapshot | undefined;

  constructor(
    readonly folder: string,
    private readonly inspector: DicomInspector,
    private readonly logger: PacsLogger,
    private readonly parallelInspections = 4,
  ) {}

  /** A fresh scan (joins one already running). */
  scan(): Promise<FolderSnapshot> {
    this.inFlight ??= this.walk().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  /** The last snapshot if it is younger than `maxAgeMs`, else a fresh scan. */
  async recent(maxAgeMs: number): Promise<FolderSnapshot> {
    if (this.last !== undefined && Date.now() - this.last.takenAtMs <= maxAgeMs) return this.last;
    return this.scan();
  }

  private async walk(): Promise<FolderSnapshot> {
    const takenAtMs = Date.now();
    let entries;
    try {
      entries = await readdir(this.folder, { recursive: true, withFileTypes: true });
    } catch (error) {
      throw new Error(`The DICOM folder ${this.folder} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, {
        cause: error,
      });
    }
    const paths = entries
      .filter((entry) => entry.isFile())
      .map((entry) => join(entry.parentPath, entry.name))
      .filter((path) => !skipped(relative(this.folder, path)));

    const seen = new Set<string>();
    const queue = [...paths];
    const work = async (): Promise<void> => {
      for (let path = queue.shift(); path !== undefined; path = queue.shift()) {
        seen.add(path);
        await this.refresh(path);
      }
    };
    await Promise.all(Array.from({ length: this.parallelInspections }, work));
    for (const path of this.known.keys()) if (!seen.has(path)) this.known.delete(path);

    const studies = new Map<string, ScannedStudy>();
    let unusableFiles = 0;
    for (const [path, { state, result }] of this.known) {
      if (!result.ok) {
        unusableFiles += 1;
        continue;
      }
      const file: ScannedFile = { ...state, path, changedAtMs: Math.max(state.ctimeMs, state.mtimeMs), summary: result.value };
      const uid = result.value.studyInstanceUid;
      const study = studies.get(uid) ?? { studyInstanceUid: uid, files: [], changedAtMs: 0 };
      studies.set(uid, study);
      const twin = study.files.findIndex((f) => f.summary.sopInstanceUid === file.summary.sopInstanceUid);
      if (twin < 0) study.files.push(file);
      else if ((study.files[twin] as ScannedFile).changedAtMs < file.changedAtMs) study.files[twin] = file;
      study.changedAtMs = Math.max(study.changedAtMs, file.changedAtMs);
    }
    const snapshot: FolderSnapshot = { takenAtMs, studies, unusableFiles };
    this.last = snapshot;
    return snapshot;
  }

  /** Inspects a file if it is new or changed since the last scan. */
  private async refresh(path: string): Promise<void> {
    let info;
    try {
      info = await stat(path);
    } catch {
      this.known.delete(path); // removed during the walk
      return;
    }
    const state: FileState = { ino: info.ino, size: info.size, mtimeMs: info.mtimeMs, ctimeMs: info.ctimeMs };
    const previous = this.known.get(path);
    if (previous !== undefined && sameState(previous.state, state)) return;
    const result = await this.inspector.inspectFile(path, 'summary');
    if (!result.ok) {
      this.logger.warn({ problem: result.error.code, reason: result.error.message }, 'DICOM folder: a file is not usable and is ignored');
      this.logger.debug({ file: relative(this.folder, path) }, 'DICOM folder: unusable file');
    }
    this.known.set(path, { state, result });
  }
}
