import { describe, expect, it } from 'vitest';
import { PdsCalendarConfig } from '../../core/pdsCalendar.js';
import { parseRosterCsv, parseRotaDate, parseRotaTime, type RosterCsvIssue, type RosterCsvOptions, uncovered } from '../../core/rosterCsv.js';

const HEADER = 'date_debut;heure_debut;date_fin;heure_fin;groupe;identifiant';

/** One week of pool nights, 23–30 March 2026 (the spring change is on Sunday 29). */
const WEEK = [
  HEADER,
  '23/03/2026;18:00;24/03/2026;08:00;aab;dr.x',
  '24/03/2026;18h00;25/03/2026;8h;aab;dr.y',
  '25/03/2026;18:00;26/03/2026;08:00;aab;dr.z',
  '26/03/2026;18:00;27/03/2026;08:00;aab;dr.x',
  '27/03/2026;18:00;28/03/2026;08:00;aab;dr.y',
  '28/03/2026;12:00;30/03/2026;08:00;aab;dr.z',
].join('\n');

function imported(text: string, options?: RosterCsvOptions) {
  const r = parseRosterCsv(text, options);
  if (!r.ok) throw new Error(r.error.map((e) => e.message.en).join('\n'));
  return r.value;
}

function failed(text: string, options?: RosterCsvOptions): RosterCsvIssue[] {
  const r = parseRosterCsv(text, options);
  if (r.ok) throw new Error(`imported ${r.value.entries.length} entries`);
  return r.error;
}

describe('roster CSV: a valid rota', () => {
  it('imports a French Excel export (;, DD/MM/YYYY, 18h00) with Paris times, across the spring change', () => {
    const { entries, warnings } = imported(WEEK);
    expect(entries).toHaveLength(6);
    expect(entries[0]).toEqual({
      personId: 'dr.x',
      target: { kind: 'pivot-group', groupId: 'aab' },
      from: new Date('2026-03-23T17:00:00Z'),
      to: new Date('2026-03-24T07:00:00Z'),
    });
    expect(entries[1]?.to).toEqual(new Date('2026-03-25T07:00:00Z'));
    // Saturday 12:00 CET → Monday 08:00 CEST.
    expect([entries[5]?.from.toISOString(), entries[5]?.to.toISOString()]).toEqual(['2026-03-28T11:00:00.000Z', '2026-03-30T06:00:00.000Z']);
    expect(warnings).toEqual([]);
  });

  it('imports English headers in any order, commas, ISO dates, quoted fields, a BOM and CRLF', () => {
    const text = '\uFEFFperson,group,start_date,start_time,end_date,end_time\r\n"dr.x","neuroradiology",2026-03-28,12:00,2026-03-30,08:00\r\n';
    const { entries } = imported(text);
    expect(entries).toEqual([
      { personId: 'dr.x', target: { kind: 'subspecialty', subspecialty: 'neuroradiology' }, from: new Date('2026-03-28T11:00:00Z'), to: new Date('2026-03-30T06:00:00Z') },
    ]);
  });

  it('accepts accented and spaced headers and warns about extra columns', () => {
    const text = 'Date début;Heure début;Date fin;Heure fin;Groupe;Identifiant;Commentaire\n28/03/2026;12:00;30/03/2026;08:00;AAB;dr.x;RAS';
    const { entries, warnings } = imported(text);
    expect(entries[0]?.target).toEqual({ kind: 'pivot-group', groupId: 'aab' });
    expect(warnings.map((w) => w.message.fr)).toEqual(['ligne 1 : colonne « Commentaire » ignorée']);
  });
});

describe('roster CSV: errors, all or nothing', () => {
  it('lists every error of every line and imports nothing', () => {
    const text = [
      HEADER,
      '23/03/2026;18:00;24/03/2026;08:00;aab;dr.x',
      '31/02/2026;18:00;24/03/2026;08:00;aab;dr.y',
      '24/03/2026;18:00;25/03/2026;08:00;;dr.z',
      '25/03/2026;18:00;26/03/2026;08:00;aab',
      '26/03/2026;18:00;26/03/2026;08:00;aab;dr.x',
      '27/03/2026;18:00;28/03/2026;25:00;aab;dr x',
    ].join('\n');
    const errors = failed(text);
    expect(errors.map((e) => [e.line, e.message.fr])).toEqual([
      [3, 'ligne 3 : date de début 31/02/2026 invalide (attendu JJ/MM/AAAA ou AAAA-MM-JJ)'],
      [4, 'ligne 4 : groupe manquant'],
      [5, 'ligne 5 : 5 champs au lieu de 6'],
      [6, "ligne 6 : la fin (jeu. 26/03 08:00) n'est pas après le début (jeu. 26/03 18:00)"],
      [7, 'ligne 7 : heure de fin 25:00 invalide (attendu HH:MM, de 00:00 à 23:59)'],
      [7, 'ligne 7 : identifiant « dr x » invalide (lettres, chiffres, point, tiret)'],
    ]);
    expect(errors.find((e) => e.line === 7)?.message.en).toBe('line 7: end time 25:00 is invalid (expected HH:MM, 00:00 to 23:59)');
  });

  it('refuses unknown groups and people when the lists are given', () => {
    const text = `${HEADER}\n23/03/2026;18:00;24/03/2026;08:00;amien;dr.w`;
    expect(imported(text).entries).toHaveLength(1);
    const errors = failed(text, { knownGroupIds: ['aab', 'amiens'], knownPersonIds: ['dr.x'] });
    expect(errors.map((e) => e.message.fr)).toEqual(['ligne 2 : groupe « amien » inconnu', 'ligne 2 : identifiant « dr.w » inconnu']);
  });

  it('refuses a time that does not exist on the night clocks go forward', () => {
    const errors = failed(`${HEADER}\n29/03/2026;02:30;29/03/2026;08:00;aab;dr.x`);
    expect(errors.map((e) => e.message.fr)).toEqual(["ligne 2 : heure de début 02:30 inexistante ce jour-là (passage à l'heure d'été)"]);
  });

  it('warns when a time happens twice on the night clocks go back, and takes the first', () => {
    const { entries, warnings } = imported(`${HEADER}\n25/10/2026;02:30;25/10/2026;08:00;aab;dr.x`);
    expect(entries[0]?.from).toEqual(new Date('2026-10-25T00:30:00Z'));
    expect(warnings.filter((w) => w.code === 'ambiguous-time')).toHaveLength(1);
  });

  it('explains a header without the needed columns, an empty file, a file with no rows, a broken quote', () => {
    expect(failed('date;groupe;identifiant\n1;2;3')[0]?.message.fr).toBe(
      "ligne 1 : colonnes manquantes dans l'en-tête : date de début, heure de début, date de fin, heure de fin (attendu par exemple : date_debut;heure_debut;date_fin;heure_fin;groupe;identifiant)",
    );
    expect(failed('')[0]?.code).toBe('no-rows');
    expect(failed(HEADER)[0]?.code).toBe('no-rows');
    expect(failed(`${HEADER}\n"23/03/2026;18:00`)[0]).toMatchObject({ code: 'unreadable-csv', line: 2 });
  });
});

