import type { TeleFileStatus } from '../../core/teleFile.js';
import type { UserRow } from '../accounts/users.js';
import type { AuditTrail } from '../audit/auditTrail.js';
import { HttpProblem, problems } from '../http/httpProblem.js';
import type { TeleFileRow } from '../teleFiles/teleFileStore.js';
import type { ReportRow } from './reportView.js';
import { reportSignedProblem } from './signedIsFinal.js';

export type Person = Pick<UserRow, 'id' | 'username' | 'display_name' | 'roles'>;
export interface RequestMeta {
  ip: string;
  requestId: string;
}

/** The tele-file states in which its report is written (TF-04: its assignee reads; escalated: still writing while the subspecialist answers). */
export const WRITABLE: readonly TeleFileStatus[] = ['claimed', 'reading', 'escalated'];

/**
 * Who writes and signs a document: the report, the tele-file's assignee
 * (TF-04); an addendum, the reader who started it (decision: whoever corrects
 * answers for the correction, so nobody else edits or signs it).
 */
export function authorOf(teleFile: Pick<TeleFileRow, 'assignee_id'>, report: Pick<ReportRow, 'kind' | 'created_by'> | undefined): string | null {
  return report?.kind === 'addendum' ? report.created_by : teleFile.assignee_id;
}

/** Refuses someone who may see the tele-file but not write or sign this document: 403, audited. */
export async function refuseNonAuthor(audit: AuditTrail, person: Person, teleFile: TeleFileRow, report: ReportRow | undefined, action: 'report.write' | 'report.sign', meta: RequestMeta): Promise<never> {
  await audit.append({
    action: 'access.denied',
    outcome: 'failure',
    actorId: person.id,
    actorName: person.username,
    ip: meta.ip,
    requestId: meta.requestId,
    targetType: report ? 'report' : 'tele-file',
    targetId: report?.id ?? teleFile.id,
    details: { action, teleFileId: teleFile.id, kind: report?.kind ?? 'report' },
  });
  throw problems.forbidden(
    report?.kind === 'addendum'
      ? 'Only the reader who started this addendum writes and signs it.'
      : 'Only the reader who has claimed this tele-file writes and signs its report: claim it first.',
  );
}

/** The report (not an addendum) can be written only while the tele-file is being read; a signed one only gets addenda. */
export function assertReportWritable(teleFile: Pick<TeleFileRow, 'status'>): void {
  if (WRITABLE.includes(teleFile.status)) return;
  if (teleFile.status === 'signed' || teleFile.status === 'delivered') throw reportSignedProblem();
  throw new HttpProblem(409, 'conflict', `This tele-file is ${teleFile.status}: its report can be written only once it is claimed.`);
}
