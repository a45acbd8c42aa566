import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import type { UserSummary } from '../../core/api/auth.js';
import { missingCase } from '../util/missingCase.js';
import type { WorkScreen } from './appState.js';
import { ClinicalRequestPage } from './pages/ClinicalRequestPage.js';
import { NewRequestPage } from './pages/NewRequestPage.js';
import { WorklistPage } from './pages/WorklistPage.js';
import { mayOpen } from './screens.js';

// Admin pages validate the organisation with core's schemas, which carry the
// PDS calendar's holiday tables: loaded only when an admin opens one.
const OrganisationPage = lazy(() => import('./admin/OrganisationPage.js').then((m) => ({ default: m.OrganisationPage })));
const RosterPage = lazy(() => import('./admin/RosterPage.js').then((m) => ({ default: m.RosterPage })));
// Cornerstone3D and its codecs (~1 MB gzip): loaded when a study is first opened.
const ViewerPage = lazy(() => import('./viewer/ViewerPage.js').then((m) => ({ default: m.ViewerPage })));
const DeliveriesPage = lazy(() => import('./admin/DeliveriesPage.js').then((m) => ({ default: m.DeliveriesPage })));
const SimulatorPage = lazy(() => import('./admin/SimulatorPage.js').then((m) => ({ default: m.SimulatorPage })));

/** The signed-in area. The app keeps it mounted (hidden) while the person signs in again after a lost session. */
export function Workspace({ screen, user }: { screen: WorkScreen; user: UserSummary }) {
  const { t } = useTranslation();
  const shown = mayOpen(screen, user.roles) ? screen : ({ name: 'worklist' } as const);
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
