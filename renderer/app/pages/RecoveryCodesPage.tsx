import { useTranslation } from 'react-i18next';

interface RecoveryCodesPageProps {
  codes: readonly string[];
  onDone: () => void;
}

/** Shown once after enrolment: the hub keeps only hashes of these codes. */
export function RecoveryCodesPage({ codes, onDone }: RecoveryCodesPageProps) {
  const { t } = useTranslation();
  return (
    <main id="main" className="auth-page" tabIndex={-1}>
      <section className="auth-card" aria-labelledby="recovery-codes-title">
        <h1 id="recovery-codes-title" className="auth-card__title">
          {t('recoveryCodes.title')}
        </h1>
        <p className="auth-card__intro">{t('recoveryCodes.intro')}</p>
        <p className="alert alert--warning">{t('recoveryCodes.storeAdvice')}</p>
        <ol className="recovery-codes" data-testid="recovery-codes" aria-label={t('recoveryCodes.listLabel')}>
          {codes.map((code) => (
            <li key={code}>
              <code>{code}</code>
            </li>
          ))}
        </ol>
        <div className="form-actions">
          {/* autoFocus: Enter acknowledges, as on every other step. */}
          <button type="button" className="button button--primary" autoFocus onClick={onDone}>
            {t('recoveryCodes.done')}
          </button>
          <button type="button" className="button button--secondary" onClick={() => window.print()}>
            {t('recoveryCodes.print')}
          </button>
        </div>
      </section>
    </main>
  );
}
