// Import of a monthly on-call rota ("tableau de garde") exported from a
// spreadsheet. All or nothing: one bad line and no entry is imported, and
// every error is listed with its line number, so the secretary fixes the file
// once instead of discovering errors one at a time. Times are wall-clock
// times of the region (Europe/Paris), as people write them.
import { z } from 'zod';
import { type CsvRecord, detectSeparator, parseCsv } from './csv.js';
import { type DomainError, err, type Localized, ok, type Result } from './errors.js';
import { defaultPdsCalendar, PdsCalendarConfig, pdsPeriodsBetween } from './pdsCalendar.js';
import { PersonId, type RosterEntry, type RosterTarget, rosterTargetKey } from './roster.js';
import { type CivilDate, civilDate, formatShortInstant, formatWallTime, instantAt, wallClockAt } from './wallClock.js';

export type RosterCsvIssueCode =
  | 'unreadable-csv'
  | 'missing-columns'
  | 'no-rows'
  | 'field-count'
  | 'invalid-field'
  | 'end-before-start'
  // warnings
  | 'unknown-column'
  | 'ambiguous-time'
  | 'person-overlap'
  | 'coverage-gap'
  | 'outside-month';

/** One error or warning; `line` is the spreadsheet line (1 = header), null for the whole file. */
export type RosterCsvIssue = DomainError<RosterCsvIssueCode> & { readonly line: number | null };

export const RosterCsvOptions = z.object({
  /** The region's calendar: its zone reads the times, its PDS periods are what must be covered. */
  pdsConfig: PdsCalendarConfig.default(defaultPdsCalendar),
  /** When given, a group not in the list is an error (a typo would otherwise create an empty pool). */
  knownGroupIds: z.array(z.string()).optional(),
  /** When given, a person not in the list is an error. */
  knownPersonIds: z.array(z.string()).optional(),
  /** The month the rota is for: gaps are looked for over the whole month, entries outside it are flagged. */
  month: z.object({ year: z.number().int().min(2000).max(2200), month: z.number().int().min(1).max(12) }).optional(),
});
export type RosterCsvOptions = z.input<typeof RosterCsvOptions>;

export type RosterCsvImport = { readonly entries: RosterEntry[]; readonly warnings: RosterCsvIssue[] };

// --- columns -------------------------------------------------------------------

const COLUMNS = ['startDate', 'startTime', 'endDate', 'endTime', 'group', 'person'] as const;
type Column = (typeof COLUMNS)[number];

/** Header names people use, normalised (lower case, no accents, '_' for spaces). */
const ALIASES: Record<Column, readonly string[]> = {
  startDate: ['date_debut', 'debut_date', 'start_date', 'date_start', 'from_date'],
  startTime: ['heure_debut', 'debut_heure', 'start_time', 'time_start', 'from_time'],
  endDate: ['date_fin', 'fin_date', 'end_date', 'date_end', 'to_date'],
  endTime: ['heure_fin', 'fin_heure', 'end_time', 'time_end', 'to_time'],
  group: ['groupe', 'group', 'pool', 'cible', 'target'],
  person: ['identifiant', 'id', 'person', 'person_id', 'personne', 'utilisateur', 'username', 'user', 'radiologue'],
};

const COLUMN_LABEL: Record<Column, Localized> = {
  startDate: { fr: 'date de début', en: 'start date' },
  startTime: { fr: 'heure de début', en: 'start time' },
  endDate: { fr: 'date de fin', en: 'end date' },
  endTime: { fr: 'heure de fin', en: 'end time' },
  group: { fr: 'groupe', en: 'group' },
  person: { fr: 'identifiant', en: 'person id' },
};

function normaliseHeader(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .trim()
    .replace(/[\s-]+/g, '_');
}

// --- field parsers ---------------------------------------------------------------

