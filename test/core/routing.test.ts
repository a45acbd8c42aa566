import { describe, expect, it } from 'vitest';
import { defaultPdsCalendar } from '../../core/pdsCalendar.js';
import { route, type RoutingContext, type RoutingDecision, type StudyFacts } from '../../core/routing.js';
import { displayNames, requestingSites, roster, sites, validCoverage } from './fixtures/region.js';

const context: RoutingContext = { sites, coverage: validCoverage(), roster, pdsConfig: defaultPdsCalendar, displayNames };

const from = (ae: string, ...modalities: string[]): StudyFacts => ({ sender: { callingAeTitle: ae }, modalitiesInStudy: modalities });

// Paris is UTC+1 until 29 March 2026.
const SUNDAY_0210 = new Date('2026-03-22T01:10:00Z');
const TUESDAY_1000 = new Date('2026-03-24T09:00:00Z');
const WEDNESDAY_2300 = new Date('2026-03-25T22:00:00Z');
const SATURDAY_1500 = new Date('2026-03-21T14:00:00Z');
const EASTER_MONDAY_1000 = new Date('2026-04-06T08:00:00Z');

function routed(decision: RoutingDecision): Extract<RoutingDecision, { outcome: 'routed' }> {
  if (decision.outcome !== 'routed') throw new Error(`refused: ${decision.explanation.en}`);
  return decision;
}

function refused(decision: RoutingDecision): Extract<RoutingDecision, { outcome: 'refused' }> {
  if (decision.outcome !== 'refused') throw new Error(`routed: ${decision.explanation.en}`);
  return decision;
}

describe('routing: explanation', () => {
  it('explains a Sunday night CT in French and English, times in Paris', () => {
    const d = routed(route(from('MONTDIDIER', 'CT', 'SR'), SUNDAY_0210, context));
    expect(d.explanation.fr).toBe(
      "CT de CH Montdidier à 02:10 un dimanche → pool Amiens–Abbeville–Beauvais, d'astreinte : Dr X, Dr Y ; vers IMADIS si non pris à 02:40 [Week-end · sam. 21/03 12:00 → lun. 23/03 08:00]",
    );
    expect(d.explanation.en).toBe(
      'CT from CH Montdidier at 02:10 on a Sunday → pool Amiens–Abbeville–Beauvais, on call: Dr X, Dr Y; to IMADIS if unclaimed at 02:40 [Weekend · Sat 21/03 12:00 → Mon 23/03 08:00]',
    );
    expect(d).toMatchObject({
      requestingSiteId: 'ch-montdidier',
      siteMatchedBy: 'calling-ae-title',
      family: 'cross-sectional',
      ruleId: 'montdidier-ct',
      target: { kind: 'pivot-group', groupId: 'aab', name: 'Amiens–Abbeville–Beauvais' },
      onCall: [
        { id: 'dr.x', name: 'Dr X' },
        { id: 'dr.y', name: 'Dr Y' },
      ],
      overflowDeadline: { providerId: 'imadis', at: new Date('2026-03-22T01:40:00Z') },
    });
    expect(d.period?.kind).toBe('weekend');
  });

  it('names the holiday in the explanation', () => {
    const d = routed(route(from('COMPIEGNE', 'CT'), EASTER_MONDAY_1000, context));
    expect(d.explanation.fr).toContain('à 10:00 un jour férié (Lundi de Pâques, lundi)');
    expect(d.explanation.en).toContain('at 10:00 on a public holiday (Easter Monday, Monday)');
  });
});

describe('routing: shape 1, one hospital reads another', () => {
  it("sends Montdidier's radiographs to Amiens's on-call radiologist at night", () => {
    const d = routed(route(from('MONTDIDIER', 'CR'), SUNDAY_0210, context));
    expect(d.target).toEqual({ kind: 'pivot-group', groupId: 'amiens', name: 'CHU Amiens' });
    expect(d.onCall.map((p) => p.id)).toEqual(['dr.a']);
    expect(d.overflowDeadline).toBeUndefined();
  });

  it('and in the day, through the day rule', () => {
    const d = routed(route(from('MONTDIDIER', 'DX'), TUESDAY_1000, context));
    expect(d.ruleId).toBe('montdidier-radio');
    expect(d.period).toBeNull();
    expect(d.explanation.fr).toContain('[hors PDS ; prochaine PDS mar. 24/03 18:00]');
  });

  it("but refuses Montdidier's CT in the day: the site reads it (default day rule)", () => {
    const d = refused(route(from('MONTDIDIER', 'CT'), TUESDAY_1000, context));
    expect(d.reason.code).toBe('outside-pds-local-reading');
    expect(d.ruleId).toBeUndefined();
    expect(d.explanation.fr).toContain('refusé — Hors permanence des soins');
  });
});

