import { randomBytes, randomUUID } from 'node:crypto';

/** A DICOM UID: digits and dots, components without leading zeros, at most 64 characters (PS3.5 9.1). */
const UID_SYNTAX = /^(0|[1-9]\d*)(\.(0|[1-9]\d*))*$/;
const UID_MAX = 64;

export function isValidUid(uid: string): boolean {
  return uid.length <= UID_MAX && UID_SYNTAX.test(uid);
}

/**
 * A fresh UID under `root`. Under 2.25 (ITU-T X.667) it is a random UUID as a
 * decimal integer: no registration and no coordination between hubs needed.
 * Under an organisation's own root it is `root.<ms timestamp>.<random>`, the
 * random part as long as the 64 characters allow (at most 20 digits, ~66
 * bits): two hubs signing in the same millisecond still do not collide.
 */
export function newUid(root: string): string {
  if (!isValidUid(root)) throw new Error(`"${root}" is not a valid UID root (digits and dots, no leading zeros).`);
  if (root === '2.25') return checked(`2.25.${BigInt(`0x${randomUUID().replace(/-/g, '')}`).toString(10)}`);
  const stamp = String(Date.now());
  const room = Math.min(20, UID_MAX - root.length - stamp.length - 2);
  if (room < 8) throw new Error(`UID root "${root}" is too long to leave room for unique UIDs.`);
  return checked(`${root}.${stamp}.${randomDigits(room)}`);
}

/** `count` random decimal digits, the first one not zero. */
function randomDigits(count: number): string {
  const low = 10n ** BigInt(count - 1);
  const span = 9n * low;
  const random = BigInt(`0x${randomBytes(16).toString('hex')}`);
  return (low + (random % span)).toString(10);
}

function checked(uid: string): string {
  if (!isValidUid(uid)) throw new Error(`made an invalid UID ${uid}`);
  return uid;
}
