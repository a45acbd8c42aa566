import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { TeleFileSummary } from '../../../core/api/teleFiles.js';
import { modalityFamilyLabel } from '../../../core/modalityFamily.js';
import { formatDateTime } from '../../format/dateTime.js';
import {
  CLINICAL_REQUEST_FIELDS,
  checkClinicalRequest,
  type ClinicalRequestDraft,
  type ClinicalRequestField as Field,
  type DraftProblem,
} from '../../worklist/clinicalRequestDraft.js';
import { formatPatientName, studyLabel } from '../../worklist/teleFileText.js';
import { useApi } from '../ApiContext.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { hashOf } from '../screens.js';
import { useLocale } from '../useLocale.js';
import { useSubmission } from '../useSubmission.js';
import { ClinicalRequestFields, useClinicalRequestRefs } from '../worklist/ClinicalRequestFields.js';
import { PriorityBadge } from '../worklist/PriorityBadge.js';

/**
 * The requesting emergency physician's request for one tele-file: context,
 * question, priority, a phone number to call back, and who asks. Reached
 * from the worklist row ("Compléter la demande").
 */
export function ClinicalRequestPage({ teleFileId }: { teleFileId: string }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const api = useApi();
  const [teleFile, setTeleFile] = useState<TeleFileSummary | null>(null);
  const loading = useSubmission();
  const submission = useSubmission();
  const [draft, setDraft] = useState<ClinicalRequestDraft>({ indication: '', question: '', priority: null, contactPhone: '', requestedBy: '' });
  const [problems, setProblems] = useState<Partial<Record<Field, DraftProblem>>>({});
  const [saved, setSaved] = useState(false);
  const refs = useClinicalRequestRefs();

  const { run: runLoad } = loading;
  useEffect(() => {
    let current = true;
    void runLoad(async () => {
      const found = await api.teleFile(teleFileId);
      if (!current) return;
      setTeleFile(found);
      // A question or priority taken from the DICOM tags is a start; the physician completes the rest.
      setDraft((held) => ({ ...held, question: held.question || (found.clinicalQuestion ?? ''), priority: held.priority ?? found.priority }));
    });
    return () => {
      current = false;
    };
  }, [api, runLoad, teleFileId]);

  const edit = <F extends keyof ClinicalRequestDraft>(field: F, value: ClinicalRequestDraft[F]) => {
    setDraft((held) => ({ ...held, [field]: value }));
    setSaved(false);
  };

  async function submit(event: FormEvent) {
    event.preventDefault();
    const checked = checkClinicalRequest(draft);
    if (!checked.ok) {
      setProblems(checked.problems);
      submission.clear();
      const first = CLINICAL_REQUEST_FIELDS.find((field) => checked.problems[field]);
      if (first !== undefined) refs[first].current?.focus();
      return;
    }
    setProblems({});
    const request = checked.request;
    const failure = await submission.run(async () => {
      setTeleFile(await api.submitClinicalRequest(teleFileId, request));
      setSaved(true);
    });
    if (failure !== null) setSaved(false);
  }

  const hubFields = submission.error?.fields ?? {};
  const message = (field: Field): string | undefined => {
    const problem = problems[field];
    if (problem) return problem.key === 'clinicalRequest.tooLong' ? t(problem.key, { max: problem.max }) : t(problem.key);
    return hubFields[field];
  };

  return (
    <section className="narrow-page" aria-labelledby="clinical-request-title" data-testid="clinical-request">
      <p>
        <a className="back-link" href={hashOf({ name: 'worklist' })} data-testid="back-to-worklist">
          <span aria-hidden="true">← </span>
          {t('clinicalRequest.back')}
        </a>
      </p>
      <div className="page-heading">
        <h1 id="clinical-request-title">{t('clinicalRequest.title')}</h1>
      </div>
      <ErrorAlert error={loading.error} />
      {teleFile === null && loading.pending && (
        <p className="muted" role="status">
          {t('clinicalRequest.loading')}
        </p>
      )}
      {teleFile && (
        <dl className="summary-card" data-testid="clinical-request-study">
          <div>
            <dt>{t('clinicalRequest.study')}</dt>
            <dd>
              <strong>{teleFile.modalities.join('/')}</strong> {studyLabel(teleFile) ?? modalityFamilyLabel(teleFile.modalityFamily)[locale]}
              {teleFile.imagesReceivedAt && <span className="muted"> · {formatDateTime(teleFile.imagesReceivedAt, locale)}</span>}
            </dd>
          </div>
          <div>
            <dt>{t('clinicalRequest.site')}</dt>
            <dd>{teleFile.requestingSite?.name ?? t('worklist.unknownSite')}</dd>
          </div>
          <div>
            <dt>{t('clinicalRequest.patient')}</dt>
            <dd>
              {formatPatientName(teleFile.patient.name)} <span className="muted">({teleFile.patient.patientId})</span>
            </dd>
          </div>
          <div>
            <dt>{t('clinicalRequest.priority')}</dt>
            <dd>
              <PriorityBadge priority={teleFile.priority} />
            </dd>
          </div>
        </dl>
      )}
      {saved && (
        <p className="alert alert--info" role="status" data-testid="clinical-request-saved">
          {t('clinicalRequest.saved')}
        </p>
      )}
      <ErrorAlert error={submission.error} />
      <p className="muted">{t('clinicalRequest.intro')}</p>
      <form className="form" noValidate data-testid="clinical-request-form" onSubmit={(event) => void submit(event)}>
        <ClinicalRequestFields draft={draft} onEdit={edit} message={message} refs={refs} />
        <div className="form-actions">
          <button type="submit" className="button button--primary" disabled={submission.pending || teleFile === null} data-testid="clinical-request-submit">
            {submission.pending ? t('clinicalRequest.submitting') : t('clinicalRequest.submit')}
          </button>
        </div>
      </form>
    </section>
  );
}
