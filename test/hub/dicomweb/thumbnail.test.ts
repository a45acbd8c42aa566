import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { crc32, encodePng } from '../../../hub/dicomweb/png.js';
import { NotRenderableHere, renderThumbnail } from '../../../hub/dicomweb/thumbnail.js';
import type { DicomJsonDataset } from '../../../hub/pacs/dicomJson.js';

/** Decodes the PNGs encodePng writes (one IDAT, filter 0): size, colour type and pixels. */
function decodePng(png: Buffer): { width: number; height: number; colourType: number; pixels: Buffer } {
  expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  let offset = 8;
  let width = 0;
  let height = 0;
  let colourType = -1;
  const idat: Buffer[] = [];
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.toString('latin1', offset + 4, offset + 8);
    const data = png.subarray(offset + 8, offset + 8 + length);
    expect(png.readUInt32BE(offset + 8 + length)).toBe(crc32(png.subarray(offset + 4, offset + 8 + length)));
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      colourType = data[9] as number;
    }
    if (type === 'IDAT') idat.push(data);
    offset += 12 + length;
  }
  const channels = colourType === 2 ? 3 : 1;
  const raw = inflateSync(Buffer.concat(idat));
  const pixels = Buffer.alloc(width * height * channels);
  for (let y = 0; y < height; y++) {
    expect(raw[y * (width * channels + 1)]).toBe(0);
    raw.copy(pixels, y * width * channels, y * (width * channels + 1) + 1, (y + 1) * (width * channels + 1));
  }
  return { width, height, colourType, pixels };
}

function ct(overrides: DicomJsonDataset = {}): DicomJsonDataset {
  return {
    '00280002': { vr: 'US', Value: [1] },
    '00280004': { vr: 'CS', Value: ['MONOCHROME2'] },
    '00280010': { vr: 'US', Value: [4] },
    '00280011': { vr: 'US', Value: [4] },
    '00280100': { vr: 'US', Value: [16] },
    '00280101': { vr: 'US', Value: [12] },
    '00280103': { vr: 'US', Value: [0] },
    '00281052': { vr: 'DS', Value: [-1024] },
    '00281053': { vr: 'DS', Value: [1] },
    ...overrides,
  };
}

/** 4×4 stored values, little endian 16-bit. */
function frame16(values: number[]): Buffer {
  const out = Buffer.alloc(values.length * 2);
  values.forEach((v, i) => out.writeUInt16LE(v, i * 2));
  return out;
}

const EXPLICIT_LE = '1.2.840.10008.1.2.1';

describe('PNG encoder', () => {
  it('computes the standard CRC-32 ("123456789" → CBF43926)', () => {
    expect(crc32(Buffer.from('123456789')).toString(16)).toBe('cbf43926');
  });

  it('writes greyscale and RGB images that decode back to the same pixels', () => {
    const grey = Uint8Array.from([0, 64, 128, 255, 1, 2]);
    const decoded = decodePng(encodePng(3, 2, 1, grey));
    expect(decoded).toMatchObject({ width: 3, height: 2, colourType: 0 });
    expect([...decoded.pixels]).toEqual([...grey]);
    const rgb = Uint8Array.from([255, 0, 0, 0, 255, 0]);
    const colour = decodePng(encodePng(2, 1, 3, rgb));
    expect(colour.colourType).toBe(2);
    expect([...colour.pixels]).toEqual([...rgb]);
  });

  it('refuses a pixel buffer of the wrong size', () => {
    expect(() => encodePng(2, 2, 1, new Uint8Array(3))).toThrow(RangeError);
  });
});

