import { useTranslation } from 'react-i18next';
import type { TeleFileSummary } from '../../../core/api/teleFiles.js';
import { formatDateTime } from '../../format/dateTime.js';
import { formatPatientName, studyLabel } from '../../worklist/teleFileText.js';
import { useLocale } from '../useLocale.js';

/**
 * Studies routing refused (ultrasound, unknown site, no coverage…), for
 * admins: nobody reads them, so someone must see them and fix the cause.
 * Closed by default; its count is in the summary.
 */
export function RefusedSection({ items }: { items: readonly TeleFileSummary[] }) {
  const { t } = useTranslation();
  const locale = useLocale();
  return (
    <details className="refused" data-testid="refused-section">
      <summary className="refused__summary">
        <span className="refused__title">{t('worklist.refused.title', { count: items.length })}</span>
      </summary>
      <p className="muted refused__hint">{t('worklist.refused.hint')}</p>
      <div className="table-frame">
        <table className="data-table">
          <caption className="visually-hidden">{t('worklist.refused.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('worklist.refused.received')}</th>
              <th scope="col">{t('worklist.columns.requestingSite')}</th>
              <th scope="col">{t('worklist.columns.patient')}</th>
              <th scope="col">{t('worklist.columns.exam')}</th>
              <th scope="col">{t('worklist.refused.reason')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <tr key={item.id} data-testid="refused-row" data-tele-file-id={item.id}>
                <td className="nowrap">{formatDateTime(item.imagesReceivedAt ?? item.createdAt, locale)}</td>
                <td>{item.requestingSite?.name ?? <span className="muted">{t('worklist.unknownSite')}</span>}</td>
                <td>{formatPatientName(item.patient.name)}</td>
                <td>
                  <strong>{item.modalities.join('/') || '—'}</strong> {studyLabel(item) ?? ''}
                </td>
                <td data-testid="refusal-reason">{item.refusal?.text[locale] ?? item.routingExplanation?.[locale] ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}
