import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { EnrolmentStartResponse, SessionInfo } from '../../../core/api/auth.js';
import { isSessionLost } from '../../api/sessionGuard.js';
import { groupSecret, normaliseTotpCode } from '../../format/totpCode.js';
import { describeApiError } from '../../i18n/describeApiError.js';
import { useApi } from '../ApiContext.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { TotpCodeField } from '../components/TotpCodeField.js';
import { useLocale } from '../useLocale.js';
import { useSubmission } from '../useSubmission.js';

interface EnrolmentPageProps {
  onEnrolled: (session: SessionInfo, recoveryCodes: readonly string[]) => void;
  onCancel: () => void;
}

/** First sign-in without a second factor: show a new TOTP secret, then check one code from the app. */
export function EnrolmentPage({ onEnrolled, onCancel }: EnrolmentPageProps) {
  const { t } = useTranslation();
  const locale = useLocale();
  const api = useApi();
  const [enrolment, setEnrolment] = useState<EnrolmentStartResponse | null>(null);
  const [startFailure, setStartFailure] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);
  const [code, setCode] = useState('');
  const [invalid, setInvalid] = useState(false);
  const submission = useSubmission();
  const codeRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    let current = true;
    api.startEnrolment().then(
      (started) => {
        if (current) setEnrolment(started);
      },
      (error: unknown) => {
        if (current && !isSessionLost(error)) setStartFailure(error);
      },
    );
    return () => {
      current = false;
    };
  }, [api, attempt]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const value = normaliseTotpCode(code);
    const ok = /^\d{6}$/.test(value);
    setInvalid(!ok);
    if (!ok) {
      submission.clear();
      codeRef.current?.focus();
      return;
    }
    const error = await submission.run(async () => {
      const confirmed = await api.confirmEnrolment(value);
      onEnrolled(confirmed.session, confirmed.recoveryCodes);
    });
    if (error !== null) {
      setCode('');
      codeRef.current?.focus();
    }
  }

  return (
    <main id="main" className="auth-page" tabIndex={-1}>
      <section className="auth-card auth-card--wide" aria-labelledby="enrolment-title">
        <h1 id="enrolment-title" className="auth-card__title">
          {t('enrolment.title')}
        </h1>
        <p className="auth-card__intro">{t('enrolment.intro')}</p>
        {startFailure !== null && (
          <div className="alert-with-action">
            <ErrorAlert error={describeApiError(startFailure, t, locale)} />
            <button
              type="button"
              className="button button--secondary"
              onClick={() => {
                setStartFailure(null);
                setAttempt((n) => n + 1);
              }}
            >
              {t('enrolment.retry')}
            </button>
          </div>
        )}
        {enrolment === null && startFailure === null && (
          <p className="muted" role="status">
            {t('enrolment.preparing')}
          </p>
        )}
        {enrolment !== null && (
          <>
            <div className="enrolment">
              <div className="enrolment__scan">
                <p>{t('enrolment.scanStep')}</p>
                {/* The hub draws the QR code as an SVG data URL: nothing is fetched from the network. */}
                <img
                  className="enrolment__qr"
                  src={enrolment.qrCode}
                  width={192}
                  height={192}
                  alt={t('enrolment.qrAlt', { account: enrolment.account, issuer: enrolment.issuer })}
                />
              </div>
              <div className="enrolment__manual">
                <p>{t('enrolment.manualStep')}</p>
                {/* Groups are spans spaced by CSS: the element's text (and a copy) is the raw secret. */}
                <code className="secret" data-testid="totp-secret">
                  {groupSecret(enrolment.secret).map((group, index) => (
                    <span key={index} className="secret__group">
                      {group}
                    </span>
                  ))}
                </code>
                <dl className="enrolment__details">
                  <dt>{t('enrolment.account')}</dt>
                  <dd>{enrolment.account}</dd>
                  <dt>{t('enrolment.issuer')}</dt>
                  <dd>{enrolment.issuer}</dd>
                  <dt>{t('enrolment.type')}</dt>
                  <dd>{t('enrolment.timeBased')}</dd>
                </dl>
              </div>
            </div>
            <ErrorAlert error={submission.error} />
            <form className="form" data-testid="enrolment-form" noValidate onSubmit={(event) => void submit(event)}>
              <p>{t('enrolment.confirmStep')}</p>
              <TotpCodeField
                ref={codeRef}
                label={t('enrolment.code')}
                autoFocus
                value={code}
                onChange={(event) => setCode(event.target.value)}
                error={invalid ? t('validation.totpFormat') : submission.error?.fields.code}
              />
              <button type="submit" className="button button--primary" disabled={submission.pending}>
                {submission.pending ? t('enrolment.submitting') : t('enrolment.submit')}
              </button>
            </form>
          </>
        )}
        <div className="auth-card__actions">
          <button type="button" className="button button--link" onClick={onCancel}>
            {t('enrolment.cancel')}
          </button>
        </div>
      </section>
    </main>
  );
}
