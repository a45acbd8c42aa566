import { z } from 'zod';
import { CriticalFinding, ReportContent, type ReportView, type SaveDraftRequest } from '../../core/api/reports.js';

/** What the person edits in a draft: the part of SaveDraftRequest that is theirs (the rest is bookkeeping). */
export const DraftFields = z.object({
  content: ReportContent,
  critical: CriticalFinding,
  templateId: z.string().max(100).nullable(),
});
export type DraftFields = z.infer<typeof DraftFields>;

export function fieldsOf(report: ReportView): DraftFields {
  return { content: report.content, critical: report.critical, templateId: report.templateId };
}

export function draftRequest(fields: DraftFields, baseVersion: number, clientId: string): SaveDraftRequest {
  return { content: fields.content, critical: fields.critical, templateId: fields.templateId, baseVersion, clientId };
}

export function sameFields(a: DraftFields, b: DraftFields): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * A random id per browser tab (SaveDraftRequest.clientId): the hub records
 * which tab saved last, so a 409 can say "another tab" rather than "someone".
 */
export function newClientId(random: () => string = () => globalThis.crypto.randomUUID()): string {
  return `tab-${random()}`;
}
