import { HttpProblem } from '../http/httpProblem.js';

/**
 * Migration 0005's triggers refuse any UPDATE or DELETE of a signed report or
 * of its documents with SQLSTATE 42501 (insufficient_privilege). Code that
 * reaches them anyway (a race the conditional UPDATEs did not catch) gets the
 * answer a reader can act on, not a 500.
 */
export function signedIsFinal(error: unknown): HttpProblem | null {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return code === '42501' ? reportSignedProblem() : null;
}

export function reportSignedProblem(): HttpProblem {
  return new HttpProblem(409, 'conflict', 'This report is signed and can no longer change: write an addendum.');
}

/** Runs a write, turning the database's refusal to change a signed report into that 409. */
export async function guardFinal<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    throw signedIsFinal(error) ?? error;
  }
}

/** PostgreSQL's unique_violation, as `pg` and PGlite both report it. */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505';
}
