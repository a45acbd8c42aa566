import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AdminAlertView, DeliveryJobView } from '../../../core/api/deliveries.js';
import { formatDateTime } from '../../format/dateTime.js';
import { useApi } from '../ApiContext.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { hashOf } from '../screens.js';
import { useLocale } from '../useLocale.js';
import { useSubmission } from '../useSubmission.js';

/** The worker changes these by itself: the page reads them again this often while open. */
const REFRESH_MS = 30_000;

/**
 * "Envois" (issue 6, admin): signed reports whose delivery to the requesting
 * site needs attention — retrying, stopped by a guard, or failed — with a
 * retry for the ones a person must restart, and the open delivery alerts.
 */
export function DeliveriesPage() {
  const { t } = useTranslation();
  const api = useApi();
  const locale = useLocale();
  const [jobs, setJobs] = useState<DeliveryJobView[] | null>(null);
  const [alerts, setAlerts] = useState<AdminAlertView[] | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const loading = useSubmission();
  const action = useSubmission();

  const { run: runLoad } = loading;
  const load = useCallback(
    () =>
      runLoad(async () => {
        const [jobList, alertList] = await Promise.all([api.deliveries({}), api.adminAlerts({ open: true })]);
        setJobs(jobList.jobs);
        setAlerts(alertList.alerts);
      }),
    [api, runLoad],
  );

  useEffect(() => {
    void load();
    const timer = setInterval(() => void load(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [load]);

  const when = (iso: string | null) => (iso === null ? '—' : formatDateTime(iso, locale));

  const retry = (job: DeliveryJobView) => {
    setNotice(null);
    void action.run(async () => {
      const updated = await api.retryDelivery(job.id);
      setJobs((previous) => previous?.map((item) => (item.id === updated.id ? updated : item)) ?? null);
      setNotice(t('report.deliveries.retried'));
    });
  };

  const acknowledge = (alert: AdminAlertView) => {
    void action.run(async () => {
      await api.acknowledgeAlert(alert.id);
      setAlerts((previous) => previous?.filter((item) => item.id !== alert.id) ?? null);
    });
  };

  return (
    <section className="admin-page" aria-labelledby="deliveries-title" data-testid="deliveries-page">
      <div className="page-heading">
        <h1 id="deliveries-title">{t('report.deliveries.title')}</h1>
        <div className="page-heading__side">
          <button type="button" className="button button--secondary button--small" onClick={() => void load()} disabled={loading.pending} data-testid="deliveries-refresh">
            {t('report.deliveries.refresh')}
          </button>
        </div>
      </div>
      <p className="muted">{t('report.deliveries.intro')}</p>
      <ErrorAlert error={loading.error ?? action.error} />
      {notice && (
        <p className="alert alert--info" role="status">
          {notice}
        </p>
      )}
      <div className="table-frame">
        <table className="data-table" data-testid="deliveries-table">
          <caption className="visually-hidden">{t('report.deliveries.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('report.deliveries.teleFile')}</th>
              <th scope="col">{t('report.deliveries.site')}</th>
              <th scope="col">{t('report.deliveries.kind')}</th>
              <th scope="col">{t('report.deliveries.state')}</th>
              <th scope="col">{t('report.deliveries.attempts')}</th>
              <th scope="col">{t('report.deliveries.problem')}</th>
              <th scope="col">{t('report.deliveries.next')}</th>
              <th scope="col">{t('report.deliveries.updated')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('report.deliveries.retry')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {jobs?.map((job) => (
              <tr key={job.id} data-testid="delivery-job" data-state={job.state}>
                <th scope="row">
                  <a href={hashOf({ name: 'viewer', teleFileId: job.teleFileId })}>{t('report.deliveries.open')}</a>
                  <span className="muted small"> {job.teleFileId.slice(0, 8)}</span>
                </th>
                <td>{job.siteId}</td>
                <td>{t(`report.deliveries.kinds.${job.kind}`)}</td>
                <td>{t(`report.deliveries.states.${job.state}`)}</td>
                <td>{job.attempts}</td>
                <td>{job.stoppedReason ?? job.lastError ?? '—'}</td>
                <td className="nowrap">{when(job.nextAttemptAt)}</td>
                <td className="nowrap">{when(job.updatedAt)}</td>
                <td>
                  {(job.state === 'failed' || job.state === 'stopped') && (
                    <button type="button" className="button button--primary button--small" onClick={() => retry(job)} disabled={action.pending} data-testid="delivery-retry">
                      {t('report.deliveries.retry')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {jobs !== null && jobs.length === 0 && (
          <div className="empty-state" data-testid="deliveries-empty">
            <p className="muted">{t('report.deliveries.empty')}</p>
          </div>
        )}
        {jobs === null && loading.pending && (
          <div className="empty-state" role="status">
            <p className="muted">{t('report.deliveries.loading')}</p>
          </div>
        )}
      </div>

      <section className="admin-section" aria-labelledby="delivery-alerts-title" data-testid="delivery-alerts">
        <h2 id="delivery-alerts-title">{t('report.deliveries.alerts')}</h2>
        {alerts !== null && alerts.length === 0 ? (
          <p className="muted">{t('report.deliveries.noAlerts')}</p>
        ) : (
          <div className="table-frame">
            <table className="data-table">
              <caption className="visually-hidden">{t('report.deliveries.alertsCaption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('report.deliveries.severity')}</th>
                  <th scope="col">{t('report.deliveries.at')}</th>
                  <th scope="col">{t('report.deliveries.message')}</th>
                  <th scope="col">
                    <span className="visually-hidden">{t('report.deliveries.acknowledge')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {alerts?.map((alert) => (
                  <tr key={alert.id} data-testid="delivery-alert" data-severity={alert.severity}>
                    <th scope="row">{t(`report.deliveries.severities.${alert.severity}`)}</th>
                    <td className="nowrap">{when(alert.at)}</td>
                    <td>{alert.message}</td>
                    <td>
                      <button type="button" className="button button--secondary button--small" onClick={() => acknowledge(alert)} disabled={action.pending}>
                        {t('report.deliveries.acknowledge')}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </section>
  );
}
