import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FieldIssue } from '../../../core/api/apiError.js';
import type { Organisation } from '../../../core/api/organisation.js';
import { coveragePeriodLabel, refusalReason, type CoverageRule, type CoverageTarget } from '../../../core/coverage.js';
import { modalityFamilyLabel } from '../../../core/modalityFamily.js';
import type { Site } from '../../../core/site.js';
import { ReadingApiError } from '../../../core/readingApi.js';
import { checkOrganisationText, type OrganisationIssue } from '../../admin/organisationCheck.js';
import type { Locale } from '../../i18n/locale.js';
import { missingCase } from '../../util/missingCase.js';
import { useApi } from '../ApiContext.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { useLocale } from '../useLocale.js';
import { useSubmission } from '../useSubmission.js';

type Check = { kind: 'valid' } | { kind: 'syntax'; message: string } | { kind: 'issues'; issues: readonly OrganisationIssue[] } | { kind: 'saved' } | null;

/**
 * The region's organisation, readable first (sites, pools, coverage rules, the
 * PDS calendar), then editable as one JSON document: checked here with core's
 * schema and cross-checks, then saved whole (the hub checks again and keeps
 * the previous version).
 */
export function OrganisationPage() {
  const { t } = useTranslation();
  const api = useApi();
  const [organisation, setOrganisation] = useState<Organisation | null>(null);
  const [text, setText] = useState('');
  const [check, setCheck] = useState<Check>(null);
  const [hubIssues, setHubIssues] = useState<readonly FieldIssue[]>([]);
  const loading = useSubmission();
  const saving = useSubmission();

  const adopt = useCallback((loaded: Organisation) => {
    setOrganisation(loaded);
    setText(JSON.stringify(loaded, null, 2));
  }, []);

  const { run: runLoad } = loading;
  const load = useCallback(() => runLoad(async () => adopt(await api.organisation())), [api, adopt, runLoad]);
  useEffect(() => {
    void load();
  }, [load]);

  function verify(): ReturnType<typeof checkOrganisationText> {
    const result = checkOrganisationText(text);
    setHubIssues([]);
    saving.clear();
    if (result.ok) setCheck({ kind: 'valid' });
    else if ('syntax' in result) setCheck({ kind: 'syntax', message: result.syntax });
    else setCheck({ kind: 'issues', issues: result.issues });
    return result;
  }

  async function save() {
    const result = verify();
    if (!result.ok) return;
    const failure = await saving.run(async () => {
      adopt(await api.saveOrganisation(result.organisation));
      setCheck({ kind: 'saved' });
    });
    if (failure instanceof ReadingApiError) setHubIssues(failure.body.fields ?? []);
  }

  return (
    <section className="admin-page" aria-labelledby="organisation-title" data-testid="organisation-page">
      <div className="page-heading">
        <div>
          <h1 id="organisation-title">{t('admin.organisation.title')}</h1>
          <p className="muted">{t('admin.organisation.intro')}</p>
        </div>
      </div>
      <ErrorAlert error={loading.error} />
      {organisation === null && loading.pending && (
        <p className="muted" role="status">
          {t('admin.loading')}
        </p>
      )}
      {organisation && <OrganisationTables organisation={organisation} />}
      {organisation && (
        <section className="admin-section" aria-labelledby="organisation-editor-title" data-testid="organisation-editor">
          <h2 id="organisation-editor-title">{t('admin.organisation.editor')}</h2>
          <p className="muted">{t('admin.organisation.editorHint')}</p>
          <div className="field">
            <label className="field__label" htmlFor="organisation-json">
              {t('admin.organisation.editorLabel')}
            </label>
            <textarea
              id="organisation-json"
              className="field__input field__input--code-block"
              spellCheck={false}
              rows={24}
              value={text}
              data-testid="organisation-json"
              onChange={(event) => {
                setText(event.target.value);
                setCheck(null);
              }}
            />
          </div>
          <CheckResult check={check} />
          {hubIssues.length > 0 && <IssueList issues={hubIssues.map((issue) => ({ path: issue.field, message: issue.message }))} testId="organisation-hub-issues" />}
          <ErrorAlert error={saving.error} />
          <div className="form-actions">
            <button type="button" className="button button--secondary" data-testid="organisation-check" onClick={() => void verify()}>
              {t('admin.organisation.check')}
            </button>
            <button type="button" className="button button--primary" data-testid="organisation-save" disabled={saving.pending} onClick={() => void save()}>
              {saving.pending ? t('admin.organisation.saving') : t('admin.organisation.save')}
            </button>
            <button
              type="button"
              className="button button--link"
              onClick={() => {
                adopt(organisation);
                setCheck(null);
                setHubIssues([]);
              }}
            >
              {t('admin.organisation.revert')}
            </button>
          </div>
        </section>
      )}
    </section>
  );
}

