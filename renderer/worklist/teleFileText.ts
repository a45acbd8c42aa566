import type { TeleFileSummary } from '../../core/api/teleFiles.js';

/**
 * A DICOM person name (PS3.5 6.2 PN: `Family^Given^Middle^Prefix^Suffix`) as
 * people read it on a French worklist: family name in capitals, then the
 * given name, e.g. `DUPONT^jean-marie` → `DUPONT Jean-Marie`.
 */
export function formatPatientName(pn: string): string {
  // Only the alphabetic group: ideographic and phonetic groups follow '='.
  const [family = '', given = '', middle = ''] = (pn.split('=')[0] ?? '').split('^').map((part) => part.trim());
  const first = [given, middle].filter(Boolean).map(capitalise).join(' ');
  return [family.toUpperCase(), first].filter(Boolean).join(' ') || pn.trim();
}

function capitalise(name: string): string {
  return name.toLowerCase().replace(/(^|[\s'-])(\p{L})/gu, (_m, sep: string, letter: string) => sep + letter.toUpperCase());
}

/** Age in whole years at `now` from a DICOM DA (`YYYYMMDD`) or ISO (`YYYY-MM-DD`) birth date; null if unreadable. */
export function ageInYears(birthDate: string | null, now: Date): number | null {
  if (birthDate === null) return null;
  const m = /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(birthDate.trim());
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1 || day > 31) return null;
  // Birthdays are calendar dates: compare in Paris terms to within a day, which is all a worklist needs.
  const today = { year: now.getUTCFullYear(), month: now.getUTCMonth() + 1, day: now.getUTCDate() };
  let age = today.year - year;
  if (today.month < month || (today.month === month && today.day < day)) age -= 1;
  return age >= 0 && age < 150 ? age : null;
}

/**
 * What the study is, in one line: its description, and the body part when
 * the description does not already say it (`TDM cérébrale · HEAD`).
 */
export function studyLabel(item: Pick<TeleFileSummary, 'studyDescription' | 'bodyPart'>): string | null {
  const description = item.studyDescription?.trim() || null;
  const bodyPart = item.bodyPart?.trim() || null;
  if (description && bodyPart && !description.toLowerCase().includes(bodyPart.toLowerCase())) return `${description} · ${bodyPart}`;
  return description ?? bodyPart;
}
