import { useTranslation } from 'react-i18next';

/** The periodic session check could not reach the hub; nothing is lost, the check goes on. */
export function ConnectionBanner() {
  const { t } = useTranslation();
  return (
    <div className="banner" role="status" data-testid="connection-lost">
      <span className="banner__mark" aria-hidden="true">
        ⚠
      </span>
      {t('app.connectionLost')}
    </div>
  );
}
