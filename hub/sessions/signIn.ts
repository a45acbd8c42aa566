import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { SessionStage } from '../../core/api/auth.js';
import type { Role } from '../../core/roles.js';
import type { AuditTrail } from '../audit/auditTrail.js';
import type { DB } from '../db/schema.js';
import { HttpProblem } from '../http/httpProblem.js';
import { burnPasswordCheck, verifyPassword } from '../accounts/passwords.js';
import { hashRecoveryCode, newRecoveryCodes, normaliseRecoveryCode } from '../accounts/recoveryCodes.js';
import type { SecretBox } from '../accounts/secretBox.js';
import { checkTotp, newTotpSecret, totpEnrolment } from '../accounts/totp.js';
import type { UserRow } from '../accounts/users.js';
import { Users } from '../accounts/users.js';
import type { SessionRow, Sessions } from './sessions.js';

export interface SignInPolicy {
  secondFactorRequiredRoles: Role[];
  maxFailures: number;
  lockoutMs: number;
}

export interface RequestContext {
  ip: string;
  requestId: string;
  client: 'web' | 'desktop';
}

export interface Issued {
  token: string;
  session: SessionRow;
  user: UserRow;
}

const invalidCredentials = () => new HttpProblem(401, 'invalid-credentials', 'Wrong username or password.');

function lockedProblem(until: Date): HttpProblem {
  return new HttpProblem(
    423,
    'account-locked',
    `This account is locked after too many failed attempts. Try again after ${until.toISOString()} (UTC), or ask an administrator to unlock it.`,
    { retryAt: until },
  );
}

