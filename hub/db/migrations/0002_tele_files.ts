import { sql, type Kysely } from 'kysely';

/** Each statement runs on its own: PGlite's extended protocol refuses several commands in one query. */
const STATEMENTS: string[] = [
  `create table organisation_versions (
    version serial primary key,
    document jsonb not null,
    saved_at timestamptz not null default now(),
    saved_by text not null
  )`,
  `create table roster_entries (
    id uuid primary key default gen_random_uuid(),
    person_id text not null,
    target_kind text not null check (target_kind in ('pivot-group', 'subspecialty')),
    target_id text not null,
    starts_at timestamptz not null,
    ends_at timestamptz not null,
    import_id uuid,
    created_at timestamptz not null default now(),
    check (starts_at < ends_at)
  )`,
  `create index roster_entries_time on roster_entries (ends_at, starts_at)`,
  `create table tele_files (
    id uuid primary key default gen_random_uuid(),
    study_instance_uid text not null unique,
    status text not null,
    assignee_id uuid references users(id),
    claimed_at timestamptz,
    priority text check (priority in ('vital', 'urgent', 'standard')),
    indication text,
    question text,
    contact_phone text,
    requested_by text,
    request_received_at timestamptz,
    requesting_site_id text,
    requesting_site_name text,
    source_aet text,
    institution_name text,
    patient_name text not null,
    patient_sex text,
    patient_birth_date text,
    patient_id text not null,
    issuer text not null,
    accession_number text,
    study_description text,
    body_part text,
    modalities text[] not null,
    modality_family text not null,
    number_of_instances integer not null,
    images_received_at timestamptz,
    target_kind text,
    target_id text,
    target_name text,
    refusal_code text,
    refusal_fr text,
    refusal_en text,
    routing_fr text,
    routing_en text,
    overflow_provider_id text,
    overflow_at timestamptz,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    version integer not null default 1
  )`,
  `create index tele_files_open on tele_files (status, target_id) where status not in ('delivered', 'cancelled')`,
  `create index tele_files_assignee on tele_files (assignee_id) where assignee_id is not null`,
  `create table tele_file_events (
    seq bigserial primary key,
    tele_file_id uuid not null references tele_files(id),
    at timestamptz not null default now(),
    event text not null,
    from_status text,
    to_status text,
    actor text not null,
    reason text
  )`,
  `create index tele_file_events_file on tele_file_events (tele_file_id, seq)`,
  `create table ingest_cursors (
    adapter text primary key,
    cursor text not null,
    updated_at timestamptz not null default now()
  )`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of STATEMENTS) await sql.raw(statement).execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Not reversible: restore from a backup instead.');
}
