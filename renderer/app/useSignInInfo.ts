import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SignInInfo } from '../../core/api/auth.js';
import { describeApiError, type ErrorDescription } from '../i18n/describeApiError.js';
import { useApi } from './ApiContext.js';
import { useLocale } from './useLocale.js';

export interface SignInInfoState {
  value: SignInInfo | null;
  error: ErrorDescription | null;
  retry: () => void;
}

/** GET /api/sign-in-info once for the app: the site name, the demo flag and the relaxed-second-factor notice. */
export function useSignInInfo(): SignInInfoState {
  const api = useApi();
  const { t } = useTranslation();
  const locale = useLocale();
  const [value, setValue] = useState<SignInInfo | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let current = true;
    api.signInInfo().then(
      (info) => {
        if (!current) return;
        setValue(info);
        setFailure(null);
      },
      (error: unknown) => {
        if (current) setFailure(error);
      },
    );
    return () => {
      current = false;
    };
  }, [api, attempt]);

  const retry = useCallback(() => setAttempt((n) => n + 1), []);
  return { value, error: failure === null ? null : describeApiError(failure, t, locale), retry };
}
