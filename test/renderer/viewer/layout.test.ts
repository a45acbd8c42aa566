import { describe, expect, it } from 'vitest';
import { LAYOUT_IDS, assignSeries, cellsOf, gridOf, sameCells, type CellIdentity } from '../../../renderer/viewer/layout.js';

const series = ['s1', 's2', 's3', 's4', 's5'].map((seriesInstanceUid) => ({ seriesInstanceUid }));

describe('layouts', () => {
  it('has three grids with their cell counts', () => {
    expect(LAYOUT_IDS).toEqual(['1x1', '1x2', '2x2']);
    expect(LAYOUT_IDS.map(cellsOf)).toEqual([1, 2, 4]);
    expect(gridOf('1x2')).toEqual({ rows: 1, columns: 2 });
    expect(gridOf('2x2')).toEqual({ rows: 2, columns: 2 });
  });

  it('keeps the current series in the first cell, then the next ones, wrapping round', () => {
    expect(assignSeries('1x1', series, 's3')).toEqual(['s3']);
    expect(assignSeries('1x2', series, 's3')).toEqual(['s3', 's4']);
    expect(assignSeries('2x2', series, 's4')).toEqual(['s4', 's5', 's1', 's2']);
  });

  it('starts from the first series when the current one is unknown, and leaves cells empty rather than repeat', () => {
    expect(assignSeries('2x2', series, null)).toEqual(['s1', 's2', 's3', 's4']);
    expect(assignSeries('2x2', series.slice(0, 2), 's2')).toEqual(['s2', 's1', null, null]);
    expect(assignSeries('1x2', [], 's1')).toEqual([null, null]);
  });
});

describe('sameCells: whether a re-render must hand the cells to Cornerstone again', () => {
  const cell = (seriesInstanceUid: string, extra: Partial<CellIdentity> = {}): CellIdentity => ({
    studyUid: '1.2.3',
    series: { seriesInstanceUid },
    imageIds: [`wadors:${seriesInstanceUid}/1`, `wadors:${seriesInstanceUid}/2`],
    role: 'current',
    mode: 'stack',
    ...extra,
  });

  it('equal contents built again (new objects, another start index) are the same cells', () => {
    const a = [cell('s1'), null];
    const b = [{ ...cell('s1'), startIndex: 22 }, null];
    expect(sameCells(a, b)).toBe(true);
  });

  it('another series, study, role, mode, image list or cell count is a change', () => {
    const base = [cell('s1')];
    expect(sameCells(base, [cell('s2')])).toBe(false);
    expect(sameCells(base, [cell('s1', { studyUid: '9.9' })])).toBe(false);
    expect(sameCells(base, [cell('s1', { role: 'prior' })])).toBe(false);
    expect(sameCells(base, [cell('s1', { mode: 'coronal' })])).toBe(false);
    expect(sameCells(base, [cell('s1', { imageIds: ['wadors:s1/1', 'wadors:s1/2', 'wadors:s1/3'] })])).toBe(false);
    expect(sameCells(base, [cell('s1', { imageIds: ['wadors:s1/2', 'wadors:s1/1'] })])).toBe(false);
    expect(sameCells(base, [cell('s1'), null])).toBe(false);
    expect(sameCells([null], [cell('s1')])).toBe(false);
    expect(sameCells([null], [null])).toBe(true);
  });
});
