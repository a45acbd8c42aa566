import { useTranslation } from 'react-i18next';
import { missingCase } from '../../../core/errors.js';
import { describeApiError } from '../../i18n/describeApiError.js';
import { formatRetryTime } from '../../format/dateTime.js';
import type { SaveState } from '../../report/draftAutosave.js';
import { useLocale } from '../useLocale.js';

/** One line saying where the draft stands, announced politely (it changes every few seconds while typing). */
export function SaveStatus({ state, hasLocalCopy }: { state: SaveState; hasLocalCopy: boolean }) {
  const { t } = useTranslation();
  const locale = useLocale();
  let text: string;
  switch (state.kind) {
    case 'saved':
      text = state.savedAt === null ? t('report.save.untouched') : t('report.save.saved', { time: formatRetryTime(state.savedAt, locale) });
      break;
    case 'pending':
    case 'saving':
      text = t('report.save.saving');
      break;
    case 'offline':
      text = hasLocalCopy ? t('report.save.offline') : t('report.save.offlineNoCopy');
      break;
    case 'refused':
      text = t('report.save.refused', { reason: describeApiError(state.error, t, locale).message });
      break;
    case 'conflict':
      text = t('report.conflict.paused');
      break;
    default:
      return missingCase(state);
  }
  return (
    <p className={`report-save report-save--${state.kind}`} role="status" aria-live="polite" data-testid="report-save-state" data-state={state.kind}>
      {text}
    </p>
  );
}