describe('native thumbnail rendering', () => {
  // HU = stored − 1024: 0 → −1024 (air), 1064 → 40 (window centre), 2048 → 1024 (bone).
  const values = [0, 1064, 2048, 1064, 0, 1064, 2048, 1064, 0, 1064, 2048, 1064, 0, 1064, 2048, 1064];

  it('applies rescale and the file’s window (40/80): air black, centre mid-grey, bone white', () => {
    const png = renderThumbnail(ct({ '00281050': { vr: 'DS', Value: [40] }, '00281051': { vr: 'DS', Value: [80] } }), frame16(values), EXPLICIT_LE, 128);
    const { width, height, pixels } = decodePng(png);
    expect([width, height]).toEqual([4, 4]);
    expect([...pixels.subarray(0, 4)]).toEqual([0, 129, 255, 129]);
  });

  it('without a window uses min/max, and inverts MONOCHROME1', () => {
    const plain = decodePng(renderThumbnail(ct(), frame16(values), EXPLICIT_LE)).pixels;
    expect([...plain.subarray(0, 4)]).toEqual([0, 132, 255, 132]);
    const inverted = decodePng(renderThumbnail(ct({ '00280004': { vr: 'CS', Value: ['MONOCHROME1'] } }), frame16(values), EXPLICIT_LE)).pixels;
    expect([...inverted.subarray(0, 4)]).toEqual([255, 123, 0, 123]);
  });

  it('reads signed pixels (PixelRepresentation 1) with their sign', () => {
    const signed = ct({ '00280103': { vr: 'US', Value: [1] }, '00280101': { vr: 'US', Value: [16] }, '00281052': { vr: 'DS', Value: [0] } });
    const frame = frame16([0xfc00, 0, 1024, 0]); // −1024, 0, 1024, 0
    const pixels = decodePng(renderThumbnail({ ...signed, '00280010': { vr: 'US', Value: [1] } }, frame, EXPLICIT_LE)).pixels;
    expect([...pixels]).toEqual([0, 128, 255, 128]);
  });

  it('scales a large image down to fit 128 px, keeping its aspect ratio', () => {
    const rows = 256;
    const columns = 512;
    const frame = Buffer.alloc(rows * columns * 2);
    for (let y = 0; y < rows; y++) for (let x = 0; x < columns; x++) frame.writeUInt16LE(x < columns / 2 ? 0 : 2048, (y * columns + x) * 2);
    const big = ct({ '00280010': { vr: 'US', Value: [rows] }, '00280011': { vr: 'US', Value: [columns] } });
    const { width, height, pixels } = decodePng(renderThumbnail(big, frame, EXPLICIT_LE, 128));
    expect([width, height]).toEqual([128, 64]);
    expect(pixels[0]).toBe(0);
    expect(pixels[127]).toBe(255);
  });

  it('passes 8-bit RGB through (interleaved and planar)', () => {
    const rgb = ct({ '00280002': { vr: 'US', Value: [3] }, '00280004': { vr: 'CS', Value: ['RGB'] }, '00280100': { vr: 'US', Value: [8] }, '00280101': { vr: 'US', Value: [8] }, '00280010': { vr: 'US', Value: [1] }, '00280011': { vr: 'US', Value: [2] } });
    expect([...decodePng(renderThumbnail(rgb, Buffer.from([255, 0, 0, 0, 0, 255]), EXPLICIT_LE)).pixels]).toEqual([255, 0, 0, 0, 0, 255]);
    const planar = { ...rgb, '00280006': { vr: 'US', Value: [1] } };
    expect([...decodePng(renderThumbnail(planar, Buffer.from([255, 0, 0, 0, 0, 255]), EXPLICIT_LE)).pixels]).toEqual([255, 0, 0, 0, 0, 255]);
  });

  it('refuses compressed syntaxes, palette colour and short frames (the viewer draws those)', () => {
    expect(() => renderThumbnail(ct(), frame16(values), '1.2.840.10008.1.2.4.90')).toThrow(NotRenderableHere);
    expect(() => renderThumbnail(ct({ '00280004': { vr: 'CS', Value: ['PALETTE COLOR'] } }), frame16(values), EXPLICIT_LE)).toThrow(NotRenderableHere);
    expect(() => renderThumbnail(ct(), frame16(values.slice(0, 8)), EXPLICIT_LE)).toThrow(NotRenderableHere);
  });
});
