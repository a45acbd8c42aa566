import type { FocusEvent, MouseEvent, Ref } from 'react';
import { useTranslation } from 'react-i18next';
import type { TeleFileSummary } from '../../../core/api/teleFiles.js';
import { modalityFamilyLabel } from '../../../core/modalityFamily.js';
import type { ErrorDescription } from '../../i18n/describeApiError.js';
import { priorityTone } from '../../worklist/priority.js';
import { ageInYears, formatPatientName, studyLabel } from '../../worklist/teleFileText.js';
import type { RowAction } from '../../worklist/worklistView.js';
import { missingCase } from '../../util/missingCase.js';
import { formatTime } from '../../format/dateTime.js';
import { hashOf } from '../screens.js';
import { useLocale } from '../useLocale.js';
import { AgeCell, WaitingImages } from './AgeCell.js';
import { PriorityBadge } from './PriorityBadge.js';
import { teleFileContext } from './teleFileContext.js';

/** A message under one row's action: someone else was faster (409), or the action failed. */
export type RowNotice = { kind: 'taken'; name: string | null } | { kind: 'error'; error: ErrorDescription };

interface WorklistRowProps {
  item: TeleFileSummary;
  now: Date;
  selected: boolean;
  /** Roving tabindex: one row of the table is in the Tab order. */
  focusable: boolean;
  action: RowAction;
  busy: 'claim' | 'release' | null;
  notice: RowNotice | null;
  canCompleteRequest: boolean;
  /** The reader may open the images (the study has arrived and they read images, or they are an admin). */
  canOpen: boolean;
  rowRef: Ref<HTMLTableRowElement>;
  onSelect: () => void;
  onClaim: () => void;
  onRelease: () => void;
}

