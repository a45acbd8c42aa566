import { sql, type Kysely } from 'kysely';

/**
 * Reports (issue 6). A report is a draft until it is signed; a signed report
 * and the documents made from it can never change again — the database
 * refuses it, whatever code (or person with the application's credentials)
 * tries. Corrections are addenda: new rows whose predecessor is the signed
 * document they correct.
 *
 * Each statement runs on its own: PGlite's extended protocol refuses several commands in one query.
 */
const STATEMENTS: string[] = [
  `create table reports (
    id uuid primary key default gen_random_uuid(),
    tele_file_id uuid not null references tele_files (id),
    kind text not null check (kind in ('report', 'addendum')),
    predecessor_id uuid references reports (id),
    status text not null check (status in ('draft', 'signed')),
    content jsonb not null check (jsonb_typeof(content) = 'object'),
    critical jsonb not null check (jsonb_typeof(critical) = 'object'),
    template_id text,
    version integer not null check (version >= 1),
    created_by uuid not null references users (id),
    created_at timestamptz not null default now(),
    updated_by uuid not null references users (id),
    updated_at timestamptz not null default now(),
    last_client_id text,
    signed_at timestamptz,
    signed_by uuid references users (id),
    signer_name text,
    series_instance_uid text,
    sr_sop_instance_uid text unique,
    pdf_sop_instance_uid text unique,
    check ((kind = 'report') = (predecessor_id is null)),
    check ((status = 'signed') = (signed_at is not null and signed_by is not null and sr_sop_instance_uid is not null))
  )`,
  `create unique index reports_one_report_per_tele_file on reports (tele_file_id) where kind = 'report'`,
  `create unique index reports_one_addendum_per_predecessor on reports (predecessor_id) where kind = 'addendum'`,
  `create index reports_tele_file on reports (tele_file_id, created_at)`,
  `create function reports_signed_are_final() returns trigger language plpgsql as $$
  begin
    if tg_op = 'DELETE' or old.status = 'signed' then
      raise exception 'a signed report cannot be changed or deleted (report %): write an addendum', old.id
        using errcode = 'insufficient_privilege';
    end if;
    return new;
  end
  $$`,
  `create trigger reports_signed_final
    before update or delete on reports
    for each row execute function reports_signed_are_final()`,
  `create table report_documents (
    report_id uuid not null references reports (id),
    kind text not null check (kind in ('sr', 'pdf', 'hl7')),
    sop_instance_uid text unique,
    media_type text not null,
    bytes bytea not null,
    created_at timestamptz not null default now(),
    primary key (report_id, kind)
  )`,
  `create function report_documents_are_final() returns trigger language plpgsql as $$
  begin
    raise exception 'a signed report''s documents cannot be changed or deleted'
      using errcode = 'insufficient_privilege';
  end
  $$`,
  `create trigger report_documents_final
    before update or delete on report_documents
    for each row execute function report_documents_are_final()`,
  `create table report_templates (
    id text primary key check (id ~ '^[a-z0-9][a-z0-9-]{0,63}$'),
    family text not null,
    title text not null,
    sections jsonb not null,
    pick_lists jsonb not null,
    updated_at timestamptz not null default now(),
    updated_by uuid references users (id)
  )`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of STATEMENTS) await sql.raw(statement).execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Not reversible: restore from a backup instead.');
}
