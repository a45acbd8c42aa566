import { describe, expect, it } from 'vitest';
import { imagingModalities, modalityFamily, modalityFamilyLabel, studyModalityFamily } from '../../core/modalityFamily.js';

describe('modality families', () => {
  it.each([
    ['CT', 'cross-sectional'],
    ['MR', 'cross-sectional'],
    ['CR', 'conventional'],
    ['DX', 'conventional'],
    ['MG', 'conventional'],
    ['RF', 'conventional'],
    ['US', 'ultrasound'],
    ['XA', 'other'],
    ['PT', 'other'],
    ['NM', 'other'],
    ['OT', 'other'],
    ['ZZ', 'other'],
    [' ct ', 'cross-sectional'],
  ] as const)('%s is %s', (modality, family) => {
    expect(modalityFamily(modality)).toBe(family);
  });

  it('takes the most demanding family of a multi-modality study', () => {
    expect(studyModalityFamily(['CT', 'CR'])).toBe('cross-sectional');
    expect(studyModalityFamily(['DX', 'US'])).toBe('conventional');
    expect(studyModalityFamily(['US', 'CT'])).toBe('cross-sectional');
    expect(studyModalityFamily(['PT', 'CT'])).toBe('cross-sectional');
  });

  it('keeps an ultrasound study with secondary captures or a report as ultrasound', () => {
    expect(studyModalityFamily(['US'])).toBe('ultrasound');
    expect(studyModalityFamily(['US', 'OT'])).toBe('ultrasound');
    expect(studyModalityFamily(['SR', 'US', 'KO'])).toBe('ultrasound');
  });

  it('ignores ancillary objects and gives "other" to a study without images', () => {
    expect(imagingModalities(['SR', 'ct', 'CT', 'PR', 'CR'])).toEqual(['CT', 'CR']);
    expect(studyModalityFamily(['SR', 'KO'])).toBe('other');
    expect(studyModalityFamily([])).toBe('other');
  });

  it('labels families in French and English', () => {
    expect(modalityFamilyLabel('cross-sectional')).toEqual({ fr: 'scanner/IRM', en: 'CT/MR' });
    expect(modalityFamilyLabel('ultrasound').fr).toBe('échographie');
  });
});
