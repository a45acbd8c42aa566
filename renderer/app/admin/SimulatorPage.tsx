import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { RoutingSimulationResult } from '../../../core/api/organisation.js';
import { ModalityFamily, modalityFamilyLabel } from '../../../core/modalityFamily.js';
import { PdsKind, pdsKindLabel } from '../../../core/pdsCalendar.js';
import type { Site } from '../../../core/site.js';
import { buildSimulation, type SimulatorCheck, type SimulatorForm } from '../../admin/simulatorForm.js';
import { formatDateTime } from '../../format/dateTime.js';
import { parisNow } from '../../format/parisWallTime.js';
import { useApi } from '../ApiContext.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { TextField } from '../components/TextField.js';
import { useLocale } from '../useLocale.js';
import { useSubmission } from '../useSubmission.js';

type Problems = Extract<SimulatorCheck, { ok: false }>['problems'];
type SimulationAnswer = { result: RoutingSimulationResult; at: string; note: 'exact' | 'skipped' | 'repeated' };

/** "Who would read this study, at that time?": the routing decision for a made-up study, nothing stored or sent. */
export function SimulatorPage() {
  const { t } = useTranslation();
  const api = useApi();
  const [form, setForm] = useState<SimulatorForm>(() => ({ callingAeTitle: '', institutionName: '', modalities: 'CT', ...parisNow() }));
  const [problems, setProblems] = useState<Problems>({});
  const [answer, setAnswer] = useState<SimulationAnswer | null>(null);
  const [sites, setSites] = useState<readonly Site[]>([]);
  const submission = useSubmission();

  // Site names for the answer; the id shows if this fails.
  useEffect(() => {
    let current = true;
    api.organisation().then(
      (organisation) => {
        if (current) setSites(organisation.sites);
      },
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [api]);

  const edit = (field: keyof SimulatorForm, value: string) => setForm((held) => ({ ...held, [field]: value }));

  async function submit(event: FormEvent) {
    event.preventDefault();
    const checked = buildSimulation(form);
    if (!checked.ok) {
      setProblems(checked.problems);
      submission.clear();
      return;
    }
    setProblems({});
    await submission.run(async () => {
      const result = await api.simulateRouting(checked.request);
      setAnswer({ result, at: checked.request.at, note: checked.note });
    });
  }

  const problem = (field: keyof Problems) => {
    const found = problems[field];
    return found ? t(`admin.simulator.${found}`) : undefined;
  };
  const hubFields = submission.error?.fields ?? {};

  return (
    <section className="admin-page" aria-labelledby="simulator-title" data-testid="simulator-page">
      <div className="page-heading">
        <div>
          <h1 id="simulator-title">{t('admin.simulator.title')}</h1>
          <p className="muted">{t('admin.simulator.intro')}</p>
        </div>
      </div>
      <div className="simulator">
        <form className="form simulator__form" noValidate data-testid="simulator-form" onSubmit={(event) => void submit(event)}>
          <fieldset className="fieldset">
            <legend>{t('admin.simulator.sender')}</legend>
            <p className="field__hint">{t('admin.simulator.senderHint')}</p>
            <TextField
              label={t('admin.simulator.aeTitle')}
              name="callingAeTitle"
              maxLength={16}
              autoCapitalize="characters"
              spellCheck={false}
              value={form.callingAeTitle}
              onChange={(event) => edit('callingAeTitle', event.target.value)}
              error={problem('sender') ?? hubFields.callingAeTitle}
            />
            <TextField
              label={t('admin.simulator.institution')}
              name="institutionName"
              maxLength={64}
              value={form.institutionName}
              onChange={(event) => edit('institutionName', event.target.value)}
              error={hubFields.institutionName}
            />
          </fieldset>
          <TextField
            label={t('admin.simulator.modalities')}
            hint={t('admin.simulator.modalitiesHint')}
            name="modalities"
            autoCapitalize="characters"
            spellCheck={false}
            value={form.modalities}
            onChange={(event) => edit('modalities', event.target.value)}
            error={problem('modalities') ?? hubFields.modalities}
          />
          <div className="field-row">
            <TextField
              label={t('admin.simulator.date')}
              name="date"
              type="date"
              value={form.date}
              onChange={(event) => edit('date', event.target.value)}
              error={problem('date') ?? hubFields.at}
            />
            <TextField
              label={t('admin.simulator.time')}
              name="time"
              type="time"
              value={form.time}
              onChange={(event) => edit('time', event.target.value)}
              error={problem('time')}
            />
          </div>
          <ErrorAlert error={submission.error} />
          <div className="form-actions">
            <button type="submit" className="button button--primary" disabled={submission.pending} data-testid="simulator-submit">
              {submission.pending ? t('admin.simulator.submitting') : t('admin.simulator.submit')}
            </button>
          </div>
        </form>
        {answer && <SimulationResult {...answer} sites={sites} />}
      </div>
    </section>
  );
}

function SimulationResult({ result, at, note, sites }: SimulationAnswer & { sites: readonly Site[] }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const family = ModalityFamily.safeParse(result.family);
  const periodKind = result.period ? PdsKind.safeParse(result.period.kind) : null;
  const siteName = result.requestingSiteId === null ? null : (sites.find((site) => site.id === result.requestingSiteId)?.name ?? result.requestingSiteId);
  return (
    <section className={`simulation simulation--${result.outcome}`} aria-labelledby="simulation-title" data-testid="simulation-result" data-outcome={result.outcome}>
      <h2 id="simulation-title" className="simulation__title">
        {t('admin.simulator.result')}
        <span className={`outcome outcome--${result.outcome}`} data-testid="simulation-outcome">
          <span aria-hidden="true">{result.outcome === 'routed' ? '✓ ' : '✕ '}</span>
          {t(`admin.simulator.outcome.${result.outcome}`)}
        </span>
      </h2>
      <p className="simulation__explanation" data-testid="simulation-explanation">
        {result.explanation[locale]}
      </p>
      <p className="muted small">{t('admin.simulator.instant', { time: formatDateTime(at, locale) })}</p>
      {note !== 'exact' && (
        <p className="alert alert--warning small" data-testid="simulation-time-note">
          {note === 'skipped' ? t('admin.simulator.skipped', { time: formatDateTime(at, locale) }) : t('admin.simulator.repeated')}
        </p>
      )}
      <dl className="settings-list">
        <div>
          <dt>{t('admin.simulator.site')}</dt>
          <dd>{siteName ?? t('worklist.unknownSite')}</dd>
        </div>
        <div>
          <dt>{t('admin.simulator.family')}</dt>
          <dd>{family.success ? modalityFamilyLabel(family.data)[locale] : result.family}</dd>
        </div>
        <div>
          <dt>{t('admin.simulator.period')}</dt>
          <dd data-testid="simulation-period">
            {result.period === null
              ? t('admin.simulator.outsidePds')
              : t('admin.simulator.periodValue', {
                  kind: periodKind?.success ? pdsKindLabel(periodKind.data)[locale] : result.period.kind,
                  start: formatDateTime(result.period.start, locale),
                  end: formatDateTime(result.period.end, locale),
                })}
          </dd>
        </div>
        {result.target && (
          <div>
            <dt>{t('admin.simulator.target')}</dt>
            <dd data-testid="simulation-target">{result.target.name}</dd>
          </div>
        )}
        {result.outcome === 'routed' && (
          <div>
            <dt>{t('admin.simulator.onCall')}</dt>
            <dd data-testid="simulation-on-call">
              {result.onCall.length === 0 ? (
                // Routed to a pool with nobody on call: the file would wait unread (or overflow). Say it loudly.
                <span className="warning-text">
                  <span aria-hidden="true">⚠ </span>
                  {t('admin.simulator.nobodyOnCall')}
                </span>
              ) : (
                result.onCall.map((person) => person.name).join(', ')
              )}
            </dd>
          </div>
        )}
        {result.refusal && (
          <div>
            <dt>{t('admin.simulator.refusal')}</dt>
            <dd data-testid="simulation-refusal">{result.refusal.text[locale]}</dd>
          </div>
        )}
      </dl>
    </section>
  );
}
