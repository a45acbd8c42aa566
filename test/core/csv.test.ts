import { describe, expect, it } from 'vitest';
import { detectSeparator, parseCsv } from '../../core/csv.js';

function records(text: string, sep: ';' | ',' | '\t' = ';'): [number, string[]][] {
  const r = parseCsv(text, sep);
  if (!r.ok) throw new Error(r.error.message.en);
  return r.value.map((rec) => [rec.line, [...rec.fields]]);
}

describe('CSV reader', () => {
  it('detects the separator from the header line, French Excel first', () => {
    expect(detectSeparator('date_debut;heure_debut;groupe\n1,2,3,4,5')).toBe(';');
    expect(detectSeparator('start_date,start_time,group')).toBe(',');
    expect(detectSeparator('a\tb\tc')).toBe('\t');
    expect(detectSeparator('"a;b",c,d')).toBe(',');
    expect(detectSeparator('single')).toBe(';');
  });

  it('reads quoted fields with escaped quotes, separators and line breaks, and CRLF', () => {
    const text = '\uFEFFa;b\r\n"x;y";"say ""hi"""\r\n"two\nlines";z\r\n';
    expect(records(text)).toEqual([
      [1, ['a', 'b']],
      [2, ['x;y', 'say "hi"']],
      [3, ['two\nlines', 'z']],
    ]);
  });

  it('skips empty lines but keeps physical line numbers, and trims unquoted fields', () => {
    expect(records('a;b\n\n c ; d \n;\n"e";f')).toEqual([
      [1, ['a', 'b']],
      [3, ['c', 'd']],
      [5, ['e', 'f']],
    ]);
  });

  it('refuses an unterminated quote and a quote inside a field, with the line', () => {
    const open = parseCsv('a;b\n"x;y\nz', ';');
    expect(open.ok).toBe(false);
    if (!open.ok) expect(open.error.message.fr).toBe('ligne 2 : guillemet ouvert jamais fermé');
    const stray = parseCsv('a;b\nx"y;z', ';');
    expect(stray.ok).toBe(false);
    if (!stray.ok) expect(stray.error).toMatchObject({ code: 'stray-quote', details: { line: 2 } });
    expect(parseCsv('"a"b;c', ';').ok).toBe(false);
  });
});
