import { describe, expect, it } from 'vitest';
import { LAYOUT_IDS, assignSeries, cellsOf, gridOf } from '../../../renderer/viewer/layout.js';

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
