// Coverage: which pivot group (or provider) reads which requesting site, per
// modality family and per kind of period. The three ANAP organisation shapes
// are all sets of these rules: (1) one hospital's group reads another's
// images; (2) a provider reads one family during PDS, as a complement;
// (3) one pool of 3–5 pivots serves ~15 requesting sites. Rules never rank
// each other: at most one rule may apply to a (site, family, period) cell, so
// that an admin can read the table and know who reads what.
import { z } from 'zod';
import { type DomainError, domainError, err, type Localized, missingCase, ok, type Result } from './errors.js';
import { MODALITY_FAMILIES, type ModalityFamily, modalityFamilyLabel } from './modalityFamily.js';
import { PDS_KINDS, type PdsKind, pdsKindLabel } from './pdsCalendar.js';
import { type Site, SiteId } from './site.js';

export const GroupId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, { message: 'A group id is lowercase letters, digits and hyphens.' });
export type GroupId = z.infer<typeof GroupId>;

/** Readers of one or more pivot sites who share one on-call pool (a "garde mutualisée"). */
export const PivotGroup = z.object({
  id: GroupId,
  /** Shown to people, e.g. "Amiens–Abbeville–Beauvais". */
  name: z.string().trim().min(1).max(120),
  pivotSiteIds: z.array(SiteId).min(1),
});
export type PivotGroup = z.infer<typeof PivotGroup>;

export const CoverageTarget = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('pivot-group'), groupId: GroupId }),
  z.object({ kind: z.literal('provider'), providerId: SiteId }),
]);
export type CoverageTarget = z.infer<typeof CoverageTarget>;

export const COVERAGE_PERIODS = [...PDS_KINDS, 'outside-pds'] as const;
export const CoveragePeriod = z.enum(COVERAGE_PERIODS);
export type CoveragePeriod = z.infer<typeof CoveragePeriod>;

/** Families a rule may cover: ultrasound is refused before any rule is read. */
export const CoveredFamily = z.enum(MODALITY_FAMILIES).exclude(['ultrasound']);

/**
 * A provider takes over from a pool: for tele-files still unclaimed after N
 * minutes, and/or for new ones while N or more already wait in the pool, and
 * always when nobody is on call in the pool.
 */
export const Overflow = z
  .object({
    providerId: SiteId,
    afterMinutesUnclaimed: z.number().int().min(1).max(24 * 60).optional(),
    whenWaitingAtLeast: z.number().int().min(1).optional(),
  })
  .refine((o) => o.afterMinutesUnclaimed !== undefined || o.whenWaitingAtLeast !== undefined, {
    message: 'An overflow needs afterMinutesUnclaimed, whenWaitingAtLeast or both.',
  });
export type Overflow = z.infer<typeof Overflow>;

// --- refusal reasons: recorded with every refused tele-file ------------------

export const REFUSAL_REASONS = [
  'ultrasound-not-remote',
  'unknown-requesting-site',
  'no-coverage',
  'outside-pds-local-reading',
  'not-covered-by-agreement',
] as const;
export const RefusalCode = z.enum(REFUSAL_REASONS);
export type RefusalCode = z.infer<typeof RefusalCode>;
export type RefusalReason = DomainError<RefusalCode>;

export function refusalReason(code: RefusalCode): RefusalReason {
  const text = refusalText(code);
  return domainError(code, text.fr, text.en);
}

function refusalText(code: RefusalCode): Localized {
  switch (code) {
    case 'ultrasound-not-remote':
      // ANAP 4.1: ultrasound needs the radiologist to hold the probe.
      return {
        fr: "L'échographie ne se lit pas à distance (la sonde doit être tenue par l'opérateur)",
        en: 'Ultrasound is not read remotely (the probe must be held by the operator)',
      };
    case 'unknown-requesting-site':
      return {
        fr: "Site demandeur inconnu : ni l'AE title appelant ni le nom d'établissement ne correspondent à un site configuré",
        en: 'Unknown requesting site: neither the calling AE title nor the institution name matches a configured site',
      };
    case 'no-coverage':
      return {
        fr: 'Aucune règle de couverture pour ce site, cette famille de modalités et cette période',
        en: 'No coverage rule for this site, modality family and period',
      };
    case 'outside-pds-local-reading':
      return {
        fr: 'Hors permanence des soins : le site lit ses examens sur place',
        en: 'Outside the on-call period: the site reads its own studies',
      };
    case 'not-covered-by-agreement':
      return {
        fr: 'Examen hors du périmètre de la convention de télé-imagerie du site',
        en: "Study outside the scope of the site's teleradiology agreement",
      };
    default:
      return missingCase(code);
  }
}

