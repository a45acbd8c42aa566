import type { ReportView } from '../../core/api/reports.js';
import type { ReportDelivery } from './deliveryPort.js';
import type { ReportStore } from './reportStore.js';
import { toReportView, type ReportRow } from './reportView.js';

/** Reports as the API shows them: editors' names, and the outbox's status of each signed one (null while a draft, or with no outbox). */
export async function reportViews(store: ReportStore, delivery: ReportDelivery | undefined, rows: readonly ReportRow[]): Promise<ReportView[]> {
  const names = await store.namesOf(rows.map((r) => r.updated_by));
  const signedIds = rows.filter((r) => r.status === 'signed').map((r) => r.id);
  const statuses = signedIds.length > 0 && delivery ? await delivery.statusOf(signedIds) : new Map();
  return rows.map((row) => toReportView(row, names, statuses.get(row.id) ?? null));
}

export async function reportView(store: ReportStore, delivery: ReportDelivery | undefined, row: ReportRow): Promise<ReportView> {
  return (await reportViews(store, delivery, [row]))[0] as ReportView;
}
