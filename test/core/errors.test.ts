import { describe, expect, it } from 'vitest';
import { CancelledError, domainError, err, InvariantError, isCancelledError, missingCase, ok } from '../../core/errors.js';

describe('error taxonomy', () => {
  it('throws an InvariantError naming the value a switch missed', () => {
    const kind = 'surprise' as 'a' | 'b';
    const run = (): string => {
      switch (kind as 'a' | 'b') {
        case 'a':
          return 'A';
        case 'b':
          return 'B';
        default:
          return missingCase(kind as never);
      }
    };
    expect(run).toThrow(InvariantError);
    expect(run).toThrow('Unhandled case: "surprise"');
    expect(() => missingCase({ kind: 'x' } as never)).toThrow('Unhandled case: {"kind":"x"}');
  });

  it('builds results and domain errors with both languages', () => {
    expect(ok(3)).toEqual({ ok: true, value: 3 });
    expect(err('no')).toEqual({ ok: false, error: 'no' });
    expect(domainError('x', 'texte', 'text', { line: 3 })).toEqual({ code: 'x', message: { fr: 'texte', en: 'text' }, details: { line: 3 } });
    expect(domainError('x', 'texte', 'text')).not.toHaveProperty('details');
  });

  it('tells a cancellation from a failure', () => {
    expect(isCancelledError(new CancelledError())).toBe(true);
    expect(isCancelledError(new Error('Cancelled'))).toBe(false);
    expect(new InvariantError('x').name).toBe('InvariantError');
  });
});
