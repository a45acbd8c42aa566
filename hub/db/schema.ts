import type { ColumnType, Generated } from 'kysely';
import type { Role } from '../../core/roles.js';
import type { SessionStage } from '../../core/api/auth.js';
import type { Priority } from '../../core/api/teleFiles.js';
import type { TeleFileStatus } from '../../core/teleFile.js';
import type { DeliveryState } from '../../core/api/reports.js';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type DefaultedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface UsersTable {
  id: Generated<string>;
  username: string;
  display_name: string;
  password_hash: string;
  roles: Role[];
  locale: 'fr' | 'en';
  totp_secret_sealed: string | null;
  totp_pending_sealed: string | null;
  totp_last_counter: ColumnType<string | null, number | null, number | null>;
  failed_logins: Generated<number>;
  locked_until: Timestamp | null;
  disabled: Generated<boolean>;
  created_at: DefaultedTimestamp;
  updated_at: DefaultedTimestamp;
}

export interface RecoveryCodesTable {
  id: Generated<string>;
  user_id: string;
  code_hash: string;
  used_at: Timestamp | null;
}

export interface SessionsTable {
  id: Generated<string>;
  token_hash: string;
  user_id: string;
  stage: SessionStage;
  client: 'web' | 'desktop';
  created_at: DefaultedTimestamp;
  last_seen_at: Timestamp;
  idle_expires_at: Timestamp;
  absolute_expires_at: Timestamp;
  ended_at: Timestamp | null;
  end_reason: string | null;
}

export interface SitesTable {
  id: Generated<string>;
  code: string;
  name: string;
  kind: 'requesting' | 'pivot' | 'provider' | 'reference';
  created_at: DefaultedTimestamp;
}

export interface UserSitesTable {
  user_id: string;
  site_id: string;
}

export interface AuditEventsTable {
  seq: ColumnType<string, never, never>;
  at: Timestamp;
  actor_id: string | null;
  actor_name: string | null;
  action: string;
  outcome: 'success' | 'failure';
  target_type: string | null;
  target_id: string | null;
  ip: string | null;
  request_id: string | null;
  details: ColumnType<Record<string, unknown>, string, never>;
  prev_hash: string;
  hash: string;
}

export interface OrganisationVersionsTable {
  version: Generated<number>;
  document: ColumnType<unknown, string, never>;
  saved_at: DefaultedTimestamp;
  saved_by: string;
}

export interface RosterEntriesTable {
  id: Generated<string>;
  person_id: string;
  target_kind: 'pivot-group' | 'subspecialty';
  target_id: string;
  starts_at: Timestamp;
  ends_at: Timestamp;
  import_id: string | null;
  created_at: DefaultedTimestamp;
}

export interface TeleFilesTable {
  id: Generated<string>;
  /** Null while an announced request waits for its images (migration 0003). */
  study_instance_uid: string | null;
  status: TeleFileStatus;
  assignee_id: string | null;
  claimed_at: Timestamp | null;
  priority: Priority | null;
  indication: string | null;
  question: string | null;
  contact_phone: string | null;
  requested_by: string | null;
  request_received_at: Timestamp | null;
  requesting_site_id: string | null;
  requesting_site_name: string | null;
  source_aet: string | null;
  institution_name: string | null;
  patient_name: string;
  patient_sex: string | null;
  patient_birth_date: string | null;
  patient_id: string;
  issuer: string;
  accession_number: string | null;
  study_description: string | null;
  body_part: string | null;
  modalities: string[];
  modality_family: string;
  number_of_instances: number;
  images_received_at: Timestamp | null;
  target_kind: 'pivot-group' | 'provider' | null;
  target_id: string | null;
  target_name: string | null;
  refusal_code: string | null;
  refusal_fr: string | null;
  refusal_en: string | null;
  routing_fr: string | null;
  routing_en: string | null;
  overflow_provider_id: string | null;
  overflow_at: Timestamp | null;
  /** Set when the requesting site announced the study before its images: how ingest matches them (with `issuer`). */
  announced_accession_number: string | null;
  announced_modality: string | null;
  created_at: DefaultedTimestamp;
  updated_at: DefaultedTimestamp;
  version: ColumnType<number, number | undefined, number>;
}

