import { describe, expect, it } from 'vitest';
import { checkOrganisationText } from '../../../renderer/admin/organisationCheck.js';

const requesting = (id: string, ae: string, institution: string) => ({
  kind: 'requesting',
  id,
  name: id,
  pacs: { callingAeTitle: ae, institutionName: institution, issuerOfPatientId: id.toUpperCase() },
  delivery: { kind: 'dicomweb', stowUrl: `https://${id}.example/dicom-web/studies` },
});

const organisation = {
  sites: [requesting('ch-montdidier', 'CHMONTDIDIER', 'CH Montdidier'), { kind: 'pivot', id: 'chu-amiens', name: 'CHU Amiens' }],
  coverage: {
    pivotGroups: [{ id: 'amiens', name: 'Amiens', pivotSiteIds: ['chu-amiens'] }],
    rules: [{ id: 'r1', requestingSiteIds: ['ch-montdidier'], families: ['cross-sectional'], periods: ['weeknight'], action: { kind: 'route', target: { kind: 'pivot-group', groupId: 'amiens' } } }],
  },
  pdsCalendar: {},
};

describe('checking the organisation document before saving', () => {
  it('accepts a consistent document as typed', () => {
    expect(checkOrganisationText(JSON.stringify(organisation))).toEqual({ ok: true, organisation });
  });

  it('reports broken JSON as such', () => {
    expect(checkOrganisationText('{"sites": [')).toMatchObject({ ok: false, syntax: expect.any(String) });
  });

  it('reports schema problems with their path', () => {
    const bad = { ...organisation, sites: [{ ...organisation.sites[1], id: 'CHU Amiens' }] };
    const checked = checkOrganisationText(JSON.stringify(bad));
    expect(checked).toMatchObject({ ok: false, issues: [{ path: 'sites.0.id', message: expect.stringContaining('lowercase') }] });
  });

  it('runs core cross-checks, in French and English', () => {
    const bad = {
      ...organisation,
      sites: [...organisation.sites, requesting('ch-peronne', 'CHMONTDIDIER', 'CH Péronne')],
      coverage: { ...organisation.coverage, rules: [{ ...organisation.coverage.rules[0], requestingSiteIds: ['ch-inconnu'] }] },
    };
    const checked = checkOrganisationText(JSON.stringify(bad));
    expect(checked).toMatchObject({
      ok: false,
      issues: [
        { path: 'sites', message: { fr: expect.stringContaining('AE title'), en: expect.stringContaining('AE title') } },
        { path: 'coverage', message: { fr: expect.stringContaining('ch-inconnu'), en: expect.stringContaining('unknown site') } },
      ],
    });
  });
});
