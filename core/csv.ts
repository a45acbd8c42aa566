// A small RFC 4180 reader for files people export from spreadsheets: quoted
// fields with "" escapes and line breaks, CRLF or LF, a UTF-8 byte-order mark
// (Excel writes one), and the separator French Excel uses (';') as well as ','
// and tab. No I/O: it takes the text.
import { type DomainError, domainError, err, ok, type Result } from './errors.js';

export type CsvSeparator = ';' | ',' | '\t';

export type CsvRecord = {
  /** 1-based physical line on which the record starts, as a spreadsheet shows it. */
  readonly line: number;
  readonly fields: readonly string[];
};

/**
 * The separator of a file, from its first line: the candidate that occurs
 * most often outside quotes. A tie (or none) picks ';', the French default.
 */
export function detectSeparator(text: string): CsvSeparator {
  const counts: Record<CsvSeparator, number> = { ';': 0, ',': 0, '\t': 0 };
  let quoted = false;
  for (const ch of stripBom(text)) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && (ch === ';' || ch === ',' || ch === '\t')) counts[ch]++;
  }
  let best: CsvSeparator = ';';
  for (const sep of [',', '\t'] as const) if (counts[sep] > counts[best]) best = sep;
  return best;
}

export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Records of the text; lines that are entirely empty are skipped. */
export function parseCsv(text: string, separator: CsvSeparator): Result<CsvRecord[], DomainError<'unterminated-quote' | 'stray-quote'>> {
  const input = stripBom(text);
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let recordLine = 1;
  let quoted = false;
  let quoteOpenedOn = 0;
  let fieldWasQuoted = false;

  const endField = (): void => {
    fields.push(fieldWasQuoted ? field : field.trim());
    field = '';
    fieldWasQuoted = false;
  };
  const endRecord = (): void => {
    endField();
    if (fields.some((f) => f !== '')) records.push({ line: recordLine, fields });
    fields = [];
  };

  for (let i = 0; i < input.length; i++) {
    const ch = input[i];
    if (quoted) {
      if (ch === '"') {
        if (input[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (ch === '\n') line++;
        field += ch;
      }
      continue;
    }
    if (ch === '"') {
      if (field.trim() !== '' || fieldWasQuoted) {
        return err(
          domainError('stray-quote', `ligne ${line} : guillemet au milieu d'un champ`, `line ${line}: quote inside an unquoted field`, { line }),
        );
      }
      field = '';
      quoted = true;
      fieldWasQuoted = true;
      quoteOpenedOn = line;
    } else if (ch === separator) {
      endField();
    } else if (ch === '\r' || ch === '\n') {
      if (ch === '\r' && input[i + 1] === '\n') i++;
      endRecord();
      line++;
      recordLine = line;
    } else if (fieldWasQuoted) {
      // Text after a closing quote: tolerate spaces, refuse anything else.
      if (ch !== ' ' && ch !== '\t') {
        return err(domainError('stray-quote', `ligne ${line} : texte après un guillemet fermant`, `line ${line}: text after a closing quote`, { line }));
      }
    } else {
      field += ch;
    }
  }
  if (quoted) {
    return err(
      domainError('unterminated-quote', `ligne ${quoteOpenedOn} : guillemet ouvert jamais fermé`, `line ${quoteOpenedOn}: a quote is opened and never closed`, {
        line: quoteOpenedOn,
      }),
    );
  }
  endRecord();
  return ok(records);
}