export interface TeleFileEventsTable {
  seq: ColumnType<string, never, never>;
  tele_file_id: string;
  at: DefaultedTimestamp;
  event: string;
  from_status: string | null;
  to_status: string | null;
  actor: string;
  reason: string | null;
}

export interface IngestCursorsTable {
  adapter: string;
  cursor: string;
  updated_at: DefaultedTimestamp;
}

/** Migration 0004: one row per user and kind of preference; `value` is validated by the kind's core schema. */
export interface UserPreferencesTable {
  user_id: string;
  kind: 'viewer' | 'macros';
  value: ColumnType<unknown, string, string>;
  updated_at: DefaultedTimestamp;
}

/** Migration 0005: reports and addenda; a signed row is final (trigger). JSON columns are written as strings. */
export interface ReportsTable {
  id: Generated<string>;
  tele_file_id: string;
  kind: 'report' | 'addendum';
  predecessor_id: string | null;
  status: 'draft' | 'signed';
  content: ColumnType<unknown, string, string>;
  critical: ColumnType<unknown, string, string>;
  template_id: string | null;
  version: number;
  created_by: string;
  created_at: DefaultedTimestamp;
  updated_by: string;
  updated_at: DefaultedTimestamp;
  last_client_id: string | null;
  signed_at: Timestamp | null;
  signed_by: string | null;
  signer_name: string | null;
  series_instance_uid: string | null;
  sr_sop_instance_uid: string | null;
  pdf_sop_instance_uid: string | null;
}

/** Migration 0005: the documents made at signature, byte for byte what every delivery attempt sends (final, trigger). */
export interface ReportDocumentsTable {
  report_id: string;
  kind: 'sr' | 'pdf' | 'hl7';
  sop_instance_uid: string | null;
  media_type: string;
  bytes: Uint8Array;
  created_at: DefaultedTimestamp;
}

/** Migration 0005: report templates per exam family, editable by admins. */
export interface ReportTemplatesTable {
  id: string;
  family: string;
  title: string;
  sections: ColumnType<unknown, string, string>;
  pick_lists: ColumnType<unknown, string, string>;
  updated_at: DefaultedTimestamp;
  updated_by: string | null;
}

/** Migration 0006: one delivery job per signed report and document kind; `endpoint` is the site's endpoint when enqueued (JSON written as a string). */
export interface DeliveryJobsTable {
  id: Generated<string>;
  report_id: string;
  document_kind: 'sr' | 'pdf' | 'hl7';
  tele_file_id: string;
  site_id: string;
  endpoint: ColumnType<unknown, string, string>;
  state: DeliveryState;
  attempts: ColumnType<number, number | undefined, number>;
  next_attempt_at: DefaultedTimestamp;
  lease_until: Timestamp | null;
  last_error: string | null;
  stopped_reason: string | null;
  created_at: DefaultedTimestamp;
  updated_at: DefaultedTimestamp;
  delivered_at: Timestamp | null;
  verified_at: Timestamp | null;
}

/** Migration 0006: something a person must act on (a delivery stopped by a guard, a delivery failed for good). */
export interface AdminAlertsTable {
  id: Generated<string>;
  at: DefaultedTimestamp;
  kind: string;
  severity: 'info' | 'warning' | 'critical';
  message: string;
  subject_type: string | null;
  subject_id: string | null;
  acknowledged_at: Timestamp | null;
  acknowledged_by: string | null;
}

export interface DB {
  organisation_versions: OrganisationVersionsTable;
  roster_entries: RosterEntriesTable;
  tele_files: TeleFilesTable;
  tele_file_events: TeleFileEventsTable;
  ingest_cursors: IngestCursorsTable;
  users: UsersTable;
  recovery_codes: RecoveryCodesTable;
  sessions: SessionsTable;
  sites: SitesTable;
  user_sites: UserSitesTable;
  audit_events: AuditEventsTable;
  user_preferences: UserPreferencesTable;
  reports: ReportsTable;
  report_documents: ReportDocumentsTable;
  report_templates: ReportTemplatesTable;
  delivery_jobs: DeliveryJobsTable;
  admin_alerts: AdminAlertsTable;
}
