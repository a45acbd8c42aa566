import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ROLES, Role } from '../../core/roles.js';
import { parseDuration } from './duration.js';

const Duration = z
  .string()
  .transform((value, ctx) => {
    const ms = parseDuration(value);
    if (ms === null) {
      ctx.addIssue({ code: 'custom', message: `"${value}" is not a duration: write a number and a unit, e.g. 90s, 30m, 12h.` });
      return z.NEVER;
    }
    return ms;
  });

const Bool = z.union([z.boolean(), z.enum(['true', 'false', '1', '0', 'yes', 'no'])]).transform((v) => v === true || v === 'true' || v === '1' || v === 'yes');

const RoleList = z
  .union([z.array(Role), z.string()])
  .transform((value, ctx) => {
    if (Array.isArray(value)) return value;
    const items = value.split(',').map((s) => s.trim()).filter(Boolean);
    const bad = items.filter((item) => !(ROLES as readonly string[]).includes(item));
    if (bad.length > 0) {
      ctx.addIssue({ code: 'custom', message: `unknown role(s) ${bad.join(', ')}; known roles: ${ROLES.join(', ')} (or leave empty for none).` });
      return z.NEVER;
    }
    return items as Role[];
  });

/** The hub's whole configuration. Every field has an env variable (see `ENV_NAMES`) and may come from a JSON file. */
export const ConfigSchema = z.object({
  host: z.string().min(1).default('127.0.0.1'),
  port: z.coerce.number().int().min(0, 'a port is between 0 and 65535.').max(65535, 'a port is between 0 and 65535.').default(8470),
  dataDir: z.string().min(1).default('vigie-data'),
  databaseUrl: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://, e.g. postgres://vigie:secret@db.example:5432/vigie.')
    .optional(),
  webRoot: z.string().optional(),
  demo: Bool.default(true),
  demoSeed: z.coerce.number().int().min(0).default(1),
  siteName: z.string().max(120).default('Vigie — démonstration'),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  sessionIdle: Duration.default(30 * 60_000),
  sessionAbsolute: Duration.default(12 * 3_600_000),
  secondFactorRequiredRoles: RoleList.default([...ROLES]),
  loginMaxFailures: z.coerce.number().int().min(1).max(100).default(5),
  loginLockout: Duration.default(15 * 60_000),
  loginRateLimitPerMinute: z.coerce.number().int().min(1).default(30),
  secretKey: z
    .string()
    .regex(/^[0-9a-f]{64}$/i, 'must be 64 hexadecimal characters (32 bytes), e.g. from `openssl rand -hex 32`.')
    .optional(),
  cookieSecure: Bool.optional(),
  pacsUrl: z.string().regex(/^https?:\/\//, 'must be the DICOMweb root of the pivot PACS, e.g. http://pacs.example:8042/dicom-web.').optional(),
  pacsUsername: z.string().optional(),
  pacsPassword: z.string().optional(),
  pacsPoll: Duration.default(2_000),
  folderStability: Duration.default(5_000),
  reconcileWindow: Duration.default(72 * 3_600_000),
  trustProxy: Bool.default(false),
  /** Content-code uncompressed frames (gzip, or br over HTTPS) for clients that accept it: ~40 % of the bytes on a home line; off on a fast LAN whose hub CPU is short. */
  frameCompression: Bool.default(true),
  /** Root of the UIDs the hub makes (report SR and PDF): 2.25 needs no registration; an organisation's own root must leave room for the rest of a 64-character UID. */
  uidRoot: z
    .string()
    .max(24, 'must be at most 24 characters, so that UIDs made under it stay within 64.')
    .regex(/^(0|[1-9]\d*)(\.(0|[1-9]\d*))+$/, 'must be a UID root: digits and dots, no leading zeros, e.g. 2.25 or 1.2.250.1.999.')
    .default('2.25'),
});
export type Config = z.infer<typeof ConfigSchema>;
type ConfigKey = keyof z.input<typeof ConfigSchema>;

export const ENV_NAMES: Record<ConfigKey, string> = {
  host: 'VIGIE_HOST',
  port: 'VIGIE_PORT',
  dataDir: 'VIGIE_DATA',
  databaseUrl: 'VIGIE_DATABASE_URL',
  webRoot: 'VIGIE_WEB_ROOT',
  demo: 'VIGIE_DEMO',
  demoSeed: 'VIGIE_DEMO_SEED',
  siteName: 'VIGIE_SITE_NAME',
  logLevel: 'VIGIE_LOG_LEVEL',
  sessionIdle: 'VIGIE_SESSION_IDLE',
  sessionAbsolute: 'VIGIE_SESSION_ABSOLUTE',
  secondFactorRequiredRoles: 'VIGIE_SECOND_FACTOR_ROLES',
  loginMaxFailures: 'VIGIE_LOGIN_MAX_FAILURES',
  loginLockout: 'VIGIE_LOGIN_LOCKOUT',
  loginRateLimitPerMinute: 'VIGIE_LOGIN_RATE_PER_MINUTE',
  secretKey: 'VIGIE_SECRET_KEY',
  cookieSecure: 'VIGIE_COOKIE_SECURE',
  pacsUrl: 'VIGIE_PACS_URL',
  pacsUsername: 'VIGIE_PACS_USERNAME',
  pacsPassword: 'VIGIE_PACS_PASSWORD',
  pacsPoll: 'VIGIE_PACS_POLL',
  folderStability: 'VIGIE_FOLDER_STABILITY',
  reconcileWindow: 'VIGIE_RECONCILE_WINDOW',
  trustProxy: 'VIGIE_TRUST_PROXY',
  frameCompression: 'VIGIE_FRAME_COMPRESSION',
  uidRoot: 'VIGIE_UID_ROOT',
};

/** A configuration a person must fix; `problems` names each bad value and where it came from. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`Vigie cannot start: the configuration has ${problems.length} problem(s):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/**
 * Reads the configuration: the JSON file named by VIGIE_CONFIG (optional), then
 * environment variables, which win. Relative paths are resolved against `cwd`.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const sources: Partial<Record<ConfigKey, { value: unknown; from: string }>> = {};
  const problems: string[] = [];
  const file = env.VIGIE_CONFIG;
  if (file) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(path.resolve(cwd, file), 'utf8'));
    } catch (error) {
      throw new ConfigError([`VIGIE_CONFIG=${file}: cannot read it as JSON (${(error as Error).message}).`]);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new ConfigError([`VIGIE_CONFIG=${file}: the file must hold one JSON object.`]);
    }
    for (const [key, value] of Object.entries(parsed)) {
      if (!(key in ENV_NAMES)) {
        problems.push(`${file}: unknown setting "${key}"; known settings: ${Object.keys(ENV_NAMES).join(', ')}.`);
        continue;
      }
      sources[key as ConfigKey] = { value, from: `${file} "${key}"` };
    }
  }
  for (const [key, name] of Object.entries(ENV_NAMES) as [ConfigKey, string][]) {
    const value = env[name];
    // An empty variable means "unset", except for a list, where it means "none" (e.g. no role needs a second factor).
    if (value !== undefined && (value !== '' || key === 'secondFactorRequiredRoles')) sources[key] = { value, from: name };
  }
  const input = Object.fromEntries(Object.entries(sources).map(([key, source]) => [key, source.value]));
  const result = ConfigSchema.safeParse(input);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const key = String(issue.path[0]) as ConfigKey;
      const source = sources[key];
      problems.push(`${source?.from ?? key}${source ? ` = ${JSON.stringify(source.value)}` : ''}: ${issue.message}`);
    }
  }
  if (problems.length > 0 || !result.success) throw new ConfigError(problems);
  const config = result.data;
  config.dataDir = path.resolve(cwd, config.dataDir);
  if (config.webRoot) config.webRoot = path.resolve(cwd, config.webRoot);
  return config;
}
