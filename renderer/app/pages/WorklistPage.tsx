import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { WorklistResponse } from '../../../core/api/worklist.js';
import { formatTime } from '../../format/dateTime.js';
import { useApi } from '../ApiContext.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { useLocale } from '../useLocale.js';
import { useSubmission } from '../useSubmission.js';

/** Planned columns, in reading order: what the on-call radiologist triages by. */
const COLUMNS = [
  'priority',
  'age',
  'requestingSite',
  'modality',
  'region',
  'clinicalQuestion',
  'state',
  'reader',
] as const;

/** The tele-files to read. Empty but real until tele-files land (the hub's placeholder shape is `{ id }`). */
export function WorklistPage() {
  const { t } = useTranslation();
  const locale = useLocale();
  const api = useApi();
  const [worklist, setWorklist] = useState<WorklistResponse | null>(null);
  const { pending, error, run } = useSubmission();

  const load = useCallback(
    () =>
      run(async () => {
        setWorklist(await api.worklist());
      }),
    [api, run],
  );
  useEffect(() => {
    void load();
  }, [load]);

  return (
    <section className="worklist" aria-labelledby="worklist-title" data-testid="worklist">
      <div className="page-heading">
        <h1 id="worklist-title">{t('worklist.title')}</h1>
        <div className="page-heading__side">
          {worklist && (
            <p className="muted" data-testid="worklist-as-of">
              {t('worklist.asOf', { time: formatTime(worklist.asOf, locale) })}
            </p>
          )}
          <button type="button" className="button button--secondary" onClick={() => void load()} disabled={pending}>
            {pending ? t('worklist.refreshing') : t('worklist.refresh')}
          </button>
        </div>
      </div>
      <ErrorAlert error={error} />
      <div className="table-frame">
        <table className="worklist-table">
          <caption className="visually-hidden">{t('worklist.caption')}</caption>
          <thead>
            <tr>
              {COLUMNS.map((column) => (
                <th key={column} scope="col">
                  {t(`worklist.columns.${column}`)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {worklist?.items.map((item) => (
              <tr key={item.id}>
                <td colSpan={COLUMNS.length}>{t('worklist.pendingDetails', { id: item.id })}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {/* Outside the table so it stays centred in view when the columns scroll sideways. */}
        {worklist !== null && worklist.items.length === 0 && (
          <div className="empty-state" data-testid="worklist-empty">
            <p className="empty-state__title">{t('worklist.empty')}</p>
            <p className="muted">{t('worklist.emptyHint')}</p>
          </div>
        )}
      </div>
    </section>
  );
}
