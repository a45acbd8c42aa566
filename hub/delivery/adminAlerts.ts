import type { Kysely, Transaction } from 'kysely';
import type { AdminAlertView, AlertSeverity } from '../../core/api/deliveries.js';
import type { DB } from '../db/schema.js';

export interface NewAlert {
  kind: string;
  severity: AlertSeverity;
  /** What happened and what to do, in words; never a patient name or ID. */
  message: string;
  subjectType?: string;
  subjectId?: string;
}

type AlertRow = { id: string; at: Date; kind: string; severity: AlertSeverity; message: string; subject_type: string | null; subject_id: string | null; acknowledged_at: Date | null; acknowledged_by: string | null };

function toView(row: AlertRow): AdminAlertView {
  return {
    id: row.id,
    at: new Date(row.at).toISOString(),
    kind: row.kind,
    severity: row.severity,
    message: row.message,
    subjectType: row.subject_type,
    subjectId: row.subject_id,
    acknowledgedAt: row.acknowledged_at ? new Date(row.acknowledged_at).toISOString() : null,
    acknowledgedBy: row.acknowledged_by,
  };
}

/** Things an administrator must act on, until one acknowledges them. */
export class AdminAlerts {
  constructor(private readonly db: Kysely<DB>) {}

  async raise(alert: NewAlert, trx: Kysely<DB> | Transaction<DB> = this.db): Promise<void> {
    await trx
      .insertInto('admin_alerts')
      .values({ kind: alert.kind, severity: alert.severity, message: alert.message, subject_type: alert.subjectType ?? null, subject_id: alert.subjectId ?? null })
      .execute();
  }

  async list(options: { openOnly?: boolean; limit?: number } = {}): Promise<AdminAlertView[]> {
    let query = this.db.selectFrom('admin_alerts').selectAll().orderBy('at', 'desc').limit(options.limit ?? 500);
    if (options.openOnly) query = query.where('acknowledged_at', 'is', null);
    return (await query.execute()).map(toView);
  }

  /** Null when no such alert; acknowledging twice keeps the first acknowledgement. */
  async acknowledge(id: string, by: string, trx: Kysely<DB> | Transaction<DB> = this.db): Promise<AdminAlertView | null> {
    await trx.updateTable('admin_alerts').set({ acknowledged_at: new Date(), acknowledged_by: by }).where('id', '=', id).where('acknowledged_at', 'is', null).execute();
    const row = await trx.selectFrom('admin_alerts').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toView(row) : null;
  }
}
