import { describe, expect, it } from 'vitest';
import { groupSecret, normaliseTotpCode } from '../../../renderer/format/totpCode.js';

describe('TOTP helpers', () => {
  it('accepts a code typed with the space the app shows', () => {
    expect(normaliseTotpCode(' 123 456 ')).toBe('123456');
    expect(normaliseTotpCode('123-456')).toBe('123456');
  });

  it('splits a secret in groups of 4 that join back to the secret', () => {
    const secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEH';
    const groups = groupSecret(secret);
    expect(groups).toEqual(['JBSW', 'Y3DP', 'EHPK', '3PXP', 'JBSW', 'Y3DP', 'EH']);
    expect(groups.join('')).toBe(secret);
  });
});
