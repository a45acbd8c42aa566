import { describe, expect, it } from 'vitest';
import { EMPTY_CONTENT, NO_CRITICAL_FINDING } from '../../../core/api/reports.js';
import { isoToParisLocal, parisLocalToIso, signBlockers } from '../../../renderer/report/signReadiness.js';

describe('signBlockers', () => {
  it('lists the empty required sections, then what a flagged critical finding lacks', () => {
    const content = { ...EMPTY_CONTENT, indication: 'Chute' };
    const critical = { flagged: true, communication: { to: 'Dr Urgences', means: null, at: null } };
    expect(signBlockers('report', content, critical)).toEqual([
      { kind: 'section', section: 'findings' },
      { kind: 'section', section: 'conclusion' },
      { kind: 'critical', field: 'means' },
      { kind: 'critical', field: 'at' },
    ]);
  });

  it('is empty for a complete report, and an addendum needs only findings or conclusion', () => {
    const full = { indication: 'Chute', technique: '', findings: 'RAS', conclusion: 'Normal' };
    expect(signBlockers('report', full, NO_CRITICAL_FINDING)).toEqual([]);
    expect(signBlockers('addendum', { ...EMPTY_CONTENT, conclusion: 'Correction' }, NO_CRITICAL_FINDING)).toEqual([]);
    expect(signBlockers('addendum', EMPTY_CONTENT, NO_CRITICAL_FINDING)).toEqual([{ kind: 'section', section: 'conclusion' }]);
  });
});

describe('Paris wall time for the critical-finding communication', () => {
  it('reads the input as Paris time in winter and summer, whatever the machine zone', () => {
    expect(parisLocalToIso('2026-01-15T03:12')).toBe('2026-01-15T02:12:00.000Z');
    expect(parisLocalToIso('2026-07-15T03:12')).toBe('2026-07-15T01:12:00.000Z');
    expect(isoToParisLocal('2026-01-15T02:12:00.000Z')).toBe('2026-01-15T03:12');
    expect(isoToParisLocal('2026-07-15T01:12:00.000Z')).toBe('2026-07-15T03:12');
  });

  it('refuses what is not a complete date and time', () => {
    expect(parisLocalToIso('')).toBeNull();
    expect(parisLocalToIso('2026-02-30T10:00')).toBeNull();
    expect(parisLocalToIso('2026-01-15T24:00')).toBeNull();
    expect(isoToParisLocal(null)).toBe('');
    expect(isoToParisLocal('nonsense')).toBe('');
  });
});
