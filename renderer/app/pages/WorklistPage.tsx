import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { UserSummary } from '../../../core/api/auth.js';
import type { TeleFileSummary } from '../../../core/api/teleFiles.js';
import { ReadingApiError } from '../../../core/readingApi.js';
import { isSessionLost } from '../../api/sessionGuard.js';
import { formatTime } from '../../format/dateTime.js';
import { describeApiError } from '../../i18n/describeApiError.js';
import { AGE_TICK_MS } from '../../worklist/teleFileAge.js';
import { rememberStudies } from '../../viewer/studyHints.js';
import {
  DEFAULT_VIEW,
  moveSelection,
  readStoredView,
  refusedRows,
  rowAction,
  sitesOf,
  storeView,
  visibleRows,
  type WorklistView,
} from '../../worklist/worklistView.js';
import { useApi } from '../ApiContext.js';
import { browserStorage } from '../browserStorage.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { hashOf, readsImages } from '../screens.js';
import { useLocale } from '../useLocale.js';
import { LiveIndicator } from '../worklist/LiveIndicator.js';
import { RefusedSection } from '../worklist/RefusedSection.js';
import { useLiveWorklist } from '../worklist/useLiveWorklist.js';
import { useNow } from '../worklist/useNow.js';
import { WorklistFilters } from '../worklist/WorklistFilters.js';
import { WorklistRow, type RowNotice } from '../worklist/WorklistRow.js';

/** Columns in reading order: what the on-call radiologist triages by. */
const COLUMNS = ['priority', 'age', 'requestingSite', 'patient', 'exam', 'clinicalQuestion', 'state', 'reader'] as const;

/**
 * The tele-files this person may see, live. A radiologist works it from the
 * keyboard at 3 a.m.: ↑/↓ or j/k choose a row, Enter or p claims it, r
 * releases their own; the mouse works too ("Prendre" in each row).
 */
