import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { firstSeries, seriesFrom } from '../../core/seriesOrder.js';
import type { DicomJsonDataset } from '../pacs/dicomJson.js';
import { readAll } from '../pacs/multipart.js';
import type { PacsAdapter } from '../pacs/pacsAdapter.js';
import { BoundedLru } from './boundedLru.js';
import { codableSyntax, encodedFrame } from './frameEncoding.js';
import { servedMetadata } from './servedMetadata.js';
import { etagOf, gzipped } from './responses.js';

const gunzipAsync = promisify(gunzip);

/** A study's WADO-RS metadata as the proxy sends it: gzip body, ETag, and how many instances it names. */
export interface PreparedMetadata {
  etag: string;
  gzip: Buffer;
  instances: number;
  /** The PACS's fingerprint of the study when this was prepared (null: never reused). */
  fingerprint: string | null;
  /** The frame the viewer opens on (relative WADO-RS path), sent as a header so the page can ask for it before parsing the metadata. */
  firstFramePath: string | null;
  firstFrame: { series: string; sop: string; frame: number } | null;
}

/** The response header naming the first frame (same origin: the page reads it). */
export const FIRST_FRAME_HEADER = 'x-vigie-first-frame';

/** The frame a viewer shows first, as the PACS sent it (never decoded). */
export interface PreparedFrame {
  fingerprint: string;
  series: string;
  sop: string;
  frame: number;
  contentType: string;
  /** The syntax the frame is in (as the PACS said): whether it may be content-coded (frameEncoding.ts). */
  transferSyntaxUid: string;
  body: Buffer;
}

/** Studies kept prepared (a 300-slice CT is ~20 KiB gzipped: a few MB at most). */
export const METADATA_STUDIES = 64;
/** First frames kept (an uncompressed 512 × 512 CT frame is 512 KiB: 16 MB at most). */
export const FIRST_FRAMES = 32;

/**
 * The study metadata the viewer opens with, prepared ahead. Orthanc takes
 * ~300 ms to build the metadata of a 300-instance study (it reads every
 * file) and the hub as long again to rewrite and compress its 1.5 MB: half a
 * second before a reader's first image can even be asked for. The hub
 * prepares it when a study becomes a tele-file and when a reader claims one,
 * and keeps the prepared answer.
 *
 * With the metadata, the frame the viewer opens on (the first image of the
 * first series, in the reading order the viewer uses, core/seriesOrder.ts)
 * is read from the PACS and kept: the PACS's own time for it (~70 ms for
 * Orthanc) is off the first image's path too.
 *
 * Never stale: each use first asks the PACS for the study's fingerprint
 * (`PacsAdapter.studyFingerprint`: for Orthanc, its study's LastUpdate — it
 * moves with every instance stored or deleted, even under the same UIDs) and
 * prepares again when it moved: a late series is shown, a study stored again
 * is read again. A PACS that has no fingerprint gets every request passed on,
 * as before (nothing is kept).
 */
function framePath(studyUid: string, frame: { series: string; sop: string; frame: number }): string {
  return `/dicom-web/studies/${encodeURIComponent(studyUid)}/series/${encodeURIComponent(frame.series)}/instances/${encodeURIComponent(frame.sop)}/frames/${frame.frame}`;
}

export class StudyMetadataCache {
  private readonly prepared = new BoundedLru<string, Promise<PreparedMetadata>>(METADATA_STUDIES);
  private readonly firstFrames = new BoundedLru<string, PreparedFrame>(FIRST_FRAMES);
  private readonly fingerprinting = new Map<string, Promise<string | null>>();

  constructor(private readonly pacs: () => PacsAdapter | null) {}

  /** The prepared metadata of a study, prepared now if it is missing or out of date. */
  async metadata(studyUid: string): Promise<PreparedMetadata> {
    const kept = this.prepared.get(studyUid);
    if (kept) {
      // A preparation that fails while this request waits for it is this request's answer too (one PACS call, not two).
      const [entry, now] = await Promise.all([kept, this.fingerprint(studyUid)]);
      if (now !== null && entry.fingerprint === now) {
        // Its first frame could not be read when it was prepared (the PACS busy storing): again, in the background.
        this.ensureFirstFrame(studyUid, entry);
        return entry;
      }
      const newer = this.prepared.get(studyUid);
      if (newer && newer !== kept) return newer;
    }
    return this.prepare(studyUid);
  }

  /** Prepares a study's metadata in the background (a study to be read soon); errors wait for the reader's own request. */
  warm(studyUid: string): void {
    const kept = this.prepared.get(studyUid);
    if (!kept) {
      this.prepare(studyUid).catch(() => undefined);
      return;
    }
    // Prepared while the PACS could not fingerprint it, or without its first frame: the claim is a quieter moment.
    void kept
      .then((entry) => {
        if (entry.fingerprint === null) this.prepare(studyUid).catch(() => undefined);
        else this.ensureFirstFrame(studyUid, entry);
      })
      .catch(() => undefined);
  }

