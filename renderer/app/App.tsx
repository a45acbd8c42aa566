import { Activity, useCallback, useEffect, useReducer, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SessionInfo } from '../../core/api/auth.js';
import { isSessionLost } from '../api/sessionGuard.js';
import { describeApiError } from '../i18n/describeApiError.js';
import { storeLocale, type Locale } from '../i18n/locale.js';
import { missingCase } from '../util/missingCase.js';
import { useSessionGuard } from './ApiContext.js';
import { AppHeader } from './AppHeader.js';
import { appReducer, initialAppState, returnsToWorkspace, type AuthStep, type WorkScreen } from './appState.js';
import { browserStorage } from './browserStorage.js';
import { ConnectionBanner } from './components/ConnectionBanner.js';
import { ErrorAlert } from './components/ErrorAlert.js';
import { EnrolmentPage } from './pages/EnrolmentPage.js';
import { RecoveryCodesPage } from './pages/RecoveryCodesPage.js';
import { SecondFactorPage } from './pages/SecondFactorPage.js';
import { SignInPage } from './pages/SignInPage.js';
import { screenFromHash } from './screens.js';
import { useLocale } from './useLocale.js';
import { useSessionWatch } from './useSessionWatch.js';
import { useSignInInfo } from './useSignInInfo.js';
import { Workspace } from './Workspace.js';

/**
 * The shell: which step or screen shows, the session and its loss, the language.
 * Pages only call the ReadingApi and report what they got.
 */
