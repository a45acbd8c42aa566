/**
 * Instants written in Europe/Paris wall-clock time: the readers, the sites and
 * the report's legal date are French, whatever zone the hub's host runs in.
 */
const PARTS = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Paris',
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

export interface ParisTime {
  /** YYYY, MM, DD, hh, mm, ss as zero-padded strings. */
  year: string;
  month: string;
  day: string;
  hour: string;
  minute: string;
  second: string;
  /** `+0100` in winter, `+0200` in summer. */
  offset: string;
}

export function parisTime(instant: Date): ParisTime {
  const parts: Record<string, string> = {};
  for (const part of PARTS.formatToParts(instant)) parts[part.type] = part.value;
  const get = (type: string): string => parts[type] ?? '00';
  const wallMs = Date.UTC(Number(get('year')), Number(get('month')) - 1, Number(get('day')), Number(get('hour')), Number(get('minute')), Number(get('second')));
  const offsetMinutes = Math.round((wallMs - Math.floor(instant.getTime() / 1000) * 1000) / 60_000);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  const offset = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}${String(abs % 60).padStart(2, '0')}`;
  return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour'), minute: get('minute'), second: get('second'), offset };
}

/** DICOM DA in Paris time: YYYYMMDD. */
export function dicomDate(instant: Date): string {
  const t = parisTime(instant);
  return `${t.year}${t.month}${t.day}`;
}

/** DICOM TM in Paris time: HHMMSS. */
export function dicomTime(instant: Date): string {
  const t = parisTime(instant);
  return `${t.hour}${t.minute}${t.second}`;
}

/** DICOM DT and HL7 v2 DTM with the zone: YYYYMMDDHHMMSS+0100. */
export function zonedTimestamp(instant: Date): string {
  const t = parisTime(instant);
  return `${t.year}${t.month}${t.day}${t.hour}${t.minute}${t.second}${t.offset}`;
}

/** 23/11/2026 */
export function frenchDate(instant: Date): string {
  const t = parisTime(instant);
  return `${t.day}/${t.month}/${t.year}`;
}

/** 03:12 */
export function frenchTime(instant: Date): string {
  const t = parisTime(instant);
  return `${t.hour}:${t.minute}`;
}