// --- rules -------------------------------------------------------------------

export const CoverageAction = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('route'), target: CoverageTarget, overflow: Overflow.optional() }),
  z.object({ kind: z.literal('refuse'), reason: z.enum(['outside-pds-local-reading', 'not-covered-by-agreement']) }),
]);
export type CoverageAction = z.infer<typeof CoverageAction>;

export const CoverageRule = z.object({
  id: z.string().trim().min(1).max(64),
  requestingSiteIds: z.array(SiteId).min(1),
  families: z.array(CoveredFamily).min(1),
  /** PDS kinds, and/or 'outside-pds' for the site's day rule. */
  periods: z.array(CoveragePeriod).min(1),
  action: CoverageAction,
});
export type CoverageRule = z.infer<typeof CoverageRule>;

export const Coverage = z.object({ pivotGroups: z.array(PivotGroup), rules: z.array(CoverageRule) });
export type Coverage = z.infer<typeof Coverage>;

declare const validated: unique symbol;
/** A coverage checked against the sites by validateCoverage: routing accepts nothing else. */
export type ValidCoverage = Coverage & { readonly [validated]: true };

export type CoverageErrorCode =
  | 'duplicate-group-id'
  | 'duplicate-rule-id'
  | 'unknown-site'
  | 'wrong-site-kind'
  | 'unknown-group'
  | 'overflow-needs-pool'
  | 'overlapping-rules';

/** Checks references and refuses any two rules that could both apply. */
export function validateCoverage(coverage: Coverage, sites: readonly Site[]): Result<ValidCoverage, DomainError<CoverageErrorCode>[]> {
  const errors: DomainError<CoverageErrorCode>[] = [];
  const siteById = new Map(sites.map((s) => [s.id, s]));
  const expectSite = (id: string, kind: Site['kind'], where: string): void => {
    const site = siteById.get(id);
    if (!site) {
      errors.push(domainError('unknown-site', `${where} : site « ${id} » inconnu.`, `${where}: unknown site "${id}".`, { siteId: id }));
    } else if (site.kind !== kind) {
      errors.push(
        domainError('wrong-site-kind', `${where} : le site « ${id} » est de type ${site.kind}, pas ${kind}.`, `${where}: site "${id}" is a ${site.kind} site, not ${kind}.`, {
          siteId: id,
        }),
      );
    }
  };

  const groupIds = new Set<string>();
  for (const group of coverage.pivotGroups) {
    if (groupIds.has(group.id)) {
      errors.push(domainError('duplicate-group-id', `Groupe « ${group.id} » en double.`, `Group "${group.id}" is defined twice.`, { groupId: group.id }));
    }
    groupIds.add(group.id);
    for (const id of group.pivotSiteIds) expectSite(id, 'pivot', `Groupe « ${group.id} »`);
  }

  const ruleIds = new Set<string>();
  for (const rule of coverage.rules) {
    const where = `Règle « ${rule.id} »`;
    if (ruleIds.has(rule.id)) {
      errors.push(domainError('duplicate-rule-id', `${where} en double.`, `Rule "${rule.id}" is defined twice.`, { ruleId: rule.id }));
    }
    ruleIds.add(rule.id);
    for (const id of rule.requestingSiteIds) expectSite(id, 'requesting', where);
    const action = rule.action;
    if (action.kind === 'route') {
      const target = action.target;
      if (target.kind === 'pivot-group') {
        if (!groupIds.has(target.groupId)) {
          errors.push(domainError('unknown-group', `${where} : groupe « ${target.groupId} » inconnu.`, `Rule "${rule.id}": unknown group "${target.groupId}".`, { ruleId: rule.id }));
        }
      } else {
        expectSite(target.providerId, 'provider', where);
      }
      if (action.overflow) {
        expectSite(action.overflow.providerId, 'provider', where);
        if (target.kind !== 'pivot-group') {
          errors.push(
            domainError('overflow-needs-pool', `${where} : un débordement ne s'applique qu'à un pool de garde.`, `Rule "${rule.id}": overflow only applies to a pivot-group pool.`, {
              ruleId: rule.id,
            }),
          );
        }
      }
    }
  }

  errors.push(...overlaps(coverage.rules, siteById));
  return errors.length > 0 ? err(errors) : ok(coverage as ValidCoverage);
}

