import { useTranslation } from 'react-i18next';
import type { UserSummary } from '../../../core/api/auth.js';
import { REPORT_SECTIONS, type ReportView } from '../../../core/api/reports.js';
import { formatRetryTime } from '../../format/dateTime.js';
import { useLocale } from '../useLocale.js';

/**
 * Another tab (or another person) saved this draft after this tab's edits
 * began: autosave has stopped, and nothing is lost until the person chooses
 * to take the other version or to overwrite it knowingly. A version signed
 * elsewhere can only be taken.
 */
export function ConflictNotice({ current, clientId, user, onChoose }: { current: ReportView; clientId: string; user: UserSummary; onChoose(choice: 'theirs' | 'mine'): void }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const time = formatRetryTime(current.updatedAt, locale);
  const sameperson = current.updatedBy === null || current.updatedBy.id === user.id;
  const message =
    current.status === 'signed'
      ? t('report.conflict.signedElsewhere', { name: current.signer?.displayName ?? current.updatedBy?.displayName ?? '—' })
      : sameperson && current.lastClientId !== clientId
        ? t('report.conflict.otherTab', { time })
        : t('report.conflict.otherPerson', { name: current.updatedBy?.displayName ?? '—', time });
  return (
    <div className="alert alert--warning report-conflict" role="alert" data-testid="report-conflict">
      <p className="alert__title">{message}</p>
      <p className="small">{t('report.conflict.paused')}</p>
      <details className="report-conflict__other">
        <summary>{t('report.conflict.showOther')}</summary>
        <dl>
          {REPORT_SECTIONS.filter((section) => current.content[section].trim() !== '').map((section) => (
            <div key={section}>
              <dt>{t(`report.sections.${section}`)}</dt>
              <dd>{current.content[section]}</dd>
            </div>
          ))}
        </dl>
      </details>
      <div className="report-conflict__actions">
        <button type="button" className="button button--primary button--small" onClick={() => onChoose('theirs')} data-testid="report-conflict-theirs">
          {t('report.conflict.takeTheirs')}
        </button>
        {current.status !== 'signed' && (
          <button type="button" className="button button--secondary button--small" onClick={() => onChoose('mine')} data-testid="report-conflict-mine">
            {t('report.conflict.overwrite')}
          </button>
        )}
      </div>
    </div>
  );
}
