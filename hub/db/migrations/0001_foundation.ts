import { sql, type Kysely } from 'kysely';

// One migration set for PGlite and PostgreSQL: plain PostgreSQL 15 SQL only.
/** Each statement runs on its own: PGlite's extended protocol refuses several commands in one query. */
const STATEMENTS: string[] = [
  `create table sites (
    id uuid primary key default gen_random_uuid(),
    code text not null unique,
    name text not null,
    kind text not null check (kind in ('requesting', 'pivot', 'provider', 'reference')),
    created_at timestamptz not null default now()
  );`,
  `create table users (
    id uuid primary key default gen_random_uuid(),
    username text not null unique check (username = lower(username) and length(username) between 1 and 64),
    display_name text not null,
    password_hash text not null,
    roles text[] not null check (cardinality(roles) > 0),
    locale text not null default 'fr' check (locale in ('fr', 'en')),
    totp_secret_sealed text,
    totp_pending_sealed text,
    totp_last_counter bigint,
    failed_logins integer not null default 0,
    locked_until timestamptz,
    disabled boolean not null default false,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
  );`,
  `create table user_sites (
    user_id uuid not null references users(id) on delete cascade,
    site_id uuid not null references sites(id) on delete cascade,
    primary key (user_id, site_id)
  );`,
  `create table recovery_codes (
    id uuid primary key default gen_random_uuid(),
    user_id uuid not null references users(id) on delete cascade,
    code_hash text not null,
    used_at timestamptz
  );`,
  `create index recovery_codes_user on recovery_codes(user_id);`,
  `create table sessions (
    id uuid primary key default gen_random_uuid(),
    token_hash text not null unique,
    user_id uuid not null references users(id) on delete cascade,
    stage text not null check (stage in ('second-factor', 'enrolment', 'active')),
    client text not null check (client in ('web', 'desktop')),
    created_at timestamptz not null default now(),
    last_seen_at timestamptz not null,
    idle_expires_at timestamptz not null,
    absolute_expires_at timestamptz not null,
    ended_at timestamptz,
    end_reason text
  );`,
  `create index sessions_user on sessions(user_id) where ended_at is null;`,
  `create table audit_events (
    seq bigserial primary key,
    at timestamptz not null,
    actor_id uuid,
    actor_name text,
    action text not null,
    outcome text not null check (outcome in ('success', 'failure')),
    target_type text,
    target_id text,
    ip text,
    request_id text,
    details jsonb not null default '{}'::jsonb,
    prev_hash text not null,
    hash text not null unique
  );`,
  `create index audit_events_at on audit_events(at);`,
  `create index audit_events_action on audit_events(action, seq);`,
  `create index audit_events_actor on audit_events(actor_name, seq);`,
  `-- The audit trail is append-only, enforced by the database itself so that no
  -- code path (nor a person with the application's credentials) can rewrite it.
  create function audit_events_append_only() returns trigger language plpgsql as $$
  begin
    raise exception 'the audit trail is append-only: % on audit_events is refused', tg_op
      using errcode = 'insufficient_privilege';
  end
  $$;`,
  `create trigger audit_events_no_update_delete
    before update or delete on audit_events
    for each row execute function audit_events_append_only();`,
  `create trigger audit_events_no_truncate
    before truncate on audit_events
    for each statement execute function audit_events_append_only();`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of STATEMENTS) await sql.raw(statement).execute(db);
}

export async function down(): Promise<void> {
  throw new Error('The foundation migration is not reversible: restore from a backup instead.');
}
