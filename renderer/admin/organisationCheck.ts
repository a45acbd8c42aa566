import { Organisation, type OrganisationInput } from '../../core/api/organisation.js';
import { validateCoverage } from '../../core/coverage.js';
import type { Localized } from '../../core/errors.js';
import { validateSites } from '../../core/site.js';

/** One thing to fix in the document: where (a dotted path, '' for the whole) and what, in both languages when known. */
export interface OrganisationIssue {
  readonly path: string;
  readonly message: Localized | string;
}

export type OrganisationCheck =
  | { readonly ok: true; readonly organisation: OrganisationInput }
  | { readonly ok: false; readonly syntax: string }
  | { readonly ok: false; readonly issues: readonly OrganisationIssue[] };

/**
 * What the hub checks before it accepts a new organisation, done here first so
 * the admin sees every problem before saving: the JSON itself, the schema
 * (types, ids, AE titles), then the cross-checks of core (duplicate AE titles,
 * unknown sites and groups, overlapping rules) with their French and English text.
 */
export function checkOrganisationText(text: string): OrganisationCheck {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, syntax: error instanceof Error ? error.message : String(error) };
  }
  const parsed = Organisation.safeParse(json);
  if (!parsed.success) {
    return { ok: false, issues: parsed.error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message })) };
  }
  const issues: OrganisationIssue[] = [];
  const sites = validateSites(parsed.data.sites);
  if (!sites.ok) issues.push(...sites.error.map((e) => ({ path: 'sites', message: e.message })));
  const coverage = validateCoverage(parsed.data.coverage, parsed.data.sites);
  if (!coverage.ok) issues.push(...coverage.error.map((e) => ({ path: 'coverage', message: e.message })));
  return issues.length > 0 ? { ok: false, issues } : { ok: true, organisation: json as OrganisationInput };
}
