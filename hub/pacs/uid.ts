/**
 * DICOM UID syntax (PS3.5 §9.1): at most 64 characters, components of digits
 * separated by dots, no empty component, no leading zero in a component of
 * more than one digit. Neither dicom-parser nor dcmjs checks it, and a UID
 * goes into file paths, URLs and SQL keys: check it before using a file.
 */
export const UID_MAX_LENGTH = 64;

const UID_SYNTAX = /^(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))*$/;

/**
 * Why `value` is not a legal UID ("is …", to follow the attribute's name), or
 * null when it is. The message quotes at most 80 characters of the value.
 */
export function uidProblem(value: string | undefined | null): string | null {
  if (value === undefined || value === null || value === '') return 'is missing or empty';
  if (value.length > UID_MAX_LENGTH) return `is ${value.length} characters long (at most ${UID_MAX_LENGTH})`;
  if (!UID_SYNTAX.test(value)) return `is "${printable(value)}", not digits separated by dots without leading zeros`;
  return null;
}

export function isValidUid(value: string | undefined | null): value is string {
  return uidProblem(value) === null;
}

/** A value safe to quote in a message: control and non-ASCII characters escaped, cut at 80 characters. */
export function printable(value: string): string {
  const cut = value.length > 80 ? `${value.slice(0, 80)}…` : value;
  return cut.replace(/[^\x20-\x7e…]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
