import { VIEWER_LAYOUTS, type ViewerLayout } from '../../core/api/viewerPreferences.js';
import type { SeriesSummary } from './seriesOrder.js';

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
