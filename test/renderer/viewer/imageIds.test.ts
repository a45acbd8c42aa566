import { describe, expect, it } from 'vitest';
import { withModality } from '../../../renderer/viewer/cornerstone/imageIds.js';

describe('the metadata the viewer hands to Cornerstone', () => {
  it('always names a modality (Cornerstone throws without one), and changes nothing else', () => {
    const rows = { '00280010': { vr: 'US', Value: [512] } };
    expect(withModality(rows, null)).toEqual({ ...rows, '00080060': { vr: 'CS', Value: ['OT'] } });
    expect(withModality({ ...rows, '00080060': { vr: 'CS' } }, 'CT')['00080060']).toEqual({ vr: 'CS', Value: ['CT'] });
    const withOne = { ...rows, '00080060': { vr: 'CS', Value: ['MR'] } };
    expect(withModality(withOne, 'CT')).toBe(withOne);
  });
});