export function WorklistPage({ user }: { user: UserSummary }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const api = useApi();
  const now = useNow(AGE_TICK_MS);
  const { data, live, loading, error, reload, upsert } = useLiveWorklist();
  const canRead = readsImages(user.roles);
  const canOpenImages = (item: TeleFileSummary) => item.studyInstanceUid !== null && (canRead || user.roles.includes('admin'));
  const isAdmin = user.roles.includes('admin');
  const canCompleteRequest = user.roles.includes('requester') || isAdmin;

  const [view, setView] = useState<WorklistView>(() => readStoredView(browserStorage(), canRead ? DEFAULT_VIEW : { ...DEFAULT_VIEW, state: 'all' }));
  const changeView = (next: WorklistView) => {
    setView(next);
    storeView(browserStorage(), next);
  };

  const items = useMemo(() => data?.items ?? [], [data]);
  useEffect(() => rememberStudies(items), [items]);
  const rows = useMemo(() => visibleRows(items, view, user.id), [items, view, user.id]);
  const refused = useMemo(() => (isAdmin ? refusedRows(items) : []), [items, isAdmin]);
  const total = items.length - items.filter((item) => item.status === 'refused').length;
  const sites = useMemo(() => sitesOf(items), [items]);

  const [selectedId, setSelectedId] = useState<string | null>(null);
  const selected = rows.find((row) => row.id === selectedId) ?? null;
  const rowElements = useRef(new Map<string, HTMLTableRowElement>());
  const [busy, setBusy] = useState<{ id: string; action: 'claim' | 'release' } | null>(null);
  const [notices, setNotices] = useState<ReadonlyMap<string, RowNotice>>(new Map());

  const setNotice = useCallback((id: string, notice: RowNotice | null) => {
    setNotices((held) => {
      const next = new Map(held);
      if (notice === null) next.delete(id);
      else next.set(id, notice);
      return next;
    });
  }, []);

  async function act(item: TeleFileSummary, action: 'claim' | 'release') {
    if (busy !== null) return;
    setBusy({ id: item.id, action });
    setNotice(item.id, null);
    try {
      upsert(action === 'claim' ? await api.claim(item.id) : await api.release(item.id));
    } catch (failure) {
      if (isSessionLost(failure)) return;
      if (action === 'claim' && failure instanceof ReadingApiError && failure.status === 409) {
        // Someone was faster: show who, from a fresh copy of the file (the feed brings it too, maybe later).
        let name: string | null = null;
        try {
          const fresh = await api.teleFile(item.id);
          upsert(fresh);
          name = fresh.assignee?.displayName ?? null;
        } catch {
          // Not ours to see any more: the feed removes the row.
        }
        setNotice(item.id, { kind: 'taken', name });
      } else {
        setNotice(item.id, { kind: 'error', error: describeApiError(failure, t, locale) });
      }
    } finally {
      setBusy(null);
    }
  }

  function select(id: string | null, focus: boolean) {
    setSelectedId(id);
    if (focus && id !== null) rowElements.current.get(id)?.focus();
  }

  function onTableKeyDown(event: KeyboardEvent<HTMLTableSectionElement>) {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const target = event.target as HTMLElement;
    if (target.closest('input, select, textarea, [contenteditable="true"]')) return;
    const onControl = target.closest('button, a') !== null;
    const ids = rows.map((row) => row.id);
    const current = selected?.id ?? null;
    switch (event.key) {
      case 'ArrowDown':
      case 'j':
        select(moveSelection(ids, current, 1), true);
        break;
      case 'ArrowUp':
      case 'k':
        select(moveSelection(ids, current, -1), true);
        break;
      case 'Home':
        select(ids[0] ?? null, true);
        break;
      case 'End':
        select(ids[ids.length - 1] ?? null, true);
        break;
      case 'Enter':
        // Enter on a button or link is that control's own action.
        if (onControl) return;
        if (selected && rowAction(selected, { id: user.id, canRead }).kind === 'claim') void act(selected, 'claim');
        // On a file already claimed by this reader, Enter opens it: claim, then Enter again to read.
        else if (selected && selected.assignee?.id === user.id && canOpenImages(selected)) window.location.hash = hashOf({ name: 'viewer', teleFileId: selected.id });
        break;
      case 'p':
        if (selected && rowAction(selected, { id: user.id, canRead }).kind === 'claim') void act(selected, 'claim');
        break;
      case 'o':
        if (selected && canOpenImages(selected)) window.location.hash = hashOf({ name: 'viewer', teleFileId: selected.id });
        break;
      case 'r':
        if (selected && rowAction(selected, { id: user.id, canRead }).kind === 'release') void act(selected, 'release');
        break;
      default:
        return;
    }
    event.preventDefault();
  }

  const focusableId = selected?.id ?? rows[0]?.id ?? null;
  const noneAtAll = data !== null && total === 0;
  const noneShown = data !== null && total > 0 && rows.length === 0;

  return (
    <section className="worklist" aria-labelledby="worklist-title" data-testid="worklist">
      <div className="page-heading">
        <h1 id="worklist-title">{t('worklist.title')}</h1>
        <div className="page-heading__side">
          {data && <LiveIndicator state={live} />}
          {data && (
            <p className="muted small" data-testid="worklist-as-of">
              {t('worklist.asOf', { time: formatTime(data.asOf, locale) })}
            </p>
          )}
          <button type="button" className="button button--secondary button--small" data-testid="worklist-refresh" onClick={reload} disabled={loading}>
            {loading ? t('worklist.refreshing') : t('worklist.refresh')}
          </button>
          {canCompleteRequest && (
            <a className="button button--primary button--small" href={hashOf({ name: 'new-request' })} title={t('worklist.newRequestLabel')} data-testid="new-request-button">
              {t('worklist.newRequest')}
            </a>
          )}
        </div>
      </div>
      <ErrorAlert error={error} />
      {data && total > 0 && <WorklistFilters view={view} sites={sites} shown={rows.length} total={total} onChange={changeView} />}
      <div className="table-frame">
        <table className="worklist-table" data-testid="worklist-table">
          <caption className="visually-hidden">{t('worklist.caption', { order: t(`worklist.sortOrder.${view.sort}`) })}</caption>
          <thead>
            <tr>
              {COLUMNS.map((column) => (
                <th key={column} scope="col" className={`worklist-table__${column}`}>
                  {t(`worklist.columns.${column}`)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody onKeyDown={onTableKeyDown}>
            {rows.map((item) => (
              <WorklistRow
                key={item.id}
                item={item}
                now={now}
                selected={item.id === selected?.id}
                focusable={item.id === focusableId}
                action={rowAction(item, { id: user.id, canRead })}
                busy={busy?.id === item.id ? busy.action : null}
                notice={notices.get(item.id) ?? null}
                canCompleteRequest={canCompleteRequest}
                canOpen={canOpenImages(item)}
                rowRef={(element) => {
                  if (element) rowElements.current.set(item.id, element);
                  else rowElements.current.delete(item.id);
                }}
                onSelect={() => select(item.id, false)}
                onClaim={() => void act(item, 'claim')}
                onRelease={() => void act(item, 'release')}
              />
            ))}
          </tbody>
        </table>
        {/* Outside the table so it stays centred in view when the columns scroll sideways. */}
        {data === null && loading && (
          <div className="empty-state" role="status">
            <p className="muted">{t('worklist.loading')}</p>
          </div>
        )}
        {noneAtAll && (
          <div className="empty-state" data-testid="worklist-empty">
            <p className="empty-state__title">{t('worklist.empty')}</p>
            <p className="muted">{t('worklist.emptyHint')}</p>
          </div>
        )}
        {noneShown && (
          <div className="empty-state" data-testid="worklist-empty-filtered">
            <p className="empty-state__title">{t('worklist.emptyFiltered')}</p>
            <button type="button" className="button button--secondary button--small" onClick={() => changeView({ ...view, state: 'all', family: 'all', siteId: 'all' })}>
              {t('worklist.showAll')}
            </button>
          </div>
        )}
      </div>
      {canRead && rows.length > 0 && <p className="muted small worklist__keys">{t('worklist.keyboardHint')}</p>}
      {refused.length > 0 && <RefusedSection items={refused} />}
    </section>
  );
}
