import { lazy, Suspense, useEffect, useState } from 'react';
import { ErrorAlert } from './components/ErrorAlert.js';
import type * as ViewerPageModule from './viewer/ViewerPage.js';
import { useTranslation } from 'react-i18next';
import type { UserSummary } from '../../core/api/auth.js';
import { missingCase } from '../util/missingCase.js';
import { listedTeleFile } from '../viewer/studyHints.js';
import { primeOpening, startFrameFetcher } from '../viewer/openingPrimer.js';
import type { WorkScreen } from './appState.js';
import { ClinicalRequestPage } from './pages/ClinicalRequestPage.js';
import { NewRequestPage } from './pages/NewRequestPage.js';
import { WorklistPage } from './pages/WorklistPage.js';
import { mayOpen, readsImages, screenFromHash } from './screens.js';

// Admin pages validate the organisation with core's schemas, which carry the
// PDS calendar's holiday tables: loaded only when an admin opens one.
const OrganisationPage = lazy(() => import('./admin/OrganisationPage.js').then((m) => ({ default: m.OrganisationPage })));
const RosterPage = lazy(() => import('./admin/RosterPage.js').then((m) => ({ default: m.RosterPage })));
// Cornerstone3D and its codecs (~0.85 MB brotli): not in the worklist's bundle, but fetched while a
// reader's worklist is idle (warmViewer), so the first "Ouvrir" of the night does not wait for it.
// Not React.lazy: a lazy component suspends on its first render even when its code is already
// loaded, and React holds a Suspense fallback at least 300 ms — a third of a second added to the
// first "Ouvrir" of the night. ViewerScreen renders the page at once when the warm-up loaded it.
type ViewerModule = typeof ViewerPageModule;
let viewerModule: ViewerModule | null = null;
const loadViewerPage = () =>
  import('./viewer/ViewerPage.js').then((module) => {
    viewerModule = module;
    return module;
  });

let viewerWarmed = false;
function warmViewer(): void {
  if (viewerWarmed) return;
  viewerWarmed = true;
  const start = () =>
    void loadViewerPage().then(
      // Then Cornerstone and its rendering engine (WebGL), in another idle moment.
      (module) => whenIdle(() => void module.warmUpEngine().catch(() => undefined)),
      () => {
        viewerWarmed = false;
      },
    );
  whenIdle(start);
}

function whenIdle(run: () => void): void {
  if ('requestIdleCallback' in window) window.requestIdleCallback(run, { timeout: 5_000 });
  else setTimeout(run, 1_000);
}
const DeliveriesPage = lazy(() => import('./admin/DeliveriesPage.js').then((m) => ({ default: m.DeliveriesPage })));
const SimulatorPage = lazy(() => import('./admin/SimulatorPage.js').then((m) => ({ default: m.SimulatorPage })));

/** The signed-in area. The app keeps it mounted (hidden) while the person signs in again after a lost session. */
export function Workspace({ screen, user }: { screen: WorkScreen; user: UserSummary }) {
  const { t } = useTranslation();
  const shown = mayOpen(screen, user.roles) ? screen : ({ name: 'worklist' } as const);
  useEffect(() => {
    if (!readsImages(user.roles)) return;
    warmViewer();
    whenIdle(startFrameFetcher);
  }, [user.roles]);
  // Opening a tele-file: its study's metadata and first image leave at the hash change, before React
  // renders the viewer (whose effects, Cornerstone's start among them, would hold them up to ~100 ms).
  useEffect(() => {
    const prime = () => {
      const next = screenFromHash(window.location.hash);
      if (next.name !== 'viewer' || !mayOpen(next, user.roles)) return;
      const listed = listedTeleFile(next.teleFileId);
      if (listed?.studyInstanceUid) primeOpening(listed.studyInstanceUid, listed.firstFramePath);
    };
    window.addEventListener('hashchange', prime);
    return () => window.removeEventListener('hashchange', prime);
  }, [user.roles]);
  return (
    <main id="workspace" className="workspace" tabIndex={-1}>
      <Suspense
        fallback={
          <p className="muted" role="status">
            {t('admin.loading')}
          </p>
        }
      >
        {renderScreen(shown, user)}
      </Suspense>
    </main>
  );
}

function renderScreen(screen: WorkScreen, user: UserSummary) {
  switch (screen.name) {
    case 'worklist':
      return <WorklistPage user={user} />;
    case 'viewer':
      return <ViewerScreen key={screen.teleFileId} teleFileId={screen.teleFileId} user={user} />;
    case 'clinical-request':
      return <ClinicalRequestPage key={screen.teleFileId} teleFileId={screen.teleFileId} />;
    case 'new-request':
      return <NewRequestPage />;
    case 'organisation':
      return <OrganisationPage />;
    case 'roster':
      return <RosterPage />;
    case 'simulator':
      return <SimulatorPage />;
    case 'deliveries':
      return <DeliveriesPage />;
    default:
      return missingCase(screen);
  }
}

/** The viewer page, from its own chunk: at once when the worklist's warm-up loaded it, else once it arrives. */
function ViewerScreen({ teleFileId, user }: { teleFileId: string; user: UserSummary }) {
  const { t } = useTranslation();
  const [module, setModule] = useState<ViewerModule | null>(viewerModule);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    if (module) return;
    let cancelled = false;
    loadViewerPage().then(
      (loaded) => {
        if (!cancelled) setModule(loaded);
      },
      () => {
        if (!cancelled) setFailed(true);
      },
    );
    return () => {
      cancelled = true;
    };
  }, [module]);
  if (module) return <module.ViewerPage teleFileId={teleFileId} user={user} />;
  if (failed) return <ErrorAlert message={t('viewer.codeFailed')} />;
  return (
    <p className="muted" role="status">
      {t('viewer.loading')}
    </p>
  );
}
