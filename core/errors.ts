// The error taxonomy of the domain (STYLE.md "Domain logic", after VS Code
// base/common/errors.ts): three kinds, never mixed.
//  - InvariantError: a broken invariant, i.e. a bug. Thrown; nobody can act on it
//    except a developer.
//  - DomainError: an expected failure a person can act on (a bad CSV line, an
//    illegal transition). Returned as a value inside a Result, never thrown, and
//    carries French and English text because both the UI and the logs show it.
//  - CancelledError: an operation was cancelled on purpose; not a failure.

/** Text shown to people, in the two languages of the UI (French first). */
export type Localized = { readonly fr: string; readonly en: string };

export type DomainError<C extends string = string> = {
  readonly code: C;
  readonly message: Localized;
  /** Machine-readable context (line number, offending value…) for UIs and tests. */
  readonly details?: Readonly<Record<string, string | number | boolean | null>>;
};

export type Result<T, E = DomainError> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: E };

export function ok<T>(value: T): { ok: true; value: T } {
  return { ok: true, value };
}

export function err<E>(error: E): { ok: false; error: E } {
  return { ok: false, error };
}

export function domainError<C extends string>(
  code: C,
  fr: string,
  en: string,
  details?: Readonly<Record<string, string | number | boolean | null>>,
): DomainError<C> {
  return details === undefined ? { code, message: { fr, en } } : { code, message: { fr, en }, details };
}

/** A bug: an invariant the code itself should have guaranteed does not hold. */
export class InvariantError extends Error {
  override readonly name = 'InvariantError';
}

/** Deliberate cancellation; callers test for it and do not report it as a failure. */
export class CancelledError extends Error {
  override readonly name = 'CancelledError';
  constructor(message = 'Cancelled') {
    super(message);
  }
}

export function isCancelledError(error: unknown): error is CancelledError {
  return error instanceof CancelledError;
}

/**
 * Ends every exhaustive switch (Signal's missingCaseError): the `never`
 * parameter makes the compiler refuse a switch that forgot a case, and the
 * throw catches values that slipped past the types at run time.
 */
export function missingCase(x: never): never {
  throw new InvariantError(`Unhandled case: ${describe(x)}`);
}

function describe(x: unknown): string {
  try {
    return JSON.stringify(x) ?? String(x);
  } catch {
    return String(x);
  }
}
