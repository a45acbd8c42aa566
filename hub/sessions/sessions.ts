import type { Kysely, Selectable } from 'kysely';
import type { SessionStage } from '../../core/api/auth.js';
import type { DB, SessionsTable } from '../db/schema.js';
import type { UserRow } from '../accounts/users.js';
import { hashSessionToken, newSessionToken } from './sessionToken.js';

export type SessionRow = Selectable<SessionsTable>;

export interface SessionPolicy {
  idleMs: number;
  absoluteMs: number;
}

/** A sign-in that has passed the password but not yet the second factor is short-lived. */
const PARTIAL_SESSION_MS = 10 * 60_000;
/** Sliding the idle expiry costs a write; doing it at most this often (or a tenth of the idle limit) keeps hot routes cheap. */
const TOUCH_AT_MOST_EVERY_MS = 15_000;

export type SessionLookup =
  | { kind: 'valid'; session: SessionRow; user: UserRow }
  | { kind: 'expired'; session: SessionRow; user: UserRow; reason: 'idle' | 'absolute' | 'ended' }
  | { kind: 'unknown' };

export class Sessions {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly policy: SessionPolicy,
  ) {}

  async create(userId: string, stage: SessionStage, client: 'web' | 'desktop', now = new Date()): Promise<{ token: string; session: SessionRow }> {
    const token = newSessionToken();
    const absolute = stage === 'active' ? this.policy.absoluteMs : PARTIAL_SESSION_MS;
    const session = await this.db
      .insertInto('sessions')
      .values({
        token_hash: hashSessionToken(token),
        user_id: userId,
        stage,
        client,
        last_seen_at: now,
        idle_expires_at: new Date(now.getTime() + Math.min(this.policy.idleMs, absolute)),
        absolute_expires_at: new Date(now.getTime() + absolute),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return { token, session };
  }

  async lookup(token: string, now = new Date()): Promise<SessionLookup> {
    const row = await this.db
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.user_id')
      .selectAll('sessions')
      .select([
        'users.username', 'users.display_name', 'users.password_hash', 'users.roles', 'users.locale',
        'users.totp_secret_sealed', 'users.totp_pending_sealed', 'users.totp_last_counter', 'users.failed_logins',
        'users.locked_until', 'users.disabled', 'users.created_at as user_created_at', 'users.updated_at as user_updated_at',
      ])
      .where('sessions.token_hash', '=', hashSessionToken(token))
      .executeTakeFirst();
    if (!row) return { kind: 'unknown' };
    const session: SessionRow = {
      id: row.id, token_hash: row.token_hash, user_id: row.user_id, stage: row.stage, client: row.client,
      created_at: row.created_at, last_seen_at: row.last_seen_at, idle_expires_at: row.idle_expires_at,
      absolute_expires_at: row.absolute_expires_at, ended_at: row.ended_at, end_reason: row.end_reason,
    };
    const user: UserRow = {
      id: row.user_id, username: row.username, display_name: row.display_name, password_hash: row.password_hash,
      roles: row.roles, locale: row.locale, totp_secret_sealed: row.totp_secret_sealed, totp_pending_sealed: row.totp_pending_sealed,
      totp_last_counter: row.totp_last_counter, failed_logins: row.failed_logins, locked_until: row.locked_until,
      disabled: row.disabled, created_at: row.user_created_at, updated_at: row.user_updated_at,
    };
    if (session.ended_at || user.disabled) return { kind: 'expired', session, user, reason: 'ended' };
    if (new Date(session.absolute_expires_at) <= now) return { kind: 'expired', session, user, reason: 'absolute' };
    if (new Date(session.idle_expires_at) <= now) return { kind: 'expired', session, user, reason: 'idle' };
    return { kind: 'valid', session, user };
  }

  /** Slides the idle expiry, never past the absolute one. */
  async touch(session: SessionRow, now = new Date()): Promise<SessionRow> {
    const every = Math.min(TOUCH_AT_MOST_EVERY_MS, this.policy.idleMs / 10);
    if (now.getTime() - new Date(session.last_seen_at).getTime() < every) return session;
    const idle = new Date(Math.min(now.getTime() + this.policy.idleMs, new Date(session.absolute_expires_at).getTime()));
    await this.db.updateTable('sessions').set({ last_seen_at: now, idle_expires_at: idle }).where('id', '=', session.id).where('ended_at', 'is', null).execute();
    return { ...session, last_seen_at: now, idle_expires_at: idle };
  }

  /**
   * Moves a partial session up a stage by replacing it with a new one under a
   * new token (no session fixation: the token that saw only a password never becomes a full session).
   */
  async promote(session: SessionRow, stage: SessionStage, now = new Date()): Promise<{ token: string; session: SessionRow }> {
    return this.db.transaction().execute(async (trx) => {
      const ended = await trx
        .updateTable('sessions')
        .set({ ended_at: now, end_reason: `promoted-to-${stage}` })
        .where('id', '=', session.id)
        .where('ended_at', 'is', null)
        .returning('id')
        .executeTakeFirst();
      if (!ended) throw new Error('session already ended');
      return new Sessions(trx, this.policy).create(session.user_id, stage, session.client, now);
    });
  }

  async end(sessionId: string, reason: string, now = new Date()): Promise<boolean> {
    const result = await this.db.updateTable('sessions').set({ ended_at: now, end_reason: reason }).where('id', '=', sessionId).where('ended_at', 'is', null).executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async endAllForUser(userId: string, reason: string, now = new Date()): Promise<number> {
    const result = await this.db.updateTable('sessions').set({ ended_at: now, end_reason: reason }).where('user_id', '=', userId).where('ended_at', 'is', null).executeTakeFirst();
    return Number(result.numUpdatedRows);
  }
}
