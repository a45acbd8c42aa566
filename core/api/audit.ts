import { z } from 'zod';

export const AUDIT_ACTIONS = [
  'login.success',
  'login.failure',
  'login.locked',
  'logout',
  'session.expired',
  'mfa.success',
  'mfa.failure',
  'mfa.recovery-code-used',
  'mfa.enrolment-started',
  'mfa.enrolled',
  'mfa.reset',
  'user.created',
  'user.updated',
  'user.roles-changed',
  'user.password-changed',
  'user.unlocked',
  'access.denied',
  'tele-file.created',
  'tele-file.transition',
  'tele-file.request',
  'tele-file.identity-conflict',
  'tele-file.images-attached',
  'tele-file.opened',
  'tele-file.overflow',
  'study.accessed',
  'organisation.saved',
  'roster.imported',
  'system.started',
  'report.draft-created',
  'report.addendum-created',
  'report.signed',
  'report.template-saved',
  'delivery.sent',
  'delivery.delivered',
  'delivery.stopped',
  'delivery.failed',
  'delivery.retried',
  'alert.acknowledged',
] as const;
export const AuditAction = z.enum(AUDIT_ACTIONS);
export type AuditAction = z.infer<typeof AuditAction>;

export const AuditOutcome = z.enum(['success', 'failure']);
export type AuditOutcome = z.infer<typeof AuditOutcome>;

export const AuditEvent = z.object({
  seq: z.number().int(),
  at: z.string(),
  actorId: z.string().nullable(),
  actorName: z.string().nullable(),
  action: AuditAction,
  outcome: AuditOutcome,
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  ip: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  hash: z.string(),
});
export type AuditEvent = z.infer<typeof AuditEvent>;

export const AuditQuery = z.object({
  action: AuditAction.optional(),
  actor: z.string().max(64).optional(),
  outcome: AuditOutcome.optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  afterSeq: z.coerce.number().int().min(0).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});
export type AuditQuery = z.infer<typeof AuditQuery>;

export const AuditPage = z.object({ events: z.array(AuditEvent), nextAfterSeq: z.number().int().nullable() });
export type AuditPage = z.infer<typeof AuditPage>;
