import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { UserSummary } from '../../../core/api/auth.js';
import type { ViewerPreferences } from '../../../core/api/viewerPreferences.js';
import { ensureCornerstone } from '../../viewer/cornerstone/cornerstoneSetup.js';
import { registerSeriesImages } from '../../viewer/cornerstone/imageIds.js';
import { releaseStudies } from '../../viewer/cornerstone/frameRequests.js';
import { LoadProgress } from '../../viewer/cornerstone/loadProgress.js';
import { SeriesPrefetch } from '../../viewer/cornerstone/seriesPrefetch.js';
import { prefetchStudy } from '../../viewer/cornerstone/teleFilePrefetch.js';
import { readImageRendering } from '../../viewer/stackRendering.js';
import { browserStorage } from '../browserStorage.js';
import { ViewerController, type CellContent, type CellStatus } from '../../viewer/cornerstone/viewerController.js';
import { createProbe, installProbe } from '../../viewer/cornerstone/viewerProbe.js';
import { actionFor, keyOf, type HotkeyBindings, type ViewerAction } from '../../viewer/hotkeys.js';
import { assignSeries, cellsOf, sameCells, type LayoutId } from '../../viewer/layout.js';
import { firstSeries, type SeriesSummary } from '../../../core/seriesOrder.js';
import { rememberStudies } from '../../viewer/studyHints.js';
import { nextTeleFile } from '../../worklist/nextTeleFile.js';
import { useApi } from '../ApiContext.js';
import { ReportPanel } from '../report/ReportPanel.js';
import { hashOf } from '../screens.js';
import { HotkeyHelp } from './HotkeyHelp.js';
import { PatientBannerBar } from './PatientBannerBar.js';
import { usePriors, type PriorView } from './usePriors.js';
import { SeriesBrowser } from './SeriesBrowser.js';
import type { ViewerStudy } from './useViewerStudy.js';
import { ViewerToolbar } from './ViewerToolbar.js';
import { ViewportGrid, type GridCell } from './ViewportGrid.js';

const MB = 1024 * 1024;
/** Images of the next tele-file warmed in the background: its first screenful and a little scroll room. */
const NEXT_FILE_IMAGES = 24;
/** The longest the report panel waits for the first image before loading anyway (a slow line, an image that never comes). */
const REPORT_WAIT_MS = 1_500;

type Mode = { kind: 'stacks' } | { kind: 'mpr'; seriesUid: string } | { kind: 'prior' };

export interface ViewerWorkspaceProps {
  study: ViewerStudy;
  user: UserSummary;
  preferences: ViewerPreferences;
  bindings: HotkeyBindings;
  onCustomiseKeys(): void;
}

