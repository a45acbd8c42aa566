import { describe, expect, it } from 'vitest';
import { type PatientIdentity, patientIdentity, patientIdentityFromStudy, patientKey, samePatient } from '../../core/patientIdentity.js';

function id(issuer: string, patientId: string): PatientIdentity {
  const r = patientIdentity(issuer, patientId);
  if (!r.ok) throw new Error(r.error.message.en);
  return r.value;
}

describe('patient identity', () => {
  it('is namespaced by issuer: the same number at two sites is two patients', () => {
    expect(samePatient(id('IPP-MONTDIDIER', '12345'), id('IPP-COMPIEGNE', '12345'))).toBe(false);
    expect(samePatient(id('IPP-MONTDIDIER', '12345'), id('IPP-MONTDIDIER', '12345 '))).toBe(true);
    expect(samePatient(id('IPP-MONTDIDIER', 'abc'), id('IPP-MONTDIDIER', 'ABC'))).toBe(false);
    expect(patientKey(id('IPP-MONTDIDIER', '12345'))).not.toBe(patientKey(id('IPP-COMPIEGNE', '12345')));
  });

  it('builds keys that cannot collide whatever the values contain', () => {
    expect(patientKey(id('A|B', 'C'))).not.toBe(patientKey(id('A', 'B|C')));
    expect(patientKey(id('A', '"B"'))).toBe('["A","\\"B\\""]');
  });

  it('refuses an empty issuer or patient ID, and values DICOM LO cannot hold', () => {
    const noIssuer = patientIdentity('  ', '12345');
    expect(!noIssuer.ok && noIssuer.error.code).toBe('missing-issuer');
    const noId = patientIdentity('IPP-X', '');
    expect(!noId.ok && noId.error.code).toBe('missing-patient-id');
    expect(patientIdentity('IPP-X', 'a\\b').ok).toBe(false);
    expect(patientIdentity('IPP-X', 'x'.repeat(65)).ok).toBe(false);
  });

  it("uses the site's issuer only when the study has none, and says so", () => {
    const defaulted = patientIdentityFromStudy({ patientId: '12345', issuerOfPatientId: '  ' }, 'IPP-MONTDIDIER');
    expect(defaulted.ok && defaulted.value).toEqual({ identity: { issuer: 'IPP-MONTDIDIER', patientId: '12345' }, issuerSource: 'site-default' });
    const own = patientIdentityFromStudy({ patientId: '12345', issuerOfPatientId: 'GHT-SOMME' }, 'IPP-MONTDIDIER');
    expect(own.ok && own.value).toEqual({ identity: { issuer: 'GHT-SOMME', patientId: '12345' }, issuerSource: 'study' });
    const neither = patientIdentityFromStudy({ patientId: '12345' }, '');
    expect(!neither.ok && neither.error.code).toBe('missing-issuer');
  });
});
