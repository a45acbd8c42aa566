import { ANNOUNCED_STUDY_MAX, type AnnouncedRequest } from '../../core/api/teleFiles.js';
import { ReadingApiError } from '../../core/readingApi.js';
import { CLINICAL_REQUEST_FIELDS, checkClinicalRequest, type ClinicalRequestDraft, type DraftProblem } from './clinicalRequestDraft.js';

/** What the requesting physician says of the study to come, as typed. */
export type AnnouncedStudyDraft = { requestingSiteId: string; accessionNumber: string; patientId: string; patientName: string; modality: string };
/** The "Nouvelle demande" form: the announced study, then the clinical request. */
export type AnnouncedRequestDraft = AnnouncedStudyDraft & ClinicalRequestDraft;
export type AnnouncedRequestField = keyof AnnouncedRequestDraft;

export const EMPTY_ANNOUNCED_REQUEST: AnnouncedRequestDraft = {
  requestingSiteId: '',
  accessionNumber: '',
  patientId: '',
  patientName: '',
  modality: '',
  indication: '',
  question: '',
  priority: null,
  contactPhone: '',
  requestedBy: '',
};

/** Offered on the form: what is read remotely (ultrasound never is, routing would refuse it). */
export const ANNOUNCED_MODALITIES = ['CT', 'MR', 'DX', 'CR'] as const;

export type AnnouncedDraftProblem =
  | DraftProblem
  | { readonly key: 'newRequest.siteRequired' | 'newRequest.modalityRequired' | 'newRequest.noBackslash' | 'newRequest.alreadyAnnounced' };

export type AnnouncedDraftCheck = { ok: true; request: AnnouncedRequest } | { ok: false; problems: Partial<Record<AnnouncedRequestField, AnnouncedDraftProblem>> };

/** Field order on the form: the first problem in it gets the focus. */
export const ANNOUNCED_REQUEST_FIELDS = ['requestingSiteId', 'accessionNumber', 'patientId', 'patientName', 'modality', ...CLINICAL_REQUEST_FIELDS] as const satisfies readonly AnnouncedRequestField[];

const MODALITY = /^[A-Z0-9_]{1,16}$/;

/** A DICOM identifier as the hub checks it (core/api/teleFiles.ts AnnouncedRequest): length, no backslash. */
function identifierProblem(value: string, max: number, required: boolean): AnnouncedDraftProblem | null {
  if (value === '') return required ? { key: 'clinicalRequest.required' } : null;
  if (value.length > max) return { key: 'clinicalRequest.tooLong', max };
  if (value.includes('\\')) return { key: 'newRequest.noBackslash' };
  return null;
}

/** The site to preselect: the only one when the person requests for a single site; otherwise they choose. */
export function defaultSiteId(sites: readonly { id: string }[]): string {
  return sites.length === 1 ? (sites[0]?.id ?? '') : '';
}

/** Checks the form in the person's language before the hub does; gives the request the hub accepts, trimmed. */
export function checkAnnouncedRequest(draft: AnnouncedRequestDraft): AnnouncedDraftCheck {
  const problems: Partial<Record<AnnouncedRequestField, AnnouncedDraftProblem>> = {};
  const study = {
    requestingSiteId: draft.requestingSiteId.trim(),
    accessionNumber: draft.accessionNumber.trim(),
    patientId: draft.patientId.trim(),
    patientName: draft.patientName.trim(),
    modality: draft.modality.trim().toUpperCase(),
  };
  if (study.requestingSiteId === '') problems.requestingSiteId = { key: 'newRequest.siteRequired' };
  const accession = identifierProblem(study.accessionNumber, ANNOUNCED_STUDY_MAX.accessionNumber, true);
  if (accession) problems.accessionNumber = accession;
  const patientId = identifierProblem(study.patientId, ANNOUNCED_STUDY_MAX.patientId, true);
  if (patientId) problems.patientId = patientId;
  const patientName = identifierProblem(study.patientName, ANNOUNCED_STUDY_MAX.patientName, false);
  if (patientName) problems.patientName = patientName;
  if (!MODALITY.test(study.modality)) problems.modality = { key: 'newRequest.modalityRequired' };
  const clinical = checkClinicalRequest(draft);
  if (!clinical.ok) Object.assign(problems, clinical.problems);
  if (!clinical.ok || Object.keys(problems).length > 0) return { ok: false, problems };
  const { patientName: name, ...identifiers } = study;
  return { ok: true, request: { ...identifiers, ...(name === '' ? {} : { patientName: name }), ...clinical.request } };
}

/**
 * The hub's 409 to an announcement means this site already has an open
 * tele-file for the accession number (announced, or its images came first):
 * said next to the accession number, in the person's language, rather than as
 * the generic "changed meanwhile".
 */
export function problemsFromHub(error: unknown): Partial<Record<AnnouncedRequestField, AnnouncedDraftProblem>> | null {
  if (error instanceof ReadingApiError && error.status === 409) return { accessionNumber: { key: 'newRequest.alreadyAnnounced' } };
  return null;
}
