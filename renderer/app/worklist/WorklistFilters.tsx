import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { MODALITY_FAMILIES, modalityFamilyLabel } from '../../../core/modalityFamily.js';
import { SORT_ORDERS, STATE_FILTERS, type WorklistView } from '../../worklist/worklistView.js';
import { useLocale } from '../useLocale.js';

interface WorklistFiltersProps {
  view: WorklistView;
  sites: readonly { id: string; name: string }[];
  shown: number;
  total: number;
  onChange: (view: WorklistView) => void;
}

/** State as a segmented choice (three radios), family, site and order as selects; the choice is remembered. */
export function WorklistFilters({ view, sites, shown, total, onChange }: WorklistFiltersProps) {
  const { t } = useTranslation();
  const locale = useLocale();
  const id = useId();
  // A site chosen on an earlier night may have no file tonight: keep it selectable so the filter stays visible.
  const siteOptions = view.siteId !== 'all' && !sites.some((s) => s.id === view.siteId) ? [...sites, { id: view.siteId, name: view.siteId }] : sites;
  return (
    <div className="worklist-filters" role="group" aria-label={t('worklist.filters.label')} data-testid="worklist-filters">
      <fieldset className="segmented">
        <legend className="segmented__legend">{t('worklist.filters.state')}</legend>
        {STATE_FILTERS.map((state) => (
          <label key={state} className="segmented__option">
            <input
              type="radio"
              name={`${id}-state`}
              value={state}
              checked={view.state === state}
              data-testid={`filter-state-${state}`}
              onChange={() => onChange({ ...view, state })}
            />
            <span>{t(`worklist.stateFilter.${state}`)}</span>
          </label>
        ))}
      </fieldset>
      <label className="inline-field">
        <span className="inline-field__label">{t('worklist.filters.family')}</span>
        <select
          className="inline-field__select"
          value={view.family}
          data-testid="filter-family"
          onChange={(event) => onChange({ ...view, family: event.target.value as WorklistView['family'] })}
        >
          <option value="all">{t('worklist.filters.allFamilies')}</option>
          {MODALITY_FAMILIES.map((family) => (
            <option key={family} value={family}>
              {modalityFamilyLabel(family)[locale]}
            </option>
          ))}
        </select>
      </label>
      <label className="inline-field">
        <span className="inline-field__label">{t('worklist.filters.site')}</span>
        <select className="inline-field__select" value={view.siteId} data-testid="filter-site" onChange={(event) => onChange({ ...view, siteId: event.target.value })}>
          <option value="all">{t('worklist.filters.allSites')}</option>
          {siteOptions.map((site) => (
            <option key={site.id} value={site.id}>
              {site.name}
            </option>
          ))}
        </select>
      </label>
      <label className="inline-field">
        <span className="inline-field__label">{t('worklist.filters.sort')}</span>
        <select
          className="inline-field__select"
          value={view.sort}
          data-testid="sort-order"
          onChange={(event) => onChange({ ...view, sort: event.target.value as WorklistView['sort'] })}
        >
          {SORT_ORDERS.map((sort) => (
            <option key={sort} value={sort}>
              {t(`worklist.sortOrder.${sort}`)}
            </option>
          ))}
        </select>
      </label>
      <p className="worklist-filters__count muted" data-testid="worklist-count">
        {t('worklist.shown', { count: shown, total })}
      </p>
    </div>
  );
}
