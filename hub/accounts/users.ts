import type { Kysely, Selectable, Updateable } from 'kysely';
import type { UserSummary } from '../../core/api/auth.js';
import type { Role } from '../../core/roles.js';
import type { DB, UsersTable } from '../db/schema.js';

export type UserRow = Selectable<UsersTable>;

export function toUserSummary(user: UserRow): UserSummary {
  return {
    id: user.id,
    username: user.username,
    displayName: user.display_name,
    roles: user.roles,
    locale: user.locale,
    mfaEnrolled: user.totp_secret_sealed !== null,
  };
}

/** Usernames compare case-insensitively; stored lower-case. */
export function normaliseUsername(username: string): string {
  return username.trim().toLowerCase();
}

export class Users {
  constructor(private readonly db: Kysely<DB>) {}

  findByUsername(username: string): Promise<UserRow | undefined> {
    return this.db.selectFrom('users').selectAll().where('username', '=', normaliseUsername(username)).executeTakeFirst();
  }

  findById(id: string): Promise<UserRow | undefined> {
    return this.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  }

  list(): Promise<UserRow[]> {
    return this.db.selectFrom('users').selectAll().orderBy('username').execute();
  }

  async create(input: { username: string; displayName: string; passwordHash: string; roles: Role[]; locale?: 'fr' | 'en' }, db: Kysely<DB> = this.db): Promise<UserRow> {
    return db
      .insertInto('users')
      .values({
        username: normaliseUsername(input.username),
        display_name: input.displayName,
        password_hash: input.passwordHash,
        roles: input.roles,
        locale: input.locale ?? 'fr',
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  async update(id: string, changes: Updateable<UsersTable>, db: Kysely<DB> = this.db): Promise<UserRow | undefined> {
    return db.updateTable('users').set({ ...changes, updated_at: new Date() }).where('id', '=', id).returningAll().executeTakeFirst();
  }
}