/** The reading screen: banner, series browser, toolbar and the Cornerstone3D cells. */
export function ViewerWorkspace({ study, user, preferences, bindings, onCustomiseKeys }: ViewerWorkspaceProps) {
  const { t } = useTranslation();
  const api = useApi();
  const controllerRef = useRef<ViewerController | null>(null);
  const elements = useRef<Array<HTMLDivElement | null>>([]);
  const imageIdsBySeries = useRef(new Map<string, string[]>());
  /** Where the reader was in each series: a new layout, MPR or the prior view reopens it there. */
  const lastIndex = useRef(new Map<string, number>());
  /** What Cornerstone was last given, so that a re-render with the same cells leaves them alone. */
  /** The next claimed tele-file, as found when this one's first image showed (Shift+N goes there without asking again). */
  const nextFile = useRef<string | null>(null);
  const appliedCells = useRef<{ contents: Array<CellContent | null>; elements: Array<HTMLDivElement | null> } | null>(null);
  const [progress] = useState(() => ({ current: null as LoadProgress | null }));
  const [, setTick] = useState(0);
  const [engineError, setEngineError] = useState<string | null>(null);
  const [ready, setReady] = useState(false);
  const [layout, setLayout] = useState<LayoutId>(preferences.defaultLayout);
  const [mode, setMode] = useState<Mode>({ kind: 'stacks' });
  const [mip, setMipState] = useState(false);
  const [help, setHelp] = useState(false);
  const [cellSeries, setCellSeries] = useState<Array<string | null>>(() => assignSeries(preferences.defaultLayout, study.series, (firstSeries(study.series) ?? study.series[0])?.seriesInstanceUid ?? null));
  // The first image is alone on the line: priors, the next file and the rest of the series wait for it (latched: scrolling must not undo it).
  const shownNow = controllerRef.current?.snapshot().cells[0]?.status.state === 'shown';
  const [firstShown, setFirstShown] = useState(false);
  if (shownNow && !firstShown) {
    setFirstShown(true);
    performance.mark('vigie:first-image-shown');
  }
  const priors = usePriors(study, firstShown);
  // The report panel loads once the first image is settled (shown or failed), or after REPORT_WAIT_MS at most.
  const firstSettled = firstShown || controllerRef.current?.snapshot().cells[0]?.status.state === 'error' || engineError !== null;
  const [reportWaitOver, setReportWaitOver] = useState(false);
  useEffect(() => {
    const timer = window.setTimeout(() => setReportWaitOver(true), REPORT_WAIT_MS);
    return () => window.clearTimeout(timer);
  }, []);
  const prefetch = useMemo(() => new SeriesPrefetch(() => preferences.cacheBudgetMb * MB), [preferences.cacheBudgetMb]);
  const seriesByUid = useMemo(() => new Map(study.series.map((series) => [series.seriesInstanceUid, series])), [study.series]);

  const imageIdsOf = useCallback(
    (studyUid: string, series: SeriesSummary): string[] => {
      const key = `${studyUid}/${series.seriesInstanceUid}`;
      let ids = imageIdsBySeries.current.get(key);
      if (!ids) {
        ids = registerSeriesImages(studyUid, series);
        imageIdsBySeries.current.set(key, ids);
        progress.current?.track(series.seriesInstanceUid, ids);
      }
      return ids;
    },
    [progress],
  );

  // Cornerstone, once, then the controller for this study.
  useEffect(() => {
    let cancelled = false;
    let frame = 0;
    const rerender = () => {
      if (frame !== 0) return;
      frame = requestAnimationFrame(() => {
        frame = 0;
        setTick((n) => n + 1);
      });
    };
    ensureCornerstone({ cacheBytes: preferences.cacheBudgetMb * MB })
      .then(() => {
        if (cancelled) return;
        progress.current = new LoadProgress(rerender);
        controllerRef.current = new ViewerController({
          changed: rerender,
          imageChanged: (cellIndex, content, index, direction) => {
            if (content.mode === 'stack') lastIndex.current.set(`${content.studyUid}/${content.series.seriesInstanceUid}`, index);
            if (cellIndex === controllerRef.current?.activeIndex() && content.mode === 'stack') prefetch.update({ imageIds: content.imageIds, current: index, direction });
          },
        }, () => readImageRendering(browserStorage()));
        performance.mark('vigie:controller');
        setReady(true);
      })
      .catch((error: unknown) => {
        if (!cancelled) setEngineError(error instanceof Error ? error.message : String(error));
      });
    const uninstall = installProbe(createProbe(() => controllerRef.current));
    const shownSeries = imageIdsBySeries.current;
    return () => {
      cancelled = true;
      cancelAnimationFrame(frame);
      uninstall();
      prefetch.stop();
      // Leaving this study: its frames on the wire would hold up whatever the reader opens next.
      releaseStudies([...new Set([...shownSeries.keys()].map((key) => key.slice(0, key.indexOf('/'))))]);
      controllerRef.current?.dispose();
      controllerRef.current = null;
      appliedCells.current = null;
      progress.current?.dispose();
      progress.current = null;
    };
  }, [prefetch, preferences.cacheBudgetMb, progress]);

  // Only the prior view depends on the prior: finding one in the background must not rebuild the other views.
  const shownPrior = mode.kind === 'prior' ? priors.shown : null;
  const effectiveLayout: LayoutId = mode.kind === 'mpr' ? '2x2' : mode.kind === 'prior' ? '1x2' : layout;

  const contents = useMemo((): Array<CellContent | null> => {
    if (!ready) return [];
    const stackOf = (studyUid: string, series: SeriesSummary | undefined, role: CellContent['role']): CellContent | null =>
      series ? { studyUid, series, imageIds: imageIdsOf(studyUid, series), role, mode: 'stack', startIndex: lastIndex.current.get(`${studyUid}/${series.seriesInstanceUid}`) ?? 0 } : null;
    if (mode.kind === 'mpr') {
      const series = seriesByUid.get(mode.seriesUid);
      if (!series) return [];
      const imageIds = imageIdsOf(study.studyUid, series);
      const base = { studyUid: study.studyUid, series, imageIds, role: 'current' as const };
      return [{ ...base, mode: 'stack', startIndex: lastIndex.current.get(`${study.studyUid}/${series.seriesInstanceUid}`) ?? 0 }, { ...base, mode: 'axial' }, { ...base, mode: 'coronal' }, { ...base, mode: 'sagittal' }];
    }
    if (mode.kind === 'prior' && shownPrior) {
      const current = seriesByUid.get(cellSeries[0] ?? '') ?? study.series[0];
      const prior = stackOf(shownPrior.studyUid, shownPrior.series, 'prior');
      const here = stackOf(study.studyUid, current, 'current');
      // Another frame of reference: no position to share. Open the prior at the same relative level instead of its first slice.
      if (prior && here && prior.imageIds.length > 1 && here.imageIds.length > 1 && !lastIndex.current.has(`${prior.studyUid}/${prior.series.seriesInstanceUid}`)) {
        prior.startIndex = Math.round(((here.startIndex ?? 0) / (here.imageIds.length - 1)) * (prior.imageIds.length - 1));
      }
      return [here, prior];
    }
    return Array.from({ length: cellsOf(layout) }, (_, index) => stackOf(study.studyUid, seriesByUid.get(cellSeries[index] ?? ''), 'current'));
  }, [ready, mode, layout, cellSeries, seriesByUid, study, shownPrior, imageIdsOf]);

  // Hand the cells to Cornerstone once React has laid them out.
  useEffect(() => {
    const controller = controllerRef.current;
    if (!controller || contents.length === 0) return;
    const cells = elements.current.slice(0, contents.length);
    if (cells.some((element) => element === null)) return;
    const applied = appliedCells.current;
    if (applied && sameCells(applied.contents, contents) && applied.elements.every((element, index) => element === cells[index])) return;
    appliedCells.current = { contents, elements: cells };
    performance.mark('vigie:cells');
    prefetch.stop();
    void controller.setCells(cells as HTMLDivElement[], contents).then(() => {
      if (mip && mode.kind === 'mpr') for (const index of [1, 2, 3]) controller.setMip(index, true);
    });
    // mip is applied in place by its action; a change of it must not rebuild the volumes.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [contents, prefetch]);

  // Warm the next claimed tele-file once this one's first image is on screen (latched: scrolling must not cancel it).
  useEffect(() => {
    if (!firstShown) return;
    let cancelled = false;
    api
      .worklist()
      .then((list) => {
        rememberStudies(list.items);
        const next = nextTeleFile(list.items, user.id, study.teleFile.id);
        if (cancelled) return;
        nextFile.current = next?.id ?? null;
        if (next?.studyInstanceUid) void prefetchStudy(next.studyInstanceUid, NEXT_FILE_IMAGES).catch(() => undefined);
      })
      .catch(() => undefined);
    return () => {
      cancelled = true;
    };
  }, [api, firstShown, study.teleFile.id, user.id]);

  const snapshot = controllerRef.current?.snapshot();
  const active = snapshot?.active ?? 0;
  const activeContent = snapshot?.cells[active]?.content ?? null;
  const activeSeries = activeContent?.role === 'current' ? activeContent.series : null;

  const openSeries = useCallback(
    (series: SeriesSummary) => {
      setMode({ kind: 'stacks' });
      setCellSeries((previous) => {
        const next = Array.from({ length: cellsOf(layout) }, (_, index) => previous[index] ?? null);
        next[Math.min(active, next.length - 1)] = series.seriesInstanceUid;
        return next;
      });
    },
    [active, layout],
  );

  const onAction = useCallback(
    (action: ViewerAction) => {
      const controller = controllerRef.current;
      switch (action) {
        case 'layout.1x1':
        case 'layout.1x2':
        case 'layout.2x2': {
          const next = action.slice('layout.'.length) as LayoutId;
          setMode({ kind: 'stacks' });
          setLayout(next);
          setCellSeries((previous) => {
            const defaults = assignSeries(next, study.series, activeSeries?.seriesInstanceUid ?? previous[0] ?? null);
            return defaults.map((uid, index) => (index < previous.length && previous[index] ? previous[index] : uid) ?? null);
          });
          return;
        }
        case 'series.next':
        case 'series.previous': {
          const at = study.series.findIndex((series) => series.seriesInstanceUid === activeSeries?.seriesInstanceUid);
          const target = study.series[(at + (action === 'series.next' ? 1 : study.series.length - 1)) % study.series.length];
          if (target) openSeries(target);
          return;
        }
        case 'viewport.next':
        case 'viewport.previous': {
          const count = snapshot?.cells.length ?? 1;
          controller?.setActive((active + (action === 'viewport.next' ? 1 : count - 1)) % count);
          return;
        }
        case 'mpr.toggle':
          if (mode.kind === 'mpr') setMode({ kind: 'stacks' });
          else if (activeSeries?.isVolumeCandidate) setMode({ kind: 'mpr', seriesUid: activeSeries.seriesInstanceUid });
          return;
        case 'mip.toggle':
          if (mode.kind !== 'mpr') return;
          setMipState((on) => {
            for (const index of [1, 2, 3]) controller?.setMip(index, !on);
            return !on;
          });
          return;
        case 'prior.toggle':
          if (mode.kind === 'prior') setMode({ kind: 'stacks' });
          else if (priors.available) setMode({ kind: 'prior' });
          return;
        case 'help.toggle':
          setHelp((open) => !open);
          return;
        case 'viewer.back':
          window.location.hash = hashOf({ name: 'worklist' });
          return;
        case 'viewer.nextTeleFile':
          // The file warmed in the background opens at once (the hub says, on opening, if it is no longer this reader's).
          if (nextFile.current !== null) {
            window.location.hash = hashOf({ name: 'viewer', teleFileId: nextFile.current });
            return;
          }
          void api.worklist().then((list) => {
            rememberStudies(list.items);
            const next = nextTeleFile(list.items, user.id, study.teleFile.id);
            if (next) window.location.hash = hashOf({ name: 'viewer', teleFileId: next.id });
          });
          return;
        default:
          controller?.apply(action);
      }
    },
    [active, activeSeries, api, mode.kind, openSeries, priors.available, snapshot?.cells.length, study, user.id],
  );
  // The toolbar is memoised: it gets one callback for the page's life, which runs the current onAction.
  const onActionRef = useRef(onAction);
  onActionRef.current = onAction;
  const stableOnAction = useCallback((action: ViewerAction) => onActionRef.current(action), []);

  // Keys act on the viewer unless a field or a dialog has them.
  useEffect(() => {
    if (help) return;
    const onKeyDown = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement | null;
      if (target?.closest('input, select, textarea, [contenteditable="true"], [role="dialog"]')) return;
      const key = keyOf(event);
      if (key === ' ' || key === 'Space') {
        if (target?.closest('button, a')) return;
      }
      const action = actionFor(key, bindings);
      if (!action) return;
      event.preventDefault();
      onAction(action);
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [bindings, help, onAction]);

  const gridCells: GridCell[] = Array.from({ length: cellsOf(effectiveLayout) }, (_, index) => {
    const cell = snapshot?.cells[index];
    const status: CellStatus = cell?.status ?? { state: contents[index] ? 'loading' : 'idle' };
    const content = cell?.content ?? null;
    const prior: PriorView | null = content?.role === 'prior' ? priors.shown : null;
    return {
      content,
      status,
      priorLabel: prior ? prior.label : undefined,
      otherPatient: prior ? !prior.samePatient : undefined,
    };
  });

  if (engineError !== null) {
    return (
      <div className="viewer-error" role="alert" data-testid="viewer-engine-error">
        <p>{t('viewer.engineFailed')}</p>
        <p className="muted small">{engineError}</p>
      </div>
    );
  }

  return (
    <div className="viewer" data-testid="viewer" data-tele-file={study.teleFile.id}>
      <PatientBannerBar teleFile={study.teleFile} header={study.header} />
      <ViewerToolbar
        bindings={bindings}
        primaryTool={snapshot?.primaryTool ?? 'windowLevel'}
        layout={effectiveLayout}
        mpr={mode.kind === 'mpr'}
        mip={mip}
        canMpr={activeSeries?.isVolumeCandidate === true || mode.kind === 'mpr'}
        hasPrior={priors.available}
        priorShown={mode.kind === 'prior'}
        onAction={stableOnAction}
      />
      <div className="viewer__body">
        <SeriesBrowser
          studyUid={study.studyUid}
          series={study.series}
          activeSeriesUid={activeSeries?.seriesInstanceUid ?? null}
          progressOf={(uid) => progress.current?.of(uid) ?? { loaded: 0, total: 0 }}
          onOpen={openSeries}
          thumbnails={firstShown}
        />
        <ViewportGrid
          layout={effectiveLayout}
          cells={gridCells}
          active={active}
          elementRef={(index, element) => {
            elements.current[index] = element;
          }}
          onActivate={(index) => controllerRef.current?.setActive(index)}
        />
        <ReportPanel teleFile={study.teleFile} header={study.header} user={user} waitForImage={!firstSettled && !reportWaitOver} />
      </div>
      {help && (
        <HotkeyHelp
          bindings={bindings}
          onClose={() => setHelp(false)}
          onCustomise={() => {
            setHelp(false);
            onCustomiseKeys();
          }}
        />
      )}
    </div>
  );
}
