import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../hub/config/config.js';
import { parseDuration } from '../../../hub/config/duration.js';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env, '/srv');
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('hub configuration', () => {
  it('has safe defaults for the embedded demo', () => {
    const config = loadConfig({}, '/srv');
    expect(config).toMatchObject({
      host: '127.0.0.1',
      port: 8470,
      dataDir: '/srv/vigie-data',
      demo: true,
      sessionIdle: 30 * 60_000,
      sessionAbsolute: 12 * 3_600_000,
      secondFactorRequiredRoles: ['radiologist', 'neuroradiologist', 'admin', 'requester'],
    });
    expect(config.databaseUrl).toBeUndefined();
  });

  it('reads environment variables', () => {
    const config = loadConfig({ VIGIE_PORT: '9000', VIGIE_SESSION_IDLE: '90s', VIGIE_SECOND_FACTOR_ROLES: 'admin', VIGIE_DEMO: 'false', VIGIE_DATABASE_URL: 'postgres://u:p@db:5432/vigie' }, '/srv');
    expect(config).toMatchObject({ port: 9000, sessionIdle: 90_000, secondFactorRequiredRoles: ['admin'], demo: false, databaseUrl: 'postgres://u:p@db:5432/vigie' });
  });

  it('lets an empty role list relax the second factor', () => {
    expect(loadConfig({ VIGIE_SECOND_FACTOR_ROLES: ' , ' }, '/srv').secondFactorRequiredRoles).toEqual([]);
    expect(loadConfig({ VIGIE_SECOND_FACTOR_ROLES: '' }, '/srv').secondFactorRequiredRoles).toEqual([]);
    expect(loadConfig({ VIGIE_PORT: '' }, '/srv').port).toBe(8470);
  });

  it('reads a JSON file, with environment variables winning', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'vigie-config-'));
    const file = path.join(dir, 'vigie.json');
    writeFileSync(file, JSON.stringify({ port: 9100, siteName: 'CH Amiens', sessionAbsolute: '10h' }));
    const config = loadConfig({ VIGIE_CONFIG: file, VIGIE_PORT: '9200' }, '/srv');
    expect(config).toMatchObject({ port: 9200, siteName: 'CH Amiens', sessionAbsolute: 36_000_000 });
  });

  it('names every bad value and where it came from', () => {
    expect(problemsOf({ VIGIE_PORT: 'eighty', VIGIE_DATABASE_URL: 'mysql://x', VIGIE_SESSION_IDLE: '30 minutes', VIGIE_LOG_LEVEL: 'loud', VIGIE_SECRET_KEY: 'abc' })).toEqual([
      expect.stringMatching(/^VIGIE_PORT = "eighty": /),
      'VIGIE_DATABASE_URL = "mysql://x": must start with postgres:// or postgresql://, e.g. postgres://vigie:secret@db.example:5432/vigie.',
      'VIGIE_LOG_LEVEL = "loud": ' + problemsOf({ VIGIE_LOG_LEVEL: 'loud' })[0]?.split(': ').slice(1).join(': '),
      'VIGIE_SESSION_IDLE = "30 minutes": "30 minutes" is not a duration: write a number and a unit, e.g. 90s, 30m, 12h.',
      'VIGIE_SECRET_KEY = "abc": must be 64 hexadecimal characters (32 bytes), e.g. from `openssl rand -hex 32`.',
    ]);
  });

  it('refuses an unknown setting in the file and unreadable JSON', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'vigie-config-'));
    const file = path.join(dir, 'vigie.json');
    writeFileSync(file, JSON.stringify({ prot: 1 }));
    expect(problemsOf({ VIGIE_CONFIG: file })[0]).toContain('unknown setting "prot"');
    writeFileSync(file, '{ port: 1 }');
    expect(problemsOf({ VIGIE_CONFIG: file })[0]).toMatch(/cannot read it as JSON/);
  });

  it('reads the UID root: 2.25 by default, digits and dots, at most 24 characters', () => {
    expect(loadConfig({}, '/srv').uidRoot).toBe('2.25');
    expect(loadConfig({ VIGIE_UID_ROOT: '1.2.250.1.999.12345.6789' }, '/srv').uidRoot).toBe('1.2.250.1.999.12345.6789');
    expect(problemsOf({ VIGIE_UID_ROOT: '1.2.250.01' })).toEqual([expect.stringMatching(/^VIGIE_UID_ROOT = "1.2.250.01": must be a UID root/)]);
    expect(problemsOf({ VIGIE_UID_ROOT: '1.2.250.1.999.12345.67890' })).toEqual([expect.stringMatching(/^VIGIE_UID_ROOT = .*at most 24 characters/)]);
    expect(problemsOf({ VIGIE_UID_ROOT: 'org.example' })).toHaveLength(1);
  });

  it('parses durations', () => {
    expect(parseDuration('30m')).toBe(1_800_000);
    expect(parseDuration('1.5h')).toBe(5_400_000);
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('0s')).toBeNull();
    expect(parseDuration('12')).toBeNull();
    expect(parseDuration('-5m')).toBeNull();
  });
});
