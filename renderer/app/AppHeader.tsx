import { useTranslation } from 'react-i18next';
import type { UserSummary } from '../../core/api/auth.js';
import type { Locale } from '../i18n/locale.js';
import { LanguageSwitch } from './components/LanguageSwitch.js';

interface AppHeaderProps {
  siteName: string | null;
  /** The signed-in person; null on the sign-in steps. */
  user: UserSummary | null;
  signingOut: boolean;
  onLocaleChange: (locale: Locale) => void;
  onSignOut: () => void;
}

export function AppHeader({ siteName, user, signingOut, onLocaleChange, onSignOut }: AppHeaderProps) {
  const { t } = useTranslation();
  return (
    <header className="app-header">
      <div className="app-header__brand">
        <span className="app-header__logo" aria-hidden="true" />
        <span className="app-header__name">{t('app.name')}</span>
        {siteName && <span className="app-header__site">{siteName}</span>}
      </div>
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
