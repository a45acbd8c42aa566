// Every response the page received, from the DevTools protocol (the session
// that also applies the network emulation): URL, status, bytes on the wire
// (encodedDataLength: headers + body as they crossed the emulated link) and
// times. Frames are WADO-RS frame URLs, grouped by study to tell the file on
// screen from the next file's prefetch and to spot an image fetched twice.
import type { CDPSession } from 'playwright-core';

export interface LoggedResponse {
  url: string;
  status: number;
  bytes: number;
  fromCache: boolean;
  /** Monotonic seconds (CDP timestamp). */
  requestedAt: number;
  finishedAt: number;
}

const FRAME = /\/dicom-web\/studies\/([^/]+)\/series\/[^/]+\/instances\/([^/]+)\/frames\/(\d+)/;

export class NetworkLog {
  readonly responses: LoggedResponse[] = [];
  private readonly pending = new Map<string, { url: string; status: number; fromCache: boolean; requestedAt: number }>();

  constructor(cdp: CDPSession) {
    cdp.on('Network.requestWillBeSent', (e) => {
      this.pending.set(e.requestId, { url: e.request.url, status: 0, fromCache: false, requestedAt: e.timestamp });
    });
    cdp.on('Network.responseReceived', (e) => {
      const p = this.pending.get(e.requestId);
      if (p) {
        p.status = e.response.status;
        p.fromCache = e.response.fromDiskCache === true || e.response.fromServiceWorker === true;
      }
    });
    cdp.on('Network.requestServedFromCache', (e) => {
      const p = this.pending.get(e.requestId);
      if (p) p.fromCache = true;
    });
    cdp.on('Network.loadingFinished', (e) => {
      const p = this.pending.get(e.requestId);
      if (!p) return;
      this.pending.delete(e.requestId);
      this.responses.push({ ...p, bytes: e.encodedDataLength, finishedAt: e.timestamp });
    });
    cdp.on('Network.loadingFailed', (e) => {
      const p = this.pending.get(e.requestId);
      if (!p) return;
      this.pending.delete(e.requestId);
      this.responses.push({ ...p, status: p.status || -1, bytes: 0, finishedAt: e.timestamp });
    });
  }

  /** Frame responses (optionally of one study), in completion order. */
  frames(studyUid?: string): Array<LoggedResponse & { study: string; key: string }> {
    const out: Array<LoggedResponse & { study: string; key: string }> = [];
    for (const r of this.responses) {
      const m = FRAME.exec(r.url);
      if (!m?.[1] || (studyUid !== undefined && decodeURIComponent(m[1]) !== studyUid)) continue;
      out.push({ ...r, study: decodeURIComponent(m[1]), key: `${m[2]}/${m[3]}` });
    }
    return out;
  }

  /** Frames of a study that were fetched more than once over the network (cache hits do not count). */
  duplicates(studyUid: string): number {
    const seen = new Map<string, number>();
    for (const f of this.frames(studyUid)) if (!f.fromCache && f.status === 200) seen.set(f.key, (seen.get(f.key) ?? 0) + 1);
    return [...seen.values()].reduce((n, c) => n + Math.max(0, c - 1), 0);
  }

  /** Requests sent and not finished yet (for a failure message). */
  pendingUrls(): string[] {
    return [...this.pending.values()].map((p) => `${p.status || '…'} ${p.url}`);
  }

  /** Count of responses so far (to take the ones after a point). */
  get size(): number {
    return this.responses.length;
  }
}
