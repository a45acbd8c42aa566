import type { Kysely } from 'kysely';
import type { Config } from './config/config.js';
import type { DB } from './db/schema.js';
import { AuditTrail } from './audit/auditTrail.js';
import { SecretBox } from './accounts/secretBox.js';
import { Users } from './accounts/users.js';
import { Sessions } from './sessions/sessions.js';
import { SignIn } from './sessions/signIn.js';
import { sessionGuards, type CookiePolicy } from './http/sessionAuth.js';

/** The hub's repositories and services, built once and handed to the routes. */
export interface Services {
  config: Config;
  db: Kysely<DB>;
  audit: AuditTrail;
  users: Users;
  sessions: Sessions;
  signIn: SignIn;
  box: SecretBox;
  cookies: CookiePolicy;
  guards: ReturnType<typeof sessionGuards>;
  version: string;
}

export function buildServices(config: Config, db: Kysely<DB>, secretKey: Buffer, version: string): Services {
  const audit = new AuditTrail(db);
  const box = new SecretBox(secretKey);
  const sessions = new Sessions(db, { idleMs: config.sessionIdle, absoluteMs: config.sessionAbsolute });
  const signIn = new SignIn(db, sessions, audit, box, {
    secondFactorRequiredRoles: config.secondFactorRequiredRoles,
    maxFailures: config.loginMaxFailures,
    lockoutMs: config.loginLockout,
  });
  // Secure cookies need HTTPS; the embedded default listens on loopback over plain HTTP.
  const cookies = { secure: config.cookieSecure ?? false };
  return { config, db, audit, users: new Users(db), sessions, signIn, box, cookies, guards: sessionGuards(sessions, audit, cookies), version };
}
