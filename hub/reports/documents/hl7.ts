/**
 * HL7 v2 encoding helpers with the standard delimiters `|^~\&`.
 * Text is escaped (PS HL7 v2.5.1 2.7): a value never breaks a field,
 * component, repetition or subcomponent, nor the segment (no raw CR/LF).
 */
export function escapeHl7(value: string): string {
  return value
    .replace(/\\/g, '\\E\\')
    .replace(/\|/g, '\\F\\')
    .replace(/\^/g, '\\S\\')
    .replace(/&/g, '\\T\\')
    .replace(/~/g, '\\R\\')
    .replace(/\r\n|\r|\n/g, ' ');
}

/** Components joined with `^`, each escaped, trailing empty ones dropped. */
export function components(...values: string[]): string {
  return values.map(escapeHl7).join('^').replace(/\^+$/, '');
}

/** Subcomponents joined with `&`, each escaped, trailing empty ones dropped. */
export function subcomponents(...values: string[]): string {
  return values.map(escapeHl7).join('&').replace(/&+$/, '');
}

/** A segment from its fields (already encoded), trailing empty fields dropped. */
export function segment(name: string, fields: readonly string[]): string {
  return [name, ...fields].join('|').replace(/\|+$/, '');
}
