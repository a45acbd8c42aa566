import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isSessionLost } from '../api/sessionGuard.js';
import { describeApiError, type ErrorDescription } from '../i18n/describeApiError.js';
import { useLocale } from './useLocale.js';

/**
 * The pending flag and the error of one form's call. The error is kept raw
 * and described at render time, so switching language translates it too. A
 * lost session is not this form's error: the app shell shows the sign-in page.
 */
export function useSubmission() {
  const { t } = useTranslation();
  const locale = useLocale();
  const [pending, setPending] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);

  const run = useCallback(async (action: () => Promise<void>): Promise<unknown> => {
    setPending(true);
    setFailure(null);
    try {
      await action();
      return null;
    } catch (error) {
      if (!isSessionLost(error)) setFailure(error);
      return error;
    } finally {
      setPending(false);
    }
  }, []);

  const error: ErrorDescription | null = failure === null ? null : describeApiError(failure, t, locale);
  const clear = useCallback(() => setFailure(null), []);
  return { pending, error, run, clear };
}