export function WorklistRow(props: WorklistRowProps) {
  const { item, now, selected, focusable, action, busy, notice, canCompleteRequest, canOpen, rowRef, onSelect, onClaim, onRelease } = props;
  const { t } = useTranslation();
  const locale = useLocale();
  const context = teleFileContext(item, t);
  const age = ageInYears(item.patient.birthDate, now);
  const sex = item.patient.sex === 'M' || item.patient.sex === 'F' || item.patient.sex === 'O' ? t(`worklist.sex.${item.patient.sex}`) : null;
  const study = studyLabel(item);

  // Focus anywhere in the row (Tab to its button, a click) selects it, so the keys act on what the eye is on.
  const select = (event: FocusEvent | MouseEvent) => {
    if (!selected && event.currentTarget.contains(event.target as Node)) onSelect();
  };

  return (
    <tr
      ref={rowRef}
      className={`worklist-row worklist-row--${priorityTone(item.priority)}`}
      aria-selected={selected}
      tabIndex={focusable ? 0 : -1}
      data-testid="worklist-row"
      data-tele-file-id={item.id}
      data-status={item.status}
      onFocus={select}
      onClick={select}
    >
      <td className="worklist-row__priority">
        <PriorityBadge priority={item.priority} />
      </td>
      <td className="worklist-row__age">
        <AgeCell item={item} now={now} />
      </td>
      <td>{item.requestingSite ? item.requestingSite.name : <span className="muted">{t('worklist.unknownSite')}</span>}</td>
      <td className="worklist-row__patient">
        {/* An announced request may have no name until its images arrive: the patient ID says who it is. */}
        <span className="patient__name">{formatPatientName(item.patient.name) || item.patient.patientId}</span>
        {(sex !== null || age !== null) && (
          <span className="patient__details muted">
            {[sex, age === null ? null : t('worklist.patientAge', { age })].filter(Boolean).join(', ')}
          </span>
        )}
      </td>
      <td className="worklist-row__exam">
        <span className="exam__modality">
          <strong>{item.modalities.join('/') || '—'}</strong> <span className="muted small">{modalityFamilyLabel(item.modalityFamily)[locale]}</span>
        </span>
        <span className="exam__study">{study ?? <span className="muted">{t('worklist.noDescription')}</span>}</span>
        {item.imagesReceivedAt === null && <WaitingImages />}
      </td>
      <td className="worklist-row__question">
        {item.clinicalQuestion ? (
          <p className="question" title={item.clinicalQuestion} data-testid="clinical-question">
            {item.clinicalQuestion}
          </p>
        ) : null}
        {!item.requestReceived && (
          <span className="waiting-tag" data-testid="waiting-request">
            <span className="waiting-tag__icon" aria-hidden="true">
              ◷
            </span>
            {t('worklist.requestPending')}
          </span>
        )}
        {!item.requestReceived && canCompleteRequest && (
          <a
            className="button button--secondary button--small worklist-row__request"
            href={hashOf({ name: 'clinical-request', teleFileId: item.id })}
            aria-label={t('worklist.completeRequestLabel', { teleFile: context })}
            data-testid="complete-request"
          >
            {t('worklist.completeRequest')}
          </a>
        )}
      </td>
      <td>
        <span className={`status status--${item.status}`} data-testid="status">
          {t(`worklist.status.${item.status}`)}
        </span>
        {item.delivery && (
          <span className={`delivery delivery--${item.delivery.state}`} data-testid="delivery-state" data-state={item.delivery.state} title={item.delivery.lastError ?? undefined}>
            {t(`worklist.delivery.${item.delivery.state}`)}
            {item.delivery.state === 'delivered' && item.delivery.deliveredAt ? ` ${formatTime(item.delivery.deliveredAt, locale)}` : ''}
            {item.delivery.lastError && item.delivery.state !== 'delivered' ? <span className="delivery__error"> — {item.delivery.lastError}</span> : null}
          </span>
        )}
      </td>
      <td className="worklist-row__reader">
        <ReaderCell {...{ action, busy, context, item, onClaim, onRelease }} />
        {canOpen && (
          <a
            className="button button--secondary button--small worklist-row__open"
            href={hashOf({ name: 'viewer', teleFileId: item.id })}
            aria-label={t('worklist.openLabel', { teleFile: context })}
            data-testid="open-viewer"
          >
            {t('worklist.open')}
          </a>
        )}
        {notice && (
          <p className="row-notice" role="alert" data-testid={notice.kind === 'taken' ? 'claim-conflict' : 'row-error'}>
            {notice.kind === 'error'
              ? notice.error.message
              : notice.name === null
                ? t('worklist.alreadyTakenUnknown')
                : t('worklist.alreadyTaken', { name: notice.name })}
          </p>
        )}
      </td>
    </tr>
  );
}

function ReaderCell({
  action,
  busy,
  context,
  item,
  onClaim,
  onRelease,
}: Pick<WorklistRowProps, 'action' | 'busy' | 'item' | 'onClaim' | 'onRelease'> & { context: string }) {
  const { t } = useTranslation();
  switch (action.kind) {
    case 'claim':
      return (
        <button
          type="button"
          className="button button--primary button--small"
          data-testid="claim"
          aria-label={t('worklist.claimLabel', { teleFile: context })}
          disabled={busy !== null}
          onClick={onClaim}
        >
          {busy === 'claim' ? t('worklist.claiming') : t('worklist.claim')}
        </button>
      );
    case 'release':
      return (
        <span className="reader reader--mine">
          <strong data-testid="claimed-by-me">{t('worklist.you')}</strong>
          <button
            type="button"
            className="button button--secondary button--small"
            data-testid="release"
            aria-label={t('worklist.releaseLabel', { teleFile: context })}
            disabled={busy !== null}
            onClick={onRelease}
          >
            {busy === 'release' ? t('worklist.releasing') : t('worklist.release')}
          </button>
        </span>
      );
    case 'taken-by-other':
      return (
        <span className="reader reader--other" data-testid="taken-by">
          {t('worklist.takenBy', { name: action.name })}
        </span>
      );
    case 'none':
      // Someone else's file is 'taken-by-other': an assignee here is this reader (reading, signed…).
      return item.assignee === null ? (
        <span className="muted">—</span>
      ) : (
        <strong className="reader reader--mine" data-testid="claimed-by-me">
          {t('worklist.you')}
        </strong>
      );
    default:
      return missingCase(action);
  }
}
