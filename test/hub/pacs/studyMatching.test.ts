import { describe, expect, it } from 'vitest';
import type { DicomJsonDataset } from '../../../hub/pacs/dicomJson.js';
import { attributeMatches } from '../../../hub/pacs/studyMatching.js';

const row: DicomJsonDataset = {
  '00080020': { vr: 'DA', Value: ['20240427'] },
  '00080030': { vr: 'TM', Value: ['221700'] },
  '00080061': { vr: 'CS', Value: ['CT', 'SR'] },
  '00100010': { vr: 'PN', Value: [{ Alphabetic: 'DEMO^CRANE' }] },
  '0020000D': { vr: 'UI', Value: ['1.2.3'] },
  '00081030': { vr: 'LO' },
};

describe('QIDO matching in memory (folder adapter)', () => {
  it.each([
    ['00100010', 'demo^cr*', true],
    ['00100010', 'DEMO^CRAN?', true],
    ['00100010', 'DEMO^TH*', false],
    ['00080061', 'SR', true],
    ['00080061', 'MR', false],
    ['0020000D', '1.2.4,1.2.3', true],
    ['0020000D', '1.2', false],
    ['00080020', '20240427', true],
    ['00080020', '20240401-20240430', true],
    ['00080020', '20240428-', false],
    ['00080020', '-20240427', true],
    ['00080030', '2200-2300', true],
    ['00080030', '2218-', false],
    ['00081030', '', true],
    ['00081030', 'CRANE', false],
    ['00100040', 'F', false],
  ])('%s = "%s" → %s', (tag, query, expected) => {
    expect(attributeMatches(row, tag, query)).toBe(expected);
  });
});