describe('routing: shape 2, a private provider as a complement', () => {
  it.each([
    ['a weeknight', WEDNESDAY_2300, 'weeknight'],
    ['a Saturday afternoon', SATURDAY_1500, 'weekend'],
    ['Easter Monday', EASTER_MONDAY_1000, 'holiday'],
  ] as const)('sends every Compiègne CT/MR on %s to IMADIS', (_label, instant, kind) => {
    for (const modality of ['CT', 'MR']) {
      const d = routed(route(from('COMPIEGNE', modality), instant, context));
      expect(d.target).toEqual({ kind: 'provider', providerId: 'imadis', name: 'IMADIS' });
      expect(d.onCall).toEqual([]);
      expect(d.period?.kind).toBe(kind);
      expect(d.explanation.fr).toContain('→ prestataire IMADIS');
    }
  });

  it("keeps Compiègne's radiographs for the pool, and refuses everything in the day with the rule's reason", () => {
    expect(routed(route(from('COMPIEGNE', 'CR'), WEDNESDAY_2300, context)).target.kind).toBe('pivot-group');
    const day = refused(route(from('COMPIEGNE', 'CT'), TUESDAY_1000, context));
    expect(day).toMatchObject({ ruleId: 'compiegne-day', reason: { code: 'outside-pds-local-reading' } });
  });
});

describe('routing: shape 3, a pool of pivots serving fifteen sites', () => {
  it('routes a Sunday-night CT from each of the fifteen sites', () => {
    const targets = requestingSites.map((site) => {
      if (site.kind !== 'requesting') throw new Error('fixture');
      return [site.id, routed(route(from(site.pacs.callingAeTitle, 'CT'), SUNDAY_0210, context)).target] as const;
    });
    expect(targets).toHaveLength(15);
    const toPool = targets.filter(([, t]) => t.kind === 'pivot-group' && t.groupId === 'aab').map(([id]) => id);
    expect(toPool).toHaveLength(14);
    expect(toPool).not.toContain('ch-compiegne');
    expect(targets.find(([id]) => id === 'ch-compiegne')?.[1]).toMatchObject({ kind: 'provider', providerId: 'imadis' });
  });

  it('overflows to the provider when the pool already has too many studies waiting', () => {
    const below = routed(route(from('LAON', 'CT'), SUNDAY_0210, { ...context, waitingByGroup: { aab: 7 } }));
    expect(below.target.kind).toBe('pivot-group');
    const above = routed(route(from('LAON', 'CT'), SUNDAY_0210, { ...context, waitingByGroup: { aab: 8 } }));
    expect(above).toMatchObject({ target: { kind: 'provider', providerId: 'imadis' }, overflowed: 'pool-load', onCall: [] });
    expect(above.explanation.fr).toContain('(débordement : 8 examens en attente dans le pool Amiens–Abbeville–Beauvais)');
  });

  it('overflows to the provider when nobody is on call in the pool', () => {
    const d = routed(route(from('LAON', 'CT'), WEDNESDAY_2300, context));
    expect(d).toMatchObject({ target: { kind: 'provider', providerId: 'imadis' }, overflowed: 'nobody-on-call' });
    expect(d.explanation.en).toContain('(overflow: nobody on call in pool Amiens–Abbeville–Beauvais)');
  });

  it('routes to the pool anyway, and says so, when nobody is on call and there is no overflow', () => {
    const d = routed(route(from('COMPIEGNE', 'DX'), WEDNESDAY_2300, context));
    expect(d.target.kind).toBe('pivot-group');
    expect(d.onCall).toEqual([]);
    expect(d.explanation.fr).toContain("personne d'astreinte au tableau");
  });
});

describe('routing: refusals', () => {
  it('refuses ultrasound with the recorded reason, even from a covered site in PDS', () => {
    for (const modalities of [['US'], ['US', 'OT'], ['US', 'SR']]) {
      const d = refused(route(from('LAON', ...modalities), SUNDAY_0210, context));
      expect(d.reason.code).toBe('ultrasound-not-remote');
      expect(d.reason.message.fr).toBe("L'échographie ne se lit pas à distance (la sonde doit être tenue par l'opérateur)");
      expect(d.family).toBe('ultrasound');
    }
  });

  it('routes a study with radiographs and ultrasound as conventional', () => {
    expect(routed(route(from('LAON', 'US', 'DX'), SUNDAY_0210, context)).family).toBe('conventional');
  });

  it('refuses a study from an unknown sender', () => {
    const d = refused(route({ sender: { callingAeTitle: 'STRANGER', institutionName: 'Clinique X' }, modalitiesInStudy: ['CT'] }, SUNDAY_0210, context));
    expect(d.reason.code).toBe('unknown-requesting-site');
    expect(d.requestingSiteId).toBeNull();
    expect(d.explanation.fr).toMatch(/^CT de AE « STRANGER » \(Clinique X\) à 02:10 un dimanche : refusé — Site demandeur inconnu/);
  });

  it('recognises a site by its institution name when the AE title is unknown', () => {
    const d = routed(route({ sender: { callingAeTitle: 'ROUTER', institutionName: 'ch  montdidier' }, modalitiesInStudy: ['CT'] }, SUNDAY_0210, context));
    expect(d).toMatchObject({ requestingSiteId: 'ch-montdidier', siteMatchedBy: 'institution-name' });
  });

  it('refuses a modality no rule covers (PET) with no-coverage', () => {
    const d = refused(route(from('LAON', 'PT'), SUNDAY_0210, context));
    expect(d.reason.code).toBe('no-coverage');
    expect(d.period?.kind).toBe('weekend');
  });
});