/** DD/MM/YYYY (also D/M/YYYY, with '.' or '-') or ISO YYYY-MM-DD. */
export function parseRotaDate(text: string): CivilDate | null {
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (iso) return civilDate(Number(iso[1]), Number(iso[2]), Number(iso[3]));
  const dmy = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(text);
  if (dmy) return civilDate(Number(dmy[3]), Number(dmy[2]), Number(dmy[1]));
  return null;
}

/** HH:MM, H:MM, HH:MM:00 (Excel), 08h00, 8h → minutes after midnight; 24:00 and beyond are refused. */
export function parseRotaTime(text: string): number | null {
  const m = /^(\d{1,2})(?:[:hH](\d{2})?(?::00)?)?$/.exec(text);
  if (!m || (m[2] === undefined && !/[hH]$/.test(text))) return null;
  const hours = Number(m[1]);
  const minutes = m[2] === undefined ? 0 : Number(m[2]);
  return hours <= 23 && minutes <= 59 ? hours * 60 + minutes : null;
}

function localized(fr: string, en: string): { message: string; params: { fr: string } } {
  return { message: en, params: { fr } };
}

function dateField(label: Localized) {
  return z.string().transform((text, ctx) => {
    const date = parseRotaDate(text);
    if (date) return date;
    ctx.addIssue({
      code: 'custom',
      ...(text === ''
        ? localized(`${label.fr} manquante`, `${label.en} is missing`)
        : localized(`${label.fr} ${text} invalide (attendu JJ/MM/AAAA ou AAAA-MM-JJ)`, `${label.en} ${text} is invalid (expected DD/MM/YYYY or YYYY-MM-DD)`)),
    });
    return z.NEVER;
  });
}

function timeField(label: Localized) {
  return z.string().transform((text, ctx) => {
    const minutes = parseRotaTime(text);
    if (minutes !== null) return minutes;
    ctx.addIssue({
      code: 'custom',
      ...(text === ''
        ? localized(`${label.fr} manquante`, `${label.en} is missing`)
        : localized(`${label.fr} ${text} invalide (attendu HH:MM, de 00:00 à 23:59)`, `${label.en} ${text} is invalid (expected HH:MM, 00:00 to 23:59)`)),
    });
    return z.NEVER;
  });
}

const SUBSPECIALTY_NAMES: Record<string, RosterTarget> = {
  neuroradiologie: { kind: 'subspecialty', subspecialty: 'neuroradiology' },
  neuroradiology: { kind: 'subspecialty', subspecialty: 'neuroradiology' },
  neuro: { kind: 'subspecialty', subspecialty: 'neuroradiology' },
};

function rowSchema(knownGroupIds: readonly string[] | undefined, knownPersonIds: readonly string[] | undefined) {
  return z.object({
    startDate: dateField(COLUMN_LABEL.startDate),
    startTime: timeField(COLUMN_LABEL.startTime),
    endDate: dateField(COLUMN_LABEL.endDate),
    endTime: timeField(COLUMN_LABEL.endTime),
    group: z.string().transform((text, ctx): RosterTarget => {
      const key = text.toLowerCase();
      const subspecialty = SUBSPECIALTY_NAMES[key];
      if (subspecialty) return subspecialty;
      const valid = /^[a-z0-9][a-z0-9-]{0,62}$/.test(key);
      if (text === '') ctx.addIssue({ code: 'custom', ...localized('groupe manquant', 'group is missing') });
      else if (!valid || (knownGroupIds && !knownGroupIds.includes(key))) {
        ctx.addIssue({ code: 'custom', ...localized(`groupe « ${text} » inconnu`, `unknown group "${text}"`) });
      }
      return { kind: 'pivot-group', groupId: key };
    }),
    person: z.string().transform((text, ctx) => {
      const parsed = PersonId.safeParse(text);
      if (text === '') ctx.addIssue({ code: 'custom', ...localized('identifiant manquant', 'person id is missing') });
      else if (!parsed.success) {
        ctx.addIssue({
          code: 'custom',
          ...localized(`identifiant « ${text} » invalide (lettres, chiffres, point, tiret)`, `person id "${text}" is invalid (letters, digits, dot, dash)`),
        });
      } else if (knownPersonIds && !knownPersonIds.includes(parsed.data)) {
        ctx.addIssue({ code: 'custom', ...localized(`identifiant « ${text} » inconnu`, `unknown person id "${text}"`) });
      }
      return parsed.success ? parsed.data : text;
    }),
  });
}

