// In-page timing for the viewer bench. Plain JavaScript in strings (tsx would
// wrap TypeScript functions in helpers the page does not have): installed
// once the worklist shows (the app is a single page: hash routes, no reload),
// it timestamps with the page's own performance.now():
// - the click on a worklist row's "Ouvrir" link and the Shift+N key (capture
//   phase, before the app sees them);
// - on every animation frame: the first frame where a cell shows an image of
//   the awaited study (window.vigieViewer.cells(), state 'shown'), and the
//   first frame where that series' progress bar counts every image loaded;
// - Cornerstone's IMAGE_RENDERED events (they do not bubble, but a capture
//   listener on window sees every event of the document).

export const INSTALL_PAGE_PROBE = `(() => {
  if (window.__bench) return;
  // Every frame request of a 1 000-image series must stay listed (the default buffer keeps 250).
  performance.setResourceTimingBufferSize(20000);
  const b = (window.__bench = { startAt: null, startedBy: null, target: null, shownAt: null, shownImageId: null, loadedAt: null, loadedCount: 0, renders: 0, renderedIndex: null, newImageRenders: 0 });
  const mark = (how) => { b.startAt = performance.now(); b.startedBy = how; b.shownAt = null; b.loadedAt = null; b.shownImageId = null; b.loadedCount = 0; };
  document.addEventListener('click', (e) => { if (e.target instanceof Element && e.target.closest('[data-testid="open-viewer"]')) mark('click'); }, true);
  window.addEventListener('keydown', (e) => { if (e.shiftKey && (e.key === 'N' || e.key === 'n')) mark('shift+n'); }, true);
  window.addEventListener('CORNERSTONE_IMAGE_RENDERED', () => {
    b.renders += 1;
    performance.mark('vigie:rendered');
    // A render draws the viewport's current image: a new index here is a new image on screen.
    const index = window.vigieViewer ? window.vigieViewer.status().imageIndex : undefined;
    if (index !== undefined && index !== b.renderedIndex) { b.renderedIndex = index; b.newImageRenders += 1; }
  }, true);
  const tick = () => {
    const t = b.target;
    if (t && b.startAt !== null) {
      const now = performance.now();
      if (b.shownAt === null) {
        const cells = window.vigieViewer ? window.vigieViewer.cells() : [];
        if (cells.some((c) => c.studyInstanceUid === t.study && c.state === 'shown')) {
          b.shownAt = now;
          const s = window.vigieViewer.status();
          b.shownImageId = s.imageId || null;
        }
      }
      if (b.loadedAt === null) {
        const bar = document.querySelector('[data-testid="series-card"][data-series-uid="' + t.series + '"] [data-testid="series-progress"]');
        const loaded = bar ? Number(bar.getAttribute('data-loaded')) : 0;
        b.loadedCount = loaded;
        if (loaded >= t.count) b.loadedAt = now;
      }
    }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})()`;

/** Sets the study awaited next (before the click or key that opens it). */
export const awaitStudy = (study: string, series: string, count: number): string => `(() => { window.__bench.target = ${JSON.stringify({ study, series, count })}; window.__bench.startAt = null; })()`;

export interface PageTiming {
  startAt: number | null;
  startedBy: string | null;
  shownAt: number | null;
  shownImageId: string | null;
  loadedAt: number | null;
  loadedCount: number;
  renders: number;
}

export const READ_TIMING = `(() => { const b = window.__bench; return { startAt: b.startAt, startedBy: b.startedBy, shownAt: b.shownAt, shownImageId: b.shownImageId, loadedAt: b.loadedAt, loadedCount: b.loadedCount, renders: b.renders }; })()`;

/** animation frames per second with nothing to do: the display rate headless Chromium paces rAF at. */
export const MEASURE_DISPLAY_RATE = (ms: number): string => `new Promise((resolve) => {
  let frames = 0; const t0 = performance.now();
  const f = (now) => { frames += 1; if (now - t0 < ${ms}) requestAnimationFrame(f); else resolve(frames / ((performance.now() - t0) / 1000)); };
  requestAnimationFrame(f);
})`;

/** Resource timing of a study's frame requests (page clock): how many, and when the last one's bytes had all arrived. */
export const FRAME_TIMING = (studyUid: string): string => `(() => {
  const mine = performance.getEntriesByType('resource').filter((e) => e.name.includes('/studies/' + ${JSON.stringify(studyUid)} + '/') && /\\/frames\\/\\d+$/.test(e.name));
  return { count: mine.length, lastEnd: mine.reduce((m, e) => Math.max(m, e.responseEnd), 0) };
})()`;

