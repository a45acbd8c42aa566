import { describe, expect, it } from 'vitest';
import { ageInYears, formatPatientName, studyLabel } from '../../../renderer/worklist/teleFileText.js';

describe('patient and study text', () => {
  it('shows a DICOM person name as FAMILY Given', () => {
    expect(formatPatientName('DUPONT^JEAN')).toBe('DUPONT Jean');
    expect(formatPatientName('le goff^marie-hélène^^^')).toBe('LE GOFF Marie-Hélène');
    expect(formatPatientName("d'ornano^JEAN^PAUL")).toBe("D'ORNANO Jean Paul");
    expect(formatPatientName('Yamada^Tarou=山田^太郎')).toBe('YAMADA Tarou');
    expect(formatPatientName('ANONYMOUS')).toBe('ANONYMOUS');
  });

  it('gives the age in years from DA or ISO dates, the day before the birthday included', () => {
    const now = new Date('2026-03-11T12:00:00Z');
    expect(ageInYears('19580312', now)).toBe(67);
    expect(ageInYears('1958-03-11', now)).toBe(68);
    expect(ageInYears(null, now)).toBeNull();
    expect(ageInYears('1958', now)).toBeNull();
    expect(ageInYears('20300101', now)).toBeNull();
  });

  it('names the study by its description, adding the body part only when it says something new', () => {
    expect(studyLabel({ studyDescription: 'TDM cérébrale', bodyPart: 'HEAD' })).toBe('TDM cérébrale · HEAD');
    expect(studyLabel({ studyDescription: 'CT HEAD w/o', bodyPart: 'HEAD' })).toBe('CT HEAD w/o');
    expect(studyLabel({ studyDescription: null, bodyPart: 'CHEST' })).toBe('CHEST');
    expect(studyLabel({ studyDescription: '  ', bodyPart: null })).toBeNull();
  });
});
