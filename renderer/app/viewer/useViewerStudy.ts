import { useEffect, useState } from 'react';
import type { TeleFileSummary } from '../../../core/api/teleFiles.js';
import { openStudy } from '../../viewer/cornerstone/studyOpening.js';
import type { SeriesSummary } from '../../../core/seriesOrder.js';
import { listedTeleFile } from '../../viewer/studyHints.js';
import { currentStudyMetadata, metadataChanged, seriesOfMetadata, studyMetadata } from '../../viewer/studyMetadata.js';
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
 * The tele-file and its study's metadata. When the worklist listed the
 * tele-file (studyHints.ts), the study opens with that summary — metadata and
 * first image asked for at once — while the hub is asked for the current
 * tele-file, which then replaces it (or shows why it cannot be read: a 403
 * puts the error screen up, another study is opened instead). Otherwise the
 * tele-file first, then its study. The hub refuses a study that is not the
 * reader's whichever way it is asked.
 */
export function useViewerStudy(teleFileId: string): ViewerStudyState {
  const api = useApi();
  const [state, setState] = useState<ViewerStudyState>({ kind: 'loading' });
  useEffect(() => {
    const abort = new AbortController();
    // Once the hub refused the file, the opening begun with the worklist's copy must not put the images up after all.
    let refused = false;
    // The tele-file the screen shows: the worklist's copy until the hub's answer replaces it.
    let latest: TeleFileSummary | null = null;
    setState({ kind: 'loading' });
    const open = async (teleFile: TeleFileSummary): Promise<void> => {
      latest = teleFile;
      const studyUid = teleFile.studyInstanceUid;
      if (studyUid === null) {
        if (!abort.signal.aborted && !refused) setState({ kind: 'no-images', teleFile });
        return;
      }
      void openStudy(studyUid);
      const metadata = await studyMetadata(studyUid);
      const show = (from: unknown[]) => {
        const header = (from.find((item) => typeof item === 'object' && item !== null) as Record<string, unknown> | undefined) ?? null;
        if (!abort.signal.aborted && !refused && latest?.studyInstanceUid === studyUid) setState({ kind: 'ready', study: { teleFile: latest, studyUid, series: seriesOfMetadata(from), header } });
      };
      show(metadata);
      // Opened with what was fetched ahead; the hub says whether the study has changed since (images arriving late).
      void currentStudyMetadata(studyUid)
        .then((current) => {
          if (metadataChanged(metadata, current)) show(current);
        })
        .catch(() => undefined);
    };
    void (async () => {
      try {
        const current = api.teleFile(teleFileId);
        const listed = listedTeleFile(teleFileId);
        if (listed?.studyInstanceUid) {
          // Its failure is reported once the hub's answer says whether the file may be read at all.
          const early = open(listed).then(
            () => null,
            (error: unknown) => error,
          );
          const teleFile = await current;
          performance.mark('vigie:tele-file');
          const earlyError = await early;
          if (abort.signal.aborted) return;
          if (teleFile.studyInstanceUid === listed.studyInstanceUid && earlyError === null) {
            latest = teleFile;
            setState((previous) => (previous.kind === 'ready' ? { kind: 'ready', study: { ...previous.study, teleFile } } : previous));
            return;
          }
          await open(teleFile);
          return;
        }
        const teleFile = await current;
        performance.mark('vigie:tele-file');
        await open(teleFile);
      } catch (error) {
        refused = true;
        if (!abort.signal.aborted) setState({ kind: 'failed', error });
      }
    })();
    return () => abort.abort();
  }, [api, teleFileId]);
  return state;
}
