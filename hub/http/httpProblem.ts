import type { z } from 'zod';
import type { ApiErrorCode, FieldIssue } from '../../core/api/apiError.js';

/**
 * An expected failure a person can act on: it becomes a 4xx (or 503) with this
 * code and message. Anything else thrown is a bug and becomes a generic 500.
 */
export class HttpProblem extends Error {
  override readonly name = 'HttpProblem';
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode,
    message: string,
    readonly extra: { fields?: FieldIssue[]; retryAt?: Date } = {},
  ) {
    super(message);
  }
}

export function fieldIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.map((issue) => ({
    field: issue.path.map(String).join('.'),
    message: issue.code === 'invalid_type' && issue.input === undefined ? 'This field is required.' : issue.message,
  }));
}

/** Parses untrusted input at the edge; a failure names every bad field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, what = 'request body'): z.infer<S> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const fields = fieldIssues(result.error);
  const summary = fields.map((f) => (f.field ? `${f.field}: ${f.message}` : f.message)).join(' ');
  throw new HttpProblem(400, 'validation-failed', `The ${what} is not valid. ${summary}`, { fields });
}

export const problems = {
  notSignedIn: () => new HttpProblem(401, 'not-signed-in', 'You are not signed in. Sign in first.'),
  sessionExpired: () => new HttpProblem(401, 'session-expired', 'Your session has expired. Please sign in again.'),
  forbidden: (why: string) => new HttpProblem(403, 'forbidden', why),
  notFound: (what: string) => new HttpProblem(404, 'not-found', what),
};