function CheckResult({ check }: { check: Check }) {
  const { t } = useTranslation();
  if (check === null) return null;
  switch (check.kind) {
    case 'valid':
      return (
        <p className="alert alert--info" role="status" data-testid="organisation-valid">
          {t('admin.organisation.valid')}
        </p>
      );
    case 'saved':
      return (
        <p className="alert alert--info" role="status" data-testid="organisation-saved">
          {t('admin.organisation.saved')}
        </p>
      );
    case 'syntax':
      return <ErrorAlert message={t('admin.organisation.invalidJson', { message: check.message })} />;
    case 'issues':
      return <IssueList issues={check.issues} testId="organisation-issues" />;
    default:
      return missingCase(check);
  }
}

function IssueList({ issues, testId }: { issues: readonly OrganisationIssue[]; testId: string }) {
  const { t } = useTranslation();
  const locale = useLocale();
  return (
    <div className="alert alert--error" role="alert" data-testid={testId}>
      <p className="alert__title">{t('admin.organisation.issues')}</p>
      <ul className="issue-list">
        {issues.map((issue, index) => (
          <li key={index}>
            <code>{issue.path || t('admin.organisation.wholeDocument')}</code> {typeof issue.message === 'string' ? issue.message : issue.message[locale]}
          </li>
        ))}
      </ul>
    </div>
  );
}

