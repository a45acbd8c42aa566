import type { UserRow } from '../accounts/users.js';
import type { AuditTrail } from '../audit/auditTrail.js';
import { HttpProblem, problems } from '../http/httpProblem.js';
import type { TeleFileRow, TeleFileStore } from '../teleFiles/teleFileStore.js';
import { canSee } from '../teleFiles/visibility.js';
import type { WorklistService } from '../teleFiles/worklistService.js';
import { uidProblem } from '../pacs/uid.js';
import { BoundedLru } from './boundedLru.js';
import { PriorStudies } from './priors.js';

type Reader = Pick<UserRow, 'id' | 'username' | 'roles'>;
export interface RequestMeta {
  ip: string;
  requestId: string;
}

/** Why a reader may read a study: the tele-file of the study itself, or one whose prior it is. */
export interface StudyGrant {
  teleFile: TeleFileRow;
  /** The tele-file id when the study is a prior of it (not its own study); else null. */
  priorOf: string | null;
}

/** How long an "allowed" decision is reused for the same person and study (frames come by the hundred). */
export const DECISION_TTL_MS = 10_000;
/** At most this many of the reader's tele-files of the same patient are checked against the PACS for a prior. */
const MAX_PRIOR_CANDIDATES = 20;
const TELE_FILE_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Who may read which study through the DICOMweb proxy (issue 5), and the
 * "once per study opened" access audit (PS3.15 Instances Accessed).
 *
 * A study may be read when it is the study of a tele-file the reader can see
 * (visibility.ts `canSee`, the rule of the worklist and of
 * /api/tele-files/:id), or a prior of one (same patient, issuer and
 * requesting site, as the PACS says: priors.ts).
 *
 * "Allowed" decisions are reused for DECISION_TTL_MS per (user, study) so
 * that frames do not hit the database each time; a release or a reassignment
 * takes effect within that delay (no invalidation: the delay is shorter than
 * a reader takes to notice). Refusals are never cached: each is audited.
 */
export class StudyAccess {
  /**
   * (session, study) pairs already audited by this process, most recent last.
   * In memory: a frame request must not cost an audit query. After a restart
   * (or on another hub instance) a pair is audited once more: at least once.
   */
  private readonly accessed: BoundedLru<string, Promise<void>>;
  /** (user, study) → an "allowed" decision and when it was made. */
  private readonly decisions: BoundedLru<string, { at: number; grant: StudyGrant }>;
  private readonly decisionTtlMs: number;
  private readonly now: () => number;
  /** Set when a PACS is there (dicomWeb routes): without it, priors are never readable. */
  priors: PriorStudies | null = null;

  constructor(
    private readonly teleFiles: TeleFileStore,
    private readonly worklist: WorklistService,
    private readonly audit: AuditTrail,
    options: { rememberedAccesses?: number; decisionTtlMs?: number; now?: () => number } = {},
  ) {
    this.accessed = new BoundedLru(options.rememberedAccesses ?? 10_000);
    this.decisions = new BoundedLru(options.rememberedAccesses ?? 10_000);
    this.decisionTtlMs = options.decisionTtlMs ?? DECISION_TTL_MS;
    this.now = options.now ?? Date.now;
  }

  /** A 400 for a UID that is not a UID (before any database or PACS call). */
  static checkUid(value: string, name: string): void {
    const problem = uidProblem(value);
    if (problem !== null) throw new HttpProblem(400, 'bad-request', `The ${name} in the address ${problem}.`);
  }

