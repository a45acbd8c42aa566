import type { TeleFileSummary } from '../../core/api/teleFiles.js';
import { civilDate, instantAt, type CivilDate } from '../../core/wallClock.js';
import { DISPLAY_TIME_ZONE, formatDateTime } from '../format/dateTime.js';
import { INTL_TAG, type Locale } from '../i18n/locale.js';
import { formatPatientName } from '../worklist/teleFileText.js';

/**
 * The patient banner over the images: who, how old, which study. Built from
 * an instance's DICOM JSON and, when the viewer opened a tele-file, from it:
 * the tele-file holds the identity the hub checked (its issuer may be the
 * site's default when the modality left IssuerOfPatientID empty), so it wins
 * for identity; the DICOM wins for what only it carries.
 */
export interface PatientBanner {
  /** `FAMILY Given`, or '' when neither source names the patient. */
  name: string;
  /** The i18n key of the sex (existing worklist keys), or null when unknown. */
  sexKey: 'worklist.sex.M' | 'worklist.sex.F' | 'worklist.sex.O' | null;
  age: PatientAge | null;
  patientId: string | null;
  issuer: string | null;
  /** The tele-file and the images name different patient IDs: the banner must say so. */
  identityMismatch: boolean;
  /** The study's date as acquired ('YYYY-MM-DD'), and its instant when the time is known too. */
  studyDate: string | null;
  studyInstant: string | null;
  studyDescription: string | null;
  accessionNumber: string | null;
}

export interface PatientAge {
  value: number;
  unit: 'years' | 'months' | 'weeks' | 'days';
}

const TAG = {
  studyDate: '00080020',
  studyTime: '00080030',
  accessionNumber: '00080050',
  timezoneOffsetFromUtc: '00080201',
  studyDescription: '00081030',
  patientName: '00100010',
  patientId: '00100020',
  issuerOfPatientId: '00100021',
  patientBirthDate: '00100030',
  patientSex: '00100040',
  patientAge: '00101010',
} as const;

function first(meta: unknown, tag: string): unknown {
  if (typeof meta !== 'object' || meta === null) return undefined;
  const element = (meta as Record<string, unknown>)[tag];
  if (typeof element !== 'object' || element === null) return undefined;
  const value = (element as { Value?: unknown }).Value;
  return Array.isArray(value) ? value[0] : undefined;
}

function text(meta: unknown, tag: string): string | null {
  const value = first(meta, tag);
  const trimmed = typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : '';
  return trimmed === '' ? null : trimmed;
}

/** PS3.18 F.2.2: a PN value is an object of component groups; only the alphabetic one is shown. */
function personName(meta: unknown): string | null {
  const value = first(meta, TAG.patientName);
  const alphabetic = typeof value === 'string' ? value : typeof value === 'object' && value !== null ? (value as { Alphabetic?: unknown }).Alphabetic : null;
  return typeof alphabetic === 'string' && alphabetic.trim() !== '' ? alphabetic : null;
}

/** DA `YYYYMMDD` (or the ISO form the tele-file uses). */
export function parseDicomDate(value: string | null): CivilDate | null {
  const m = value === null ? null : /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(value.trim());
  return m ? civilDate(Number(m[1]), Number(m[2]), Number(m[3])) : null;
}

/** TM `HHMMSS.FFFFFF`, `HHMM`, `HH` (or the old `HH:MM:SS`) → minutes after midnight. */
function parseDicomTime(value: string | null): number | null {
  const m = value === null ? null : /^(\d{2}):?(\d{2})?/.exec(value.trim());
  if (!m) return null;
  const hours = Number(m[1]);
  const minutes = m[2] === undefined ? 0 : Number(m[2]);
  return hours < 24 && minutes < 60 ? hours * 60 + minutes : null;
}

/** AS `nnnD|W|M|Y` (PS3.5 6.2). */
function parseDicomAge(value: string | null): PatientAge | null {
  const m = value === null ? null : /^(\d{3})([DWMY])$/.exec(value.trim());
  if (!m) return null;
  const unit = ({ D: 'days', W: 'weeks', M: 'months', Y: 'years' } as const)[m[2] as 'D' | 'W' | 'M' | 'Y'];
  return { value: Number(m[1]), unit };
}

function daysBetween(a: CivilDate, b: CivilDate): number {
  return Math.round((Date.UTC(b.year, b.month - 1, b.day) - Date.UTC(a.year, a.month - 1, a.day)) / 86_400_000);
}

/**
 * Age on `at` from a birth date, as paediatric radiology reads it: years from
 * 2 years, months under 2 years, days under 1 month. Null when born after `at`.
 */
export function ageAt(birth: CivilDate, at: CivilDate): PatientAge | null {
  if (daysBetween(birth, at) < 0) return null;
  let months = (at.year - birth.year) * 12 + (at.month - birth.month);
  if (at.day < birth.day) months -= 1;
  if (months >= 24) return { value: Math.floor(months / 12), unit: 'years' };
  if (months >= 1) return { value: months, unit: 'months' };
  return { value: daysBetween(birth, at), unit: 'days' };
}

