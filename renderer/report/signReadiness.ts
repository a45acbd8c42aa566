import { missingCommunication, missingSections, type CriticalFinding, type ReportContent, type ReportKind, type ReportSection } from '../../core/api/reports.js';
import { civilDate, instantAt, wallClockAt } from '../../core/wallClock.js';
import { DISPLAY_TIME_ZONE } from '../format/dateTime.js';

/** What stops a signature, in the order the dialog lists it (the hub checks the same rules: core/api/reports.ts). */
export type SignBlocker = { readonly kind: 'section'; readonly section: ReportSection } | { readonly kind: 'critical'; readonly field: 'to' | 'means' | 'at' };

export function signBlockers(kind: ReportKind, content: ReportContent, critical: CriticalFinding): SignBlocker[] {
  return [
    ...missingSections(kind, content).map((section) => ({ kind: 'section' as const, section })),
    ...missingCommunication(critical).map((field) => ({ kind: 'critical' as const, field })),
  ];
}

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * An `<input type="datetime-local">` value ("2026-01-15T03:12") read as Paris
 * time, whatever the workstation's zone, to the ISO instant the hub stores.
 * Null when incomplete or not a date.
 */
export function parisLocalToIso(value: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(value);
  if (!m) return null;
  const date = civilDate(Number(m[1]), Number(m[2]), Number(m[3]));
  const hour = Number(m[4]);
  const minute = Number(m[5]);
  if (date === null || hour > 23 || minute > 59) return null;
  return instantAt(date, hour * 60 + minute, DISPLAY_TIME_ZONE).toISOString();
}

/** The reverse: an ISO instant as the datetime-local value showing it in Paris time. */
export function isoToParisLocal(iso: string | null): string {
  if (iso === null) return '';
  const instant = new Date(iso);
  if (Number.isNaN(instant.getTime())) return '';
  const wall = wallClockAt(instant, DISPLAY_TIME_ZONE);
  return `${wall.year}-${pad(wall.month)}-${pad(wall.day)}T${pad(wall.hour)}:${pad(wall.minute)}`;
}
