import type { Kysely, Selectable } from 'kysely';
import { PickList, ReportTemplateInput, type ReportTemplate } from '../../core/api/reports.js';
import type { DB, ReportTemplatesTable } from '../db/schema.js';
import { DEFAULT_TEMPLATES } from './defaultTemplates.js';

function toTemplate(row: Selectable<ReportTemplatesTable>): ReportTemplate {
  const sections = ReportTemplateInput.shape.sections.parse(row.sections);
  const pickLists = PickList.array().parse(row.pick_lists);
  return { id: row.id, family: ReportTemplateInput.shape.family.parse(row.family), title: row.title, sections, pickLists, updatedAt: new Date(row.updated_at).toISOString() };
}

/** Report templates in SQL: the list every reader gets, and the admin's save of one. */
export class TemplateStore {
  constructor(private readonly db: Kysely<DB>) {}

  async list(): Promise<ReportTemplate[]> {
    return (await this.db.selectFrom('report_templates').selectAll().orderBy('family').orderBy('id').execute()).map(toTemplate);
  }

  /** Creates or replaces one template; `created` says which (for the audit row). */
  async save(id: string, input: ReportTemplateInput, by: string | null): Promise<{ template: ReportTemplate; created: boolean }> {
    const values = { family: input.family, title: input.title, sections: JSON.stringify(input.sections), pick_lists: JSON.stringify(input.pickLists), updated_by: by, updated_at: new Date() };
    const existed = await this.db.selectFrom('report_templates').select('id').where('id', '=', id).executeTakeFirst();
    const row = await this.db
      .insertInto('report_templates')
      .values({ id, ...values })
      .onConflict((oc) => oc.column('id').doUpdateSet(values))
      .returningAll()
      .executeTakeFirstOrThrow();
    return { template: toTemplate(row), created: existed === undefined };
  }

  /**
   * Seeds the default templates on an empty table (a new hub), also without
   * the demo: they are product content. Insert … on conflict do nothing, so two
   * hubs starting on one database both succeed. Returns how many were added.
   */
  async seedDefaults(): Promise<number> {
    const any = await this.db.selectFrom('report_templates').select('id').limit(1).executeTakeFirst();
    if (any) return 0;
    const inserted = await this.db
      .insertInto('report_templates')
      .values(DEFAULT_TEMPLATES.map((t) => ({ id: t.id, family: t.family, title: t.title, sections: JSON.stringify(t.sections), pick_lists: JSON.stringify(t.pickLists), updated_by: null })))
      .onConflict((oc) => oc.column('id').doNothing())
      .returning('id')
      .execute();
    return inserted.length;
  }
}
