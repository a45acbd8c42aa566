import { createHash, randomBytes } from 'node:crypto';

/** 256 random bits, opaque to clients. Only its SHA-256 is stored, so a database copy holds no usable token. */
export function newSessionToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashSessionToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export const SESSION_COOKIE = 'vigie_session';
