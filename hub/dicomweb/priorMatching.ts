import { findRequestingSite, type Site } from '../../core/site.js';
import type { PatientAtSite, PatientStudy } from '../pacs/patientStudies.js';

/**
 * True when a study the PACS holds is the same patient at the same
 * requesting site: same PatientID, the same issuer (the study's own
 * IssuerOfPatientID, else its site's, as ingest files it), and the site
 * recognised the way ingest recognises it (calling AE title first, then
 * institution name: core/site.ts findRequestingSite). A study whose site is
 * not recognised is never a prior: patient IDs are only unique within an issuer.
 */
export function isSamePatientAtSite(study: PatientStudy, owner: PatientAtSite, sites: readonly Site[]): boolean {
  if (study.patientId.trim() !== owner.patientId.trim()) return false;
  const site = findRequestingSite(sites, { callingAeTitle: study.sourceAet ?? undefined, institutionName: study.institutionName ?? undefined })?.site;
  if (site === undefined || site.id !== owner.siteId) return false;
  const issuer = study.issuerOfPatientId ?? site.pacs.issuerOfPatientId;
  return issuer.trim() === owner.issuer.trim();
}

/** DICOM date + time as a sortable key ("" sorts last when newest first). */
export function studyInstantKey(study: Pick<PatientStudy, 'studyDate' | 'studyTime'>): string {
  return `${study.studyDate}${study.studyTime.replace(/[^0-9]/g, '').padEnd(6, '0').slice(0, 6)}`;
}

/** Milliseconds of a DICOM DA + TM read as UTC (only differences matter here); NaN without a date. */
export function studyInstantMs(study: Pick<PatientStudy, 'studyDate' | 'studyTime'>): number {
  const d = /^(\d{4})(\d{2})(\d{2})$/.exec(study.studyDate.trim());
  if (!d) return NaN;
  const t = study.studyTime.replace(/[^0-9]/g, '').padEnd(6, '0');
  return Date.UTC(Number(d[1]), Number(d[2]) - 1, Number(d[3]), Number(t.slice(0, 2)), Number(t.slice(2, 4)), Number(t.slice(4, 6)));
}
