import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PriorStudy } from '../../../core/api/priors.js';
import { seriesOfMetadata, studyMetadata } from '../../viewer/studyMetadata.js';
import { bannerOf, formatStudyDate, samePatient } from '../../viewer/patientBanner.js';
import type { SeriesSummary } from '../../../core/seriesOrder.js';
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
 * (the hub checks both), ready to be shown beside the current study. Asked
 * for once `enabled` (the first image is on screen): its query and metadata
 * must not share the line with the first image.
 */
export function usePriors(study: ViewerStudy, enabled = true): { available: boolean; list: readonly PriorStudy[]; shown: PriorView | null } {
  const api = useApi();
  const { t } = useTranslation();
  const locale = useLocale();
  const [list, setList] = useState<readonly PriorStudy[]>([]);
  const [found, setFound] = useState<(Omit<PriorView, 'samePatient'> & { header: unknown }) | null>(null);
  // Asked once per tele-file and study: the tele-file's summary refreshed from the hub must not ask again.
  const teleFileId = study.teleFile.id;
  const like = study.series[0];
  useEffect(() => {
    if (!enabled) return;
    let cancelled = false;
    void (async () => {
      try {
        const answer = await api.priors(teleFileId);
        if (cancelled) return;
        setList(answer.priors);
        const newest = answer.priors[0];
        if (!newest) return;
        const metadata = await studyMetadata(newest.studyInstanceUid);
        const series = matchingSeries(seriesOfMetadata(metadata), like);
        if (cancelled || !series) return;
        setFound({
          studyUid: newest.studyInstanceUid,
          series,
          label: t('viewer.prior.label', { date: formatStudyDate({ studyDate: newest.studyDate, studyInstant: null }, locale) ?? '?', description: newest.studyDescription }),
          header: metadata.find((item) => typeof item === 'object' && item !== null),
        });
      } catch {
        // No priors is not an error a reader must act on; the button stays disabled.
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [api, enabled, locale, t, teleFileId, like]);
  // Compared with the study as it is now (the tele-file's identity may have been corrected meanwhile).
  const shown = useMemo((): PriorView | null => {
    if (!found) return null;
    const { header, ...view } = found;
    return { ...view, samePatient: samePatient(bannerOf(study.header, study.teleFile), bannerOf(header)) };
  }, [found, study.header, study.teleFile]);
  return { available: shown !== null, list, shown };
}
