import { describe, expect, it } from 'vitest';
import { type Coverage, CoverageRule, coverageGaps, refusalReason, resolveCoverage, validateCoverage } from '../../core/coverage.js';
import { coverageInput, sites, validCoverage } from './fixtures/region.js';

const withRules = (...rules: Coverage['rules']): Coverage => ({ ...coverageInput, rules: [...coverageInput.rules, ...rules] });

function errorsOf(input: Coverage): { code: string; fr: string; en: string }[] {
  const result = validateCoverage(input, sites);
  if (result.ok) return [];
  return result.error.map((e) => ({ code: e.code, fr: e.message.fr, en: e.message.en }));
}

describe('coverage: validation', () => {
  it('accepts the three organisation shapes together', () => {
    expect(validateCoverage(coverageInput, sites).ok).toBe(true);
  });

  it('detects two rules that could both apply, naming the rules and the cell', () => {
    const errors = errorsOf(
      withRules({
        id: 'laon-weekend-provider',
        requestingSiteIds: ['ch-laon'],
        families: ['cross-sectional'],
        periods: ['weekend'],
        action: { kind: 'route', target: { kind: 'provider', providerId: 'imadis' } },
      }),
    );
    expect(errors).toHaveLength(1);
    expect(errors[0]?.code).toBe('overlapping-rules');
    expect(errors[0]?.fr).toBe(
      "Les règles « pool-aab » et « laon-weekend-provider » s'appliquent toutes deux à : CH Laon · scanner/IRM · week-end. Une seule règle doit s'appliquer ; restreignez l'une d'elles.",
    );
    expect(errors[0]?.en).toContain('Rules "pool-aab" and "laon-weekend-provider" both apply to: CH Laon · CT/MR · weekend.');
  });

  it('allows rules that share a site but differ in family or period', () => {
    const errors = errorsOf(
      withRules({
        id: 'laon-day-radio',
        requestingSiteIds: ['ch-laon'],
        families: ['conventional'],
        periods: ['outside-pds'],
        action: { kind: 'route', target: { kind: 'pivot-group', groupId: 'aab' } },
      }),
    );
    expect(errors).toEqual([]);
  });

  it('refuses unknown references and sites of the wrong kind', () => {
    const errors = errorsOf({
      pivotGroups: [
        { id: 'g', name: 'G', pivotSiteIds: ['ch-laon'] },
        { id: 'g', name: 'G again', pivotSiteIds: ['chu-amiens'] },
      ],
      rules: [
        {
          id: 'r',
          requestingSiteIds: ['chu-amiens', 'nowhere'],
          families: ['conventional'],
          periods: ['weekend'],
          action: { kind: 'route', target: { kind: 'pivot-group', groupId: 'missing' } },
        },
        {
          id: 'r',
          requestingSiteIds: ['ch-laon'],
          families: ['cross-sectional'],
          periods: ['weekend'],
          action: { kind: 'route', target: { kind: 'provider', providerId: 'ch-beauvais' }, overflow: { providerId: 'imadis', afterMinutesUnclaimed: 10 } },
        },
      ],
    });
    expect(errors.map((e) => e.code).sort()).toEqual(
      ['duplicate-group-id', 'duplicate-rule-id', 'overflow-needs-pool', 'unknown-group', 'unknown-site', 'wrong-site-kind', 'wrong-site-kind', 'wrong-site-kind'].sort(),
    );
    expect(errors.find((e) => e.code === 'unknown-site')?.fr).toBe('Règle « r » : site « nowhere » inconnu.');
  });

  it('refuses a rule that would cover ultrasound, and an overflow without a trigger', () => {
    const base = { id: 'x', requestingSiteIds: ['ch-laon'], periods: ['weekend'], action: { kind: 'refuse', reason: 'not-covered-by-agreement' } };
    expect(CoverageRule.safeParse({ ...base, families: ['ultrasound'] }).success).toBe(false);
    expect(CoverageRule.safeParse({ ...base, families: ['conventional'] }).success).toBe(true);
    const overflow = { kind: 'route', target: { kind: 'pivot-group', groupId: 'aab' }, overflow: { providerId: 'imadis' } };
    expect(CoverageRule.safeParse({ ...base, families: ['conventional'], action: overflow }).success).toBe(false);
  });
});

describe('coverage: resolution', () => {
  const coverage = validCoverage();

  it('refuses ultrasound before reading any rule', () => {
    const r = resolveCoverage(coverage, 'ch-laon', 'ultrasound', 'weekend');
    expect(r).toEqual({ kind: 'refuse', reason: refusalReason('ultrasound-not-remote') });
    expect(refusalReason('ultrasound-not-remote').message.en).toBe('Ultrasound is not read remotely (the probe must be held by the operator)');
  });

  it('finds the one rule for a cell', () => {
    expect(resolveCoverage(coverage, 'ch-laon', 'cross-sectional', 'holiday')).toMatchObject({ kind: 'route', ruleId: 'pool-aab', overflow: { whenWaitingAtLeast: 8 } });
    expect(resolveCoverage(coverage, 'ch-compiegne', 'conventional', 'outside-pds')).toMatchObject({ kind: 'refuse', ruleId: 'compiegne-day' });
  });

  it('without a rule: the site reads its own studies in the day, and in PDS there is no coverage', () => {
    expect(resolveCoverage(coverage, 'ch-laon', 'cross-sectional', 'outside-pds')).toMatchObject({ kind: 'refuse', reason: { code: 'outside-pds-local-reading' } });
    expect(resolveCoverage(coverage, 'ch-laon', 'other', 'weeknight')).toMatchObject({ kind: 'refuse', reason: { code: 'no-coverage' } });
  });
});

describe('coverage: gaps', () => {
  it('finds no gap in the PDS table of the fixture region', () => {
    expect(coverageGaps(coverageInput, sites)).toEqual([]);
  });

  it('lists each uncovered (site, family, period) cell', () => {
    const input = { ...coverageInput, rules: coverageInput.rules.filter((r) => r.id !== 'compiegne-imadis') };
    expect(coverageGaps(input, sites)).toEqual([
      { siteId: 'ch-compiegne', family: 'cross-sectional', period: 'weeknight' },
      { siteId: 'ch-compiegne', family: 'cross-sectional', period: 'weekend' },
      { siteId: 'ch-compiegne', family: 'cross-sectional', period: 'holiday' },
    ]);
  });
});
