import { useEffect, useState } from 'react';
import type { TeleFileSummary } from '../../../core/api/teleFiles.js';
import { studyMetadata } from '../../viewer/cornerstone/teleFilePrefetch.js';
import { seriesFrom, type SeriesSummary } from '../../viewer/seriesOrder.js';
import { useApi } from '../ApiContext.js';

export interface ViewerStudy {
  teleFile: TeleFileSummary;
  studyUid: string;
  series: SeriesSummary[];
  /** The first instance's DICOM JSON: the patient and study modules for the banner. */
  header: Record<string, unknown> | null;
}

export type ViewerStudyState = { kind: 'loading' } | { kind: 'ready'; study: ViewerStudy } | { kind: 'failed'; error: unknown } | { kind: 'no-images'; teleFile: TeleFileSummary };

/**
 * The tele-file and its study's metadata, in that order: the tele-file says
 * which study (and the hub refuses a study that is not the reader's before
 * any image is fetched).
 */
export function useViewerStudy(teleFileId: string): ViewerStudyState {
  const api = useApi();
  const [state, setState] = useState<ViewerStudyState>({ kind: 'loading' });
  useEffect(() => {
    const abort = new AbortController();
    setState({ kind: 'loading' });
    void (async () => {
      try {
        const teleFile = await api.teleFile(teleFileId);
        if (teleFile.studyInstanceUid === null) {
          if (!abort.signal.aborted) setState({ kind: 'no-images', teleFile });
          return;
        }
        const metadata = await studyMetadata(teleFile.studyInstanceUid, abort.signal);
        const series = seriesFrom(metadata);
        const header = (metadata.find((item) => typeof item === 'object' && item !== null) as Record<string, unknown> | undefined) ?? null;
        if (!abort.signal.aborted) setState({ kind: 'ready', study: { teleFile, studyUid: teleFile.studyInstanceUid, series, header } });
      } catch (error) {
        if (!abort.signal.aborted) setState({ kind: 'failed', error });
      }
    })();
    return () => abort.abort();
  }, [api, teleFileId]);
  return state;
}
