import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

// The first frame of an opening, asked for before the viewer runs (renderer/viewer/openingPrimer.ts):
// named by the worklist or the hub's header, fetched once into the HTTP cache, in the frame worker when it runs.
const ORIGIN = 'http://hub.test';
const STUDY = '1.2.826.0.1.3680043.8.498.7';
const LISTED = `/dicom-web/studies/${STUDY}/series/9/instances/${STUDY}.1/frames/1`;
const HEADER = `/dicom-web/studies/${STUDY}/series/9/instances/${STUDY}.2/frames/1`;
const FRAME_ACCEPT = 'multipart/related; type=application/octet-stream; transfer-syntax=*';

/** A fetch whose metadata answer waits until `release()`; frames answer at once. */
function hubFetch() {
  let release: () => void = () => undefined;
  const metadataHeld = new Promise<void>((resolve) => (release = resolve));
  const fetch = vi.fn(async (url: string, _init?: RequestInit) => {
    if (String(url).endsWith('/metadata')) {
      await metadataHeld;
      return new Response('[]', { headers: { 'content-type': 'application/dicom+json', 'x-vigie-first-frame': HEADER } });
    }
    return new Response(new Uint8Array(16), { headers: { 'content-type': 'multipart/related; type="application/octet-stream"; boundary=x' } });
  });
  return { fetch, release };
}

/** A stand-in for the browser's Worker: records what it is asked, answers when told. */
class FakeWorker {
  static last: FakeWorker | null = null;
  readonly posted: Array<{ id: number; url: string; accept: string }> = [];
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onerror: (() => void) | null = null;
  constructor(
    readonly url: URL,
    readonly options: { type: string; name: string },
  ) {
    FakeWorker.last = this;
  }
  postMessage(message: { id: number; url: string; accept: string }) {
    this.posted.push(message);
  }
  answer(id: number) {
    const now = Date.now();
    this.onmessage?.({ data: { id, ok: true, timing: { requestAt: now - 30, responseStartAt: now - 20, responseEndAt: now, transferSize: 4096 } } });
  }
}

/** The primer with a frame worker running (FakeWorker) and an opening of STUDY primed with the listed frame. */
async function primedWithWorker() {
  const hub = hubFetch();
  vi.stubGlobal('fetch', hub.fetch);
  vi.stubGlobal('Worker', FakeWorker);
  const primer = await import('../../../renderer/viewer/openingPrimer.js');
  primer.startFrameFetcher();
  const worker = FakeWorker.last as FakeWorker | null;
  primer.primeOpening(STUDY, LISTED);
  await vi.waitFor(() => expect(worker?.posted).toHaveLength(1));
  return { hub, primer, worker };
}

const settled = async (promise: Promise<unknown>) => Promise.race([promise.then(() => true), new Promise((resolve) => setTimeout(() => resolve(false), 20))]);

