import { describe, expect, it } from 'vitest';
import { paletteEntries, withPaletteValues } from '../../../renderer/viewer/paletteTables.js';

const words = (values: number[]) => Buffer.from(new Uint16Array(values).buffer).toString('base64');

describe('withPaletteValues', () => {
  it('turns inline 16-bit palette tables into the entries Cornerstone reads, per descriptor', () => {
    const metadata = {
      '00280004': { vr: 'CS', Value: ['PALETTE COLOR'] },
      '00281101': { vr: 'US', Value: [4, 0, 16] },
      '00281102': { vr: 'US', Value: [4, 0, 16] },
      '00281103': { vr: 'US', Value: [4, 0, 16] },
      '00281201': { vr: 'OW', InlineBinary: words([0, 257, 65535, 514]) },
      '00281202': { vr: 'OW', InlineBinary: words([1, 2, 3, 4]) },
      '00281203': { vr: 'OW', InlineBinary: words([9, 8, 7, 6]) },
    };
    const out = withPaletteValues(metadata);
    expect(out['00281201']).toEqual({ vr: 'OW', Value: [0, 257, 65535, 514] });
    expect(out['00281202']).toEqual({ vr: 'OW', Value: [1, 2, 3, 4] });
    expect(out['00281203']).toEqual({ vr: 'OW', Value: [9, 8, 7, 6] });
    expect(out['00280004']).toBe(metadata['00280004']);
    // The caller's copy is not changed.
    expect(metadata['00281201']).toHaveProperty('InlineBinary');
  });

  it('leaves metadata without inline tables as it is', () => {
    const noPalette = { '00280004': { vr: 'CS', Value: ['MONOCHROME2'] } };
    expect(withPaletteValues(noPalette)).toBe(noPalette);
    const bulk = { '00281101': { vr: 'US', Value: [4, 0, 16] }, '00281201': { vr: 'OW', BulkDataURI: '/dicom-web/x/bulk/00281201' } };
    expect(withPaletteValues(bulk)).toBe(bulk);
  });
});

describe('paletteEntries', () => {
  it('reads 8-bit entries packed one per byte, and 0 entries as 65 536', () => {
    expect(paletteEntries(Buffer.from([5, 6, 7]).toString('base64'), [3, 0, 8])).toEqual([5, 6, 7]);
    const full = paletteEntries(Buffer.alloc(2 * 65_536, 1).toString('base64'), [0, 0, 16]);
    expect(full).toHaveLength(65_536);
    expect(full?.[65_535]).toBe(257);
  });

  it('refuses too few bytes or a missing descriptor rather than guess', () => {
    expect(paletteEntries(words([1, 2]), [4, 0, 16])).toBeNull();
    expect(paletteEntries(words([1, 2, 3, 4]), undefined)).toBeNull();
    expect(paletteEntries('%%%not base64', [1, 0, 16])).toBeNull();
  });
});
