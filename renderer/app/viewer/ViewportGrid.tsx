import { useTranslation } from 'react-i18next';
import type { CellContent, CellStatus } from '../../viewer/cornerstone/viewerController.js';
import { gridOf, type LayoutId } from '../../viewer/layout.js';

export interface GridCell {
  content: CellContent | null;
  status: CellStatus;
  /** Shown on a study that is not the one being read: its date, and a warning if it may be another patient's. */
  priorLabel?: string | undefined;
  otherPatient?: boolean | undefined;
}

export interface ViewportGridProps {
  layout: LayoutId;
  cells: readonly GridCell[];
  active: number;
  /** Cornerstone draws in these elements; the grid keeps them stable while the layout does not change. */
  elementRef(index: number, element: HTMLDivElement | null): void;
  onActivate(index: number): void;
}

function orientationKey(mode: CellContent['mode']) {
  return `viewer.orientation.${mode}` as const;
}

/**
 * The image cells of the current layout. Each cell's overlay says what it
 * shows (series, image k/n, window) and, on error, which image cannot be
 * shown and why — in text, never as a blank or a stale picture.
 */
export function ViewportGrid({ layout, cells, active, elementRef, onActivate }: ViewportGridProps) {
  const { t } = useTranslation();
  const grid = gridOf(layout);
  return (
    <div className="viewport-grid" style={{ gridTemplateColumns: `repeat(${grid.columns}, 1fr)`, gridTemplateRows: `repeat(${grid.rows}, 1fr)` }} data-testid="viewport-grid" data-layout={layout}>
      {cells.map((cell, index) => {
        const { status, content } = cell;
        const error = status.state === 'error' ? status.error : undefined;
        return (
          <section
            // Cells are positions in the layout; their identity is their index.
            key={index}
            className={`viewport-cell${index === active ? ' viewport-cell--active' : ''}${cell.otherPatient ? ' viewport-cell--other-patient' : ''}`}
            aria-label={t('viewer.cell.label', { number: index + 1 })}
            data-testid="viewport-cell"
            data-state={status.state}
            data-mode={content?.mode ?? 'empty'}
            onPointerDown={() => onActivate(index)}
          >
            <div className="viewport-cell__canvas" ref={(element) => elementRef(index, element)} onContextMenu={(event) => event.preventDefault()} data-testid="viewport-element" />
            <div className="viewport-cell__overlay viewport-cell__overlay--top" aria-live="polite">
              {content && (
                <span>
                  {content.series.description ?? content.series.modality ?? ''}
                  {content.mode !== 'stack' ? ` · ${t(orientationKey(content.mode))}${content.mip ? ' MIP' : ''}` : ''}
                </span>
              )}
              {status.imageCount !== undefined && status.imageIndex !== undefined && (
                <span data-testid="image-position">{t('viewer.cell.position', { index: status.imageIndex + 1, count: status.imageCount })}</span>
              )}
            </div>
            {cell.priorLabel && (
              <p className={`viewport-cell__prior${cell.otherPatient ? ' viewport-cell__prior--danger' : ''}`} data-testid="prior-label">
                {cell.priorLabel}
              </p>
            )}
            {status.window && (
              <div className="viewport-cell__overlay viewport-cell__overlay--bottom" data-testid="window-level">
                {t('viewer.cell.window', { width: Math.round(status.window.width), center: Math.round(status.window.center) })}
                {status.invert ? ` · ${t('viewer.cell.inverted')}` : ''}
              </div>
            )}
            {status.state === 'loading' && (
              <p className="viewport-cell__message" role="status">
                {t('viewer.cell.loading')}
              </p>
            )}
            {error && (
              <div className="viewport-cell__message viewport-cell__message--error" role="alert" data-testid="viewport-error">
                <p>
                  {t('viewer.cell.cannotShow', {
                    index: error.imageIndex + 1,
                    sop: error.sopInstanceUid ?? '?',
                    frame: error.frameNumber ?? '?',
                  })}
                </p>
                <p>{error.reason}</p>
              </div>
            )}
          </section>
        );
      })}
    </div>
  );
}
