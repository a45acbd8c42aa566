import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { SessionInfo } from '../../../core/api/auth.js';
import { useApi } from '../ApiContext.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { TextField } from '../components/TextField.js';
import { TotpCodeField } from '../components/TotpCodeField.js';
import { useSubmission } from '../useSubmission.js';
import { normaliseTotpCode } from '../../format/totpCode.js';

interface SecondFactorPageProps {
  onSession: (session: SessionInfo) => void;
  onCancel: () => void;
}

/** Second sign-in step: a TOTP code, or one of the recovery codes when the phone is not at hand. */
export function SecondFactorPage({ onSession, onCancel }: SecondFactorPageProps) {
  const { t } = useTranslation();
  const api = useApi();
  const [mode, setMode] = useState<'totp' | 'recovery'>('totp');
  const [code, setCode] = useState('');
  const [invalid, setInvalid] = useState(false);
  const submission = useSubmission();
  const codeRef = useRef<HTMLInputElement>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const value = mode === 'totp' ? normaliseTotpCode(code) : code.trim();
    const ok = mode === 'totp' ? /^\d{6}$/.test(value) : value !== '';
    setInvalid(!ok);
    if (!ok) {
      submission.clear();
      codeRef.current?.focus();
      return;
    }
    const error = await submission.run(async () => onSession(await api.secondFactor(value)));
    if (error !== null) {
      setCode('');
      codeRef.current?.focus();
    }
  }

  function switchMode() {
    setMode(mode === 'totp' ? 'recovery' : 'totp');
    setCode('');
    setInvalid(false);
    submission.clear();
  }

  const fieldError = invalid
    ? t(mode === 'totp' ? 'validation.totpFormat' : 'validation.recoveryRequired')
    : submission.error?.fields.code;
  return (
    <main id="main" className="auth-page" tabIndex={-1}>
      <section className="auth-card" aria-labelledby="second-factor-title">
        <h1 id="second-factor-title" className="auth-card__title">
          {t('secondFactor.title')}
        </h1>
        <p className="auth-card__intro">{mode === 'totp' ? t('secondFactor.intro') : t('secondFactor.introRecovery')}</p>
        <ErrorAlert error={submission.error} />
        <form className="form" data-testid="second-factor-form" noValidate onSubmit={(event) => void submit(event)}>
          {mode === 'totp' ? (
            <TotpCodeField
              key="totp"
              ref={codeRef}
              label={t('secondFactor.totpCode')}
              autoFocus
              value={code}
              onChange={(event) => setCode(event.target.value)}
              error={fieldError}
            />
          ) : (
            <TextField
              key="recovery"
              ref={codeRef}
              label={t('secondFactor.recoveryCode')}
              name="recovery-code"
              className="field__input--code"
              autoComplete="off"
              autoCapitalize="none"
              spellCheck={false}
              maxLength={32}
              autoFocus
              value={code}
              onChange={(event) => setCode(event.target.value)}
              error={fieldError}
            />
          )}
          <button type="submit" className="button button--primary" disabled={submission.pending}>
            {submission.pending ? t('secondFactor.submitting') : t('secondFactor.submit')}
          </button>
        </form>
        <div className="auth-card__actions">
          <button type="button" className="button button--link" onClick={switchMode}>
            {mode === 'totp' ? t('secondFactor.useRecoveryCode') : t('secondFactor.useTotpCode')}
          </button>
          <button type="button" className="button button--link" onClick={onCancel}>
            {t('secondFactor.cancel')}
          </button>
        </div>
      </section>
    </main>
  );
}
