import { PHONE, type ClinicalRequest, type Priority } from '../../core/api/teleFiles.js';

/** The form as typed; `priority` is null until one is chosen (no default: the physician must decide). */
export type ClinicalRequestDraft = { indication: string; question: string; priority: Priority | null; contactPhone: string; requestedBy: string };
export type ClinicalRequestField = keyof ClinicalRequest;

/** The hub's own limits (core/api/teleFiles.ts ClinicalRequest), checked here to say it in the person's language. */
export const CLINICAL_REQUEST_MAX = { indication: 2000, question: 1000, requestedBy: 120 } as const;

export type DraftProblem =
  | { readonly key: 'clinicalRequest.required' | 'clinicalRequest.priorityRequired' | 'clinicalRequest.phoneInvalid' }
  | { readonly key: 'clinicalRequest.tooLong'; readonly max: number };

export type DraftCheck = { ok: true; request: ClinicalRequest } | { ok: false; problems: Partial<Record<ClinicalRequestField, DraftProblem>> };

/** Field order on the form: the first problem in it gets the focus. */
export const CLINICAL_REQUEST_FIELDS = ['indication', 'question', 'priority', 'contactPhone', 'requestedBy'] as const satisfies readonly ClinicalRequestField[];

export function checkClinicalRequest(draft: ClinicalRequestDraft): DraftCheck {
  const problems: Partial<Record<ClinicalRequestField, DraftProblem>> = {};
  for (const field of ['indication', 'question', 'requestedBy'] as const) {
    const value = draft[field].trim();
    if (value === '') problems[field] = { key: 'clinicalRequest.required' };
    else if (value.length > CLINICAL_REQUEST_MAX[field]) problems[field] = { key: 'clinicalRequest.tooLong', max: CLINICAL_REQUEST_MAX[field] };
  }
  if (draft.priority === null) problems.priority = { key: 'clinicalRequest.priorityRequired' };
  if (!PHONE.test(draft.contactPhone.trim())) problems.contactPhone = { key: 'clinicalRequest.phoneInvalid' };
  if (Object.keys(problems).length > 0 || draft.priority === null) return { ok: false, problems };
  return {
    ok: true,
    request: {
      indication: draft.indication.trim(),
      question: draft.question.trim(),
      priority: draft.priority,
      contactPhone: draft.contactPhone.trim(),
      requestedBy: draft.requestedBy.trim(),
    },
  };
}
