import { useTranslation } from 'react-i18next';

/** Shown on the sign-in page when the session ended under the person; what was on screen is kept behind it. */
export function SessionExpiredBanner({ workKept }: { workKept: boolean }) {
  const { t } = useTranslation();
  return (
    <div className="alert alert--warning" role="alert" data-testid="session-expired">
      <p>{t('signIn.sessionExpired')}</p>
      {workKept && <p className="muted">{t('signIn.workKept')}</p>}
    </div>
  );
}
