import { z } from 'zod';
import type { ChangesPage } from './pacsAdapter.js';
import { PacsCursorError, PacsNotFoundError, PacsResponseError } from './pacsErrors.js';
import type { PacsHttpClient } from './pacsHttpClient.js';
import type { PacsLogger } from './pacsLogger.js';
import { fetchInstanceMetadata } from './dicomwebMetadata.js';
import { buildStableStudy, type SeriesSummary, type StableStudy } from './stableStudy.js';
import { isValidUid } from './uid.js';

/**
 * Ingestion from Orthanc's change feed (`GET /changes?since=N&limit=M`).
 * The cursor is "orthanc:<last change seq>". A `StableStudy` change (emitted
 * StableAge seconds after a study's last instance) becomes a StableStudy,
 * described from Orthanc's REST API (`/studies/{id}`, its series, the
 * RemoteAET metadata of one instance) and that instance's WADO-RS metadata.
 *
 * Orthanc 1.10 writes change and LastUpdate dates in UTC without a zone:
 * with TZ=America/New_York given to Orthanc, the stamps still read UTC
 * (PITFALLS says "local time"; on these UTC machines both read the same).
 * `timestamps: 'local'` reads them as the hub's local time instead.
 */

const Change = z.object({ ChangeType: z.string(), Date: z.string(), ID: z.string(), ResourceType: z.string(), Seq: z.number() });
const ChangesAnswer = z.object({ Changes: z.array(Change), Done: z.boolean(), Last: z.number() });
const OrthancStudy = z.object({
  ID: z.string(),
  IsStable: z.boolean().optional(),
  LastUpdate: z.string().optional(),
  MainDicomTags: z.object({ StudyInstanceUID: z.string() }),
});
const OrthancSeries = z.object({
  ID: z.string(),
  Instances: z.array(z.string()),
  MainDicomTags: z.object({
    SeriesInstanceUID: z.string(),
    Modality: z.string().optional(),
    BodyPartExamined: z.string().optional(),
    SeriesNumber: z.string().optional(),
  }),
});
const OrthancInstance = z.object({ MainDicomTags: z.object({ SOPInstanceUID: z.string() }) });
const OrthancMetadata = z.record(z.string(), z.unknown());

type ChangeRecord = z.infer<typeof Change>;

const CURSOR_PREFIX = 'orthanc:';
/** Orthanc resource IDs are SHA-1 groups in hex: never put anything else in a path. */
const ORTHANC_ID = /^[0-9a-f]{8}(-[0-9a-f]{8}){4}$/;

export interface OrthancChangeFeedOptions {
  /** Changes read per call. Default 1 000. */
  pageSize?: number;
  timestamps?: 'utc' | 'local';
  logger: PacsLogger;
}

/** "20261122T233629" → Date. */
export function parseOrthancDate(value: string, timestamps: 'utc' | 'local'): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})/.exec(value);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  return timestamps === 'utc' ? new Date(Date.UTC(y, mo - 1, d, h, mi, s)) : new Date(y, mo - 1, d, h, mi, s);
}

function parse<T>(schema: z.ZodType<T>, value: unknown, url: string): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new PacsResponseError(url, `unexpected answer (${result.error.issues[0]?.message ?? 'shape'})`);
  return result.data;
}

export class OrthancChangeFeed {
  private readonly pageSize: number;
  private readonly timestamps: 'utc' | 'local';
  private readonly logger: PacsLogger;

  constructor(
    private readonly rest: PacsHttpClient,
    private readonly dicomweb: PacsHttpClient,
    options: OrthancChangeFeedOptions,
  ) {
    this.pageSize = options.pageSize ?? 1_000;
    this.timestamps = options.timestamps ?? 'utc';
    this.logger = options.logger;
  }

  async changes(cursor: string | null): Promise<ChangesPage> {
    const since = this.parseCursor(cursor);
    let page = await this.page(since, this.pageSize);
    if (page.Last < since) {
      // Orthanc answers Last < since only when its change log restarted (new database): read it from the start.
      this.logger.warn({ cursor: since, last: page.Last }, 'Orthanc change log is behind the saved cursor (new database?); reading it from the start');
      page = await this.page(0, this.pageSize);
    }
    const stable = [...new Set(page.Changes.filter((c) => c.ChangeType === 'StableStudy').map((c) => c.ID))];
    const studies = await this.describeAll(stable, false);
    if (studies.length > 0) this.logger.info({ studies: studies.length, last: page.Last }, 'Orthanc: studies became stable');
    return { studies, cursor: `${CURSOR_PREFIX}${page.Last}`, done: page.Done };
  }

  async headCursor(): Promise<string> {
    return `${CURSOR_PREFIX}${await this.lastSeq()}`;
  }

  /**
   * Studies with a change since `since` in the change log that are stable
   * now. Finds the first such change by bisection (changes are in date
   * order), then reads the log forward: a study counts when a study- or
   * series-level change names it (NewStudy, NewSeries, StableStudy…).
   * Unstable ones are left out: their StableStudy event is still to come.
   */
  async reconcile(since: Date): Promise<StableStudy[]> {
    const last = await this.lastSeq();
    if (last === 0) return [];
    const threshold = Math.floor(since.getTime() / 1000) * 1000;
    const isAfter = async (x: number): Promise<boolean> => {
      const first = (await this.page(x, 1)).Changes[0];
      if (first === undefined) return true;
      const date = parseOrthancDate(first.Date, this.timestamps);
      return date === undefined || date.getTime() >= threshold;
    };
    let start = 0;
    if (!(await isAfter(0))) {
      let lo = 0;
      let hi = last;
      while (hi - lo > 1) {
        const mid = Math.floor((lo + hi) / 2);
        if (await isAfter(mid)) hi = mid;
        else lo = mid;
      }
      start = hi;
    }

    const studyIds = new Set<string>();
    const seriesIds = new Set<string>();
    for (let from = start; ; ) {
      const page = await this.page(from, this.pageSize);
      for (const change of page.Changes) this.collect(change, studyIds, seriesIds);
      if (page.Done || page.Changes.length === 0) break;
      from = page.Last;
    }
    for (const seriesId of seriesIds) {
      if (!ORTHANC_ID.test(seriesId)) continue;
      try {
        const parent = (await this.rest.json({ path: `/series/${seriesId}` })) as { ParentStudy?: unknown } | null;
        if (typeof parent?.ParentStudy === 'string') studyIds.add(parent.ParentStudy);
      } catch (error) {
        if (!(error instanceof PacsNotFoundError)) throw error;
      }
    }
    const studies = await this.describeAll([...studyIds], true);
    this.logger.info({ studies: studies.length, fromSeq: start, toSeq: last }, 'Orthanc: reconciled from the change log');
    return studies;
  }

