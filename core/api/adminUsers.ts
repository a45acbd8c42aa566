import { z } from 'zod';
import { Role } from '../roles.js';
import { PASSWORD_MAX, UserSummary, Username } from './auth.js';

export const PASSWORD_MIN = 12;

export const Password = z
  .string()
  .min(PASSWORD_MIN, `A password has at least ${PASSWORD_MIN} characters.`)
  .max(PASSWORD_MAX, `A password has at most ${PASSWORD_MAX} characters.`);

export const CreateUserRequest = z.object({
  username: Username.regex(/^[a-zA-Z0-9._-]+$/, 'A username uses only letters, digits, dot, dash and underscore.'),
  displayName: z.string().trim().min(1, 'Enter the name shown to colleagues.').max(120, 'A display name has at most 120 characters.'),
  roles: z.array(Role).min(1, 'Give at least one role.'),
  password: Password,
  locale: z.enum(['fr', 'en']).default('fr'),
});
export type CreateUserRequest = z.infer<typeof CreateUserRequest>;

export const UpdateUserRequest = z
  .object({
    displayName: z.string().trim().min(1).max(120, 'A display name has at most 120 characters.').optional(),
    roles: z.array(Role).min(1, 'Give at least one role.').optional(),
    disabled: z.boolean().optional(),
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), { message: 'Nothing to change: give displayName, roles or disabled.' });
export type UpdateUserRequest = z.infer<typeof UpdateUserRequest>;

export const AdminUser = UserSummary.extend({
  disabled: z.boolean(),
  lockedUntil: z.string().nullable(),
});
export type AdminUser = z.infer<typeof AdminUser>;

export const UserIdParams = z.object({ id: z.uuid('This is not a user id.') });
