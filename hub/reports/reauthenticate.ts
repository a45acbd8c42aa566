import type { Kysely } from 'kysely';
import { verifyPassword } from '../accounts/passwords.js';
import type { SecretBox } from '../accounts/secretBox.js';
import { checkTotp } from '../accounts/totp.js';
import type { UserRow } from '../accounts/users.js';
import type { AuditTrail } from '../audit/auditTrail.js';
import type { DB } from '../db/schema.js';
import { HttpProblem } from '../http/httpProblem.js';
import type { RequestContext, SignIn } from '../sessions/signIn.js';

export interface Proof {
  password?: string | undefined;
  code?: string | undefined;
}

/**
 * "Who is signing?" asked again at signature: the account's password
 * (argon2id) or a current TOTP code, never one already accepted (sign-in's
 * replay rule). A failure counts toward the account lockout exactly as a
 * failed sign-in does — through SignIn's own counter, so the lockout has one
 * implementation — and a locked account cannot sign.
 */
export async function reauthenticate(deps: { db: Kysely<DB>; signIn: SignIn; box: SecretBox; audit: AuditTrail }, user: UserRow, proof: Proof, ctx: RequestContext, now = new Date()): Promise<void> {
  if (user.locked_until && new Date(user.locked_until) > now) {
    const until = new Date(user.locked_until);
    throw new HttpProblem(423, 'account-locked', `This account is locked after too many failed attempts. Try again after ${until.toISOString()} (UTC), or ask an administrator to unlock it.`, { retryAt: until });
  }
  const base = { ip: ctx.ip, requestId: ctx.requestId, actorId: user.id, actorName: user.username };
  // SignIn keeps its failure counter private; element access reuses it rather than copying the lockout rule.
  const countFailure = (reason: string) => deps.signIn['countFailure'](user, reason, ctx, now);
  if (proof.code !== undefined) {
    if (!user.totp_secret_sealed) {
      throw new HttpProblem(400, 'validation-failed', 'This account has no authenticator app: confirm with your password.', { fields: [{ field: 'code', message: 'No authenticator is enrolled for this account.' }] });
    }
    const counter = checkTotp(deps.box.open(user.totp_secret_sealed), proof.code, now.getTime());
    const accepted =
      counter !== null &&
      (await deps.db
        .updateTable('users')
        .set({ totp_last_counter: counter, failed_logins: 0 })
        .where('id', '=', user.id)
        .where((eb) => eb.or([eb('totp_last_counter', 'is', null), eb('totp_last_counter', '<', String(counter))]))
        .executeTakeFirst()
        .then((r) => Number(r.numUpdatedRows) > 0));
    if (!accepted) {
      await deps.audit.append({ ...base, action: 'mfa.failure', outcome: 'failure', details: { method: 'totp', during: 'signature', reason: counter === null ? 'wrong-code' : 'replayed-code' } });
      await countFailure('wrong-second-factor-at-signature');
      throw new HttpProblem(401, 'invalid-code', 'That code is not valid (or was already used). Wait for the next code and sign again.');
    }
    return;
  }
  if (proof.password === undefined || proof.password === '') {
    throw new HttpProblem(400, 'validation-failed', 'Confirm who is signing: enter your password or a code from your authenticator app.', { fields: [{ field: 'password', message: 'Enter your password or a code.' }] });
  }
  if (!(await verifyPassword(user.password_hash, proof.password))) {
    await countFailure('wrong-password-at-signature');
    throw new HttpProblem(401, 'invalid-credentials', 'Wrong password: the report was not signed.');
  }
  await deps.db.updateTable('users').set({ failed_logins: 0 }).where('id', '=', user.id).execute();
}
