import * as OTPAuth from 'otpauth';
import QRCode from 'qrcode';

const PERIOD_SECONDS = 30;
const ISSUER = 'Vigie';

/** RFC 6238 TOTP with the parameters every authenticator app supports (SHA-1, 6 digits, 30 s). */
function totpFor(secretBase32: string, account: string): OTPAuth.TOTP {
  return new OTPAuth.TOTP({
    issuer: ISSUER,
    label: account,
    algorithm: 'SHA1',
    digits: 6,
    period: PERIOD_SECONDS,
    secret: OTPAuth.Secret.fromBase32(secretBase32),
  });
}

export function newTotpSecret(): string {
  return new OTPAuth.Secret({ size: 20 }).base32;
}

export async function totpEnrolment(secretBase32: string, account: string) {
  const uri = totpFor(secretBase32, account).toString();
  const svg = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return {
    secret: secretBase32,
    otpauthUri: uri,
    qrCode: `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`,
    issuer: ISSUER,
    account,
  };
}

/**
 * Checks a code within ±1 step (clock drift) and returns its time-step counter,
 * or null. The caller refuses a counter not above the last one accepted, so a
 * code seen over someone's shoulder cannot be replayed within its window.
 */
export function checkTotp(secretBase32: string, code: string, now = Date.now()): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const delta = totpFor(secretBase32, 'check').validate({ token: code, timestamp: now, window: 1 });
  if (delta === null) return null;
  return Math.floor(now / 1000 / PERIOD_SECONDS) + delta;
}

/** For tests and the bench: the code an authenticator app would show now. */
export function currentTotp(secretBase32: string, now = Date.now()): string {
  return totpFor(secretBase32, 'gen').generate({ timestamp: now });
}
