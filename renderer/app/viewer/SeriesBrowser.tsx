import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SeriesProgress } from '../../viewer/cornerstone/loadProgress.js';
import type { SeriesSummary } from '../../../core/seriesOrder.js';

function thumbnailUrl(studyUid: string, seriesUid: string): string {
  return `/dicom-web/studies/${encodeURIComponent(studyUid)}/series/${encodeURIComponent(seriesUid)}/thumbnail`;
}

/** A series' thumbnail from the hub; when the hub cannot render one, the modality and count stand in. */
function SeriesThumbnail({ studyUid, series, load }: { studyUid: string; series: SeriesSummary; load: boolean }) {
  const [failed, setFailed] = useState(false);
  if (failed || !load) return <span className="series-card__placeholder">{series.modality ?? '?'}</span>;
  return <img className="series-card__thumbnail" src={thumbnailUrl(studyUid, series.seriesInstanceUid)} alt="" width={96} height={96} loading="lazy" onError={() => setFailed(true)} />;
}

export interface SeriesBrowserProps {
  studyUid: string;
  series: readonly SeriesSummary[];
  /** The series on screen in the active cell. */
  activeSeriesUid: string | null;
  progressOf(seriesUid: string): SeriesProgress;
  onOpen(series: SeriesSummary): void;
  /** False until the first image is on screen: thumbnails must not share the line with it. */
  thumbnails?: boolean;
}

/** The study's series, each with its thumbnail, image count and load progress; a click (or Enter) opens it in the active cell. */
export function SeriesBrowser({ studyUid, series, activeSeriesUid, progressOf, onOpen, thumbnails = true }: SeriesBrowserProps) {
  const { t } = useTranslation();
  return (
    <nav className="series-browser" aria-label={t('viewer.series.label')} data-testid="series-browser">
      <ol>
        {series.map((item) => {
          const progress = progressOf(item.seriesInstanceUid);
          const percent = progress.total === 0 ? 0 : Math.round((100 * progress.loaded) / progress.total);
          const active = item.seriesInstanceUid === activeSeriesUid;
          return (
            <li key={item.seriesInstanceUid}>
              <button
                type="button"
                className={`series-card${active ? ' series-card--active' : ''}`}
                aria-pressed={active}
                data-testid="series-card"
                data-series-uid={item.seriesInstanceUid}
                onClick={() => onOpen(item)}
              >
                <SeriesThumbnail studyUid={studyUid} series={item} load={thumbnails} />
                <span className="series-card__text">
                  <span className="series-card__title">
                    {item.seriesNumber === null ? '' : `${item.seriesNumber} · `}
                    {item.description ?? item.modality ?? t('viewer.series.untitled')}
                  </span>
                  <span className="muted small">{t('viewer.series.images', { count: item.frameCount })}</span>
                  <progress className="series-card__progress" max={100} value={percent} aria-label={t('viewer.series.progress', { percent })} data-testid="series-progress" data-loaded={progress.loaded} />
                </span>
              </button>
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