/**
 * When the study was acquired. DICOM dates are the wall clock of the
 * modality: TimezoneOffsetFromUTC when the modality gave it, else Paris time
 * (every site of the region is in France).
 */
function studyInstantOf(date: CivilDate | null, minutes: number | null, offset: string | null): string | null {
  if (date === null || minutes === null) return null;
  const m = offset === null ? null : /^([+-])(\d{2})(\d{2})$/.exec(offset);
  if (m) {
    const offsetMinutes = (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
    return new Date(Date.UTC(date.year, date.month - 1, date.day) + (minutes - offsetMinutes) * 60_000).toISOString();
  }
  return instantAt(date, minutes, DISPLAY_TIME_ZONE).toISOString();
}

const SEX_KEYS = { M: 'worklist.sex.M', F: 'worklist.sex.F', O: 'worklist.sex.O' } as const;

function sexKeyOf(sex: string | null): PatientBanner['sexKey'] {
  return sex === 'M' || sex === 'F' || sex === 'O' ? SEX_KEYS[sex] : null;
}

type TeleFilePatient = Pick<TeleFileSummary, 'patient' | 'studyDescription' | 'accessionNumber'>;

/** The banner of the study `meta` (one instance's DICOM JSON) belongs to. Never throws on odd metadata. */
export function bannerOf(meta: unknown, teleFile?: TeleFilePatient): PatientBanner {
  const fromFile = teleFile?.patient;
  const pn = personName(meta) ?? (fromFile?.name || null);
  const dicomId = text(meta, TAG.patientId);
  const patientId = fromFile?.patientId.trim() || dicomId;
  const issuer = fromFile?.issuer.trim() || text(meta, TAG.issuerOfPatientId);
  const studyDay = parseDicomDate(text(meta, TAG.studyDate));
  const birth = parseDicomDate(text(meta, TAG.patientBirthDate) ?? fromFile?.birthDate ?? null);
  const age = parseDicomAge(text(meta, TAG.patientAge)) ?? (birth !== null && studyDay !== null ? ageAt(birth, studyDay) : null);
  return {
    name: pn === null ? '' : formatPatientName(pn),
    sexKey: sexKeyOf(text(meta, TAG.patientSex) ?? fromFile?.sex ?? null),
    age,
    patientId,
    issuer,
    identityMismatch: fromFile !== undefined && dicomId !== null && dicomId !== fromFile.patientId.trim(),
    studyDate: studyDay === null ? null : `${String(studyDay.year).padStart(4, '0')}-${String(studyDay.month).padStart(2, '0')}-${String(studyDay.day).padStart(2, '0')}`,
    studyInstant: studyInstantOf(studyDay, parseDicomTime(text(meta, TAG.studyTime)), text(meta, TAG.timezoneOffsetFromUtc)),
    studyDescription: text(meta, TAG.studyDescription) ?? teleFile?.studyDescription ?? null,
    accessionNumber: text(meta, TAG.accessionNumber) ?? teleFile?.accessionNumber ?? null,
  };
}

/**
 * Whether two studies are of the same patient: same issuer and same patient
 * ID (core/patientIdentity.ts: IDs never cross issuers). An identity missing
 * on either side is not the same patient: the viewer then marks the study as
 * possibly another patient's, which is the safe error.
 */
export function samePatient(a: Pick<PatientBanner, 'patientId' | 'issuer'>, b: Pick<PatientBanner, 'patientId' | 'issuer'>): boolean {
  const [idA, idB, issuerA, issuerB] = [a.patientId, b.patientId, a.issuer, b.issuer].map((v) => v?.trim() || null);
  return idA !== null && issuerA !== null && idA === idB && issuerA === issuerB;
}

/** "3 ans", "5 mois", "12 jours" / "3 years"…: Intl's unit formatting, no message to translate. */
export function formatAge(age: PatientAge, locale: Locale): string {
  const unit = ({ years: 'year', months: 'month', weeks: 'week', days: 'day' } as const)[age.unit];
  return new Intl.NumberFormat(INTL_TAG[locale], { style: 'unit', unit, unitDisplay: 'long' }).format(age.value);
}

/** The study's date and time in Paris (renderer/format/dateTime.ts), or its date alone when the time is unknown. */
export function formatStudyDate(banner: Pick<PatientBanner, 'studyDate' | 'studyInstant'>, locale: Locale): string | null {
  if (banner.studyInstant !== null) return formatDateTime(banner.studyInstant, locale);
  if (banner.studyDate === null) return null;
  const [year, month, day] = banner.studyDate.split('-').map(Number) as [number, number, number];
  return new Intl.DateTimeFormat(INTL_TAG[locale], { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'UTC' }).format(new Date(Date.UTC(year, month - 1, day)));
}
