import { useEffect, useRef, useState, type FormEvent, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import { ANNOUNCED_STUDY_MAX, type RequestingSiteList } from '../../../core/api/teleFiles.js';
import {
  ANNOUNCED_MODALITIES,
  ANNOUNCED_REQUEST_FIELDS,
  EMPTY_ANNOUNCED_REQUEST,
  checkAnnouncedRequest,
  defaultSiteId,
  problemsFromHub,
  type AnnouncedDraftProblem,
  type AnnouncedRequestDraft,
  type AnnouncedRequestField as Field,
} from '../../worklist/announcedRequestDraft.js';
import type { ClinicalRequestDraft } from '../../worklist/clinicalRequestDraft.js';
import { useApi } from '../ApiContext.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { SelectField } from '../components/SelectField.js';
import { TextField } from '../components/TextField.js';
import { hashOf } from '../screens.js';
import { useSubmission } from '../useSubmission.js';
import { ClinicalRequestFields, useClinicalRequestRefs } from '../worklist/ClinicalRequestFields.js';

/**
 * Request first: the emergency physician announces a study before its images
 * reach the pivot PACS. The hub creates the tele-file at once ("Images en
 * cours de réception" on the worklist) and attaches the images when the
 * study with this accession number arrives. Reached from the worklist
 * ("Nouvelle demande").
 */
export function NewRequestPage() {
  const { t } = useTranslation();
  const api = useApi();
  const [sites, setSites] = useState<RequestingSiteList['sites'] | null>(null);
  const loading = useSubmission();
  const submission = useSubmission();
  const [draft, setDraft] = useState<AnnouncedRequestDraft>(EMPTY_ANNOUNCED_REQUEST);
  const [problems, setProblems] = useState<Partial<Record<Field, AnnouncedDraftProblem>>>({});
  const siteRef = useRef<HTMLSelectElement>(null);
  const accessionRef = useRef<HTMLInputElement>(null);
  const patientIdRef = useRef<HTMLInputElement>(null);
  const patientNameRef = useRef<HTMLInputElement>(null);
  const modalityRef = useRef<HTMLSelectElement>(null);
  const clinicalRefs = useClinicalRequestRefs();
  // Each field's element, to focus the first one to fix.
  const refs: Record<Field, RefObject<HTMLElement | null>> = {
    requestingSiteId: siteRef,
    accessionNumber: accessionRef,
    patientId: patientIdRef,
    patientName: patientNameRef,
    modality: modalityRef,
    ...clinicalRefs,
  };

  const { run: runLoad } = loading;
  useEffect(() => {
    let current = true;
    void runLoad(async () => {
      const found = await api.requestingSites();
      if (!current) return;
      setSites(found.sites);
      setDraft((held) => ({ ...held, requestingSiteId: held.requestingSiteId || defaultSiteId(found.sites) }));
    });
    return () => {
      current = false;
    };
  }, [api, runLoad]);

  const edit = <F extends keyof AnnouncedRequestDraft>(field: F, value: AnnouncedRequestDraft[F]) => setDraft((held) => ({ ...held, [field]: value }));
  const editClinical = <F extends keyof ClinicalRequestDraft>(field: F, value: ClinicalRequestDraft[F]) => setDraft((held) => ({ ...held, [field]: value }));

  async function submit(event: FormEvent) {
    event.preventDefault();
    const checked = checkAnnouncedRequest(draft);
    if (!checked.ok) {
      setProblems(checked.problems);
      submission.clear();
      const first = ANNOUNCED_REQUEST_FIELDS.find((field) => checked.problems[field]);
      if (first !== undefined) refs[first].current?.focus();
      return;
    }
    setProblems({});
    const request = checked.request;
    const failure = await submission.run(async () => {
      await api.announceRequest(request);
      // The worklist shows the new tele-file, waiting for its images; the live feed brings them.
      window.location.hash = hashOf({ name: 'worklist' });
    });
    const fromHub = problemsFromHub(failure);
    if (fromHub !== null) {
      setProblems(fromHub);
      submission.clear();
      accessionRef.current?.focus();
    }
  }

  const hubFields = submission.error?.fields ?? {};
  const message = (field: Field): string | undefined => {
    const problem = problems[field];
    if (problem) return problem.key === 'clinicalRequest.tooLong' ? t(problem.key, { max: problem.max }) : t(problem.key);
    return hubFields[field];
  };

  const onlySite = sites?.length === 1 ? sites[0] : undefined;

  return (
    <section className="narrow-page" aria-labelledby="new-request-title" data-testid="new-request">
      <p>
        <a className="back-link" href={hashOf({ name: 'worklist' })} data-testid="back-to-worklist">
          <span aria-hidden="true">← </span>
          {t('newRequest.back')}
        </a>
      </p>
      <div className="page-heading">
        <h1 id="new-request-title">{t('newRequest.title')}</h1>
      </div>
      <ErrorAlert error={loading.error} />
      {sites === null && loading.pending && (
        <p className="muted" role="status">
          {t('newRequest.loadingSites')}
        </p>
      )}
      {sites !== null && sites.length === 0 && (
        <p className="alert alert--info" role="status" data-testid="new-request-no-site">
          {t('newRequest.noSite')}
        </p>
      )}
      {sites !== null && sites.length > 0 && (
        <>
          <ErrorAlert error={submission.error} />
          <p className="muted">{t('newRequest.intro')}</p>
          <form className="form" noValidate data-testid="new-request-form" onSubmit={(event) => void submit(event)}>
            <fieldset className="fieldset">
              <legend>{t('newRequest.studyLegend')}</legend>
              {onlySite ? (
                <dl className="summary-card" data-testid="new-request-site">
                  <div>
                    <dt>{t('newRequest.site')}</dt>
                    <dd>{onlySite.name}</dd>
                  </div>
                </dl>
              ) : (
                <SelectField
                  ref={siteRef}
                  label={t('newRequest.site')}
                  name="requestingSiteId"
                  value={draft.requestingSiteId}
                  onChange={(event) => edit('requestingSiteId', event.target.value)}
                  error={message('requestingSiteId')}
                  data-testid="new-request-site-select"
                >
                  <option value="">{t('newRequest.chooseSite')}</option>
                  {sites.map((site) => (
                    <option key={site.id} value={site.id}>
                      {site.name}
                    </option>
                  ))}
                </SelectField>
              )}
              <TextField
                ref={accessionRef}
                label={t('newRequest.accessionNumber')}
                hint={t('newRequest.accessionNumberHint')}
                name="accessionNumber"
                autoComplete="off"
                spellCheck={false}
                maxLength={ANNOUNCED_STUDY_MAX.accessionNumber}
                value={draft.accessionNumber}
                onChange={(event) => edit('accessionNumber', event.target.value)}
                error={message('accessionNumber')}
              />
              <TextField
                ref={patientIdRef}
                label={t('newRequest.patientId')}
                hint={t('newRequest.patientIdHint')}
                name="patientId"
                autoComplete="off"
                spellCheck={false}
                maxLength={ANNOUNCED_STUDY_MAX.patientId}
                value={draft.patientId}
                onChange={(event) => edit('patientId', event.target.value)}
                error={message('patientId')}
              />
              <TextField
                ref={patientNameRef}
                label={t('newRequest.patientName')}
                hint={t('newRequest.patientNameHint')}
                name="patientName"
                autoComplete="off"
                maxLength={ANNOUNCED_STUDY_MAX.patientName}
                value={draft.patientName}
                onChange={(event) => edit('patientName', event.target.value)}
                error={message('patientName')}
              />
              <SelectField
                ref={modalityRef}
                label={t('newRequest.modality')}
                name="modality"
                value={draft.modality}
                onChange={(event) => edit('modality', event.target.value)}
                error={message('modality')}
              >
                <option value="">{t('newRequest.chooseModality')}</option>
                {ANNOUNCED_MODALITIES.map((modality) => (
                  <option key={modality} value={modality}>
                    {t(`newRequest.modalities.${modality}`)}
                  </option>
                ))}
              </SelectField>
            </fieldset>
            <fieldset className="fieldset">
              <legend>{t('newRequest.requestLegend')}</legend>
              <ClinicalRequestFields draft={draft} onEdit={editClinical} message={message} refs={clinicalRefs} />
            </fieldset>
            <div className="form-actions">
              <button type="submit" className="button button--primary" disabled={submission.pending} data-testid="new-request-submit">
                {submission.pending ? t('newRequest.submitting') : t('newRequest.submit')}
              </button>
            </div>
          </form>
        </>
      )}
    </section>
  );
}
