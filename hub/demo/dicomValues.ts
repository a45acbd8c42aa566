/** Formatting of DICOM text values that dcmjs would otherwise truncate or print oddly. */

/**
 * A Decimal String value (at most 16 characters). Six decimals are far below
 * any pixel spacing we use and keep binary-float noise (0.30000000000000004)
 * out of the files.
 */
export function ds(value: number): string {
  const rounded = Number(value.toFixed(6));
  const text = Object.is(rounded, -0) ? '0' : String(rounded);
  if (text.length > 16 || text.includes('e')) throw new Error(`DS value out of range: ${value}`);
  return text;
}

export function dsList(values: readonly number[]): string[] {
  return values.map(ds);
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

/** A study's date and time as DICOM DA/TM strings, in no particular time zone. */
export interface DicomDateTime {
  date: string;
  time: string;
}

/**
 * Adds minutes to a DA/TM pair with the UTC calendar (no local zone, no
 * clock: only the arguments decide the result).
 */
export function addMinutes(start: DicomDateTime, minutes: number): DicomDateTime {
  const y = Number(start.date.slice(0, 4));
  const mo = Number(start.date.slice(4, 6));
  const d = Number(start.date.slice(6, 8));
  const h = Number(start.time.slice(0, 2));
  const mi = Number(start.time.slice(2, 4));
  const s = Number(start.time.slice(4, 6));
  const when = new Date(Date.UTC(y, mo - 1, d, h, mi + minutes, s));
  return {
    date: `${when.getUTCFullYear()}${pad(when.getUTCMonth() + 1, 2)}${pad(when.getUTCDate(), 2)}`,
    time: `${pad(when.getUTCHours(), 2)}${pad(when.getUTCMinutes(), 2)}${pad(when.getUTCSeconds(), 2)}`,
  };
}
