import type { UserRow } from '../accounts/users.js';
import type { AuditTrail } from '../audit/auditTrail.js';
import { HttpProblem, problems } from '../http/httpProblem.js';
import type { TeleFileRow, TeleFileStore } from '../teleFiles/teleFileStore.js';
import { canSee } from '../teleFiles/visibility.js';
import type { WorklistService } from '../teleFiles/worklistService.js';
import { uidProblem } from '../pacs/uid.js';
import { BoundedLru } from './boundedLru.js';

type Reader = Pick<UserRow, 'id' | 'username' | 'roles'>;
export interface RequestMeta {
  ip: string;
  requestId: string;
}

/**
 * Who may read which study through the DICOMweb proxy (issue 5), and the
 * "once per study opened" access audit (PS3.15 Instances Accessed).
 *
 * A study may be read when it is the study of a tele-file the reader can see
 * (visibility.ts `canSee`, the rule of the worklist and of
 * /api/tele-files/:id). Priors of the same patient are not in this slice.
 */
export class StudyAccess {
  /**
   * (session, study) pairs already audited by this process, most recent last.
   * In memory: a frame request must not cost an audit query. After a restart
   * (or on another hub instance) a pair is audited once more: at least once.
   */
  private readonly accessed: BoundedLru<string, Promise<void>>;

  constructor(
    private readonly teleFiles: TeleFileStore,
    private readonly worklist: WorklistService,
    private readonly audit: AuditTrail,
    options: { rememberedAccesses?: number } = {},
  ) {
    this.accessed = new BoundedLru(options.rememberedAccesses ?? 10_000);
  }

  /** A 400 for a UID that is not a UID (before any database or PACS call). */
  static checkUid(value: string, name: string): void {
    const problem = uidProblem(value);
    if (problem !== null) throw new HttpProblem(400, 'bad-request', `The ${name} in the address ${problem}.`);
  }

  /**
   * The tele-file whose study this is, if the reader may see it; otherwise a
   * 403 and an `access.denied` audit row (targetType 'study'), the same
   * answer whether the study exists or not.
   */
  async authorise(user: Reader, studyInstanceUid: string, meta: RequestMeta): Promise<TeleFileRow> {
    StudyAccess.checkUid(studyInstanceUid, 'StudyInstanceUID');
    const row = await this.teleFiles.byStudyUid(studyInstanceUid);
    if (row && canSee(await this.worklist.reachOf(user), row)) return row;
    await this.audit.append({
      action: 'access.denied',
      outcome: 'failure',
      actorId: user.id,
      actorName: user.username,
      ip: meta.ip,
      requestId: meta.requestId,
      targetType: 'study',
      targetId: studyInstanceUid,
      details: { teleFileId: row?.id ?? null, via: 'dicom-web' },
    });
    throw problems.forbidden('This study is not yours to see: it does not belong to a tele-file of a pool you are on call for, nor to one assigned to you.');
  }

  /**
   * Writes `study.accessed` the first time this session touches this study;
   * later calls (every frame) are free. Concurrent first requests share one
   * append; a failed append is forgotten so the next request tries again.
   */
  async recordAccess(user: Reader, sessionId: string, teleFile: TeleFileRow, studyInstanceUid: string, meta: RequestMeta): Promise<void> {
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
      details: { teleFileId: teleFile.id, via: 'dicom-web' },
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
