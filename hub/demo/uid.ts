import { createHash } from 'node:crypto';

/**
 * Our ImplementationClassUID (File Meta). Fixed forever: it names the writer,
 * not a file. Made once as `2.25.` + the first 128 bits of
 * sha256("vigie/implementation-class").
 */
export const IMPLEMENTATION_CLASS_UID = '2.25.83701568703187252212729306020301021204';
export const IMPLEMENTATION_VERSION_NAME = 'VIGIE_0_1';

/** First 128 bits of sha256(text) as an unsigned integer. */
export function hash128(text: string): bigint {
  const digest = createHash('sha256').update(text, 'utf8').digest();
  return BigInt(`0x${digest.subarray(0, 16).toString('hex')}`);
}

/**
 * A UID under the 2.25 root (ITU-T X.667: a UUID-sized integer) derived from
 * the seed and a role name, so the same seed always yields the same UIDs and
 * no registry is needed. At most 5 + 39 = 44 characters; a bigint's decimal
 * form never has a leading zero.
 */
export function demoUid(seed: number, role: string): string {
  return `2.25.${hash128(`vigie-demo/${seed}/${role}`).toString(10)}`;
}
