import { VIEWER_LAYOUTS, type ViewerLayout } from '../../core/api/viewerPreferences.js';
import type { SeriesSummary } from '../../core/seriesOrder.js';

/**
 * The viewport grid and which series each cell shows when a layout is chosen.
 * The layout names live in core (the reader's default layout is a saved preference).
 */
export type LayoutId = ViewerLayout;
export const LAYOUT_IDS: readonly LayoutId[] = VIEWER_LAYOUTS;

const GRID: Record<LayoutId, { rows: number; columns: number }> = {
  '1x1': { rows: 1, columns: 1 },
  // Side by side: screens are wider than tall, and a comparison reads left to right.
  '1x2': { rows: 1, columns: 2 },
  '2x2': { rows: 2, columns: 2 },
};

export function gridOf(layout: LayoutId): { rows: number; columns: number } {
  return GRID[layout];
}

export function cellsOf(layout: LayoutId): number {
  const { rows, columns } = GRID[layout];
  return rows * columns;
}

/**
 * Which series each cell shows by default, cells in reading order (row by
 * row). The first cell keeps the series the reader is on (`current`, a
 * SeriesInstanceUID); the others take the next series in display order,
 * wrapping round, so going from 1x1 to 2x2 shows "this series and the next
 * ones", as OHIF's hanging protocols do by default. With fewer series than
 * cells, the remaining cells are empty (null) rather than repeating a series.
 * An unknown `current` starts from the first series.
 */
export function assignSeries(layout: LayoutId, series: readonly Pick<SeriesSummary, 'seriesInstanceUid'>[], current: string | null): (string | null)[] {
  const cells = cellsOf(layout);
  const start = Math.max(0, series.findIndex((s) => s.seriesInstanceUid === current));
  return Array.from({ length: cells }, (_, cell) => (cell < series.length ? (series[(start + cell) % series.length]?.seriesInstanceUid ?? null) : null));
}

/** The part of a cell's content that decides what Cornerstone must load (not where the reader stands in it). */
export interface CellIdentity {
  studyUid: string;
  series: Pick<SeriesSummary, 'seriesInstanceUid'>;
  imageIds: readonly string[];
  role: string;
  mode: string;
}

/**
 * Whether two sets of cells show the same things. A re-render that produces
 * equal cells (a prior found in the background, a study object fetched
 * again) must not hand them to Cornerstone again: that reloads every stack
 * at its remembered image and throws away the reader's scroll in flight.
 */
export function sameCells(a: ReadonlyArray<CellIdentity | null>, b: ReadonlyArray<CellIdentity | null>): boolean {
  if (a.length !== b.length) return false;
  return a.every((left, index) => {
    const right = b[index];
    if (left === null || right === null || right === undefined) return left === right;
    return (
      left.studyUid === right.studyUid &&
      left.series.seriesInstanceUid === right.series.seriesInstanceUid &&
      left.role === right.role &&
      left.mode === right.mode &&
      left.imageIds.length === right.imageIds.length &&
      left.imageIds.every((id, i) => id === right.imageIds[i])
    );
  });
}