export function App() {
  const api = useSessionGuard();
  const { t, i18n } = useTranslation();
  const locale = useLocale();
  const [state, dispatch] = useReducer(appReducer, initialAppState);
  const signInInfo = useSignInInfo();
  const [hubReachable, setHubReachable] = useState(true);
  const [signingOut, setSigningOut] = useState(false);
  const [signOutFailure, setSignOutFailure] = useState<unknown>(null);
  /** A language picked before sign-in is this person's choice: it goes to the hub once signed in. */
  const localeChosenBeforeSignIn = useRef<Locale | null>(null);

  const adoptSessionLocale = useCallback(
    (session: SessionInfo) => {
      if (session.stage !== 'active') return;
      const chosen = localeChosenBeforeSignIn.current;
      localeChosenBeforeSignIn.current = null;
      if (chosen !== null && chosen !== session.user.locale) {
        api.setLocale(chosen).catch(() => undefined);
      } else if (session.user.locale !== i18n.resolvedLanguage) {
        void i18n.changeLanguage(session.user.locale);
        storeLocale(browserStorage(), session.user.locale);
      }
    },
    [api, i18n],
  );

  useEffect(() => api.onSessionLost(() => dispatch({ type: 'session-lost' })), [api]);

  useEffect(() => {
    let current = true;
    api.session().then(
      (session) => {
        if (!current) return;
        adoptSessionLocale(session);
        dispatch({ type: 'started', session });
      },
      // 401 is the usual answer here; if the hub is down the sign-in page says so.
      () => {
        if (current) dispatch({ type: 'started', session: null });
      },
    );
    return () => {
      current = false;
    };
  }, [api, adoptSessionLocale]);

  const active = state.session?.stage === 'active';
  const onSessionChecked = useCallback((session: SessionInfo) => dispatch({ type: 'session-refreshed', session }), []);
  useSessionWatch(active, onSessionChecked, setHubReachable);

  /** A session from a sign-in step. Calls held since a lost session go on only if the same person is back. */
  function acceptSession(session: SessionInfo) {
    if (session.stage === 'active') {
      if (returnsToWorkspace(state, session)) api.resume();
      else api.abandon();
    }
    adoptSessionLocale(session);
    dispatch({ type: 'session-received', session });
  }

  function acceptEnrolment(session: SessionInfo, recoveryCodes: readonly string[]) {
    if (returnsToWorkspace(state, session)) api.resume();
    else api.abandon();
    adoptSessionLocale(session);
    dispatch({ type: 'enrolled', session, recoveryCodes });
  }

  function restartSignIn() {
    // Drop the half-signed-in session on the hub too; if that fails it expires on its own.
    api.logout().catch(() => undefined);
    dispatch({ type: 'sign-in-restarted' });
  }

  async function signOut() {
    setSigningOut(true);
    setSignOutFailure(null);
    try {
      await api.logout();
    } catch (error) {
      // Still signed in on the hub: say so rather than pretend (a shared workstation).
      if (!isSessionLost(error)) {
        setSignOutFailure(error);
        return;
      }
    } finally {
      setSigningOut(false);
    }
    api.abandon();
    dispatch({ type: 'signed-out' });
  }

  function changeLocale(next: Locale) {
    void i18n.changeLanguage(next);
    storeLocale(browserStorage(), next);
    if (active) api.setLocale(next).catch(() => undefined);
    else localeChosenBeforeSignIn.current = next;
  }

  // The URL fragment names the screen (screens.ts): Back, reload and bookmarks work.
  const workspaceUserId = state.workspace?.userId ?? null;
  useEffect(() => {
    if (workspaceUserId === null) return;
    const follow = () => dispatch({ type: 'navigated', screen: screenFromHash(window.location.hash) });
    follow();
    window.addEventListener('hashchange', follow);
    return () => window.removeEventListener('hashchange', follow);
  }, [workspaceUserId]);

  const showWorkspace = state.auth === null;
  const screen = state.workspace?.screen ?? null;
  useEffect(() => {
    document.title = `${pageTitle(state.auth, state.status, screen, t)} — ${t('app.name')}`;
  }, [state.auth, state.status, screen, t]);

  // A new screen: the reading position moves to it, as a page load would.
  const screenKey = screen === null ? null : JSON.stringify(screen);
  const previousScreenKey = useRef(screenKey);
  useEffect(() => {
    if (screenKey !== null && previousScreenKey.current !== null && screenKey !== previousScreenKey.current) {
      document.getElementById('workspace')?.focus();
    }
    previousScreenKey.current = screenKey;
  }, [screenKey]);

  // Back from a sign-in step: put focus in the page, not on <body>.
  const wasShowingWorkspace = useRef(showWorkspace);
  useEffect(() => {
    if (showWorkspace && !wasShowingWorkspace.current) document.getElementById('workspace')?.focus();
    wasShowingWorkspace.current = showWorkspace;
  }, [showWorkspace]);

  return (
    <div className="app">
      <a className="skip-link" href={showWorkspace ? '#workspace' : '#main'}>
        {t('app.skipToContent')}
      </a>
      <AppHeader
        siteName={active ? (signInInfo.value?.siteName ?? null) : null}
        user={active && state.session ? state.session.user : null}
        screen={showWorkspace ? screen : null}
        signingOut={signingOut}
        onLocaleChange={changeLocale}
        onSignOut={() => void signOut()}
      />
      {active && !hubReachable && <ConnectionBanner />}
      {signOutFailure !== null && showWorkspace && (
        <div className="page-alert">
          <ErrorAlert error={describeApiError(signOutFailure, t, locale)} />
        </div>
      )}
      {state.status === 'starting' && (
        <main id="main" className="app-loading">
          <p className="muted" role="status">
            {t('app.loading')}
          </p>
        </main>
      )}
      {state.workspace && (
        <Activity mode={showWorkspace ? 'visible' : 'hidden'}>
          <Workspace key={state.workspace.userId} screen={state.workspace.screen} user={state.workspace.user} />
        </Activity>
      )}
      {state.auth && renderAuthStep(state.auth)}
    </div>
  );

  function renderAuthStep(step: AuthStep) {
    switch (step.name) {
      case 'sign-in':
        return (
          <SignInPage
            info={signInInfo}
            notice={state.notice}
            initialUsername={state.username}
            workKept={state.workspace !== null}
            onSession={acceptSession}
          />
        );
      case 'second-factor':
        return <SecondFactorPage onSession={acceptSession} onCancel={restartSignIn} />;
      case 'enrolment':
        return <EnrolmentPage onEnrolled={acceptEnrolment} onCancel={restartSignIn} />;
      case 'recovery-codes':
        return <RecoveryCodesPage codes={step.codes} onDone={() => dispatch({ type: 'recovery-codes-noted' })} />;
      default:
        return missingCase(step);
    }
  }
}

function pageTitle(
  step: AuthStep | null,
  status: 'starting' | 'ready',
  screen: WorkScreen | null,
  t: ReturnType<typeof useTranslation>['t'],
): string {
  if (status === 'starting') return t('app.loading');
  if (step === null) return screen === null ? t('worklist.title') : screenTitle(screen, t);
  switch (step.name) {
    case 'sign-in':
      return t('signIn.title');
    case 'second-factor':
      return t('secondFactor.title');
    case 'enrolment':
      return t('enrolment.title');
    case 'recovery-codes':
      return t('recoveryCodes.title');
    default:
      return missingCase(step);
  }
}

function screenTitle(screen: WorkScreen, t: ReturnType<typeof useTranslation>['t']): string {
  switch (screen.name) {
    case 'worklist':
      return t('worklist.title');
    case 'viewer':
      return t('viewer.title');
    case 'clinical-request':
      return t('clinicalRequest.title');
    case 'new-request':
      return t('newRequest.title');
    case 'organisation':
      return t('admin.organisation.title');
    case 'roster':
      return t('admin.roster.title');
    case 'simulator':
      return t('admin.simulator.title');
    case 'deliveries':
      return t('report.deliveries.title');
    default:
      return missingCase(screen);
  }
}
