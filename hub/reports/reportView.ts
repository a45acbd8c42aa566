import type { Selectable } from 'kysely';
import { CriticalFinding, ReportContent, type DeliveryStatus, type ReportView } from '../../core/api/reports.js';
import type { ReportsTable } from '../db/schema.js';

export type ReportRow = Selectable<ReportsTable>;

const iso = (value: Date | string): string => new Date(value).toISOString();

/**
 * A stored report as the API shows it. `names` maps user ids to display
 * names (the last editor); the signer's name is the one stored at signature,
 * so a later rename never changes who signed.
 */
export function toReportView(row: ReportRow, names: ReadonlyMap<string, string>, delivery: DeliveryStatus | null): ReportView {
  return {
    id: row.id,
    teleFileId: row.tele_file_id,
    kind: row.kind,
    predecessorId: row.predecessor_id,
    status: row.status,
    // Parsed on the way out: a row written by an older version still answers the current contract.
    content: ReportContent.parse(row.content),
    critical: CriticalFinding.parse(row.critical),
    templateId: row.template_id,
    version: row.version,
    updatedAt: iso(row.updated_at),
    updatedBy: { id: row.updated_by, displayName: names.get(row.updated_by) ?? '' },
    lastClientId: row.last_client_id,
    signedAt: row.signed_at === null ? null : iso(row.signed_at),
    signer: row.signed_by === null ? null : { id: row.signed_by, displayName: row.signer_name ?? '' },
    documents:
      row.sr_sop_instance_uid !== null && row.pdf_sop_instance_uid !== null && row.series_instance_uid !== null
        ? { srSopInstanceUid: row.sr_sop_instance_uid, pdfSopInstanceUid: row.pdf_sop_instance_uid, seriesInstanceUid: row.series_instance_uid }
        : null,
    delivery,
  };
}
