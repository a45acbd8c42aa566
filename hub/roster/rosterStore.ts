import type { Kysely, Selectable } from 'kysely';
import type { RosterImportResult } from '../../core/api/organisation.js';
import type { PdsCalendarConfig } from '../../core/pdsCalendar.js';
import type { RosterEntry, RosterTarget } from '../../core/roster.js';
import { parseRosterCsv } from '../../core/rosterCsv.js';
import type { AuditTrail } from '../audit/auditTrail.js';
import type { DB, RosterEntriesTable } from '../db/schema.js';

function toEntry(row: Pick<Selectable<RosterEntriesTable>, 'person_id' | 'target_kind' | 'target_id' | 'starts_at' | 'ends_at'>): RosterEntry {
  const target: RosterTarget = row.target_kind === 'pivot-group' ? { kind: 'pivot-group', groupId: row.target_id } : { kind: 'subspecialty', subspecialty: row.target_id as 'neuroradiology' };
  return { personId: row.person_id, target, from: new Date(row.starts_at), to: new Date(row.ends_at) };
}

function targetColumns(target: RosterTarget): { target_kind: RosterTarget['kind']; target_id: string } {
  return target.kind === 'pivot-group' ? { target_kind: 'pivot-group', target_id: target.groupId } : { target_kind: 'subspecialty', target_id: target.subspecialty };
}

/** Who is on call, from when to when. Half-open intervals [from, to): one shift at a handover instant. */
export class RosterStore {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly audit: AuditTrail,
  ) {}

  async entriesAt(instant: Date): Promise<RosterEntry[]> {
    const rows = await this.db.selectFrom('roster_entries').select(['person_id', 'target_kind', 'target_id', 'starts_at', 'ends_at']).where('starts_at', '<=', instant).where('ends_at', '>', instant).execute();
    return rows.map(toEntry);
  }

  async entriesBetween(from: Date, to: Date) {
    const rows = await this.db.selectFrom('roster_entries').selectAll().where('starts_at', '<', to).where('ends_at', '>', from).orderBy('starts_at').execute();
    return rows.map((row) => ({ id: row.id, ...toEntry(row) }));
  }

  async add(entries: readonly RosterEntry[], db: Kysely<DB> = this.db): Promise<void> {
    if (entries.length === 0) return;
    await db
      .insertInto('roster_entries')
      .values(entries.map((e) => ({ person_id: e.personId, ...targetColumns(e.target), starts_at: e.from, ends_at: e.to })))
      .execute();
  }

  /**
   * Imports a monthly rota: every line valid or nothing at all. The entries of
   * the file's span (its earliest start to its latest end) replace what was
   * there, in one transaction, so a corrected rota can be imported again.
   */
  async importCsv(
    csv: string,
    options: { pdsConfig: PdsCalendarConfig; knownGroupIds: string[]; knownPersonIds: string[] },
    by: { id: string; username: string; ip?: string; requestId?: string },
  ): Promise<RosterImportResult> {
    const parsed = parseRosterCsv(csv, options);
    const issue = (i: { line: number | null; message: { fr: string; en: string } }) => ({ line: i.line, fr: i.message.fr, en: i.message.en });
    if (!parsed.ok) return { ok: false, errors: parsed.error.map(issue) };
    const { entries, warnings } = parsed.value;
    const from = new Date(Math.min(...entries.map((e) => e.from.getTime())));
    const to = new Date(Math.max(...entries.map((e) => e.to.getTime())));
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('roster_entries').where('starts_at', '>=', from).where('ends_at', '<=', to).execute();
      await this.add(entries, trx);
      await this.audit.append(
        { action: 'roster.imported', actorId: by.id, actorName: by.username, ip: by.ip ?? null, requestId: by.requestId ?? null, targetType: 'roster', details: { entries: entries.length, from: from.toISOString(), to: to.toISOString(), warnings: warnings.length } },
        trx,
      );
    });
    return { ok: true, imported: entries.length, replacedFrom: from.toISOString(), replacedTo: to.toISOString(), warnings: warnings.map(issue) };
  }
}
