import type { Kysely } from 'kysely';
import { MacroList } from '../../core/api/reports.js';
import type { DB } from '../db/schema.js';

/**
 * A reader's text macros ("nl" + Tab → "Pas d’anomalie décelée."), stored as
 * their user preference of kind 'macros' (migration 0004). The whole list is
 * saved as the settings page shows it: last write wins.
 */
export class MacroStore {
  constructor(private readonly db: Kysely<DB>) {}

  /** The saved list; empty when none was saved, or when what is stored no longer fits the contract (never a 500 for an old row). */
  async of(userId: string): Promise<{ list: MacroList; stale: boolean }> {
    const row = await this.db.selectFrom('user_preferences').select('value').where('user_id', '=', userId).where('kind', '=', 'macros').executeTakeFirst();
    if (row === undefined) return { list: { macros: [] }, stale: false };
    const parsed = MacroList.safeParse(row.value);
    return parsed.success ? { list: parsed.data, stale: false } : { list: { macros: [] }, stale: true };
  }

  async save(userId: string, list: MacroList): Promise<MacroList> {
    const json = JSON.stringify(list);
    await this.db
      .insertInto('user_preferences')
      .values({ user_id: userId, kind: 'macros', value: json })
      .onConflict((conflict) => conflict.columns(['user_id', 'kind']).doUpdateSet({ value: json, updated_at: new Date() }))
      .execute();
    return list;
  }
}
