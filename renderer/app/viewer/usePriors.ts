import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PriorStudy } from '../../../core/api/priors.js';
import { studyMetadata } from '../../viewer/cornerstone/teleFilePrefetch.js';
import { bannerOf, formatStudyDate, samePatient } from '../../viewer/patientBanner.js';
import { seriesFrom, type SeriesSummary } from '../../viewer/seriesOrder.js';
import { useApi } from '../ApiContext.js';
import { useLocale } from '../useLocale.js';
import type { ViewerStudy } from './useViewerStudy.js';

export interface PriorView {
  studyUid: string;
  series: SeriesSummary;
  /** "Antérieur du 12/05/2026 · CT CRANE", shown on the prior's cell. */
  label: string;
  /** False when the prior's own DICOM names another patient than the study being read: the cell is marked. */
  samePatient: boolean;
}

/** The series of a prior most like the one being read: same modality, then the most images. */
export function matchingSeries(series: readonly SeriesSummary[], like: SeriesSummary | undefined): SeriesSummary | null {
  const withImages = series.filter((item) => item.frameCount > 0);
  const sameModality = withImages.filter((item) => like?.modality && item.modality === like.modality);
  const pool = sameModality.length > 0 ? sameModality : withImages;
  return [...pool].sort((a, b) => b.frameCount - a.frameCount)[0] ?? null;
}

/**
 * The newest prior study of the same patient at the same requesting site
 * (the hub checks both), ready to be shown beside the current study.
 */
export function usePriors(study: ViewerStudy): { available: boolean; list: readonly PriorStudy[]; shown: PriorView | null } {
  const api = useApi();
  const { t } = useTranslation();
  const locale = useLocale();
  const [list, setList] = useState<readonly PriorStudy[]>([]);
  const [shown, setShown] = useState<PriorView | null>(null);
  useEffect(() => {
    let cancelled = false;
    void (async () => {
      try {
        const answer = await api.priors(study.teleFile.id);
        if (cancelled) return;
        setList(answer.priors);
        const newest = answer.priors[0];
        if (!newest) return;
        const metadata = await studyMetadata(newest.studyInstanceUid);
        const series = matchingSeries(seriesFrom(metadata), study.series[0]);
        if (cancelled || !series) return;
        const header = metadata.find((item) => typeof item === 'object' && item !== null);
        const current = bannerOf(study.header, study.teleFile);
        const prior = bannerOf(header);
        setShown({
          studyUid: newest.studyInstanceUid,
          series,
          label: t('viewer.prior.label', { date: formatStudyDate({ studyDate: newest.studyDate, studyInstant: null }, locale) ?? '?', description: newest.studyDescription }),
          samePatient: samePatient(current, prior),
        });
      } catch {
        // No priors is not an error a reader must act on; the button stays disabled.
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [api, locale, study, t]);
  return { available: shown !== null, list, shown };
}
