import { z } from 'zod';
import { Role } from '../roles.js';

/**
 * Sign-in is a small state machine held by the session itself:
 * `password` → (`second-factor` | `enrolment`) → `active`.
 * The session token is rotated each time the stage moves up.
 */
export const SESSION_STAGES = ['second-factor', 'enrolment', 'active'] as const;
export const SessionStage = z.enum(SESSION_STAGES);
export type SessionStage = z.infer<typeof SessionStage>;

export const USERNAME_MAX = 64;
export const PASSWORD_MAX = 256;

export const Username = z
  .string()
  .trim()
  .min(1, 'Enter your username.')
  .max(USERNAME_MAX, `A username has at most ${USERNAME_MAX} characters.`);

export const LoginRequest = z.object({
  username: Username,
  password: z
    .string()
    .min(1, 'Enter your password.')
    .max(PASSWORD_MAX, `A password has at most ${PASSWORD_MAX} characters.`),
});
export type LoginRequest = z.infer<typeof LoginRequest>;

/** A 6-digit TOTP code, or a recovery code (xxxxx-xxxxx). */
export const SecondFactorRequest = z.object({
  code: z
    .string()
    .trim()
    .min(6, 'Enter the 6-digit code from your authenticator app, or a recovery code.')
    .max(32, 'A code has at most 32 characters.'),
});
export type SecondFactorRequest = z.infer<typeof SecondFactorRequest>;

export const EnrolmentConfirmRequest = z.object({
  code: z
    .string()
    .trim()
    .regex(/^\d{6}$/, 'Enter the 6-digit code shown by your authenticator app.'),
});
export type EnrolmentConfirmRequest = z.infer<typeof EnrolmentConfirmRequest>;

export const UserSummary = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  roles: z.array(Role),
  locale: z.enum(['fr', 'en']),
  mfaEnrolled: z.boolean(),
});
export type UserSummary = z.infer<typeof UserSummary>;

export const SessionInfo = z.object({
  stage: SessionStage,
  user: UserSummary,
  /** ISO 8601 UTC instants. */
  idleExpiresAt: z.string(),
  absoluteExpiresAt: z.string(),
  /** Only for desktop clients (header `X-Vigie-Client: desktop`); web clients get an httpOnly cookie instead. */
  token: z.string().optional(),
});
export type SessionInfo = z.infer<typeof SessionInfo>;

export const EnrolmentStartResponse = z.object({
  /** Base32 secret, shown for manual entry. */
  secret: z.string(),
  otpauthUri: z.string(),
  /** `data:image/svg+xml;base64,…` QR code of `otpauthUri`. */
  qrCode: z.string(),
  issuer: z.string(),
  account: z.string(),
});
export type EnrolmentStartResponse = z.infer<typeof EnrolmentStartResponse>;

export const EnrolmentConfirmResponse = z.object({
  session: SessionInfo,
  /** Shown once; stored hashed. */
  recoveryCodes: z.array(z.string()),
});
export type EnrolmentConfirmResponse = z.infer<typeof EnrolmentConfirmResponse>;

/** Public, before sign-in: what the sign-in page must tell the person. */
export const SignInInfo = z.object({
  product: z.literal('Vigie'),
  version: z.string(),
  demo: z.boolean(),
  /** Roles for which a second factor is NOT required; non-empty means the sign-in page says so. */
  secondFactorRelaxedFor: z.array(Role),
  siteName: z.string(),
});
export type SignInInfo = z.infer<typeof SignInInfo>;

export const LocaleRequest = z.object({ locale: z.enum(['fr', 'en']) });