function OrganisationTables({ organisation }: { organisation: Organisation }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const siteName = (id: string) => organisation.sites.find((site) => site.id === id)?.name ?? id;
  const groupName = (id: string) => organisation.coverage.pivotGroups.find((group) => group.id === id)?.name ?? id;
  const calendar = organisation.pdsCalendar;
  const yesNo = (value: boolean) => (value ? t('admin.yes') : t('admin.no'));
  return (
    <>
      <section className="admin-section" aria-labelledby="sites-title">
        <h2 id="sites-title">{t('admin.organisation.sites')}</h2>
        <div className="table-frame">
          <table className="data-table" data-testid="sites-table">
            <caption className="visually-hidden">{t('admin.organisation.sites')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('admin.organisation.siteName')}</th>
                <th scope="col">{t('admin.organisation.siteId')}</th>
                <th scope="col">{t('admin.organisation.siteKindColumn')}</th>
                <th scope="col">{t('admin.organisation.aeTitle')}</th>
                <th scope="col">{t('admin.organisation.institution')}</th>
                <th scope="col">{t('admin.organisation.delivery')}</th>
              </tr>
            </thead>
            <tbody>
              {organisation.sites.map((site) => (
                <tr key={site.id}>
                  <th scope="row">{site.name}</th>
                  <td>
                    <code>{site.id}</code>
                  </td>
                  <td>
                    {t(`admin.siteKind.${site.kind}`)}
                    {site.kind === 'reference' && (
                      <span className="muted small"> ({site.subspecialties.map((s) => t(`admin.subspecialty.${s}`)).join(', ')})</span>
                    )}
                  </td>
                  <td>{site.kind === 'requesting' ? <code>{site.pacs.callingAeTitle}</code> : '—'}</td>
                  <td>{site.kind === 'requesting' ? site.pacs.institutionName : '—'}</td>
                  <td className="small">{deliveryText(site)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section className="admin-section" aria-labelledby="groups-title">
        <h2 id="groups-title">{t('admin.organisation.groups')}</h2>
        <div className="table-frame">
          <table className="data-table" data-testid="groups-table">
            <caption className="visually-hidden">{t('admin.organisation.groups')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('admin.organisation.groupName')}</th>
                <th scope="col">{t('admin.organisation.groupId')}</th>
                <th scope="col">{t('admin.organisation.pivotSites')}</th>
              </tr>
            </thead>
            <tbody>
              {organisation.coverage.pivotGroups.map((group) => (
                <tr key={group.id}>
                  <th scope="row">{group.name}</th>
                  <td>
                    <code>{group.id}</code>
                  </td>
                  <td>{group.pivotSiteIds.map(siteName).join(', ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section className="admin-section" aria-labelledby="rules-title">
        <h2 id="rules-title">{t('admin.organisation.rules')}</h2>
        <div className="table-frame">
          <table className="data-table" data-testid="coverage-table">
            <caption className="visually-hidden">{t('admin.organisation.rules')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('admin.organisation.ruleId')}</th>
                <th scope="col">{t('admin.organisation.ruleSites')}</th>
                <th scope="col">{t('admin.organisation.ruleFamilies')}</th>
                <th scope="col">{t('admin.organisation.rulePeriods')}</th>
                <th scope="col">{t('admin.organisation.ruleAction')}</th>
                <th scope="col">{t('admin.organisation.ruleOverflow')}</th>
              </tr>
            </thead>
            <tbody>
              {organisation.coverage.rules.map((rule) => (
                <tr key={rule.id}>
                  <th scope="row">
                    <code>{rule.id}</code>
                  </th>
                  <td>{rule.requestingSiteIds.map(siteName).join(', ')}</td>
                  <td>{rule.families.map((family) => modalityFamilyLabel(family)[locale]).join(', ')}</td>
                  <td>{rule.periods.map((period) => coveragePeriodLabel(period)[locale]).join(', ')}</td>
                  <td>{actionText(rule, { siteName, groupName }, locale, t)}</td>
                  <td className="small">{overflowText(rule, siteName, t)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section className="admin-section" aria-labelledby="calendar-title">
        <h2 id="calendar-title">{t('admin.organisation.calendar')}</h2>
        <dl className="settings-list" data-testid="pds-calendar">
          <div>
            <dt>{t('admin.organisation.timeZone')}</dt>
            <dd>{calendar.timeZone}</dd>
          </div>
          <div>
            <dt>{t('admin.organisation.weeknights')}</dt>
            <dd>{t('admin.organisation.weeknightsValue', { start: calendar.nightStart, end: calendar.nightEnd })}</dd>
          </div>
          <div>
            <dt>{t('admin.organisation.saturdayFrom')}</dt>
            <dd>{calendar.saturdayFrom}</dd>
          </div>
          <div>
            <dt>{t('admin.organisation.holidays')}</dt>
            <dd>
              {calendar.holidayState === undefined
                ? t('admin.organisation.nationalHolidays')
                : t('admin.organisation.regionalHolidays', { state: calendar.holidayState })}
            </dd>
          </div>
          <div>
            <dt>{t('admin.organisation.whitMonday')}</dt>
            <dd>{yesNo(calendar.whitMondayIsHoliday)}</dd>
          </div>
          <div>
            <dt>{t('admin.organisation.bridgeDays')}</dt>
            <dd>{yesNo(calendar.bridgeDays)}</dd>
          </div>
          <div>
            <dt>{t('admin.organisation.extraHolidays')}</dt>
            <dd>{calendar.extraHolidays.length === 0 ? t('admin.none') : calendar.extraHolidays.map((day) => `${day.date} (${day.name[locale]})`).join(', ')}</dd>
          </div>
          <div>
            <dt>{t('admin.organisation.excludedHolidays')}</dt>
            <dd>{calendar.excludedHolidays.length === 0 ? t('admin.none') : calendar.excludedHolidays.join(', ')}</dd>
          </div>
        </dl>
      </section>
    </>
  );
}

function deliveryText(site: Site): string {
  if (site.kind !== 'requesting') return '—';
  const delivery = site.delivery;
  switch (delivery.kind) {
    case 'dicomweb':
      return `STOW-RS ${delivery.stowUrl}`;
    case 'dimse':
      return `DICOM ${delivery.calledAeTitle}@${delivery.host}:${delivery.port}`;
    default:
      return missingCase(delivery);
  }
}

type Names = { siteName: (id: string) => string; groupName: (id: string) => string };

function targetName(target: CoverageTarget, names: Names): string {
  switch (target.kind) {
    case 'pivot-group':
      return names.groupName(target.groupId);
    case 'provider':
      return names.siteName(target.providerId);
    default:
      return missingCase(target);
  }
}

function actionText(rule: CoverageRule, names: Names, locale: Locale, t: ReturnType<typeof useTranslation>['t']): string {
  const action = rule.action;
  switch (action.kind) {
    case 'route':
      return t('admin.organisation.readBy', { target: targetName(action.target, names) });
    case 'refuse':
      return t('admin.organisation.refusedBecause', { reason: refusalReason(action.reason).message[locale] });
    default:
      return missingCase(action);
  }
}

function overflowText(rule: CoverageRule, siteName: (id: string) => string, t: ReturnType<typeof useTranslation>['t']): string {
  if (rule.action.kind !== 'route' || rule.action.overflow === undefined) return '—';
  const overflow = rule.action.overflow;
  const when = [
    overflow.afterMinutesUnclaimed === undefined ? null : t('admin.organisation.overflowAfter', { minutes: overflow.afterMinutesUnclaimed }),
    overflow.whenWaitingAtLeast === undefined ? null : t('admin.organisation.overflowWaiting', { waiting: overflow.whenWaitingAtLeast }),
  ].filter(Boolean);
  return `${t('admin.organisation.overflowTo', { provider: siteName(overflow.providerId) })}, ${when.join(', ')}`;
}
