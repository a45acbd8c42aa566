import { useTranslation } from 'react-i18next';
import type { UserSummary } from '../../core/api/auth.js';
import type { Locale } from '../i18n/locale.js';
import type { WorkScreen } from './appState.js';
import { LanguageSwitch } from './components/LanguageSwitch.js';
import { hashOf, mayOpen } from './screens.js';

interface AppHeaderProps {
  siteName: string | null;
  /** The signed-in person; null on the sign-in steps. */
  user: UserSummary | null;
  /** The workspace screen on show; null on the sign-in steps. */
  screen: WorkScreen | null;
  signingOut: boolean;
  onLocaleChange: (locale: Locale) => void;
  onSignOut: () => void;
}

const NAV_ITEMS = [
  { screen: { name: 'worklist' }, label: 'nav.worklist', testId: 'nav-worklist' },
  { screen: { name: 'organisation' }, label: 'nav.organisation', testId: 'nav-organisation' },
  { screen: { name: 'roster' }, label: 'nav.roster', testId: 'nav-roster' },
  { screen: { name: 'simulator' }, label: 'nav.simulator', testId: 'nav-simulator' },
  { screen: { name: 'deliveries' }, label: 'report.deliveries.nav', testId: 'nav-deliveries' },
] as const satisfies readonly { screen: WorkScreen; label: string; testId: string }[];

export function AppHeader({ siteName, user, screen, signingOut, onLocaleChange, onSignOut }: AppHeaderProps) {
  const { t } = useTranslation();
  const items = user && screen ? NAV_ITEMS.filter((item) => mayOpen(item.screen, user.roles)) : [];
  return (
    <header className="app-header">
      <div className="app-header__brand">
        <span className="app-header__logo" aria-hidden="true" />
        <span className="app-header__name">{t('app.name')}</span>
        {siteName && <span className="app-header__site">{siteName}</span>}
      </div>
      {/* A single destination is no navigation: only those with admin pages get the bar. */}
      {items.length > 1 && (
        <nav className="app-nav" aria-label={t('nav.label')}>
          <ul className="app-nav__list">
            {items.map((item) => (
              <li key={item.screen.name}>
                <a
                  className="app-nav__link"
                  href={hashOf(item.screen)}
                  data-testid={item.testId}
                  aria-current={screen?.name === item.screen.name ? 'page' : undefined}
                >
                  {t(item.label)}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      )}
      <div className="app-header__tools">
        {user && (
          <p className="app-header__user" data-testid="current-user">
            <span className="visually-hidden">{t('header.signedInAs')} </span>
            <span className="app-header__user-name">{user.displayName}</span>
            <span className="app-header__user-roles">{user.roles.map((role) => t(`roles.${role}`)).join(', ')}</span>
          </p>
        )}
        <LanguageSwitch onChange={onLocaleChange} />
        {user && (
          <button
            type="button"
            className="button button--secondary button--small"
            data-testid="sign-out"
            disabled={signingOut}
            onClick={onSignOut}
          >
            {t('header.signOut')}
          </button>
        )}
      </div>
    </header>
  );
}
