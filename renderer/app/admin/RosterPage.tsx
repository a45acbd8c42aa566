import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Organisation, RosterEntryView, RosterImportResult } from '../../../core/api/organisation.js';
import type { RosterTarget } from '../../../core/roster.js';
import { formatShortInstant } from '../../../core/wallClock.js';
import { DISPLAY_TIME_ZONE } from '../../format/dateTime.js';
import { parisMonthOf, parisMonthRange, shiftMonth } from '../../format/parisWallTime.js';
import { ROSTER_CSV_MAX_BYTES, rosterCsvSize, withoutLinePrefix } from '../../admin/rosterCsvInput.js';
import { missingCase } from '../../util/missingCase.js';
import { useApi } from '../ApiContext.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { useLocale } from '../useLocale.js';
import { useSubmission } from '../useSubmission.js';

/** The on-call roster ("tableau de garde"), one month at a time, and the monthly CSV import. */
export function RosterPage() {
  const { t } = useTranslation();
  const api = useApi();
  const locale = useLocale();
  const [month, setMonth] = useState(() => parisMonthOf());
  const [entries, setEntries] = useState<RosterEntryView[] | null>(null);
  const [groups, setGroups] = useState<Organisation['coverage']['pivotGroups']>([]);
  const [reloads, setReloads] = useState(0);
  const loading = useSubmission();

  // Group names for the "Garde" column; the ids still show if this fails.
  useEffect(() => {
    let current = true;
    api.organisation().then(
      (organisation) => {
        if (current) setGroups(organisation.coverage.pivotGroups);
      },
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [api]);

  const { run: runLoad } = loading;
  useEffect(() => {
    const range = parisMonthRange(month);
    if (range === null) return;
    let current = true;
    void runLoad(async () => {
      const found = await api.roster(range);
      if (current) setEntries([...found.entries].sort((a, b) => Date.parse(a.from) - Date.parse(b.from) || a.personId.localeCompare(b.personId)));
    });
    return () => {
      current = false;
    };
  }, [api, month, reloads, runLoad]);

  const targetName = (target: RosterTarget): string => {
    switch (target.kind) {
      case 'pivot-group':
        return groups.find((group) => group.id === target.groupId)?.name ?? target.groupId;
      case 'subspecialty':
        return t(`admin.subspecialty.${target.subspecialty}`);
      default:
        return missingCase(target);
    }
  };
  const when = (iso: string) => formatShortInstant(new Date(iso), DISPLAY_TIME_ZONE, locale);

  return (
    <section className="admin-page" aria-labelledby="roster-title" data-testid="roster-page">
      <div className="page-heading">
        <h1 id="roster-title">{t('admin.roster.title')}</h1>
        <div className="page-heading__side month-picker">
          <button type="button" className="button button--secondary button--small" onClick={() => setMonth((m) => shiftMonth(m, -1))}>
            <span aria-hidden="true">‹ </span>
            {t('admin.roster.previous')}
          </button>
          <label className="inline-field">
            <span className="inline-field__label">{t('admin.roster.month')}</span>
            <input
              type="month"
              className="inline-field__select"
              value={month}
              data-testid="roster-month"
              onChange={(event) => {
                if (parisMonthRange(event.target.value) !== null) setMonth(event.target.value);
              }}
            />
          </label>
          <button type="button" className="button button--secondary button--small" onClick={() => setMonth((m) => shiftMonth(m, 1))}>
            {t('admin.roster.next')}
            <span aria-hidden="true"> ›</span>
          </button>
        </div>
      </div>
      <ErrorAlert error={loading.error} />
      <div className="table-frame">
        <table className="data-table" data-testid="roster-table">
          <caption className="visually-hidden">{t('admin.roster.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('admin.roster.person')}</th>
              <th scope="col">{t('admin.roster.target')}</th>
              <th scope="col">{t('admin.roster.from')}</th>
              <th scope="col">{t('admin.roster.to')}</th>
            </tr>
          </thead>
          <tbody>
            {entries?.map((entry) => (
              <tr key={entry.id} data-testid="roster-entry">
                <th scope="row">
                  {entry.personName ?? entry.personId}
                  {entry.personName !== null && <span className="muted small"> ({entry.personId})</span>}
                </th>
                <td>{targetName(entry.target)}</td>
                <td className="nowrap">{when(entry.from)}</td>
                <td className="nowrap">{when(entry.to)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {entries !== null && entries.length === 0 && (
          <div className="empty-state" data-testid="roster-empty">
            <p className="muted">{t('admin.roster.empty')}</p>
          </div>
        )}
        {entries === null && loading.pending && (
          <div className="empty-state" role="status">
            <p className="muted">{t('admin.loading')}</p>
          </div>
        )}
      </div>
      <RosterImport onImported={() => setReloads((n) => n + 1)} />
    </section>
  );
}

function RosterImport({ onImported }: { onImported: () => void }) {
  const { t } = useTranslation();
  const api = useApi();
  const [file, setFile] = useState<File | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const [pasted, setPasted] = useState('');
  const [problem, setProblem] = useState<'admin.roster.tooLarge' | 'admin.roster.nothing' | null>(null);
  const [result, setResult] = useState<RosterImportResult | null>(null);
  const submission = useSubmission();

  async function submit(event: FormEvent) {
    event.preventDefault();
    setResult(null);
    if (file !== null && file.size > ROSTER_CSV_MAX_BYTES) {
      setProblem('admin.roster.tooLarge');
      return;
    }
    const csv = file !== null ? await file.text() : pasted;
    if (csv.trim() === '') {
      setProblem('admin.roster.nothing');
      return;
    }
    if (rosterCsvSize(csv) > ROSTER_CSV_MAX_BYTES) {
      setProblem('admin.roster.tooLarge');
      return;
    }
    setProblem(null);
    await submission.run(async () => {
      const answer = await api.importRoster(csv);
      setResult(answer);
      if (answer.ok) onImported();
    });
  }

  return (
    <section className="admin-section" aria-labelledby="roster-import-title" data-testid="roster-import">
      <h2 id="roster-import-title">{t('admin.roster.importTitle')}</h2>
      <p className="muted">{t('admin.roster.importHint')}</p>
      <form className="form" noValidate onSubmit={(event) => void submit(event)}>
        <div className="field">
          <label className="field__label" htmlFor="roster-file">
            {t('admin.roster.file')}
          </label>
          <input
            id="roster-file"
            type="file"
            accept=".csv,text/csv"
            className="field__file"
            data-testid="roster-file"
            ref={fileInput}
            onChange={(event) => {
              setFile(event.target.files?.[0] ?? null);
              setResult(null);
            }}
          />
          {file !== null && (
            <button
              type="button"
              className="button button--link"
              onClick={() => {
                setFile(null);
                if (fileInput.current) fileInput.current.value = '';
              }}
            >
              {t('admin.roster.removeFile')}
            </button>
          )}
        </div>
        <div className="field">
          <label className="field__label" htmlFor="roster-paste">
            {t('admin.roster.paste')}
          </label>
          <textarea
            id="roster-paste"
            className="field__input field__input--code-block"
            rows={6}
            spellCheck={false}
            disabled={file !== null}
            value={pasted}
            data-testid="roster-paste"
            placeholder="date_debut;heure_debut;date_fin;heure_fin;groupe;identifiant"
            onChange={(event) => {
              setPasted(event.target.value);
              setResult(null);
            }}
          />
        </div>
        {problem && <ErrorAlert message={t(problem)} />}
        <ErrorAlert error={submission.error} />
        <div className="form-actions">
          <button type="submit" className="button button--primary" disabled={submission.pending} data-testid="roster-import-submit">
            {submission.pending ? t('admin.roster.submitting') : t('admin.roster.submit')}
          </button>
        </div>
      </form>
      {result && <ImportResult result={result} />}
    </section>
  );
}

function ImportResult({ result }: { result: RosterImportResult }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const lineOf = (line: number | null) => (line === null ? t('admin.roster.wholeFile') : t('admin.roster.line', { line }));
  if (!result.ok) {
    return (
      <div className="alert alert--error import-result" role="alert" data-testid="roster-import-result" data-ok="false">
        <p className="alert__title">{t('admin.roster.failed')}</p>
        <ul className="issue-list" data-testid="roster-import-errors">
          {result.errors.map((issue, index) => (
            <li key={index}>
              <strong>{lineOf(issue.line)}</strong> — {withoutLinePrefix(issue[locale], issue.line)}
            </li>
          ))}
        </ul>
      </div>
    );
  }
  const when = (iso: string) => formatShortInstant(new Date(iso), DISPLAY_TIME_ZONE, locale);
  return (
    <div className="alert alert--info import-result" role="status" data-testid="roster-import-result" data-ok="true">
      <p className="alert__title">{t('admin.roster.imported', { count: result.imported })}</p>
      <p>{t('admin.roster.replaced', { from: when(result.replacedFrom), to: when(result.replacedTo) })}</p>
      {result.warnings.length > 0 && (
        <>
          <p className="alert__title alert__title--warning">{t('admin.roster.warnings')}</p>
          <ul className="issue-list" data-testid="roster-import-warnings">
            {result.warnings.map((issue, index) => (
              <li key={index}>
                <strong>{lineOf(issue.line)}</strong> — {withoutLinePrefix(issue[locale], issue.line)}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