export interface ScrollFigures {
  seconds: number;
  animationFrames: number;
  /** Animation frames in which Cornerstone had drawn an image not drawn before (a new image on screen). */
  framesWithNewImage: number;
  /** Sum of |index change|: images stepped through. */
  imagesStepped: number;
  keyEvents: number;
  renders: number;
  wrapped: number;
}

/**
 * Scrolls for `ms`: one ArrowDown keydown per animation frame (a wheel or a
 * fast key repeat at display rate: the most the screen can show), turning
 * back at either end of the series; counts the animation frames in which
 * Cornerstone drew an image not drawn before (what the reader sees change),
 * and its renders. The key is sent in a task after the frame, as input
 * arrives: sent from inside requestAnimationFrame it lands after the
 * engine's own frame callback, and every other image was replaced before
 * being drawn — the screen changed at half the rate the index did (the
 * bench's figure before 2026-11-23 12:20 counted index changes).
 */
export const SCROLL = (ms: number): string => `new Promise((resolve) => {
  const probe = window.vigieViewer;
  let key = 'ArrowDown'; let keys = 0; let wrapped = 0;
  const send = () => {
    const s = probe.status();
    if (s.imageIndex !== undefined && s.imageCount !== undefined) {
      if (key === 'ArrowDown' && s.imageIndex >= s.imageCount - 1) { key = 'ArrowUp'; wrapped += 1; }
      else if (key === 'ArrowUp' && s.imageIndex <= 0) { key = 'ArrowDown'; wrapped += 1; }
    }
    document.body.dispatchEvent(new KeyboardEvent('keydown', { key, code: key, bubbles: true, cancelable: true }));
    keys += 1;
  };
  const rendersBefore = window.__bench.renders;
  let last = probe.status().imageIndex; let frames = 0; let changed = 0; let stepped = 0;
  let drawn = window.__bench.newImageRenders;
  const t0 = performance.now();
  const f = (now) => {
    frames += 1;
    const i = probe.status().imageIndex;
    if (i !== last) { stepped += Math.abs(i - last); last = i; }
    if (window.__bench.newImageRenders !== drawn) { changed += 1; drawn = window.__bench.newImageRenders; }
    if (now - t0 < ${ms}) { setTimeout(send, 0); requestAnimationFrame(f); }
    else { resolve({ seconds: (performance.now() - t0) / 1000, animationFrames: frames, framesWithNewImage: changed, imagesStepped: stepped, keyEvents: keys, renders: window.__bench.renders - rendersBefore, wrapped }); }
  };
  send();
  requestAnimationFrame(f);
})`;

/** performance.measureUserAgentSpecificMemory() when the page is cross-origin isolated, else null; bounded. */
export const MEASURE_UA_MEMORY = (timeoutMs: number): string => `(async () => {
  if (!window.crossOriginIsolated || typeof performance.measureUserAgentSpecificMemory !== 'function') return { isolated: window.crossOriginIsolated, bytes: null };
  const result = await Promise.race([performance.measureUserAgentSpecificMemory(), new Promise((r) => setTimeout(() => r(null), ${timeoutMs}))]);
  return { isolated: true, bytes: result ? result.bytes : null };
})()`;

/**
 * What happened between the click and the first image, on the page's clock:
 * the viewer's own marks (vigie:*, performance.mark) and every resource with
 * its start and end. For the bench's log: where the time went.
 */
export const OPENING_WATERFALL = `(() => {
  const b = window.__bench;
  if (!b || b.startAt === null || b.shownAt === null) return [];
  const from = b.startAt, to = b.shownAt;
  const short = (name) => { try { const u = new URL(name); return u.pathname.replace(/\\/studies\\/[^/]+/, '/studies/…').replace(/\\/series\\/[^/]+/, '/series/…').replace(/\\/instances\\/[^/]+/, '/instances/…'); } catch { return name; } };
  const marks = performance.getEntriesByType('mark').filter((m) => m.name.startsWith('vigie:') && m.startTime >= from && m.startTime <= to).map((m) => ({ at: Math.round(m.startTime - from), what: m.name }));
  const resources = performance.getEntriesByType('resource').filter((r) => r.responseEnd >= from && r.startTime <= to).map((r) => ({ at: Math.round(r.startTime - from), end: Math.round(r.responseEnd - from), what: short(r.name), bytes: r.encodedBodySize }));
  return [...marks, ...resources].sort((x, y) => x.at - y.at);
})()`;

export interface WaterfallEntry {
  at: number;
  end?: number;
  what: string;
  bytes?: number;
}