// --- import ------------------------------------------------------------------------

function issue(code: RosterCsvIssueCode, line: number | null, fr: string, en: string): RosterCsvIssue {
  const where = line === null ? { fr: '', en: '' } : { fr: `ligne ${line} : `, en: `line ${line}: ` };
  return { code, line, message: { fr: `${where.fr}${fr}`, en: `${where.en}${en}` } };
}

type ParsedRow = { line: number; entry: RosterEntry };

export function parseRosterCsv(text: string, rawOptions: RosterCsvOptions = {}): Result<RosterCsvImport, RosterCsvIssue[]> {
  const options = RosterCsvOptions.parse(rawOptions);
  const tz = options.pdsConfig.timeZone;

  const csv = parseCsv(text, detectSeparator(text));
  if (!csv.ok) return err([{ ...csv.error, code: 'unreadable-csv', line: typeof csv.error.details?.line === 'number' ? csv.error.details.line : null }]);
  const [header, ...rows] = csv.value;
  if (!header) return err([issue('no-rows', null, 'fichier vide', 'the file is empty')]);

  const warnings: RosterCsvIssue[] = [];
  const indexOf = columnIndexes(header, warnings);
  if (!indexOf.ok) return err([indexOf.error]);
  if (rows.length === 0) return err([issue('no-rows', null, 'aucune ligne de garde après l’en-tête', 'no rota line after the header')]);

  const schema = rowSchema(options.knownGroupIds?.map((g) => g.toLowerCase()), options.knownPersonIds);
  const errors: RosterCsvIssue[] = [];
  const parsed: ParsedRow[] = [];
  for (const row of rows) {
    const result = parseRow(row, header.fields.length, indexOf.value, schema, tz, warnings);
    if (result.ok) parsed.push({ line: row.line, entry: result.value });
    else errors.push(...result.error);
  }
  if (errors.length > 0) return err(errors);

  const entries = parsed.map((p) => p.entry);
  warnings.push(...personOverlaps(parsed, tz), ...coverageGaps(parsed, options.pdsConfig, options.month), ...outsideMonth(parsed, tz, options.month));
  return ok({ entries, warnings });
}

function columnIndexes(header: CsvRecord, warnings: RosterCsvIssue[]): Result<Record<Column, number>, RosterCsvIssue> {
  const found: Partial<Record<Column, number>> = {};
  header.fields.forEach((name, index) => {
    const normalised = normaliseHeader(name);
    const column = COLUMNS.find((c) => ALIASES[c].includes(normalised));
    if (column && found[column] === undefined) found[column] = index;
    else if (!column) warnings.push(issue('unknown-column', header.line, `colonne « ${name} » ignorée`, `column "${name}" ignored`));
  });
  const missing = COLUMNS.filter((c) => found[c] === undefined);
  if (missing.length > 0) {
    const expected = COLUMNS.map((c) => ALIASES[c][0]).join(';');
    return err(
      issue(
        'missing-columns',
        header.line,
        `colonnes manquantes dans l'en-tête : ${missing.map((c) => COLUMN_LABEL[c].fr).join(', ')} (attendu par exemple : ${expected})`,
        `missing header columns: ${missing.map((c) => COLUMN_LABEL[c].en).join(', ')} (expected e.g. ${expected})`,
      ),
    );
  }
  return ok(found as Record<Column, number>);
}

