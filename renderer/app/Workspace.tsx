import { lazy, Suspense, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { UserSummary } from '../../core/api/auth.js';
import { missingCase } from '../util/missingCase.js';
import type { WorkScreen } from './appState.js';
import { ClinicalRequestPage } from './pages/ClinicalRequestPage.js';
import { NewRequestPage } from './pages/NewRequestPage.js';
import { WorklistPage } from './pages/WorklistPage.js';
import { mayOpen, readsImages } from './screens.js';

// Admin pages validate the organisation with core's schemas, which carry the
// PDS calendar's holiday tables: loaded only when an admin opens one.
const OrganisationPage = lazy(() => import('./admin/OrganisationPage.js').then((m) => ({ default: m.OrganisationPage })));
const RosterPage = lazy(() => import('./admin/RosterPage.js').then((m) => ({ default: m.RosterPage })));
// Cornerstone3D and its codecs (~0.85 MB brotli): not in the worklist's bundle, but fetched while a
// reader's worklist is idle (warmViewer), so the first "Ouvrir" of the night does not wait for it.
const loadViewerPage = () => import('./viewer/ViewerPage.js');
const ViewerPage = lazy(() => loadViewerPage().then((m) => ({ default: m.ViewerPage })));

let viewerWarmed = false;
function warmViewer(): void {
  if (viewerWarmed) return;
  viewerWarmed = true;
  const start = () => void loadViewerPage().catch(() => {
    viewerWarmed = false;
  });
  if ('requestIdleCallback' in window) window.requestIdleCallback(start, { timeout: 5_000 });
  else setTimeout(start, 1_000);
}
const DeliveriesPage = lazy(() => import('./admin/DeliveriesPage.js').then((m) => ({ default: m.DeliveriesPage })));
const SimulatorPage = lazy(() => import('./admin/SimulatorPage.js').then((m) => ({ default: m.SimulatorPage })));

/** The signed-in area. The app keeps it mounted (hidden) while the person signs in again after a lost session. */
export function Workspace({ screen, user }: { screen: WorkScreen; user: UserSummary }) {
  const { t } = useTranslation();
  const shown = mayOpen(screen, user.roles) ? screen : ({ name: 'worklist' } as const);
  useEffect(() => {
    if (readsImages(user.roles)) warmViewer();
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
      return <ViewerPage key={screen.teleFileId} teleFileId={screen.teleFileId} user={user} />;
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