  /**
   * Why this reader may read this study: its own tele-file, or a tele-file of
   * the same patient at the same site whose prior it is (`priorOf`, a
   * tele-file id, narrows the search; it is checked like any other). Otherwise
   * a 403 and an `access.denied` audit row (targetType 'study'), the same
   * answer whether the study exists or not.
   */
  async authorise(user: Reader, studyInstanceUid: string, meta: RequestMeta, hint: { priorOf?: string } = {}): Promise<StudyGrant> {
    StudyAccess.checkUid(studyInstanceUid, 'StudyInstanceUID');
    if (hint.priorOf !== undefined && !TELE_FILE_ID.test(hint.priorOf)) throw new HttpProblem(400, 'bad-request', 'priorOf must be a tele-file id.');
    const key = `${user.id}\n${studyInstanceUid}`;
    const known = this.decisions.get(key);
    if (known && this.now() - known.at < this.decisionTtlMs) return known.grant;
    const reach = await this.worklist.reachOf(user);
    const row = await this.teleFiles.byStudyUid(studyInstanceUid);
    let grant: StudyGrant | null = row && canSee(reach, row) ? { teleFile: row, priorOf: null } : null;
    grant ??= await this.asPrior(reach, studyInstanceUid, hint.priorOf);
    if (grant) {
      this.decisions.set(key, { at: this.now(), grant });
      return grant;
    }
    await this.audit.append({
      action: 'access.denied',
      outcome: 'failure',
      actorId: user.id,
      actorName: user.username,
      ip: meta.ip,
      requestId: meta.requestId,
      targetType: 'study',
      targetId: studyInstanceUid,
      details: { teleFileId: row?.id ?? null, via: 'dicom-web', ...(hint.priorOf === undefined ? {} : { priorOf: hint.priorOf }) },
    });
    throw problems.forbidden('This study is not yours to see: it does not belong to a tele-file of a pool you are on call for, nor to one assigned to you, nor is it a prior of one.');
  }

  /**
   * A visible tele-file this study is a prior of, asking the PACS (never the
   * hint's word): which patient the study is, then that patient's studies
   * at the tele-file's site.
   */
  private async asPrior(reach: Awaited<ReturnType<WorklistService['reachOf']>>, studyInstanceUid: string, priorOf: string | undefined): Promise<StudyGrant | null> {
    const priors = this.priors;
    if (priors === null) return null;
    let candidates: TeleFileRow[];
    if (priorOf !== undefined) {
      const row = await this.teleFiles.byId(priorOf);
      candidates = row && canSee(reach, row) ? [row] : [];
    } else {
      candidates = await this.worklist.visibleRows(reach);
    }
    candidates = candidates.filter((c) => PriorStudies.ownerOf(c) !== null && c.study_instance_uid !== studyInstanceUid);
    if (candidates.length === 0) return null;
    const patientId = await priors.patientIdOf(studyInstanceUid);
    if (patientId === null) return null;
    for (const candidate of candidates.filter((c) => c.patient_id.trim() === patientId.trim()).slice(0, MAX_PRIOR_CANDIDATES)) {
      if (await priors.isPriorOf(candidate, studyInstanceUid)) return { teleFile: candidate, priorOf: candidate.id };
    }
    return null;
  }

  /**
   * Writes `study.accessed` the first time this session touches this study;
   * later calls (every frame) are free. Concurrent first requests share one
   * append; a failed append is forgotten so the next request tries again.
   */
  async recordAccess(user: Reader, sessionId: string, grant: StudyGrant, studyInstanceUid: string, meta: RequestMeta): Promise<void> {
    const key = `${sessionId}\n${studyInstanceUid}`;
    const known = this.accessed.get(key);
    if (known) return known;
    const append = this.audit.append({
      action: 'study.accessed',
      actorId: user.id,
      actorName: user.username,
      ip: meta.ip,
      requestId: meta.requestId,
      targetType: 'study',
      targetId: studyInstanceUid,
      details: { teleFileId: grant.teleFile.id, via: 'dicom-web', ...(grant.priorOf === null ? {} : { priorOf: grant.priorOf }) },
    });
    this.accessed.set(key, append);
    try {
      await append;
    } catch (error) {
      this.accessed.delete(key);
      throw error;
    }
  }

  /** The study UIDs of the tele-files on this person's worklist (the QIDO restriction). */
  async visibleStudyUids(user: Reader): Promise<string[]> {
    const rows = await this.worklist.visibleRows(await this.worklist.reachOf(user));
    return rows.flatMap((row) => (row.study_instance_uid === null ? [] : [row.study_instance_uid]));
  }
}
