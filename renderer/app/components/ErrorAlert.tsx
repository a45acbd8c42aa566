import { useTranslation } from 'react-i18next';
import type { ErrorDescription } from '../../i18n/describeApiError.js';

/**
 * The one place errors are shown: role="alert" so a screen reader says it at
 * once, a written "Erreur" title so colour is not the only signal, and the
 * request reference when IT will need it.
 */
export function ErrorAlert({ error, message }: { error?: ErrorDescription | null; message?: string | null }) {
  const { t } = useTranslation();
  const text = error?.message ?? message;
  if (!text) return null;
  return (
    <div className="alert alert--error" role="alert">
      <p className="alert__title">{t('errors.title')}</p>
      <p>{text}</p>
      {error?.reference && (
        <p className="alert__reference" data-testid="error-reference">
          {t('errors.requestId', { requestId: error.reference })}
        </p>
      )}
    </div>
  );
}
