import { useTranslation } from 'react-i18next';
import type { Priority } from '../../../core/api/teleFiles.js';
import { priorityIcon, priorityTone } from '../../worklist/priority.js';

/** Colour, shape and word: a vital emergency reads as one on any screen and without colour vision. */
export function PriorityBadge({ priority }: { priority: Priority | null }) {
  const { t } = useTranslation();
  const tone = priorityTone(priority);
  return (
    <span className={`priority priority--${tone}`} data-testid="priority" data-priority={tone}>
      <span className="priority__icon" aria-hidden="true">
        {priorityIcon(tone)}
      </span>
      {t(`worklist.priority.${tone}`)}
    </span>
  );
}
