import { randomInt } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { Role } from '../../core/roles.js';
import type { AuditTrail } from '../audit/auditTrail.js';
import type { DB } from '../db/schema.js';
import { hashPassword } from './passwords.js';
import { Users } from './users.js';

export interface DemoAccount {
  username: string;
  displayName: string;
  roles: Role[];
  password: string;
}

const DEMO_PEOPLE: Omit<DemoAccount, 'password'>[] = [
  { username: 'admin', displayName: 'Administrateur (démo)', roles: ['admin'] },
  { username: 'dr.lefebvre', displayName: 'Dr Claire Lefebvre (démo)', roles: ['radiologist'] },
  { username: 'dr.moreau', displayName: 'Dr Paul Moreau (démo)', roles: ['radiologist', 'neuroradiologist'] },
  { username: 'urg.nord', displayName: 'Dr Léa Martin, urgences CH Démo Nord (démo)', roles: ['requester'] },
];

const WORDS = 'abcdefghjkmnpqrstuvwxyz23456789';
function demoPassword(): string {
  const group = () => Array.from({ length: 4 }, () => WORDS[randomInt(WORDS.length)]).join('');
  return `vigie-${group()}-${group()}-${group()}`;
}

export function demoAccountsFile(dataDir: string): string {
  return path.join(dataDir, 'demo-accounts.json');
}

/**
 * On the embedded demo's first start, creates one account per role with a
 * random password (never a well-known one: a demo left running on a
 * network must not open with admin/admin) and keeps them in a 0600 file in the
 * data directory so they can be printed at every start.
 */
export async function ensureDemoAccounts(db: Kysely<DB>, audit: AuditTrail, dataDir: string): Promise<DemoAccount[]> {
  const file = demoAccountsFile(dataDir);
  const existing = await readFile(file, 'utf8').then((text) => JSON.parse(text) as DemoAccount[]).catch(() => null);
  if (existing) return existing;
  const users = new Users(db);
  if ((await users.list()).length > 0) return [];
  const accounts = DEMO_PEOPLE.map((person) => ({ ...person, password: demoPassword() }));
  const hashes = await Promise.all(accounts.map((a) => hashPassword(a.password)));
  await db.transaction().execute(async (trx) => {
    for (const [i, account] of accounts.entries()) {
      const user = await users.create({ username: account.username, displayName: account.displayName, roles: account.roles, passwordHash: hashes[i] as string }, trx);
      await audit.append({ action: 'user.created', actorName: 'system', targetType: 'user', targetId: user.id, details: { username: user.username, roles: user.roles, demo: true } }, trx);
    }
  });
  await writeFile(file, JSON.stringify(accounts, null, 2) + '\n', { mode: 0o600 });
  return accounts;
}
