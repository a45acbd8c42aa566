import argon2 from 'argon2';

// OWASP's argon2id baseline (m=19 MiB, t=2, p=1) raised to m=64 MiB: a sign-in costs ~50 ms here.
const OPTIONS = { type: argon2.argon2id, memoryCost: 65536, timeCost: 3, parallelism: 1 } as const;

export const PASSWORD_MIN = 12;

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, OPTIONS);
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | undefined;
/** Spends the same time as a real check, so an unknown username is not told apart by timing. */
export async function burnPasswordCheck(password: string): Promise<void> {
  dummyHash ??= hashPassword('vigie-timing-equaliser');
  await verifyPassword(await dummyHash, password);
}
