import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ReportView, SignRequest } from '../../../core/api/reports.js';
import type { TeleFileSummary } from '../../../core/api/teleFiles.js';
import type { SignBlocker } from '../../report/signReadiness.js';
import { formatPatientName } from '../../worklist/teleFileText.js';
import { useApi } from '../ApiContext.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { TextField } from '../components/TextField.js';
import { TotpCodeField } from '../components/TotpCodeField.js';
import { useSubmission } from '../useSubmission.js';

export interface SignDialogProps {
  /** The saved draft being signed: its id and the version shown. */
  report: ReportView;
  teleFile: TeleFileSummary;
  /** What still stops the signature (signBlockers): the confirm button stays disabled while any remain. */
  blockers: readonly SignBlocker[];
  onClose(): void;
  onSigned(report: ReportView): void;
}

/**
 * Signing (issue 6): the person proves again who they are (password or a
 * current TOTP code), sees the patient and the requesting site one last time,
 * and the client sends back exactly what it showed (confirmedPatientId,
 * confirmedSiteId) so the hub refuses a signature made while looking at
 * another patient.
 */
export function SignDialog({ report, teleFile, blockers, onClose, onSigned }: SignDialogProps) {
  const { t } = useTranslation();
  const api = useApi();
  const titleId = useId();
  const { pending, error, run } = useSubmission();
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [needSecret, setNeedSecret] = useState(false);
  const passwordRef = useRef<HTMLInputElement>(null);
  useEffect(() => passwordRef.current?.focus(), []);

  const compactCode = code.replace(/\s+/g, '');
  const ready = blockers.length === 0 && !pending;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!ready) return;
    if (password === '' && compactCode === '') {
      setNeedSecret(true);
      return;
    }
    const request: SignRequest = {
      ...(compactCode !== '' ? { code: compactCode } : { password }),
      version: report.version,
      confirmedPatientId: teleFile.patient.patientId,
      confirmedSiteId: teleFile.requestingSite?.id ?? '',
    };
    void run(async () => {
      onSigned(await api.signReport(report.id, request));
    });
  };

  return (
    <div className="sign-dialog" role="dialog" aria-modal="true" aria-labelledby={titleId} data-testid="sign-dialog" onKeyDown={(event) => event.key === 'Escape' && !pending && onClose()}>
      <form className="sign-dialog__panel" onSubmit={submit} noValidate>
        <h2 id={titleId}>{report.kind === 'addendum' ? t('report.sign.titleAddendum') : t('report.sign.title')}</h2>
        <p>{t('report.sign.check')}</p>
        <dl className="sign-dialog__identity" data-testid="sign-identity">
          <div>
            <dt>{t('report.sign.patient')}</dt>
            <dd data-testid="sign-patient-name">{formatPatientName(teleFile.patient.name)}</dd>
          </div>
          <div>
            <dt>{t('report.sign.patientId')}</dt>
            <dd data-testid="sign-patient-id">
              {teleFile.patient.patientId} <span className="muted">({t('report.sign.issuer', { issuer: teleFile.patient.issuer })})</span>
            </dd>
          </div>
          <div>
            <dt>{t('report.sign.site')}</dt>
            <dd data-testid="sign-site">{teleFile.requestingSite?.name ?? t('report.sign.noSite')}</dd>
          </div>
        </dl>
        {blockers.length > 0 && (
          <div className="alert alert--warning" role="alert" data-testid="sign-missing">
            <p className="alert__title">{t('report.sign.missingTitle')}</p>
            <ul>
              {blockers.map((blocker) => (
                <li key={`${blocker.kind}-${blocker.kind === 'section' ? blocker.section : blocker.field}`}>
                  {blocker.kind === 'section'
                    ? t('report.sign.missingSection', { section: t(`report.sections.${blocker.section}`) })
                    : t(`report.sign.missingCritical.${blocker.field}`)}
                </li>
              ))}
            </ul>
          </div>
        )}
        <p className="small">{t('report.sign.reauth')}</p>
        <TextField
          ref={passwordRef}
          label={t('report.sign.password')}
          type="password"
          name="password"
          autoComplete="current-password"
          value={password}
          onChange={(event) => {
            setPassword(event.target.value);
            setNeedSecret(false);
          }}
          error={needSecret ? t('report.sign.needSecret') : null}
          data-testid="sign-password"
        />
        <TotpCodeField
          label={t('report.sign.code')}
          value={code}
          onChange={(event) => {
            setCode(event.target.value);
            setNeedSecret(false);
          }}
          data-testid="sign-code"
        />
        <ErrorAlert error={error} />
        <div className="sign-dialog__actions">
          <button type="button" className="button button--secondary" onClick={onClose} disabled={pending}>
            {t('report.sign.cancel')}
          </button>
          <button type="submit" className="button button--primary" disabled={!ready} data-testid="sign-confirm">
            {pending ? t('report.sign.signing') : t('report.sign.confirm')}
          </button>
        </div>
      </form>
    </div>
  );
}
