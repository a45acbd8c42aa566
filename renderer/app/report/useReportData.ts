import { useCallback, useEffect, useState } from 'react';
import type { Macro, ReportTemplate, ReportView } from '../../../core/api/reports.js';
import { useApi } from '../ApiContext.js';

export type ReportData =
  | { readonly kind: 'loading' }
  | { readonly kind: 'failed'; readonly error: unknown }
  | { readonly kind: 'ready'; readonly reports: readonly ReportView[]; readonly templates: readonly ReportTemplate[]; readonly macros: readonly Macro[] };

/**
 * Delivery states that change without anyone here doing anything: the panel
 * asks again while one is shown — soon after signing (pending, sending: the
 * outbox sends within seconds), less often while the worker waits to retry.
 */
const SOON = new Set(['pending', 'sending']);
const SOON_POLL_MS = 3_000;
const RETRY_POLL_MS = 15_000;

export function deliveryPollMs(reports: readonly ReportView[]): number | null {
  const signed = reports.filter((report) => report.status === 'signed');
  if (signed.some((report) => report.delivery === null || SOON.has(report.delivery.state))) return SOON_POLL_MS;
  if (signed.some((report) => report.delivery?.state === 'retrying')) return RETRY_POLL_MS;
  return null;
}

/**
 * The tele-file's reports, the templates and this person's macros. Templates
 * and macros are comforts: if the hub cannot give them, the editor still
 * opens, without them. While a signed document is on its way to the site, the
 * list is read again every 15 s so its delivery state stays true.
 * `wait`: not yet (the viewer's first image is on its way; see ReportPanel).
 */
export function useReportData(teleFileId: string, wait = false) {
  const api = useApi();
  const [data, setData] = useState<ReportData>({ kind: 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    if (wait) return;
    let cancelled = false;
    setData({ kind: 'loading' });
    void Promise.all([
      api.reports(teleFileId),
      api.reportTemplates().then((list) => list.templates, () => []),
      api.macros().then((list) => list.macros, () => []),
    ]).then(
      ([list, templates, macros]) => {
        if (!cancelled) setData({ kind: 'ready', reports: list.reports, templates, macros });
      },
      (error: unknown) => {
        if (!cancelled) setData({ kind: 'failed', error });
      },
    );
    return () => {
      cancelled = true;
    };
  }, [api, teleFileId, attempt, wait]);

  const pollMs = data.kind === 'ready' ? deliveryPollMs(data.reports) : null;
  useEffect(() => {
    if (pollMs === null) return;
    const timer = setInterval(() => {
      api.reports(teleFileId).then(
        (list) => setData((previous) => (previous.kind === 'ready' ? { ...previous, reports: mergeSigned(previous.reports, list.reports) } : previous)),
        () => undefined,
      );
    }, pollMs);
    return () => clearInterval(timer);
  }, [api, pollMs, teleFileId]);

  /** A report this tab saved, signed or created: replaces its older copy, or joins the list. */
  const put = useCallback((report: ReportView) => {
    setData((previous) => {
      if (previous.kind !== 'ready') return previous;
      const known = previous.reports.some((item) => item.id === report.id);
      const reports = known ? previous.reports.map((item) => (item.id === report.id ? report : item)) : [...previous.reports, report];
      return { ...previous, reports };
    });
  }, []);

  const setMacros = useCallback((macros: readonly Macro[]) => {
    setData((previous) => (previous.kind === 'ready' ? { ...previous, macros } : previous));
  }, []);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  return { data, put, setMacros, reload };
}

/**
 * A refresh for delivery states: signed documents and new ones come from the
 * hub, drafts stay as this tab knows them (its editor owns them; replacing
 * them under it would fight the autosave).
 */
export function mergeSigned(mine: readonly ReportView[], fresh: readonly ReportView[]): ReportView[] {
  const merged = mine.map((report) => {
    const other = fresh.find((item) => item.id === report.id);
    return other !== undefined && other.status === 'signed' ? other : report;
  });
  for (const report of fresh) if (!mine.some((item) => item.id === report.id)) merged.push(report);
  return merged;
}
