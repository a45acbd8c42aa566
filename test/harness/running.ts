/** A part started in `beforeAll` (a server, a browser), or an error naming it when it did not start. */
export function running<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`${what} did not start`);
  return value;
}
