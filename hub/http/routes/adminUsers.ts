import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AdminUser} from '../../../core/api/adminUsers.js';
import { CreateUserRequest, UpdateUserRequest, UserIdParams } from '../../../core/api/adminUsers.js';
import { hashPassword } from '../../accounts/passwords.js';
import { toUserSummary, type UserRow } from '../../accounts/users.js';
import type { AuditEntry } from '../../audit/auditTrail.js';
import type { Services } from '../../services.js';
import { HttpProblem, parseInput, problems } from '../httpProblem.js';
import { authOf } from '../sessionAuth.js';

function toAdminUser(user: UserRow): AdminUser {
  return { ...toUserSummary(user), disabled: user.disabled, lockedUntil: user.locked_until ? new Date(user.locked_until).toISOString() : null };
}

/** Account administration. Every change is audited with who made it. */
export async function adminUserRoutes(app: FastifyInstance, { services }: { services: Services }) {
  const { users, audit, sessions, db } = services;
  const adminOnly = { preHandler: services.guards.requireSession(['active'], ['admin']) };

  function actor(request: FastifyRequest): Pick<AuditEntry, 'actorId' | 'actorName' | 'ip' | 'requestId'> {
    const { user } = authOf(request);
    return { actorId: user.id, actorName: user.username, ip: request.ip, requestId: request.id };
  }

  async function target(request: FastifyRequest): Promise<UserRow> {
    const { id } = parseInput(UserIdParams, request.params, 'address');
    const user = await users.findById(id);
    if (!user) throw problems.notFound(`No user has the id ${id}.`);
    return user;
  }

  app.get('/api/admin/users', adminOnly, async () => ({ users: (await users.list()).map(toAdminUser) }));

  app.post('/api/admin/users', adminOnly, async (request, reply) => {
    const input = parseInput(CreateUserRequest, request.body);
    if (await users.findByUsername(input.username)) {
      throw new HttpProblem(409, 'conflict', `The username ${input.username.toLowerCase()} is taken: choose another.`, { fields: [{ field: 'username', message: 'This username is taken.' }] });
    }
    const passwordHash = await hashPassword(input.password);
    const created = await db.transaction().execute(async (trx) => {
      const user = await users.create({ username: input.username, displayName: input.displayName, roles: input.roles, passwordHash, locale: input.locale }, trx);
      await audit.append({ ...actor(request), action: 'user.created', targetType: 'user', targetId: user.id, details: { username: user.username, roles: user.roles } }, trx);
      return user;
    });
    return reply.status(201).send(toAdminUser(created));
  });

  app.patch('/api/admin/users/:id', adminOnly, async (request) => {
    const before = await target(request);
    const input = parseInput(UpdateUserRequest, request.body);
    if (before.id === authOf(request).user.id && (input.disabled === true || (input.roles && !input.roles.includes('admin')))) {
      throw new HttpProblem(409, 'conflict', 'You cannot disable yourself or remove your own admin role: ask another administrator.');
    }
    const updated = await db.transaction().execute(async (trx) => {
      const user = (await users.update(before.id, { display_name: input.displayName, roles: input.roles, disabled: input.disabled }, trx)) as UserRow;
      const rolesChanged = input.roles && input.roles.join() !== before.roles.join();
      await audit.append({
        ...actor(request),
        action: rolesChanged ? 'user.roles-changed' : 'user.updated',
        targetType: 'user',
        targetId: user.id,
        details: { username: user.username, ...(rolesChanged ? { from: before.roles, to: user.roles } : {}), ...(input.disabled !== undefined ? { disabled: input.disabled } : {}) },
      }, trx);
      return user;
    });
    if (input.disabled) await sessions.endAllForUser(updated.id, 'disabled-by-admin');
    return toAdminUser(updated);
  });

  app.post('/api/admin/users/:id/unlock', adminOnly, async (request) => {
    const user = await target(request);
    await db.updateTable('users').set({ failed_logins: 0, locked_until: null }).where('id', '=', user.id).execute();
    await audit.append({ ...actor(request), action: 'user.unlocked', targetType: 'user', targetId: user.id, details: { username: user.username } });
    return toAdminUser({ ...user, failed_logins: 0, locked_until: null });
  });

  /** A lost phone: the person enrols again at next sign-in; their sessions end now. */
  app.post('/api/admin/users/:id/reset-second-factor', adminOnly, async (request) => {
    const user = await target(request);
    await db.transaction().execute(async (trx) => {
      await trx.updateTable('users').set({ totp_secret_sealed: null, totp_pending_sealed: null, totp_last_counter: null }).where('id', '=', user.id).execute();
      await trx.deleteFrom('recovery_codes').where('user_id', '=', user.id).execute();
      await audit.append({ ...actor(request), action: 'mfa.reset', targetType: 'user', targetId: user.id, details: { username: user.username } }, trx);
    });
    await sessions.endAllForUser(user.id, 'second-factor-reset');
    return toAdminUser({ ...user, totp_secret_sealed: null });
  });
}
