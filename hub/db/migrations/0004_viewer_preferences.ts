import { sql, type Kysely } from 'kysely';

/**
 * Per-user preferences kept on the hub, so that a reader finds their viewer
 * keys on any workstation (issue 5, decision 35). One row per user and kind
 * ('viewer' today); the value is the JSON the kind's core schema validates
 * (core/api/viewerPreferences.ts), checked again on every read.
 *
 * Each statement runs on its own: PGlite's extended protocol refuses several commands in one query.
 */
const STATEMENTS: string[] = [
  `create table user_preferences (
    user_id uuid not null references users (id) on delete cascade,
    kind text not null check (kind ~ '^[a-z][a-z0-9-]{0,31}$'),
    value jsonb not null check (jsonb_typeof(value) = 'object'),
    updated_at timestamptz not null default now(),
    primary key (user_id, kind)
  )`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of STATEMENTS) await sql.raw(statement).execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Not reversible: restore from a backup instead.');
}
