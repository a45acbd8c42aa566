import { z } from 'zod';

/**
 * GET /api/tele-files/:id/priors — the same patient's other studies from the
 * same requesting site (PatientID + IssuerOfPatientID + site, checked by the
 * hub against the pivot PACS), newest first, the tele-file's own study
 * excluded. Each is readable through /dicom-web by the reader of the tele-file.
 */
export const PriorStudy = z.object({
  studyInstanceUid: z.string(),
  /** ISO date (YYYY-MM-DD) of StudyDate, in the requesting site's local time; null when absent. */
  studyDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).nullable(),
  /** HH:MM:SS of StudyTime; null when absent. */
  studyTime: z.string().regex(/^\d{2}:\d{2}:\d{2}$/).nullable(),
  studyDescription: z.string(),
  modalitiesInStudy: z.array(z.string()),
  numberOfSeries: z.number().int().nonnegative().nullable(),
  numberOfInstances: z.number().int().nonnegative().nullable(),
});
export type PriorStudy = z.infer<typeof PriorStudy>;

export const TeleFilePriors = z.object({
  teleFileId: z.string(),
  /** The tele-file's own study (null while an announced request waits for its images: then no priors). */
  studyInstanceUid: z.string().nullable(),
  priors: z.array(PriorStudy),
});
export type TeleFilePriors = z.infer<typeof TeleFilePriors>;