function overlaps(rules: readonly CoverageRule[], siteById: ReadonlyMap<string, Site>): DomainError<'overlapping-rules'>[] {
  const errors: DomainError<'overlapping-rules'>[] = [];
  for (let i = 0; i < rules.length; i++) {
    for (let j = i + 1; j < rules.length; j++) {
      const a = rules[i];
      const b = rules[j];
      if (!a || !b) continue;
      const sites = a.requestingSiteIds.filter((s) => b.requestingSiteIds.includes(s));
      const families = a.families.filter((f) => b.families.includes(f));
      const periods = a.periods.filter((p) => b.periods.includes(p));
      if (sites.length === 0 || families.length === 0 || periods.length === 0) continue;
      const names = sites.map((s) => siteById.get(s)?.name ?? s);
      const list = (lang: 'fr' | 'en'): string =>
        `${names.join(', ')} · ${families.map((f) => modalityFamilyLabel(f)[lang]).join(', ')} · ${periods.map((p) => coveragePeriodLabel(p)[lang]).join(', ')}`;
      errors.push(
        domainError(
          'overlapping-rules',
          `Les règles « ${a.id} » et « ${b.id} » s'appliquent toutes deux à : ${list('fr')}. Une seule règle doit s'appliquer ; restreignez l'une d'elles.`,
          `Rules "${a.id}" and "${b.id}" both apply to: ${list('en')}. Exactly one rule must apply; narrow one of them.`,
          { ruleA: a.id, ruleB: b.id },
        ),
      );
    }
  }
  return errors;
}

export function coveragePeriodLabel(period: CoveragePeriod): Localized {
  return period === 'outside-pds' ? { fr: 'hors PDS', en: 'outside on-call hours' } : pdsKindLabel(period);
}

export type CoverageGap = { readonly siteId: string; readonly family: ModalityFamily; readonly period: PdsKind };

/**
 * Cells of the PDS table (requesting site × CT/MR and conventional × period
 * kind) that no rule covers: tele-files would be refused with 'no-coverage'.
 * A warning for the admin page, not an error: a region may start with CT only.
 */
export function coverageGaps(coverage: Coverage, sites: readonly Site[]): CoverageGap[] {
  const gaps: CoverageGap[] = [];
  for (const site of sites) {
    if (site.kind !== 'requesting') continue;
    for (const family of ['cross-sectional', 'conventional'] as const) {
      for (const period of PDS_KINDS) {
        if (!findRule(coverage, site.id, family, period)) gaps.push({ siteId: site.id, family, period });
      }
    }
  }
  return gaps;
}

function findRule(coverage: Coverage, siteId: string, family: ModalityFamily, period: CoveragePeriod): CoverageRule | undefined {
  return coverage.rules.find(
    (r) => r.requestingSiteIds.includes(siteId) && r.periods.includes(period) && (r.families as readonly ModalityFamily[]).includes(family),
  );
}

export type CoverageResolution =
  | { readonly kind: 'route'; readonly ruleId: string; readonly target: CoverageTarget; readonly overflow?: Overflow | undefined }
  | { readonly kind: 'refuse'; readonly ruleId?: string | undefined; readonly reason: RefusalReason };

/**
 * What coverage says for one study. Ultrasound is refused whatever the rules
 * say. With no rule, outside PDS the site reads its own studies (the default
 * day rule) and inside PDS the study has no coverage: both are refusals with
 * a recorded reason, never a silent drop.
 */
export function resolveCoverage(coverage: ValidCoverage, siteId: string, family: ModalityFamily, period: CoveragePeriod): CoverageResolution {
  if (family === 'ultrasound') return { kind: 'refuse', reason: refusalReason('ultrasound-not-remote') };
  const rule = findRule(coverage, siteId, family, period);
  if (!rule) return { kind: 'refuse', reason: refusalReason(period === 'outside-pds' ? 'outside-pds-local-reading' : 'no-coverage') };
  const action = rule.action;
  switch (action.kind) {
    case 'route':
      return { kind: 'route', ruleId: rule.id, target: action.target, overflow: action.overflow };
    case 'refuse':
      return { kind: 'refuse', ruleId: rule.id, reason: refusalReason(action.reason) };
    default:
      return missingCase(action);
  }
}
