import type { Organisation } from '../../core/api/organisation.js';
import type { TeleFileRow } from '../teleFiles/teleFileStore.js';

/**
 * Who reads (the letterhead: a provider, or the pivot site behind the pool)
 * and who asked (the requesting site's name), as the organisation says now.
 * The tele-file's own copies are the fallback, so a document never lacks them.
 */
export function documentParties(organisation: Organisation | null, file: Pick<TeleFileRow, 'target_kind' | 'target_id' | 'target_name' | 'requesting_site_id' | 'requesting_site_name'>): { reader: string; requestingSite: { id: string; name: string } } {
  const sites = new Map((organisation?.sites ?? []).map((s) => [s.id, s.name] as const));
  let reader = file.target_name ?? 'Vigie';
  if (file.target_kind === 'provider' && file.target_id) reader = sites.get(file.target_id) ?? reader;
  if (file.target_kind === 'pivot-group') {
    const group = organisation?.coverage.pivotGroups.find((g) => g.id === file.target_id);
    const pivot = group?.pivotSiteIds[0];
    if (pivot) reader = sites.get(pivot) ?? reader;
  }
  const siteId = file.requesting_site_id ?? '';
  return { reader, requestingSite: { id: siteId, name: sites.get(siteId) ?? file.requesting_site_name ?? siteId } };
}