function parseRow(
  row: CsvRecord,
  width: number,
  indexOf: Record<Column, number>,
  schema: ReturnType<typeof rowSchema>,
  tz: string,
  warnings: RosterCsvIssue[],
): Result<RosterEntry, RosterCsvIssue[]> {
  if (row.fields.length !== width) {
    return err([
      issue('field-count', row.line, `${row.fields.length} champs au lieu de ${width}`, `${row.fields.length} fields instead of ${width}`),
    ]);
  }
  const raw = Object.fromEntries(COLUMNS.map((c) => [c, row.fields[indexOf[c]] ?? '']));
  const result = schema.safeParse(raw);
  if (!result.success) {
    return err(
      result.error.issues.map((i) => {
        const fr = i.code === 'custom' && typeof i.params?.fr === 'string' ? i.params.fr : i.message;
        return issue('invalid-field', row.line, fr, i.message);
      }),
    );
  }
  const r = result.data;
  const from = wallInstant(r.startDate, r.startTime, tz, row.line, COLUMN_LABEL.startTime, warnings);
  const to = wallInstant(r.endDate, r.endTime, tz, row.line, COLUMN_LABEL.endTime, warnings);
  if (!from.ok || !to.ok) return err([...(from.ok ? [] : [from.error]), ...(to.ok ? [] : [to.error])]);
  if (to.value.getTime() <= from.value.getTime()) {
    return err([
      issue(
        'end-before-start',
        row.line,
        `la fin (${formatShortInstant(to.value, tz, 'fr')}) n'est pas après le début (${formatShortInstant(from.value, tz, 'fr')})`,
        `the end (${formatShortInstant(to.value, tz, 'en')}) is not after the start (${formatShortInstant(from.value, tz, 'en')})`,
      ),
    ]);
  }
  return ok({ personId: r.person, target: r.group, from: from.value, to: to.value });
}

/** A wall time that does not exist (spring gap) is an error; one that happens twice (autumn) takes the first and warns. */
function wallInstant(date: CivilDate, minutes: number, tz: string, line: number, label: Localized, warnings: RosterCsvIssue[]): Result<Date, RosterCsvIssue> {
  const instant = instantAt(date, minutes, tz);
  const shown = wallClockAt(instant, tz);
  const time = formatWallTime(minutes);
  if (shown.hour * 60 + shown.minute !== minutes || shown.day !== date.day) {
    return err(
      issue(
        'invalid-field',
        line,
        `${label.fr} ${time} inexistante ce jour-là (passage à l'heure d'été)`,
        `${label.en} ${time} does not exist that day (clocks go forward)`,
      ),
    );
  }
  const hourLater = wallClockAt(new Date(instant.getTime() + 3_600_000), tz);
  if (hourLater.hour === shown.hour && hourLater.minute === shown.minute) {
    warnings.push(
      issue(
        'ambiguous-time',
        line,
        `${label.fr} ${time} existe deux fois ce jour-là (passage à l'heure d'hiver) : la première est retenue`,
        `${label.en} ${time} happens twice that day (clocks go back): the first one is used`,
      ),
    );
  }
  return ok(instant);
}

function personOverlaps(rows: readonly ParsedRow[], tz: string): RosterCsvIssue[] {
  const warnings: RosterCsvIssue[] = [];
  for (let i = 0; i < rows.length; i++) {
    for (let j = i + 1; j < rows.length; j++) {
      const a = rows[i];
      const b = rows[j];
      if (!a || !b || a.entry.personId !== b.entry.personId) continue;
      const start = Math.max(a.entry.from.getTime(), b.entry.from.getTime());
      const end = Math.min(a.entry.to.getTime(), b.entry.to.getTime());
      if (start >= end) continue;
      const at = { fr: formatShortInstant(new Date(start), tz, 'fr'), en: formatShortInstant(new Date(start), tz, 'en') };
      warnings.push(
        issue(
          'person-overlap',
          b.line,
          `${b.entry.personId} est déjà d'astreinte à la ligne ${a.line} (chevauchement à partir du ${at.fr})`,
          `${b.entry.personId} is already on call on line ${a.line} (overlap from ${at.en})`,
        ),
      );
    }
  }
  return warnings;
}