describe('the opening primer', () => {
  beforeEach(() => {
    vi.resetModules();
    vi.stubGlobal('location', { origin: ORIGIN });
    FakeWorker.last = null;
  });
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('asks for the frame the worklist names at once, beside the metadata, and lets the viewer wait for that one transfer', async () => {
    const hub = hubFetch();
    vi.stubGlobal('fetch', hub.fetch);
    const { primeOpening, primedFrame } = await import('../../../renderer/viewer/openingPrimer.js');
    primeOpening(STUDY, LISTED);
    await vi.waitFor(() => expect(hub.fetch.mock.calls.map(([url]) => String(url))).toContain(`${ORIGIN}${LISTED}`));
    // Before the metadata has answered: the worklist's name was enough.
    const [, init] = hub.fetch.mock.calls.find(([url]) => String(url) === `${ORIGIN}${LISTED}`) ?? [];
    expect(new Headers(init?.headers).get('accept')).toBe(FRAME_ACCEPT);
    const primed = await primedFrame(STUDY, `${ORIGIN}${LISTED}`);
    expect(primed).not.toBeNull();
    await primed?.inCache;
    expect(await primedFrame(STUDY, `${ORIGIN}${HEADER}`)).toBeNull();
    expect(await primedFrame('1.2.3', `${ORIGIN}${LISTED}`)).toBeNull();
    // A second prime of the same study is the same opening: no second transfer.
    primeOpening(STUDY, LISTED);
    expect(hub.fetch.mock.calls.filter(([url]) => String(url) === `${ORIGIN}${LISTED}`)).toHaveLength(1);
    hub.release();
  });

  it('ignores a listed path outside the study and waits for the hub to name the frame', async () => {
    const hub = hubFetch();
    vi.stubGlobal('fetch', hub.fetch);
    const { primeOpening, primedFrame } = await import('../../../renderer/viewer/openingPrimer.js');
    primeOpening(STUDY, '/dicom-web/studies/9.9.9/series/1/instances/2/frames/1');
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(hub.fetch.mock.calls.some(([url]) => String(url).includes('/frames/'))).toBe(false);
    hub.release();
    expect(await primedFrame(STUDY, `${ORIGIN}${HEADER}`)).not.toBeNull();
    expect(hub.fetch.mock.calls.map(([url]) => String(url))).toContain(`${ORIGIN}${HEADER}`);
  });

  it('hands the transfer to the frame worker when it runs: settled only when the worker says the frame is there, marked on the page', async () => {
    const { hub, primer, worker } = await primedWithWorker();
    const { primedFrame } = primer;
    expect(worker?.url.pathname).toMatch(/frameFetchWorker\.ts$/);
    expect(worker?.options.type).toBe('module');
    expect(worker?.posted[0]).toMatchObject({ url: `${ORIGIN}${LISTED}`, accept: FRAME_ACCEPT });
    // The page did not fetch the frame itself.
    expect(hub.fetch.mock.calls.some(([url]) => String(url).includes('/frames/'))).toBe(false);
    const primed = await primedFrame(STUDY, `${ORIGIN}${LISTED}`);
    expect(await settled(primed?.inCache as Promise<void>)).toBe(false);
    worker?.answer(worker.posted[0]?.id as number);
    expect(await settled(primed?.inCache as Promise<void>)).toBe(true);
    expect(performance.getEntriesByName('vigie:first-frame-in-cache', 'mark').length).toBeGreaterThan(0);
    hub.release();
  });

  it('a worker that goes quiet holds an opening 10 s at most', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const hub = hubFetch();
      vi.stubGlobal('fetch', hub.fetch);
      vi.stubGlobal('Worker', FakeWorker);
      const { primeOpening, primedFrame, startFrameFetcher } = await import('../../../renderer/viewer/openingPrimer.js');
      startFrameFetcher();
      primeOpening(STUDY, LISTED);
      const primed = await primedFrame(STUDY, `${ORIGIN}${LISTED}`);
      let done = false;
      void primed?.inCache.then(() => (done = true));
      await vi.advanceTimersByTimeAsync(9_000);
      expect(done).toBe(false);
      await vi.advanceTimersByTimeAsync(1_500);
      expect(done).toBe(true);
      hub.release();
    } finally {
      vi.useRealTimers();
    }
  });

  it('a worker that fails lets waiting openings go and the page fetches frames itself afterwards', async () => {
    const { hub, primer, worker } = await primedWithWorker();
    const { primeOpening, primedFrame } = primer;
    const primed = await primedFrame(STUDY, `${ORIGIN}${LISTED}`);
    worker?.onerror?.();
    expect(await settled(primed?.inCache as Promise<void>)).toBe(true);
    const other = '1.2.826.0.1.3680043.8.498.8';
    primeOpening(other, `/dicom-web/studies/${other}/series/9/instances/${other}.1/frames/1`);
    await vi.waitFor(() => expect(hub.fetch.mock.calls.map(([url]) => String(url))).toContain(`${ORIGIN}/dicom-web/studies/${other}/series/9/instances/${other}.1/frames/1`));
    expect(FakeWorker.last).toBe(worker);
    hub.release();
  });
});
