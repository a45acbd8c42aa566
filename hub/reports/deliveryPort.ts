import type { Kysely } from 'kysely';
import type { DeliveryStatus } from '../../core/api/reports.js';
import type { DB } from '../db/schema.js';
import type { Services } from '../services.js';

export type DocumentKind = 'sr' | 'pdf' | 'hl7';

/**
 * What signing needs from the delivery outbox (hub/delivery/, issue 6): jobs
 * enqueued inside the signing transaction — so a signed report always has its
 * jobs and a rolled-back one never does — and each report's delivery status.
 */
export interface ReportDelivery {
  enqueue(trx: Kysely<DB>, job: { reportId: string; teleFileId: string; siteId: string; kinds: DocumentKind[] }): Promise<unknown>;
  statusOf(reportIds: readonly string[]): Promise<Map<string, DeliveryStatus>>;
}

/** The hub's outbox, seen through what reports need of it (typed: a change of its signature fails here, at compile time). */
export function deliveryOf(services: Pick<Services, 'delivery'>): ReportDelivery | undefined {
  const delivery: ReportDelivery | null | undefined = services.delivery;
  return delivery ?? undefined;
}
