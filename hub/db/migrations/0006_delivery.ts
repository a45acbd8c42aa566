import { sql, type Kysely } from 'kysely';

/**
 * Delivery of signed reports (issue 6): an outbox of one job per report and
 * document kind, written in the signing transaction, worked by every hub
 * (claims are conditional updates with a lease), and the admin alerts that
 * ask a person to act (a guard stopped a job, a job failed for good).
 *
 * Each statement runs on its own: PGlite's extended protocol refuses several commands in one query.
 */
const STATEMENTS: string[] = [
  `create table delivery_jobs (
    id uuid primary key default gen_random_uuid(),
    report_id uuid not null references reports (id),
    document_kind text not null check (document_kind in ('sr', 'pdf', 'hl7')),
    tele_file_id uuid not null references tele_files (id),
    site_id text not null,
    endpoint jsonb not null check (jsonb_typeof(endpoint) = 'object'),
    state text not null check (state in ('pending', 'sending', 'retrying', 'delivered', 'stopped', 'failed')),
    attempts integer not null default 0 check (attempts >= 0),
    next_attempt_at timestamptz not null default now(),
    lease_until timestamptz,
    last_error text,
    stopped_reason text,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    delivered_at timestamptz,
    verified_at timestamptz,
    unique (report_id, document_kind),
    check ((state = 'delivered') = (delivered_at is not null))
  )`,
  // The worker's claim scans only jobs still to do, by due time.
  `create index delivery_jobs_due on delivery_jobs (next_attempt_at) where state in ('pending', 'sending', 'retrying')`,
  `create index delivery_jobs_attention on delivery_jobs (state, updated_at) where state in ('retrying', 'stopped', 'failed')`,
  `create table admin_alerts (
    id uuid primary key default gen_random_uuid(),
    at timestamptz not null default now(),
    kind text not null,
    severity text not null check (severity in ('info', 'warning', 'critical')),
    message text not null,
    subject_type text,
    subject_id text,
    acknowledged_at timestamptz,
    acknowledged_by text
  )`,
  `create index admin_alerts_open on admin_alerts (at) where acknowledged_at is null`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of STATEMENTS) await sql.raw(statement).execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Not reversible: restore from a backup instead.');
}
