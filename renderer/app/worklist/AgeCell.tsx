import { useTranslation } from 'react-i18next';
import type { TeleFileSummary } from '../../../core/api/teleFiles.js';
import { formatTime } from '../../format/dateTime.js';
import { ageMinutes, ageParts, isOverdue } from '../../worklist/teleFileAge.js';
import { useLocale } from '../useLocale.js';

/** Time waited since the images arrived; past the limit of its priority it says so with a mark and a word. */
export function AgeCell({ item, now }: { item: TeleFileSummary; now: Date }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const minutes = ageMinutes(item.imagesReceivedAt, now);
  // No age while the images arrive: the study cell says so (WaitingImages below).
  if (item.imagesReceivedAt === null || minutes === null) {
    return (
      <span className="muted" aria-hidden="true">
        —
      </span>
    );
  }
  const parts = ageParts(minutes);
  const text = parts.kind === 'minutes' ? t('worklist.age.minutes', { minutes: parts.minutes }) : t('worklist.age.hours', { hours: parts.hours, minutes: parts.minutes });
  const overdue = isOverdue(item.priority, minutes);
  const since = t('worklist.age.since', { time: formatTime(item.imagesReceivedAt, locale) });
  return (
    <span className={`age${overdue ? ' age--overdue' : ''}`} data-testid="age" data-minutes={minutes} title={since}>
      <span className="age__value">
        {overdue && (
          <span className="age__icon" aria-hidden="true">
            ⚠
          </span>
        )}
        {text}
      </span>
      {overdue && <span className="visually-hidden">, {t('worklist.age.overdue')}</span>}
      <span className="age__since">{formatTime(item.imagesReceivedAt, locale)}</span>
    </span>
  );
}

/** Shown with the study while the pivot PACS is still receiving its images. */
export function WaitingImages() {
  const { t } = useTranslation();
  return (
    <span className="waiting-tag" data-testid="waiting-images">
      <span className="waiting-tag__icon" aria-hidden="true">
        ⋯
      </span>
      {t('worklist.age.waitingImages')}
    </span>
  );
}
