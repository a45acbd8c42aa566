import { createHash } from 'node:crypto';
import { TAG, firstNumber, firstString, type DicomJsonDataset } from './dicomJson.js';
import { fetchDicomJson, fetchInstanceMetadata } from './dicomwebMetadata.js';
import type { ChangesPage } from './pacsAdapter.js';
import { PacsCursorError, PacsNotFoundError } from './pacsErrors.js';
import type { PacsHttpClient } from './pacsHttpClient.js';
import type { PacsLogger } from './pacsLogger.js';
import { buildQidoQueryString, type QueryEncoding } from './qidoQuery.js';
import { buildStableStudy, type SeriesSummary, type StableStudy } from './stableStudy.js';
import { isValidUid } from './uid.js';

/**
 * Ingestion from any DICOMweb archive by QIDO-RS polling: a study is stable
 * when its NumberOfStudyRelatedInstances has not changed for
 * `stabilityDelayMs` across polls. The caller polls (calls changes()) every
 * few seconds; each call is one poll.
 *
 * The cursor carries the whole observation state, so that replaying it
 * after a crash gives the same answers (at least once) and the adapter
 * holds no state of its own: for each study in the window, a short hash of
 * its UID → [instance count, when that count was first seen, reported?].
 * ~30 bytes a study: a two-day window of a busy region stays under 20 kB.
 *
 * The window is by StudyDate (QIDO has no reception time): studies dated
 * more than `windowDays` ago are not watched. `receivedAt` is when the
 * poller first saw the study's final count.
 */

export interface QidoPollerOptions {
  stabilityDelayMs: number;
  /** StudyDate window watched, in days back from today; null: every study. */
  windowDays: number | null;
  /** reconcile(since) lists studies dated from `since` minus this many days; null: every study. */
  reconcileLookbackDays: number | null;
  pageSize: number;
  /** At most pageSize × maxPages studies per poll. */
  maxPages: number;
  logger: PacsLogger;
}

type Observation = [count: number, sinceMs: number, reported: 0 | 1];

interface PollState {
  v: 1;
  s: Record<string, Observation>;
}

const CURSOR_PREFIX = 'qido:';
const DAY_MS = 86_400_000;

function uidKey(uid: string): string {
  return createHash('sha256').update(uid).digest('base64url').slice(0, 12);
}

function encodeCursor(state: PollState): string {
  return `${CURSOR_PREFIX}${Buffer.from(JSON.stringify(state)).toString('base64url')}`;
}

function decodeCursor(cursor: string | null): PollState {
  if (cursor === null) return { v: 1, s: {} };
  if (!cursor.startsWith(CURSOR_PREFIX)) {
    throw new PacsCursorError(`"${cursor.slice(0, 40)}" is not a QIDO polling cursor (was the adapter switched from Orthanc's change feed or from a folder?)`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor.slice(CURSOR_PREFIX.length), 'base64url').toString('utf8'));
  } catch {
    throw new PacsCursorError('the QIDO polling cursor is corrupt');
  }
  const state = parsed as Partial<PollState> | null;
  if (state?.v !== 1 || typeof state.s !== 'object' || state.s === null) throw new PacsCursorError('the QIDO polling cursor is corrupt');
  return state as PollState;
}

/** YYYYMMDD of an instant, in UTC (StudyDate windows are whole days with a day of slack). */
function dicomDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10).replace(/-/g, '');
}

export class QidoPoller {
  constructor(
    private readonly dicomweb: PacsHttpClient,
    private readonly encoding: () => Promise<QueryEncoding>,
    private readonly options: QidoPollerOptions,
  ) {}

  async changes(cursor: string | null): Promise<ChangesPage> {
    const previous = decodeCursor(cursor);
    const now = Date.now();
    const rows = await this.listStudies(this.options.windowDays === null ? null : now - this.options.windowDays * DAY_MS);
    const next: PollState = { v: 1, s: {} };
    const ready: { uid: string; row: DicomJsonDataset; key: string; sinceMs: number }[] = [];
    for (const row of rows) {
      const uid = firstString(row, TAG.StudyInstanceUID);
      if (!isValidUid(uid)) continue;
      const count = firstNumber(row, TAG.NumberOfStudyRelatedInstances) ?? 0;
      const key = uidKey(uid);
      const seen = previous.s[key];
      if (seen === undefined || seen[0] !== count) next.s[key] = [count, now, 0];
      else if (seen[2] === 0 && now - seen[1] >= this.options.stabilityDelayMs) {
        next.s[key] = [count, seen[1], 1];
        ready.push({ uid, row, key, sinceMs: seen[1] });
      } else next.s[key] = seen;
    }
    const studies: StableStudy[] = [];
    for (const { uid, row, key, sinceMs } of ready) {
      const study = await this.describe(uid, row, new Date(sinceMs));
      if (study === undefined) delete next.s[key];
      else studies.push(study);
    }
    if (studies.length > 0) this.options.logger.info({ studies: studies.length, watched: rows.length }, 'QIDO polling: studies became stable');
    return { studies, cursor: encodeCursor(next), done: true };
  }

