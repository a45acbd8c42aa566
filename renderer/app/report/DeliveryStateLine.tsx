import { useTranslation } from 'react-i18next';
import type { DeliveryStatus } from '../../../core/api/reports.js';
import { missingCase } from '../../../core/errors.js';
import { formatDateTime, formatRetryTime } from '../../format/dateTime.js';
import { useLocale } from '../useLocale.js';

/**
 * Where a signed document's delivery to the requesting site stands. No status
 * yet (the hub creates the jobs just after signing) reads as pending. States
 * where a person must act are drawn as alerts, with the last error in words.
 */
export function DeliveryStateLine({ delivery, testId }: { delivery: DeliveryStatus | null; testId: string }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const state = delivery?.state ?? 'pending';
  let text: string;
  switch (state) {
    case 'pending':
    case 'sending':
      text = t(`report.delivery.${state}`);
      break;
    case 'retrying':
      text = t('report.delivery.retrying', {
        time: delivery?.nextAttemptAt ? formatRetryTime(delivery.nextAttemptAt, locale) : '—',
        attempts: delivery?.attempts ?? 0,
      });
      break;
    case 'delivered':
      text = t('report.delivery.delivered', { date: delivery?.deliveredAt ? formatDateTime(delivery.deliveredAt, locale) : '—' });
      break;
    case 'stopped':
    case 'failed':
      text = t(`report.delivery.${state}`);
      break;
    default:
      return missingCase(state);
  }
  const needsAction = state === 'failed' || state === 'stopped';
  const lastError = delivery?.lastError && state !== 'delivered' ? delivery.lastError : null;
  return (
    <div
      className={`report-delivery report-delivery--${state}${needsAction ? ' alert alert--error' : state === 'retrying' ? ' alert alert--warning' : ''}`}
      data-testid={testId}
      data-state={state}
      role={needsAction ? 'alert' : 'status'}
    >
      <p className="report-delivery__state">
        <span className="report-delivery__label">{t('report.delivery.label')} </span>
        {text}
      </p>
      {lastError && <p className="report-delivery__error small">{t('report.delivery.lastError', { error: lastError })}</p>}
    </div>
  );
}
