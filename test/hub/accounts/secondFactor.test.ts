import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hashRecoveryCode, newRecoveryCodes, normaliseRecoveryCode } from '../../../hub/accounts/recoveryCodes.js';
import { SecretBox } from '../../../hub/accounts/secretBox.js';
import { checkTotp, currentTotp, newTotpSecret } from '../../../hub/accounts/totp.js';

describe('TOTP (RFC 6238)', () => {
  it('matches the RFC 6238 SHA-1 test vector', () => {
    // RFC 6238 appendix B: secret "12345678901234567890", T = 59 s → 94287082 (8 digits); 6 digits → 287082.
    const secret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
    expect(currentTotp(secret, 59_000)).toBe('287082');
    expect(checkTotp(secret, '287082', 59_000)).toBe(1);
  });

  it('accepts one step of drift and no more', () => {
    const secret = newTotpSecret();
    const now = 1_800_000_000_000;
    expect(checkTotp(secret, currentTotp(secret, now - 30_000), now)).not.toBeNull();
    expect(checkTotp(secret, currentTotp(secret, now + 30_000), now)).not.toBeNull();
    expect(checkTotp(secret, currentTotp(secret, now - 90_000), now)).toBeNull();
    expect(checkTotp(secret, 'abcdef', now)).toBeNull();
  });
});

describe('recovery codes', () => {
  it('are ten distinct codes, matched whatever the case or separators', () => {
    const codes = newRecoveryCodes();
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) expect(code).toMatch(/^[a-z2-9]{5}-[a-z2-9]{5}$/);
    const key = randomBytes(32);
    const code = codes[0] as string;
    expect(hashRecoveryCode(key, code.toUpperCase().replace('-', ' '))).toBe(hashRecoveryCode(key, code));
    expect(normaliseRecoveryCode(' ABCDE fghjk ')).toBe('abcde-fghjk');
  });
});

describe('secret box', () => {
  it('round-trips and refuses a tampered or foreign secret', () => {
    const box = new SecretBox(randomBytes(32));
    const sealed = box.seal('JBSWY3DPEHPK3PXP');
    expect(sealed).not.toContain('JBSWY3DPEHPK3PXP');
    expect(box.open(sealed)).toBe('JBSWY3DPEHPK3PXP');
    const tampered = sealed.slice(0, -2) + (sealed.endsWith('A') ? 'BB' : 'AA');
    expect(() => box.open(tampered)).toThrow();
    expect(() => new SecretBox(randomBytes(32)).open(sealed)).toThrow();
  });
});
