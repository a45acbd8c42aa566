import { describe, expect, it } from 'vitest';
import { CreateUserRequest } from '../../../core/api/adminUsers.js';
import { AuditQuery } from '../../../core/api/audit.js';
import { EnrolmentConfirmRequest, LoginRequest } from '../../../core/api/auth.js';

describe('API schemas', () => {
  it('trims usernames and bounds passwords', () => {
    expect(LoginRequest.parse({ username: '  dr.x ', password: 'p' })).toEqual({ username: 'dr.x', password: 'p' });
    expect(LoginRequest.safeParse({ username: 'x', password: 'y'.repeat(257) }).success).toBe(false);
    expect(LoginRequest.safeParse({ username: '   ', password: 'p' }).error?.issues[0]?.message).toBe('Enter your username.');
  });

  it('wants exactly six digits to confirm an enrolment', () => {
    expect(EnrolmentConfirmRequest.safeParse({ code: '12345' }).success).toBe(false);
    expect(EnrolmentConfirmRequest.safeParse({ code: ' 123456 ' }).success).toBe(true);
  });

  it('refuses weak passwords and odd usernames for new accounts', () => {
    const base = { username: 'dr.x', displayName: 'Dr X', roles: ['radiologist'], password: 'long-enough-pass' };
    expect(CreateUserRequest.safeParse(base).success).toBe(true);
    expect(CreateUserRequest.safeParse({ ...base, password: 'short' }).error?.issues[0]?.message).toBe('A password has at least 12 characters.');
    expect(CreateUserRequest.safeParse({ ...base, username: 'dr x' }).success).toBe(false);
    expect(CreateUserRequest.safeParse({ ...base, roles: [] }).success).toBe(false);
  });

  it('coerces and bounds audit query strings', () => {
    expect(AuditQuery.parse({ limit: '20', afterSeq: '5' })).toMatchObject({ limit: 20, afterSeq: 5 });
    expect(AuditQuery.parse({}).limit).toBe(100);
    expect(AuditQuery.safeParse({ limit: '0' }).success).toBe(false);
  });
});