  private ensureFirstFrame(studyUid: string, entry: PreparedMetadata): void {
    const pacs = this.pacs();
    if (!pacs || entry.fingerprint === null || entry.firstFrame === null || this.firstFrames.get(studyUid)) return;
    void this.prepareFirstFrame(pacs, studyUid, { ...entry.firstFrame, fingerprint: entry.fingerprint });
  }

  /** The study's first frame when it is the one asked for (one frame) and the study has not changed since it was read. */
  async firstFrame(studyUid: string, series: string, sop: string, frames: readonly number[]): Promise<PreparedFrame | null> {
    const kept = this.firstFrames.get(studyUid);
    if (!kept || frames.length !== 1 || kept.series !== series || kept.sop !== sop || kept.frame !== frames[0]) return null;
    if ((await this.fingerprint(studyUid)) === kept.fingerprint) return kept;
    if (this.firstFrames.get(studyUid) === kept) this.firstFrames.delete(studyUid);
    return null;
  }

  /** The path of a study's first frame when its bytes are ready here (for the worklist's hint), else null. */
  firstFramePathOf(studyUid: string): string | null {
    const kept = this.firstFrames.get(studyUid);
    return kept ? framePath(studyUid, kept) : null;
  }

  /** The JSON text of prepared metadata, for a client that does not take gzip. */
  static async text(prepared: PreparedMetadata): Promise<string> {
    return (await gunzipAsync(prepared.gzip)).toString('utf8');
  }

  private prepare(studyUid: string): Promise<PreparedMetadata> {
    const pacs = this.pacs();
    if (!pacs) return Promise.reject(new Error('no pivot PACS is configured'));
    const entry = (async () => {
      // Taken before the metadata: a change while it is read makes the next use prepare again.
      const fingerprint = await this.fingerprint(studyUid);
      const datasets: DicomJsonDataset[] = await pacs.studyMetadata(studyUid);
      const json = JSON.stringify(await servedMetadata(pacs, studyUid, datasets));
      const series = firstSeries(seriesFrom(datasets));
      const first = series?.instances[0];
      const firstFrame = series && first ? { series: series.seriesInstanceUid, sop: first.sopInstanceUid, frame: first.frameNumber } : null;
      // In the background: the metadata is answered without waiting for it.
      if (firstFrame && fingerprint !== null) void this.prepareFirstFrame(pacs, studyUid, { ...firstFrame, fingerprint });
      return {
        etag: etagOf(json),
        gzip: await gzipped(json),
        instances: datasets.length,
        fingerprint,
        firstFramePath: firstFrame ? framePath(studyUid, firstFrame) : null,
        firstFrame,
      };
    })();
    this.prepared.set(studyUid, entry);
    // A failure is not kept: the next request asks the PACS again (and answers its error).
    entry.catch(() => {
      if (this.prepared.get(studyUid) === entry) this.prepared.delete(studyUid);
    });
    return entry;
  }

  private async prepareFirstFrame(pacs: PacsAdapter, studyUid: string, first: { fingerprint: string; series: string; sop: string; frame: number }): Promise<void> {
    try {
      const kept = this.firstFrames.get(studyUid);
      if (kept && kept.fingerprint === first.fingerprint && kept.series === first.series && kept.sop === first.sop && kept.frame === first.frame) return;
      const result = await pacs.frames(studyUid, first.series, first.sop, [first.frame]);
      const body = await readAll(result.body);
      this.firstFrames.set(studyUid, { ...first, contentType: result.contentType, transferSyntaxUid: result.transferSyntaxUid, body });
      // Coded now for the browsers' codings (a few milliseconds each), not while the reader waits.
      if (codableSyntax(result.transferSyntaxUid)) await Promise.all([encodedFrame(body, 'gzip'), encodedFrame(body, 'br')]);
    } catch {
      // The viewer's own request reads it from the PACS then (and answers any error).
    }
  }

  /**
   * The PACS's fingerprint of the study now. Requests that arrive together
   * (an opening asks for the metadata and the first frame in the same
   * instant) share one PACS call in flight: an answer started a moment ago
   * is as current as a new one, and it is one round trip to the PACS less
   * before the first byte.
   */
  private fingerprint(studyUid: string): Promise<string | null> {
    const inFlight = this.fingerprinting.get(studyUid);
    if (inFlight) return inFlight;
    const asked = (async () => {
      try {
        return (await this.pacs()?.studyFingerprint(studyUid)) ?? null;
      } catch {
        return null;
      }
    })();
    this.fingerprinting.set(studyUid, asked);
    void asked.finally(() => {
      if (this.fingerprinting.get(studyUid) === asked) this.fingerprinting.delete(studyUid);
    });
    return asked;
  }
}
