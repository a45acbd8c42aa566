import { describe, expect, it } from 'vitest';
import { ageAt, bannerOf, formatAge, formatStudyDate, samePatient } from '../../../renderer/viewer/patientBanner.js';

function meta(values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).map(([tag, value]) => [tag, { vr: 'XX', Value: [value] }]));
}

const CT = meta({
  '00100010': { Alphabetic: 'DUPONT^jean-marie' },
  '00100020': 'IPP-123',
  '00100021': 'CH-MONTDIDIER',
  '00100030': '19580312',
  '00100040': 'M',
  '00080020': '20260311',
  '00080030': '023015.123',
  '00081030': 'TDM cérébrale',
  '00080050': 'ACC-9',
});

const teleFile = {
  patient: { name: 'DUPONT^JEAN-MARIE', sex: 'M', birthDate: '1958-03-12', patientId: 'IPP-123', issuer: 'CH-MONTDIDIER' },
  studyDescription: 'TDM crâne',
  accessionNumber: 'ACC-9',
};

describe('bannerOf', () => {
  it('reads the patient and the study from DICOM JSON', () => {
    expect(bannerOf(CT)).toEqual({
      name: 'DUPONT Jean-Marie',
      sexKey: 'worklist.sex.M',
      age: { value: 67, unit: 'years' },
      patientId: 'IPP-123',
      issuer: 'CH-MONTDIDIER',
      identityMismatch: false,
      studyDate: '2026-03-11',
      // 02:30 in Paris in March (UTC+1).
      studyInstant: '2026-03-11T01:30:00.000Z',
      studyDescription: 'TDM cérébrale',
      accessionNumber: 'ACC-9',
    });
  });

  it('prefers PatientAge when the modality gave it', () => {
    expect(bannerOf({ ...CT, ...meta({ '00101010': '018M' }) }).age).toEqual({ value: 18, unit: 'months' });
    expect(bannerOf({ ...CT, ...meta({ '00101010': '1 year' }) }).age).toEqual({ value: 67, unit: 'years' });
  });

  it('takes the identity from the tele-file (the issuer the hub checked) and flags images of another patient ID', () => {
    const noIssuer = { ...CT };
    delete noIssuer['00100021'];
    expect(bannerOf(noIssuer, teleFile).issuer).toBe('CH-MONTDIDIER');
    const other = bannerOf({ ...CT, ...meta({ '00100020': 'IPP-999' }) }, teleFile);
    expect(other.patientId).toBe('IPP-123');
    expect(other.identityMismatch).toBe(true);
  });

  it('falls back to the tele-file for what the images lack, and never throws on odd metadata', () => {
    expect(bannerOf({}, teleFile)).toMatchObject({ name: 'DUPONT Jean-Marie', sexKey: 'worklist.sex.M', age: null, studyDescription: 'TDM crâne', studyDate: null, studyInstant: null });
    for (const odd of [null, 3, 'x', [], { '00100010': { Value: [{ Alphabetic: 7 }] } }, { '00100010': { Value: 'DUPONT' } }, { '00080020': { Value: ['2026-13-45'] } }]) {
      expect(() => bannerOf(odd)).not.toThrow();
    }
    expect(bannerOf(null)).toMatchObject({ name: '', sexKey: null, patientId: null, issuer: null });
  });

  it('uses TimezoneOffsetFromUTC when the modality gave it', () => {
    expect(bannerOf({ ...CT, ...meta({ '00080201': '+0400' }) }).studyInstant).toBe('2026-03-10T22:30:00.000Z');
  });
});

describe('ageAt', () => {
  const d = (year: number, month: number, day: number) => ({ year, month, day });
  it('counts years from 2 years, months under 2 years, days under a month', () => {
    expect(ageAt(d(2024, 3, 11), d(2026, 3, 11))).toEqual({ value: 2, unit: 'years' });
    expect(ageAt(d(2024, 3, 12), d(2026, 3, 11))).toEqual({ value: 23, unit: 'months' });
    expect(ageAt(d(2026, 1, 31), d(2026, 3, 1))).toEqual({ value: 1, unit: 'months' });
    expect(ageAt(d(2026, 2, 12), d(2026, 3, 11))).toEqual({ value: 27, unit: 'days' });
    expect(ageAt(d(2026, 3, 11), d(2026, 3, 11))).toEqual({ value: 0, unit: 'days' });
    expect(ageAt(d(2026, 3, 12), d(2026, 3, 11))).toBeNull();
  });
});

describe('formatting', () => {
  it('says the age in the reader’s language', () => {
    // French puts a no-break space between the number and the unit.
    const spaced = (text: string) => text.replace(/\s/gu, ' ');
    expect(spaced(formatAge({ value: 3, unit: 'years' }, 'fr'))).toBe('3 ans');
    expect(spaced(formatAge({ value: 5, unit: 'months' }, 'en'))).toBe('5 months');
    expect(spaced(formatAge({ value: 12, unit: 'days' }, 'fr'))).toBe('12 jours');
  });

  it('shows the study in Paris time, or its date alone', () => {
    expect(formatStudyDate(bannerOf(CT), 'fr')).toBe('11/03/2026 02:30');
    expect(formatStudyDate({ studyDate: '2026-03-11', studyInstant: null }, 'en')).toBe('11/03/2026');
    expect(formatStudyDate({ studyDate: null, studyInstant: null }, 'fr')).toBeNull();
  });
});

describe('samePatient', () => {
  it('is the same patient only with the same issuer and the same ID', () => {
    const a = { patientId: 'IPP-123', issuer: 'CH-MONTDIDIER' };
    expect(samePatient(a, { patientId: 'IPP-123 ', issuer: 'CH-MONTDIDIER' })).toBe(true);
    expect(samePatient(a, { patientId: 'IPP-123', issuer: 'CH-COMPIEGNE' })).toBe(false);
    expect(samePatient(a, { patientId: 'ipp-123', issuer: 'CH-MONTDIDIER' })).toBe(false);
  });

  it('is never the same patient when either identity is incomplete', () => {
    expect(samePatient({ patientId: 'IPP-1', issuer: null }, { patientId: 'IPP-1', issuer: null })).toBe(false);
    expect(samePatient({ patientId: null, issuer: 'X' }, { patientId: null, issuer: 'X' })).toBe(false);
    expect(samePatient({ patientId: '', issuer: 'X' }, { patientId: '', issuer: 'X' })).toBe(false);
  });
});
