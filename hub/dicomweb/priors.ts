import type { Site } from '../../core/site.js';
import type { PacsAdapter } from '../pacs/pacsAdapter.js';
import { firstString, TAG } from '../pacs/dicomJson.js';
import type { PatientAtSite, PatientStudy } from '../pacs/patientStudies.js';
import type { TeleFileRow } from '../teleFiles/teleFileStore.js';
import { BoundedLru } from './boundedLru.js';
import { isSamePatientAtSite, studyInstantKey } from './priorMatching.js';

interface Cached<T> {
  at: number;
  value: Promise<T>;
}

export interface PriorStudiesOptions {
  /** How long a PACS answer about a patient is trusted. Default 60 000 ms. */
  ttlMs?: number;
  /** Patients remembered. Default 2 000. */
  capacity?: number;
  now?: () => number;
}

/**
 * The priors of a tele-file: the other studies the pivot PACS holds for the
 * same patient (PatientID + issuer) from the same requesting site (issue 5).
 * The PACS is always asked (QIDO by PatientID), never the caller's word;
 * answers are kept a minute per PatientID so that a viewer opening a prior's
 * frames does not query the PACS per frame (the per-request decision cache
 * in StudyAccess sits in front of this one).
 */
export class PriorStudies {
  private readonly byPatient: BoundedLru<string, Cached<PatientStudy[]>>;
  private readonly patientOfStudy: BoundedLru<string, Cached<string | null>>;
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(
    /** Null when no PACS is configured: then nothing is a prior. */
    private readonly pacsOf: () => PacsAdapter | null,
    private readonly sitesOf: () => Promise<readonly Site[]>,
    options: PriorStudiesOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? 60_000;
    this.now = options.now ?? Date.now;
    this.byPatient = new BoundedLru(options.capacity ?? 2_000);
    this.patientOfStudy = new BoundedLru(options.capacity ?? 2_000);
  }

  private cached<T>(lru: BoundedLru<string, Cached<T>>, key: string, load: () => Promise<T>): Promise<T> {
    const hit = lru.get(key);
    if (hit && this.now() - hit.at < this.ttlMs) return hit.value;
    const value = load();
    lru.set(key, { at: this.now(), value });
    // A failed PACS call is not remembered: the next request asks again.
    value.catch(() => {
      if (lru.get(key)?.value === value) lru.delete(key);
    });
    return value;
  }

  /** The tele-file's patient at its site; null when it cannot have priors (no study yet, no recognised site). */
  static ownerOf(teleFile: TeleFileRow): PatientAtSite | null {
    if (teleFile.study_instance_uid === null || teleFile.requesting_site_id === null || teleFile.patient_id.trim() === '') return null;
    return { patientId: teleFile.patient_id, issuer: teleFile.issuer, siteId: teleFile.requesting_site_id };
  }

  /** The priors of this tele-file, newest first, its own study excluded. */
  async of(teleFile: TeleFileRow): Promise<PatientStudy[]> {
    const owner = PriorStudies.ownerOf(teleFile);
    const pacs = this.pacsOf();
    if (owner === null || pacs === null) return [];
    const [studies, sites] = await Promise.all([this.cached(this.byPatient, owner.patientId, () => pacs.patientStudies(owner.patientId)), this.sitesOf()]);
    return studies
      .filter((study) => study.studyInstanceUid !== teleFile.study_instance_uid && isSamePatientAtSite(study, owner, sites))
      .sort((a, b) => (studyInstantKey(a) < studyInstantKey(b) ? 1 : studyInstantKey(a) > studyInstantKey(b) ? -1 : 0));
  }

  /** True when the PACS says this study is a prior of this tele-file. */
  async isPriorOf(teleFile: TeleFileRow, studyInstanceUid: string): Promise<boolean> {
    return (await this.of(teleFile)).some((study) => study.studyInstanceUid === studyInstanceUid);
  }

  /** The PatientID the PACS holds for a study (null when it holds no such study): which tele-files to try. */
  patientIdOf(studyInstanceUid: string): Promise<string | null> {
    const pacs = this.pacsOf();
    if (pacs === null) return Promise.resolve(null);
    return this.cached(this.patientOfStudy, studyInstanceUid, async () => {
      const rows = await pacs.searchStudies({ match: { [TAG.StudyInstanceUID]: studyInstanceUid }, includefield: [TAG.PatientID] });
      const row = rows.find((r) => firstString(r, TAG.StudyInstanceUID) === studyInstanceUid);
      return row === undefined ? null : (firstString(row, TAG.PatientID) ?? null);
    });
  }
}