  private collect(change: ChangeRecord, studyIds: Set<string>, seriesIds: Set<string>): void {
    if (change.ResourceType === 'Study') studyIds.add(change.ID);
    else if (change.ResourceType === 'Series') seriesIds.add(change.ID);
  }

  private parseCursor(cursor: string | null): number {
    if (cursor === null) return 0;
    const value = cursor.startsWith(CURSOR_PREFIX) ? Number(cursor.slice(CURSOR_PREFIX.length)) : NaN;
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new PacsCursorError(`"${cursor.slice(0, 40)}" is not an Orthanc change-feed cursor (was the adapter switched to QIDO polling or to a folder?)`);
    }
    return value;
  }

  private async page(since: number, limit: number): Promise<z.infer<typeof ChangesAnswer>> {
    const path = `/changes?since=${since}&limit=${limit}`;
    return parse(ChangesAnswer, await this.rest.json({ path }), this.rest.displayUrl(path));
  }

  private async lastSeq(): Promise<number> {
    return (await this.page(0, 0)).Last;
  }

  private async describeAll(ids: readonly string[], stableOnly: boolean): Promise<StableStudy[]> {
    const out: StableStudy[] = [];
    for (const id of ids) {
      const study = await this.describe(id, stableOnly);
      if (study !== undefined) out.push(study);
    }
    return out;
  }

  /** The StableStudy for an Orthanc study ID; undefined when it is gone, unstable (if asked) or unusable. */
  private async describe(id: string, stableOnly: boolean): Promise<StableStudy | undefined> {
    if (!ORTHANC_ID.test(id)) {
      this.logger.warn({ id: id.slice(0, 60) }, 'Orthanc: a change names a resource ID of unexpected form; skipped');
      return undefined;
    }
    try {
      const studyPath = `/studies/${id}`;
      const study = parse(OrthancStudy, await this.rest.json({ path: studyPath }), this.rest.displayUrl(studyPath));
      if (stableOnly && study.IsStable === false) return undefined;
      const studyUid = study.MainDicomTags.StudyInstanceUID;
      if (!isValidUid(studyUid)) {
        this.logger.warn({ id }, 'Orthanc: a study has an illegal StudyInstanceUID; skipped');
        return undefined;
      }
      const seriesPath = `/studies/${id}/series`;
      const series = parse(z.array(OrthancSeries), await this.rest.json({ path: seriesPath }), this.rest.displayUrl(seriesPath));
      const withInstances = series
        .filter((s) => s.Instances.length > 0 && isValidUid(s.MainDicomTags.SeriesInstanceUID))
        .sort((a, b) => Number(a.MainDicomTags.SeriesNumber ?? Infinity) - Number(b.MainDicomTags.SeriesNumber ?? Infinity));
      const main = withInstances[0];
      const instanceId = main?.Instances[0];
      if (main === undefined || instanceId === undefined || !ORTHANC_ID.test(instanceId)) return undefined;

      const instancePath = `/instances/${instanceId}`;
      const instance = parse(OrthancInstance, await this.rest.json({ path: instancePath }), this.rest.displayUrl(instancePath));
      const metadataPath = `/instances/${instanceId}/metadata?expand`;
      const metadata = parse(OrthancMetadata, await this.rest.json({ path: metadataPath }), this.rest.displayUrl(metadataPath));
      const sopUid = instance.MainDicomTags.SOPInstanceUID;
      if (!isValidUid(sopUid)) return undefined;
      const dataset = await fetchInstanceMetadata(this.dicomweb, studyUid, main.MainDicomTags.SeriesInstanceUID, sopUid);
      const summaries: SeriesSummary[] = series.map((s) => ({
        modality: s.MainDicomTags.Modality ?? null,
        bodyPartExamined: s.MainDicomTags.BodyPartExamined ?? null,
        instanceCount: s.Instances.length,
      }));
      const receivedAt = (study.LastUpdate === undefined ? undefined : parseOrthancDate(study.LastUpdate, this.timestamps)) ?? new Date();
      const remoteAet = metadata['RemoteAET'];
      this.logger.debug({ study: studyUid, series: series.length }, 'Orthanc: study described');
      return buildStableStudy({
        studyInstanceUid: studyUid,
        instance: dataset,
        series: summaries,
        sourceAet: typeof remoteAet === 'string' ? remoteAet : null,
        receivedAt,
      });
    } catch (error) {
      if (error instanceof PacsNotFoundError) {
        this.logger.debug({ id }, 'Orthanc: study deleted before it could be described');
        return undefined;
      }
      if (error instanceof z.ZodError) {
        this.logger.warn({ id, reason: error.issues[0]?.message }, 'Orthanc: a study cannot be described; skipped');
        return undefined;
      }
      throw error;
    }
  }
}
