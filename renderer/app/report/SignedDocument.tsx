import { useTranslation } from 'react-i18next';
import { REPORT_SECTIONS, type ReportView } from '../../../core/api/reports.js';
import { formatDateTime } from '../../format/dateTime.js';
import { useLocale } from '../useLocale.js';
import { DeliveryStateLine } from './DeliveryStateLine.js';

/** A signed report or addendum: its text, read-only, who signed it and when, and where its delivery stands. */
export function SignedDocument({ report, testId, deliveryTestId }: { report: ReportView; testId: string; deliveryTestId: string }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const sections = REPORT_SECTIONS.filter((section) => report.kind === 'report' || report.content[section].trim() !== '');
  return (
    <article className="report-signed" data-testid={testId} data-report-id={report.id} aria-label={report.kind === 'report' ? t('report.title') : t('report.addenda.item', { date: report.signedAt ? formatDateTime(report.signedAt, locale) : '' })}>
      <p className="report-signed__by">
        {t('report.signed.title', { name: report.signer?.displayName ?? '—', date: report.signedAt ? formatDateTime(report.signedAt, locale) : '—' })}
      </p>
      {report.kind === 'report' && <p className="muted small">{t('report.signed.readOnly')}</p>}
      <dl className="report-signed__sections">
        {sections.map((section) => (
          <div key={section} className="report-signed__section">
            <dt>{t(`report.sections.${section}`)}</dt>
            <dd>{report.content[section].trim() === '' ? t('report.signed.empty') : report.content[section]}</dd>
          </div>
        ))}
      </dl>
      {report.critical.flagged && (
        <p className="report-signed__critical">
          <strong>{t('report.critical.flag')}</strong>
          {' — '}
          {[
            report.critical.communication.to,
            report.critical.communication.means ? t(`report.critical.meansOptions.${report.critical.communication.means}`) : null,
            report.critical.communication.at ? formatDateTime(report.critical.communication.at, locale) : null,
          ]
            .filter(Boolean)
            .join(', ')}
        </p>
      )}
      <DeliveryStateLine delivery={report.delivery} testId={deliveryTestId} />
    </article>
  );
}