  /** Every study in the window counted as already reported at its current count. */
  async headCursor(): Promise<string> {
    const now = Date.now();
    const rows = await this.listStudies(this.options.windowDays === null ? null : now - this.options.windowDays * DAY_MS);
    const state: PollState = { v: 1, s: {} };
    for (const row of rows) {
      const uid = firstString(row, TAG.StudyInstanceUID);
      if (isValidUid(uid)) state.s[uidKey(uid)] = [firstNumber(row, TAG.NumberOfStudyRelatedInstances) ?? 0, now, 1];
    }
    return encodeCursor(state);
  }

  /**
   * Every study dated from `since` minus the lookback. A generic archive has
   * no reception time, so this is a superset, and `receivedAt` is now.
   */
  async reconcile(since: Date): Promise<StableStudy[]> {
    const lookback = this.options.reconcileLookbackDays;
    const rows = await this.listStudies(lookback === null ? null : since.getTime() - lookback * DAY_MS);
    const now = new Date();
    const studies: StableStudy[] = [];
    for (const row of rows) {
      const uid = firstString(row, TAG.StudyInstanceUID);
      if (!isValidUid(uid)) continue;
      const study = await this.describe(uid, row, now);
      if (study !== undefined) studies.push(study);
    }
    return studies;
  }

  private async listStudies(fromMs: number | null): Promise<DicomJsonDataset[]> {
    const encoding = await this.encoding();
    const rows: DicomJsonDataset[] = [];
    const { pageSize, maxPages } = this.options;
    for (let page = 0; page < maxPages; page++) {
      const query = buildQidoQueryString(
        {
          match: fromMs === null ? {} : { StudyDate: `${dicomDate(fromMs)}-` },
          includefield: ['NumberOfStudyRelatedInstances', 'NumberOfStudyRelatedSeries', 'ModalitiesInStudy'],
          limit: pageSize,
          offset: page * pageSize,
        },
        encoding,
      );
      const batch = await fetchDicomJson(this.dicomweb, `/studies?${query}`, 'studies');
      rows.push(...batch);
      if (batch.length < pageSize) return rows;
    }
    this.options.logger.warn({ studies: rows.length }, 'QIDO polling: more studies in the window than one poll reads; narrow windowDays');
    return rows;
  }

  /** Series, one instance's metadata, then the StableStudy; undefined if the study is gone or unusable. */
  private async describe(uid: string, row: DicomJsonDataset, receivedAt: Date): Promise<StableStudy | undefined> {
    try {
      const seriesRows = await fetchDicomJson(
        this.dicomweb,
        `/studies/${uid}/series?includefield=00180015,00201209,00080060,00200011`,
        `series of study ${uid}`,
      );
      const series = seriesRows
        .map((s) => ({
          uid: firstString(s, TAG.SeriesInstanceUID),
          number: firstNumber(s, TAG.SeriesNumber) ?? Number.MAX_SAFE_INTEGER,
          summary: {
            modality: firstString(s, TAG.Modality) ?? null,
            bodyPartExamined: firstString(s, TAG.BodyPartExamined) ?? null,
            instanceCount: firstNumber(s, TAG.NumberOfSeriesRelatedInstances) ?? 0,
          } satisfies SeriesSummary,
        }))
        .filter((s): s is typeof s & { uid: string } => isValidUid(s.uid))
        .sort((a, b) => a.number - b.number);
      const main = series[0];
      if (main === undefined) return undefined;
      const [first] = await fetchDicomJson(this.dicomweb, `/studies/${uid}/series/${main.uid}/instances?limit=1`, `instances of series ${main.uid}`);
      const sopUid = first === undefined ? undefined : firstString(first, TAG.SOPInstanceUID);
      if (!isValidUid(sopUid)) return undefined;
      const dataset = await fetchInstanceMetadata(this.dicomweb, uid, main.uid, sopUid);
      return buildStableStudy({
        studyInstanceUid: uid,
        instance: dataset,
        series: series.map((s) => s.summary),
        sourceAet: null,
        receivedAt,
        numberOfInstances: firstNumber(row, TAG.NumberOfStudyRelatedInstances),
      });
    } catch (error) {
      if (error instanceof PacsNotFoundError) return undefined;
      if ((error as Error).name === 'ZodError') {
        this.options.logger.warn({ reason: (error as Error).message.slice(0, 300) }, 'QIDO polling: a study cannot be described; skipped');
        return undefined;
      }
      throw error;
    }
  }
}
