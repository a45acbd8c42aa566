import { describe, expect, it } from 'vitest';
import { ROSTER_CSV_MAX_BYTES, rosterCsvSize, withoutLinePrefix } from '../../../renderer/admin/rosterCsvInput.js';

describe('roster CSV input', () => {
  it('measures the size as sent, in UTF-8 bytes', () => {
    expect(rosterCsvSize('abc')).toBe(3);
    expect(rosterCsvSize('é')).toBe(2);
    expect(rosterCsvSize('é'.repeat(600_000))).toBeGreaterThan(ROSTER_CSV_MAX_BYTES);
  });

  it('does not say the line twice when the hub’s message starts with it', () => {
    expect(withoutLinePrefix('ligne 3 : heure de début 25:00 invalide', 3)).toBe('Heure de début 25:00 invalide');
    expect(withoutLinePrefix('Line 12: unknown person "dr.x"', 12)).toBe('Unknown person "dr.x"');
    expect(withoutLinePrefix('ligne 4 : autre ligne', 3)).toBe('ligne 4 : autre ligne');
    expect(withoutLinePrefix('Colonne manquante : groupe', null)).toBe('Colonne manquante : groupe');
  });
});
