/**
 * Ends an exhaustive switch: the compiler proves it unreachable, and if a
 * value from outside the types gets here anyway it fails loudly (a bug, not a
 * state to carry on from). Signal Desktop's `missingCaseError`.
 */
export function missingCase(value: never): never {
  throw new Error(`Unhandled case: ${JSON.stringify(value)}`);
}
