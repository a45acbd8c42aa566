import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { UserSummary } from '../../../core/api/auth.js';
import { DEFAULT_VIEWER_PREFERENCES, type ViewerPreferences } from '../../../core/api/viewerPreferences.js';
import { ReadingApiError } from '../../../core/readingApi.js';
import { ensureCornerstone } from '../../viewer/cornerstone/cornerstoneSetup.js';
import { bindingsFrom } from '../../viewer/hotkeys.js';
import { useApi } from '../ApiContext.js';
import { describeApiError } from '../../i18n/describeApiError.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { hashOf } from '../screens.js';
import { useLocale } from '../useLocale.js';
import { HotkeySettings } from './HotkeySettings.js';
import { useViewerStudy } from './useViewerStudy.js';
import { ViewerWorkspace } from './ViewerWorkspace.js';

// Started by the worklist once this chunk has arrived (Workspace.tsx warmViewer).
export { warmUpEngine } from '../../viewer/cornerstone/pageEngine.js';

let knownPreferences: { userId: string; preferences: ViewerPreferences } | null = null;

/**
 * The viewer screen (`#/tele-files/:id/viewer`): the tele-file's study, or a
 * clear screen saying why it cannot be shown — not the reader's (403, and the
 * hub wrote the audit row), no images yet, or the PACS is down.
 */
export function ViewerPage({ teleFileId, user }: { teleFileId: string; user: UserSummary }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const api = useApi();
  const state = useViewerStudy(teleFileId);
  // The reader's last known preferences open the viewer at once; the hub's copy replaces them when it answers.
  const [preferences, setPreferencesState] = useState<ViewerPreferences | null>(() => (knownPreferences?.userId === user.id ? knownPreferences.preferences : null));
  const setPreferences = (next: ViewerPreferences) => {
    knownPreferences = { userId: user.id, preferences: next };
    setPreferencesState(next);
  };
  const [settings, setSettings] = useState(false);

  // Cornerstone's start (decode workers, tools) overlaps the tele-file, metadata and preference requests instead of following them.
  useEffect(() => {
    void ensureCornerstone({ cacheBytes: DEFAULT_VIEWER_PREFERENCES.cacheBudgetMb * 1024 * 1024 }).catch(() => undefined);
  }, []);

  useEffect(() => {
    let cancelled = false;
    api
      .viewerPreferences()
      .then((loaded) => {
        knownPreferences = { userId: user.id, preferences: loaded };
        // The same values again would rebuild the cells for nothing.
        if (!cancelled) setPreferencesState((current) => (current !== null && JSON.stringify(current) === JSON.stringify(loaded) ? current : loaded));
      })
      // The reader's keys are a comfort: the defaults let them read now.
      .catch(() => {
        if (!cancelled) setPreferencesState((current) => current ?? DEFAULT_VIEWER_PREFERENCES);
      });
    return () => {
      cancelled = true;
    };
  }, [api, user.id]);

  const back = (
    <a className="button button--secondary button--small" href={hashOf({ name: 'worklist' })} data-testid="viewer-back">
      {t('viewer.backToWorklist')}
    </a>
  );

  if (state.kind === 'failed') {
    const forbidden = state.error instanceof ReadingApiError && (state.error.status === 403 || state.error.status === 404);
    return (
      <section className="viewer-error" data-testid="viewer-error" aria-labelledby="viewer-error-title">
        <h1 id="viewer-error-title">{forbidden ? t('viewer.forbidden.title') : t('viewer.failed.title')}</h1>
        {forbidden ? <p role="alert">{t('viewer.forbidden.text')}</p> : <ErrorAlert error={describeApiError(state.error, t, locale)} />}
        {back}
      </section>
    );
  }
  if (state.kind === 'no-images') {
    return (
      <section className="viewer-error" data-testid="viewer-no-images">
        <h1>{t('viewer.noImages.title')}</h1>
        <p>{t('viewer.noImages.text')}</p>
        {back}
      </section>
    );
  }
  if (state.kind === 'loading' || preferences === null) {
    return (
      <p className="muted" role="status" data-testid="viewer-loading">
        {t('viewer.loading')}
      </p>
    );
  }
  if (settings) {
    return (
      <HotkeySettings
        onClose={(saved) => {
          if (saved) setPreferences(saved);
          setSettings(false);
        }}
      />
    );
  }
  return (
    <ViewerWorkspace
      key={state.study.studyUid}
      study={state.study}
      user={user}
      preferences={preferences}
      bindings={bindingsFrom(preferences.hotkeys)}
      onCustomiseKeys={() => setSettings(true)}
    />
  );
}
