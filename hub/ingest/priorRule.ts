import { findRequestingSite, type Site } from '../../core/site.js';
import { isSamePatientAtSite, studyInstantMs } from '../dicomweb/priorMatching.js';
import type { PatientStudy } from '../pacs/patientStudies.js';
import type { StableStudy } from '../pacs/stableStudy.js';

/** A study dated this much before a newer study of the same patient at the same site is a prior (docs/decisions.md). */
export const PRIOR_AGE_MS = 48 * 3_600_000;

/**
 * The ingest prior rule: a study is kept as a prior (no tele-file, never on
 * the worklist) when the PACS holds another study of the same patient
 * (PatientID + issuer) from the same requesting site whose StudyDate/Time is
 * more than `ageMs` later. Relative to the patient's newest study, not to the
 * clock: the order in which the PACS reports the two does not matter, and the
 * demo (fixed 2024 dates) keeps its head CT on the worklist.
 * Null when the study is not a prior (or its site is unknown: routing refuses it then).
 */
export async function findPriorOwner(
  study: StableStudy,
  sites: readonly Site[],
  patientStudies: (patientId: string) => Promise<PatientStudy[]>,
  ageMs: number = PRIOR_AGE_MS,
): Promise<{ issuer: string; siteId: string; newerStudyInstanceUid: string } | null> {
  const at = studyInstantMs(study);
  if (Number.isNaN(at) || study.patientId.trim() === '') return null;
  const site = findRequestingSite(sites, { callingAeTitle: study.sourceAet ?? undefined, institutionName: study.institutionName ?? undefined })?.site;
  if (site === undefined) return null;
  const issuer = study.issuerOfPatientId?.trim() || site.pacs.issuerOfPatientId;
  const owner = { patientId: study.patientId, issuer, siteId: site.id };
  const newer = (await patientStudies(study.patientId.trim())).find(
    (other) => other.studyInstanceUid !== study.studyInstanceUid && isSamePatientAtSite(other, owner, sites) && studyInstantMs(other) - at > ageMs,
  );
  return newer === undefined ? null : { issuer, siteId: site.id, newerStudyInstanceUid: newer.studyInstanceUid };
}
