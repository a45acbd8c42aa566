import type { TFunction } from 'i18next';
import type { TeleFileSummary } from '../../../core/api/teleFiles.js';
import { priorityTone } from '../../worklist/priority.js';
import { formatPatientName, studyLabel } from '../../worklist/teleFileText.js';

/**
 * The words that tell one row from another, for accessible names: "Prendre"
 * alone would leave a screen-reader user guessing which tele-file.
 */
export function teleFileContext(item: TeleFileSummary, t: TFunction): string {
  return [
    t(`worklist.priority.${priorityTone(item.priority)}`),
    [item.modalities.join('/'), studyLabel(item)].filter(Boolean).join(' '),
    item.requestingSite?.name ?? t('worklist.unknownSite'),
    formatPatientName(item.patient.name),
  ]
    .filter(Boolean)
    .join(', ');
}