/** The sign-in flow: password, then the second factor or its first enrolment. Every outcome is audited. */
export class SignIn {
  private readonly users: Users;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly sessions: Sessions,
    private readonly audit: AuditTrail,
    private readonly box: SecretBox,
    private readonly policy: SignInPolicy,
  ) {
    this.users = new Users(db);
  }

  secondFactorRequired(user: UserRow): boolean {
    return user.totp_secret_sealed !== null || user.roles.some((role) => this.policy.secondFactorRequiredRoles.includes(role));
  }

  private stageAfterPassword(user: UserRow): SessionStage {
    if (user.totp_secret_sealed !== null) return 'second-factor';
    return this.secondFactorRequired(user) ? 'enrolment' : 'active';
  }

  async password(username: string, password: string, ctx: RequestContext, now = new Date()): Promise<Issued> {
    const user = await this.users.findByUsername(username);
    const base = { ip: ctx.ip, requestId: ctx.requestId };
    if (!user || user.disabled) {
      await burnPasswordCheck(password);
      // The attempted name is not recorded for unknown accounts: people sometimes type their password there.
      await this.audit.append({ ...base, action: 'login.failure', outcome: 'failure', actorId: user?.id ?? null, actorName: user?.username ?? null, details: { reason: user ? 'disabled' : 'unknown-user' } });
      throw invalidCredentials();
    }
    if (user.locked_until && new Date(user.locked_until) > now) {
      await this.audit.append({ ...base, action: 'login.failure', outcome: 'failure', actorId: user.id, actorName: user.username, details: { reason: 'locked' } });
      throw lockedProblem(new Date(user.locked_until));
    }
    if (!(await verifyPassword(user.password_hash, password))) {
      await this.countFailure(user, 'wrong-password', ctx, now);
      throw invalidCredentials();
    }
    await this.db.updateTable('users').set({ failed_logins: 0, locked_until: null }).where('id', '=', user.id).execute();
    const stage = this.stageAfterPassword(user);
    const { token, session } = await this.sessions.create(user.id, stage, ctx.client, now);
    await this.audit.append({ ...base, action: 'login.success', actorId: user.id, actorName: user.username, targetType: 'session', targetId: session.id, details: { stage, client: ctx.client } });
    return { token, session, user };
  }

  /**
   * Counts a failed password or code in one conditional UPDATE (exact under
   * concurrent attempts) and locks the account when the limit is reached.
   */
  private async countFailure(user: UserRow, reason: string, ctx: RequestContext, now: Date): Promise<void> {
    const lockUntil = new Date(now.getTime() + this.policy.lockoutMs);
    const updated = await this.db
      .updateTable('users')
      .set({
        failed_logins: sql`case when failed_logins + 1 >= ${this.policy.maxFailures} then 0 else failed_logins + 1 end`,
        locked_until: sql`case when failed_logins + 1 >= ${this.policy.maxFailures} then ${lockUntil}::timestamptz else locked_until end`,
      })
      .where('id', '=', user.id)
      .returning(['failed_logins', 'locked_until'])
      .executeTakeFirstOrThrow();
    const base = { ip: ctx.ip, requestId: ctx.requestId, actorId: user.id, actorName: user.username };
    const lockedNow = updated.locked_until !== null && new Date(updated.locked_until).getTime() === lockUntil.getTime();
    await this.audit.append({ ...base, action: 'login.failure', outcome: 'failure', details: { reason } });
    if (lockedNow) {
      await this.audit.append({ ...base, action: 'login.locked', outcome: 'failure', details: { until: lockUntil.toISOString(), after: this.policy.maxFailures } });
      await this.sessions.endAllForUser(user.id, 'account-locked', now);
      throw lockedProblem(lockUntil);
    }
  }

  /** Second step: a TOTP code, or one of the recovery codes. */
  async secondFactor(session: SessionRow, user: UserRow, code: string, ctx: RequestContext, now = new Date()): Promise<Issued> {
    const base = { ip: ctx.ip, requestId: ctx.requestId, actorId: user.id, actorName: user.username };
    if (user.locked_until && new Date(user.locked_until) > now) throw lockedProblem(new Date(user.locked_until));
    if (!user.totp_secret_sealed) throw new HttpProblem(409, 'enrolment-required', 'This account has no authenticator yet: enrol one first.');
    const trimmed = code.trim();
    if (/^\d{6}$/.test(trimmed)) {
      const counter = checkTotp(this.box.open(user.totp_secret_sealed), trimmed, now.getTime());
      // Conditional update: a code is accepted once, and never an older one than the last accepted.
      const accepted =
        counter !== null &&
        (await this.db
          .updateTable('users')
          .set({ totp_last_counter: counter, failed_logins: 0 })
          .where('id', '=', user.id)
          .where((eb) => eb.or([eb('totp_last_counter', 'is', null), eb('totp_last_counter', '<', String(counter))]))
          .executeTakeFirst()
          .then((r) => Number(r.numUpdatedRows) > 0));
      if (!accepted) {
        await this.audit.append({ ...base, action: 'mfa.failure', outcome: 'failure', details: { method: 'totp', reason: counter === null ? 'wrong-code' : 'replayed-code' } });
        await this.countFailure(user, 'wrong-second-factor', ctx, now);
        throw new HttpProblem(401, 'invalid-code', 'That code is not valid. Check the time on your phone, wait for the next code and try again.');
      }
      await this.audit.append({ ...base, action: 'mfa.success', details: { method: 'totp' } });
    } else {
      const used = await this.db
        .updateTable('recovery_codes')
        .set({ used_at: now })
        .where('user_id', '=', user.id)
        .where('code_hash', '=', hashRecoveryCode(this.box.macKey, normaliseRecoveryCode(trimmed)))
        .where('used_at', 'is', null)
        .returning('id')
        .executeTakeFirst();
      if (!used) {
        await this.audit.append({ ...base, action: 'mfa.failure', outcome: 'failure', details: { method: 'recovery-code' } });
        await this.countFailure(user, 'wrong-recovery-code', ctx, now);
        throw new HttpProblem(401, 'invalid-code', 'That recovery code is not valid or was already used.');
      }
      const left = await this.db.selectFrom('recovery_codes').select((eb) => eb.fn.countAll<string>().as('n')).where('user_id', '=', user.id).where('used_at', 'is', null).executeTakeFirstOrThrow();
      await this.audit.append({ ...base, action: 'mfa.recovery-code-used', details: { remaining: Number(left.n) } });
      await this.db.updateTable('users').set({ failed_logins: 0 }).where('id', '=', user.id).execute();
    }
    const promoted = await this.sessions.promote(session, 'active', now);
    return { ...promoted, user };
  }

  /** Starts (or restarts) enrolment: a new secret held pending until a code from it is confirmed. */
  async startEnrolment(user: UserRow, ctx: RequestContext) {
    const secret = newTotpSecret();
    await this.db.updateTable('users').set({ totp_pending_sealed: this.box.seal(secret) }).where('id', '=', user.id).execute();
    await this.audit.append({ ip: ctx.ip, requestId: ctx.requestId, actorId: user.id, actorName: user.username, action: 'mfa.enrolment-started' });
    return totpEnrolment(secret, user.username);
  }

  async confirmEnrolment(session: SessionRow, user: UserRow, code: string, ctx: RequestContext, now = new Date()): Promise<Issued & { recoveryCodes: string[] }> {
    const base = { ip: ctx.ip, requestId: ctx.requestId, actorId: user.id, actorName: user.username };
    if (!user.totp_pending_sealed) throw new HttpProblem(409, 'conflict', 'No enrolment is in progress: start the enrolment first.');
    const secret = this.box.open(user.totp_pending_sealed);
    const counter = checkTotp(secret, code, now.getTime());
    if (counter === null) {
      await this.audit.append({ ...base, action: 'mfa.failure', outcome: 'failure', details: { method: 'totp', during: 'enrolment' } });
      throw new HttpProblem(400, 'invalid-code', 'That code does not match. Check that you scanned the code shown on this page and that your phone shows the right time.');
    }
    const recoveryCodes = newRecoveryCodes();
    const issued = await this.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('users')
        .set({ totp_secret_sealed: this.box.seal(secret), totp_pending_sealed: null, totp_last_counter: counter, failed_logins: 0, updated_at: now })
        .where('id', '=', user.id)
        .execute();
      await trx.deleteFrom('recovery_codes').where('user_id', '=', user.id).execute();
      await trx
        .insertInto('recovery_codes')
        .values(recoveryCodes.map((c) => ({ user_id: user.id, code_hash: hashRecoveryCode(this.box.macKey, c) })))
        .execute();
      await this.audit.append({ ...base, action: 'mfa.enrolled', details: { recoveryCodes: recoveryCodes.length } }, trx);
      return session.stage === 'active' ? null : true;
    });
    const fresh = (await this.users.findById(user.id)) as UserRow;
    if (issued === null) return { token: '', session, user: fresh, recoveryCodes };
    const promoted = await this.sessions.promote(session, 'active', now);
    return { ...promoted, user: fresh, recoveryCodes };
  }
}
