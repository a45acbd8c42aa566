import { sql, type Kysely } from 'kysely';

/**
 * Request first: an emergency physician may announce a study (its accession
 * number, the patient, the clinical request) before its images reach the pivot
 * PACS. The tele-file then exists without a StudyInstanceUID until ingest
 * attaches the matching study to it.
 *
 * Each statement runs on its own: PGlite's extended protocol refuses several commands in one query.
 */
const STATEMENTS: string[] = [
  // The unique constraint stays: PostgreSQL allows any number of NULLs in a unique index.
  `alter table tele_files alter column study_instance_uid drop not null`,
  `alter table tele_files add column announced_accession_number text`,
  `alter table tele_files add column announced_modality text`,
  // One open announcement per site and accession number; also the index ingest matches announcements by.
  `create unique index tele_files_announced_open on tele_files (requesting_site_id, announced_accession_number)
    where announced_accession_number is not null and status not in ('delivered', 'cancelled')`,
  `create index tele_files_announced_waiting on tele_files (issuer, announced_accession_number) where study_instance_uid is null`,
  // An announcement for a study already received is refused: found by the site and the study's accession number.
  `create index tele_files_site_accession on tele_files (requesting_site_id, accession_number) where accession_number is not null`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of STATEMENTS) await sql.raw(statement).execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Not reversible: restore from a backup instead.');
}
