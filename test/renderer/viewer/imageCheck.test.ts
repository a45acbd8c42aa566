import { describe, expect, it } from 'vitest';
import { imageProblem } from '../../../renderer/viewer/cornerstone/imageCheck.js';

const mono = { rows: 4, columns: 2, color: false, pixelLength: 8, arrayType: 'Uint16Array', preScaled: false, maxValue: 40_000, transferSyntaxUid: '1.2.840.10008.1.2.1' };
const declared = { samplesPerPixel: 1, bitsAllocated: 16, bitsStored: 16, pixelRepresentation: 0, photometric: 'MONOCHROME2' };

describe('a decoded image is shown only when it is what the file says', () => {
  it('accepts greyscale with one value per pixel and colour with three or four', () => {
    expect(imageProblem(mono, declared)).toBeNull();
    expect(imageProblem({ ...mono, color: true, pixelLength: 24, arrayType: 'Uint8Array' }, { ...declared, samplesPerPixel: 3 })).toBeNull();
    expect(imageProblem({ ...mono, color: true, pixelLength: 32, arrayType: 'Uint8ClampedArray' }, { ...declared, samplesPerPixel: 3 })).toBeNull();
  });

  it('refuses data of the wrong size, naming packed 1-bit data', () => {
    expect(imageProblem({ ...mono, pixelLength: 1 }, { ...declared, bitsAllocated: 1 })).toMatch(/1 values for 4 × 2 pixels \(1-bit pixel data left packed/);
    expect(imageProblem({ ...mono, pixelLength: 7 }, declared)).toMatch(/does not fit/);
    expect(imageProblem({ ...mono, rows: 0 }, declared)).toMatch(/no rows/);
  });

  it('refuses unsigned data for a signed file unless the loader rescaled it', () => {
    expect(imageProblem(mono, { ...declared, pixelRepresentation: 1 })).toMatch(/signed/);
    expect(imageProblem({ ...mono, arrayType: 'Int16Array' }, { ...declared, pixelRepresentation: 1 })).toBeNull();
    expect(imageProblem({ ...mono, preScaled: true }, { ...declared, pixelRepresentation: 1 })).toBeNull();
    // Unsigned values below the sign bit read the same either way: nothing wrong is shown.
    expect(imageProblem({ ...mono, maxValue: 32_767 }, { ...declared, pixelRepresentation: 1 })).toBeNull();
    expect(imageProblem({ ...mono, maxValue: 2048 }, { ...declared, bitsStored: 12, pixelRepresentation: 1 })).toMatch(/signed/);
  });

  it('refuses the decoder paths measured wrong: RGB JPEG baseline colour, 16-bit colour RLE', () => {
    const colour = { ...mono, color: true, pixelLength: 32, arrayType: 'Uint8Array' };
    expect(imageProblem({ ...colour, transferSyntaxUid: '1.2.840.10008.1.2.4.50' }, { ...declared, samplesPerPixel: 3, bitsAllocated: 8, photometric: 'RGB' })).toMatch(/JPEG baseline colour declared RGB/);
    expect(imageProblem({ ...colour, transferSyntaxUid: '1.2.840.10008.1.2.4.50' }, { ...declared, samplesPerPixel: 3, bitsAllocated: 8, photometric: 'YBR_FULL_422' })).toBeNull();
    expect(imageProblem({ ...colour, transferSyntaxUid: '1.2.840.10008.1.2.5' }, { ...declared, samplesPerPixel: 3, bitsAllocated: 16, photometric: 'RGB' })).toMatch(/16-bit colour RLE/);
    expect(imageProblem({ ...colour, transferSyntaxUid: '1.2.840.10008.1.2.5' }, { ...declared, samplesPerPixel: 3, bitsAllocated: 8, photometric: 'RGB' })).toBeNull();
  });
});
