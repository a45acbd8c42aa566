/**
 * Which files the pivot Orthanc holds at the same time.
 *
 * Orthanc keeps one copy per SOP Instance UID (the first; later uploads are
 * "AlreadyStored"), and pydicom ships the same instance in several transfer
 * syntaxes (MR_small × 7, rtdose × 6, SC_rgb_rle × 6…). Storing only the first
 * copy would leave most syntaxes untested, so the files are stored in rounds:
 * within a round every SOP Instance UID appears once, and every study has a
 * single series (the viewer opens a study on its first series, and its test
 * contract moves only between the images of that series). Between rounds the
 * test deletes everything from Orthanc; the tele-files stay (one per study UID).
 */
import type { ImageReference } from './reference.js';

export interface StudyInRound {
  studyInstanceUid: string;
  seriesInstanceUid: string;
  files: ImageReference[];
}

export interface Round {
  /** 1-based. */
  number: number;
  files: ImageReference[];
  studies: StudyInRound[];
}

/** Greedy, in the reference's (sorted path) order: each file goes to the first round where it fits. */
export function planRounds(images: readonly ImageReference[]): Round[] {
  const rounds: Round[] = [];
  for (const image of images) {
    let round = rounds.find((r) => fits(r, image));
    if (!round) {
      round = { number: rounds.length + 1, files: [], studies: [] };
      rounds.push(round);
    }
    round.files.push(image);
    const study = round.studies.find((s) => s.studyInstanceUid === image.studyInstanceUid);
    if (study) study.files.push(image);
    else round.studies.push({ studyInstanceUid: image.studyInstanceUid, seriesInstanceUid: image.seriesInstanceUid, files: [image] });
  }
  return rounds;
}

function fits(round: Round, image: ImageReference): boolean {
  if (round.files.some((f) => f.sopInstanceUid === image.sopInstanceUid)) return false;
  const study = round.studies.find((s) => s.studyInstanceUid === image.studyInstanceUid);
  return study === undefined || study.seriesInstanceUid === image.seriesInstanceUid;
}