describe('roster CSV: warnings', () => {
  it('warns when a person is on call twice at the same time', () => {
    const text = `${WEEK}\n29/03/2026;20:00;30/03/2026;07:00;neuroradiologie;dr.z`;
    const overlaps = imported(text).warnings.filter((w) => w.code === 'person-overlap');
    expect(overlaps.map((w) => w.message.fr)).toEqual(["ligne 8 : dr.z est déjà d'astreinte à la ligne 7 (chevauchement à partir du dim. 29/03 20:00)"]);
  });

  it('reports PDS time with nobody on call for a group, not the day time', () => {
    const withoutWednesday = WEEK.split('\n')
      .filter((l) => !l.startsWith('25/03'))
      .join('\n');
    const gaps = imported(withoutWednesday).warnings.filter((w) => w.code === 'coverage-gap');
    expect(gaps.map((w) => w.message.fr)).toEqual(["groupe aab : personne d'astreinte du mer. 25/03 18:00 au jeu. 26/03 08:00"]);
    expect(gaps[0]?.line).toBeNull();
  });

  it('uses the region calendar: with whole Saturdays, Saturday morning is a gap', () => {
    const gaps = imported(WEEK, { pdsConfig: PdsCalendarConfig.parse({ saturdayFrom: '08:00' }) }).warnings.filter((w) => w.code === 'coverage-gap');
    expect(gaps.map((w) => w.message.en)).toEqual(['group aab: nobody on call from Sat 28/03 08:00 to Sat 28/03 12:00']);
  });

  it('checks a whole month when told which month, and flags shifts outside it', () => {
    const text = `${WEEK}\n02/04/2026;18:00;03/04/2026;08:00;aab;dr.x`;
    const { warnings } = imported(text, { month: { year: 2026, month: 3 } });
    expect(warnings.filter((w) => w.code === 'outside-month').map((w) => w.message.fr)).toEqual(['ligne 8 : garde hors du mois 03/2026']);
    const gaps = warnings.filter((w) => w.code === 'coverage-gap').map((w) => w.message.fr);
    // From 1 March (a Sunday, 00:00) to the first shift, and the last night of the month.
    expect(gaps[0]).toBe("groupe aab : personne d'astreinte du dim. 01/03 00:00 au lun. 02/03 08:00");
    expect(gaps[gaps.length - 1]).toBe("groupe aab : personne d'astreinte du mar. 31/03 18:00 au mer. 01/04 00:00");
  });
});

describe('roster CSV: field parsers', () => {
  it('reads dates people write and refuses impossible ones', () => {
    expect(parseRotaDate('1/3/2026')).toEqual({ year: 2026, month: 3, day: 1 });
    expect(parseRotaDate('01.03.2026')).toEqual({ year: 2026, month: 3, day: 1 });
    expect(parseRotaDate('2026-03-01')).toEqual({ year: 2026, month: 3, day: 1 });
    expect(parseRotaDate('29/02/2026')).toBeNull();
    expect(parseRotaDate('03/01/26')).toBeNull();
  });

  it('reads times people write and refuses 24:00 and beyond', () => {
    expect(parseRotaTime('08:00')).toBe(480);
    expect(parseRotaTime('8:30')).toBe(510);
    expect(parseRotaTime('18h00')).toBe(1080);
    expect(parseRotaTime('8h')).toBe(480);
    expect(parseRotaTime('08:00:00')).toBe(480);
    expect(parseRotaTime('24:00')).toBeNull();
    expect(parseRotaTime('25:00')).toBeNull();
    expect(parseRotaTime('8')).toBeNull();
    expect(parseRotaTime('08:60')).toBeNull();
  });

  it('computes uncovered parts of intervals', () => {
    expect(uncovered([{ from: 0, to: 10 }], [{ from: 2, to: 4 }, { from: 3, to: 6 }, { from: 8, to: 12 }])).toEqual([
      { from: 0, to: 2 },
      { from: 6, to: 8 },
    ]);
    expect(uncovered([{ from: 0, to: 10 }], [])).toEqual([{ from: 0, to: 10 }]);
    expect(uncovered([{ from: 0, to: 10 }], [{ from: -5, to: 20 }])).toEqual([]);
  });
});
