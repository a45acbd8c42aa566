import { describe, expect, it } from 'vitest';
import { AeTitle, DeliveryEndpoint, findRequestingSite, normaliseInstitutionName, Site, validateSites } from '../../core/site.js';
import { sites } from './fixtures/region.js';

const montdidier = {
  kind: 'requesting',
  id: 'ch-montdidier',
  name: 'CH Montdidier',
  pacs: { callingAeTitle: 'MONTDIDIER', institutionName: 'CH MONTDIDIER', issuerOfPatientId: 'IPP-MONTDIDIER' },
  delivery: { kind: 'dicomweb', stowUrl: 'https://pacs.ch-montdidier.local/dicom-web/studies' },
};

describe('sites', () => {
  it('parses the four kinds and requires a PACS identity and a delivery endpoint for requesting sites', () => {
    expect(Site.parse(montdidier).kind).toBe('requesting');
    expect(Site.safeParse({ ...montdidier, pacs: undefined }).success).toBe(false);
    expect(Site.safeParse({ ...montdidier, delivery: undefined }).success).toBe(false);
    expect(Site.safeParse({ kind: 'pivot', id: 'chu-amiens', name: 'CHU Amiens' }).success).toBe(true);
    expect(Site.safeParse({ kind: 'provider', id: 'imadis', name: 'IMADIS' }).success).toBe(true);
    expect(Site.safeParse({ kind: 'reference', id: 'ref', name: 'Ref', subspecialties: [] }).success).toBe(false);
    expect(Site.safeParse({ kind: 'hospital', id: 'x', name: 'X' }).success).toBe(false);
    expect(Site.safeParse({ kind: 'pivot', id: 'CHU Amiens', name: 'x' }).success).toBe(false);
  });

  it('checks AE titles against DICOM PS3.5', () => {
    expect(AeTitle.parse('  MONTDIDIER ')).toBe('MONTDIDIER');
    expect(AeTitle.safeParse('A'.repeat(17)).success).toBe(false);
    expect(AeTitle.safeParse('BAD\\AE').success).toBe(false);
    expect(AeTitle.safeParse('   ').success).toBe(false);
    expect(AeTitle.safeParse('ÉCHO').success).toBe(false);
  });

  it('describes delivery by DICOMweb STOW or DIMSE', () => {
    expect(DeliveryEndpoint.safeParse({ kind: 'dicomweb', stowUrl: 'http://pacs:8042/dicom-web' }).success).toBe(true);
    expect(DeliveryEndpoint.safeParse({ kind: 'dicomweb', stowUrl: 'ftp://pacs/x' }).success).toBe(false);
    expect(DeliveryEndpoint.safeParse({ kind: 'dimse', calledAeTitle: 'PACS', host: '10.0.0.5', port: 104 }).success).toBe(true);
    expect(DeliveryEndpoint.safeParse({ kind: 'dimse', calledAeTitle: 'PACS', host: '10.0.0.5', port: 70000 }).success).toBe(false);
  });

  it('refuses ambiguous identification: duplicate ids, AE titles or institution names', () => {
    const twin = Site.parse({ ...montdidier, id: 'ch-twin', pacs: { ...montdidier.pacs, institutionName: 'Ch Montdidier ' } });
    const result = validateSites([Site.parse(montdidier), twin, { kind: 'pivot', id: 'ch-twin', name: 'Twin' }]);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.map((e) => e.code)).toEqual(['duplicate-calling-ae-title', 'duplicate-institution-name', 'duplicate-site-id']);
    expect(validateSites(sites).ok).toBe(true);
  });

  it('identifies the sender by calling AE title first, institution name as a fallback', () => {
    expect(findRequestingSite(sites, { callingAeTitle: 'LAON ', institutionName: 'CH SOISSONS' })).toMatchObject({ site: { id: 'ch-laon' }, matchedBy: 'calling-ae-title' });
    expect(findRequestingSite(sites, { callingAeTitle: 'UNKNOWN', institutionName: 'ch château-thierry' })).toMatchObject({
      site: { id: 'ch-chateau-thierry' },
      matchedBy: 'institution-name',
    });
    expect(findRequestingSite(sites, { institutionName: 'Clinique inconnue' })).toBeUndefined();
    expect(findRequestingSite(sites, {})).toBeUndefined();
    // A pivot's name never identifies a requesting site.
    expect(findRequestingSite(sites, { institutionName: 'CH Abbeville' })).toBeUndefined();
    expect(normaliseInstitutionName('  C.H.  Château-Thierry ')).toBe('C H CHATEAU THIERRY');
  });
});
