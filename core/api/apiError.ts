import { z } from 'zod';

/**
 * Every error the hub returns has this body. `code` is stable and the client
 * translates it; `message` is English text a person can act on (for logs,
 * third-party clients and the desktop shell).
 */
export const API_ERROR_CODES = [
  'bad-request',
  'validation-failed',
  'not-signed-in',
  'session-expired',
  'second-factor-required',
  'enrolment-required',
  'invalid-credentials',
  'invalid-code',
  'account-locked',
  'too-many-requests',
  'forbidden',
  'not-found',
  'conflict',
  'payload-too-large',
  'unsupported-media-type',
  'internal-error',
  'service-unavailable',
] as const;
export const ApiErrorCode = z.enum(API_ERROR_CODES);
export type ApiErrorCode = z.infer<typeof ApiErrorCode>;

export const FieldIssue = z.object({
  /** Dotted path of the offending field, e.g. `password` or `roles.1`; empty for the whole body. */
  field: z.string(),
  message: z.string(),
});
export type FieldIssue = z.infer<typeof FieldIssue>;

export const ApiErrorBody = z.object({
  error: z.object({
    code: ApiErrorCode,
    message: z.string(),
    requestId: z.string(),
    fields: z.array(FieldIssue).optional(),
    /** For `account-locked` and `too-many-requests`: when the person may try again (ISO 8601 UTC). */
    retryAt: z.string().optional(),
  }),
});
export type ApiErrorBody = z.infer<typeof ApiErrorBody>;