function monthRange(month: { year: number; month: number }, tz: string): { from: Date; to: Date } {
  const next = month.month === 12 ? { year: month.year + 1, month: 1 } : { year: month.year, month: month.month + 1 };
  return { from: instantAt({ ...month, day: 1 }, 0, tz), to: instantAt({ ...next, day: 1 }, 0, tz) };
}

/**
 * PDS time of the month (or of the span of the file) during which a group or
 * subspecialty has nobody on call. Daytime is not a gap: the rota is for PDS.
 */
function coverageGaps(rows: readonly ParsedRow[], config: PdsCalendarConfig, month: { year: number; month: number } | undefined): RosterCsvIssue[] {
  if (rows.length === 0) return [];
  const tz = config.timeZone;
  const range = month
    ? monthRange(month, tz)
    : {
        from: new Date(Math.min(...rows.map((r) => r.entry.from.getTime()))),
        to: new Date(Math.max(...rows.map((r) => r.entry.to.getTime()))),
      };
  const periods = pdsPeriodsBetween(range.from, range.to, config).map((p) => ({
    from: Math.max(p.start.getTime(), range.from.getTime()),
    to: Math.min(p.end.getTime(), range.to.getTime()),
  }));
  const byTarget = new Map<string, { target: RosterTarget; intervals: { from: number; to: number }[] }>();
  for (const { entry } of rows) {
    const key = rosterTargetKey(entry.target);
    const slot = byTarget.get(key) ?? { target: entry.target, intervals: [] };
    slot.intervals.push({ from: entry.from.getTime(), to: entry.to.getTime() });
    byTarget.set(key, slot);
  }
  const warnings: RosterCsvIssue[] = [];
  for (const { target, intervals } of byTarget.values()) {
    const name = target.kind === 'pivot-group' ? { fr: `groupe ${target.groupId}`, en: `group ${target.groupId}` } : { fr: 'neuroradiologie', en: 'neuroradiology' };
    for (const gap of uncovered(periods, intervals)) {
      const from = new Date(gap.from);
      const to = new Date(gap.to);
      warnings.push(
        issue(
          'coverage-gap',
          null,
          `${name.fr} : personne d'astreinte du ${formatShortInstant(from, tz, 'fr')} au ${formatShortInstant(to, tz, 'fr')}`,
          `${name.en}: nobody on call from ${formatShortInstant(from, tz, 'en')} to ${formatShortInstant(to, tz, 'en')}`,
        ),
      );
    }
  }
  return warnings;
}

/** Parts of `required` that no interval of `covered` includes (all half-open, in ms). */
export function uncovered(required: readonly { from: number; to: number }[], covered: readonly { from: number; to: number }[]): { from: number; to: number }[] {
  const sorted = [...covered].sort((a, b) => a.from - b.from);
  const gaps: { from: number; to: number }[] = [];
  for (const need of required) {
    let cursor = need.from;
    for (const c of sorted) {
      if (c.to <= cursor) continue;
      if (c.from >= need.to) break;
      if (c.from > cursor) gaps.push({ from: cursor, to: c.from });
      cursor = Math.max(cursor, c.to);
      if (cursor >= need.to) break;
    }
    if (cursor < need.to) gaps.push({ from: cursor, to: need.to });
  }
  return gaps;
}

function outsideMonth(rows: readonly ParsedRow[], tz: string, month: { year: number; month: number } | undefined): RosterCsvIssue[] {
  if (!month) return [];
  const range = monthRange(month, tz);
  const label = `${String(month.month).padStart(2, '0')}/${month.year}`;
  return rows
    .filter((r) => r.entry.to.getTime() <= range.from.getTime() || r.entry.from.getTime() >= range.to.getTime())
    .map((r) => issue('outside-month', r.line, `garde hors du mois ${label}`, `shift outside the month ${label}`));
}
