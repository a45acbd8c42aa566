// `npm run user:create -- <username> <role[,role]> "<display name>"`: the first administrator of a
// production hub (no demo accounts there). Prints a one-time password; the person
// enrols their authenticator at first sign-in.
import { randomBytes } from 'node:crypto';
import { CreateUserRequest } from '../../core/api/adminUsers.js';
import { AuditTrail } from '../audit/auditTrail.js';
import { hashPassword } from '../accounts/passwords.js';
import { Users } from '../accounts/users.js';
import { openConfiguredDatabase } from './openConfiguredDatabase.js';

const [username, roles, displayName] = process.argv.slice(2);
const password = randomBytes(12).toString('base64url');
const parsed = CreateUserRequest.safeParse({ username, roles: roles?.split(','), displayName: displayName ?? username, password });
if (!parsed.success) {
  process.stderr.write(`Usage: npm run user:create -- <username> <role[,role]> "<display name>"\n${parsed.error.issues.map((i) => `  - ${i.path.join('.')}: ${i.message}`).join('\n')}\n`);
  process.exit(2);
}
const database = await openConfiguredDatabase();
try {
  const users = new Users(database.db);
  if (await users.findByUsername(parsed.data.username)) {
    process.stderr.write(`The username ${parsed.data.username} is taken.\n`);
    process.exitCode = 1;
  } else {
    const passwordHash = await hashPassword(password);
    await database.db.transaction().execute(async (trx) => {
      const user = await users.create({ username: parsed.data.username, displayName: parsed.data.displayName, roles: parsed.data.roles, passwordHash }, trx);
      await new AuditTrail(database.db).append({ action: 'user.created', actorName: 'cli', targetType: 'user', targetId: user.id, details: { username: user.username, roles: user.roles } }, trx);
    });
    process.stdout.write(`Created ${parsed.data.username} (${parsed.data.roles.join(', ')}). One-time password: ${password}\n`);
  }
} finally {
  await database.close();
}
