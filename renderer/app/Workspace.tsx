import type { WorkScreen } from './appState.js';
import { WorklistPage } from './pages/WorklistPage.js';
import { missingCase } from '../util/missingCase.js';

/** The signed-in area. The app keeps it mounted (hidden) while the person signs in again after a lost session. */
export function Workspace({ screen }: { screen: WorkScreen }) {
  return (
    <main id="workspace" className="workspace" tabIndex={-1}>
      {renderScreen(screen)}
    </main>
  );
}

function renderScreen(screen: WorkScreen) {
  switch (screen.name) {
    case 'worklist':
      return <WorklistPage />;
    default:
      return missingCase(screen.name);
  }
}
