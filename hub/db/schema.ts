import type { ColumnType, Generated } from 'kysely';
import type { Role } from '../../core/roles.js';
import type { SessionStage } from '../../core/api/auth.js';

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

export interface DB {
  users: UsersTable;
  recovery_codes: RecoveryCodesTable;
  sessions: SessionsTable;
  sites: SitesTable;
  user_sites: UserSitesTable;
  audit_events: AuditEventsTable;
}
