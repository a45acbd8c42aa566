import { useId, useRef, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import { PRIORITIES } from '../../../core/api/teleFiles.js';
import { CLINICAL_REQUEST_MAX as MAX, type ClinicalRequestDraft, type ClinicalRequestField } from '../../worklist/clinicalRequestDraft.js';
import { priorityIcon } from '../../worklist/priority.js';
import { TextAreaField } from '../components/TextAreaField.js';
import { TextField } from '../components/TextField.js';

export interface ClinicalRequestRefs {
  indication: RefObject<HTMLTextAreaElement | null>;
  question: RefObject<HTMLTextAreaElement | null>;
  priority: RefObject<HTMLInputElement | null>;
  contactPhone: RefObject<HTMLInputElement | null>;
  requestedBy: RefObject<HTMLInputElement | null>;
}

/** One ref per field, so a form can focus the first one to fix. */
export function useClinicalRequestRefs(): ClinicalRequestRefs {
  return {
    indication: useRef<HTMLTextAreaElement>(null),
    question: useRef<HTMLTextAreaElement>(null),
    priority: useRef<HTMLInputElement>(null),
    contactPhone: useRef<HTMLInputElement>(null),
    requestedBy: useRef<HTMLInputElement>(null),
  };
}

interface ClinicalRequestFieldsProps {
  draft: ClinicalRequestDraft;
  onEdit: <F extends keyof ClinicalRequestDraft>(field: F, value: ClinicalRequestDraft[F]) => void;
  /** The error to show under a field, already in the person's language. */
  message: (field: ClinicalRequestField) => string | undefined;
  refs: ClinicalRequestRefs;
}

/**
 * The clinical request's fields: context, question, priority, a phone number
 * to call back, and who asks. Shared by the request of a received tele-file
 * and the "Nouvelle demande" form (request first).
 */
export function ClinicalRequestFields({ draft, onEdit, message, refs }: ClinicalRequestFieldsProps) {
  const { t } = useTranslation();
  const priorityId = useId();
  return (
    <>
      <TextAreaField
        ref={refs.indication}
        label={t('clinicalRequest.indication')}
        hint={t('clinicalRequest.indicationHint')}
        name="indication"
        rows={4}
        maxLength={MAX.indication}
        value={draft.indication}
        onChange={(event) => onEdit('indication', event.target.value)}
        error={message('indication')}
      />
      <TextAreaField
        ref={refs.question}
        label={t('clinicalRequest.question')}
        hint={t('clinicalRequest.questionHint')}
        name="question"
        rows={2}
        maxLength={MAX.question}
        value={draft.question}
        onChange={(event) => onEdit('question', event.target.value)}
        error={message('question')}
      />
      <fieldset
        className={`field radio-group${message('priority') ? ' field--invalid' : ''}`}
        aria-describedby={message('priority') ? `${priorityId}-error` : undefined}
        data-testid="clinical-request-priority"
      >
        <legend className="field__label">{t('clinicalRequest.priority')}</legend>
        <div className="radio-group__options">
          {PRIORITIES.map((priority, index) => (
            <label key={priority} className={`radio-card radio-card--${priority}`}>
              <input
                ref={index === 0 ? refs.priority : undefined}
                type="radio"
                name="priority"
                value={priority}
                checked={draft.priority === priority}
                onChange={() => onEdit('priority', priority)}
              />
              <span className="radio-card__icon" aria-hidden="true">
                {priorityIcon(priority)}
              </span>
              <span>{t(`worklist.priority.${priority}`)}</span>
            </label>
          ))}
        </div>
        {message('priority') && (
          <p className="field__error" id={`${priorityId}-error`}>
            <span className="field__error-mark" aria-hidden="true">
              !
            </span>
            {message('priority')}
          </p>
        )}
      </fieldset>
      <TextField
        ref={refs.contactPhone}
        label={t('clinicalRequest.contactPhone')}
        hint={t('clinicalRequest.contactPhoneHint')}
        name="contactPhone"
        type="tel"
        autoComplete="tel"
        maxLength={25}
        value={draft.contactPhone}
        onChange={(event) => onEdit('contactPhone', event.target.value)}
        error={message('contactPhone')}
      />
      <TextField
        ref={refs.requestedBy}
        label={t('clinicalRequest.requestedBy')}
        hint={t('clinicalRequest.requestedByHint')}
        name="requestedBy"
        autoComplete="name"
        maxLength={MAX.requestedBy}
        value={draft.requestedBy}
        onChange={(event) => onEdit('requestedBy', event.target.value)}
        error={message('requestedBy')}
      />
    </>
  );
}
