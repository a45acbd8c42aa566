import type { z } from 'zod';
import type { ApiErrorBody } from '../../core/api/apiError.js';
import type { AuditQuery } from '../../core/api/audit.js';
import type {
  EnrolmentConfirmRequest,
  LocaleRequest,
  LoginRequest,
  SecondFactorRequest,
} from '../../core/api/auth.js';
import type { ReadingApi } from '../../core/readingApi.js';

/**
 * Every ReadingApi method, once. The main-process handlers and the preload
 * bridge both derive their channels from this list, so a method added to
 * ReadingApi fails the type-check below until it is wired on both sides.
 */
export const READING_API_METHODS = [
  'signInInfo',
  'login',
  'secondFactor',
  'startEnrolment',
  'confirmEnrolment',
  'logout',
  'session',
  'setLocale',
  'worklist',
  'audit',
] as const satisfies readonly (keyof ReadingApi)[];

export type ReadingApiMethod = (typeof READING_API_METHODS)[number];

type MissingMethods = Exclude<keyof ReadingApi, ReadingApiMethod>;
// Fails to compile, naming the missing methods, when the list falls behind ReadingApi.
const everyMethodListed: [MissingMethods] extends [never] ? true : { missing: MissingMethods } = true;
void everyMethodListed;

export type ReadingApiChannel<M extends ReadingApiMethod = ReadingApiMethod> = `vigie:api:${M}`;

// Namespaced so our handlers cannot collide with channels Electron or a future module registers.
export function readingApiChannel<M extends ReadingApiMethod>(method: M): ReadingApiChannel<M> {
  return `vigie:api:${method}`;
}

export const READING_API_CHANNELS = Object.freeze(
  Object.fromEntries(READING_API_METHODS.map((method) => [method, readingApiChannel(method)])),
) as { readonly [M in ReadingApiMethod]: ReadingApiChannel<M> };

/** What each channel carries from the preload to main: one payload argument, validated in main. */
export interface ReadingApiPayloads {
  signInInfo: undefined;
  login: z.input<typeof LoginRequest>;
  secondFactor: z.input<typeof SecondFactorRequest>;
  startEnrolment: undefined;
  confirmEnrolment: z.input<typeof EnrolmentConfirmRequest>;
  logout: undefined;
  session: undefined;
  setLocale: z.input<typeof LocaleRequest>;
  worklist: undefined;
  audit: Partial<z.input<typeof AuditQuery>>;
}

export type ReadingApiResult<M extends ReadingApiMethod> = Awaited<ReturnType<ReadingApi[M]>>;

/**
 * What each handler resolves with. Handlers never reject: Electron passes only
 * `message` of an Error thrown in a handler or across the contextBridge, so the
 * status and the hub's error body travel as data and the renderer rebuilds a
 * ReadingApiError from them.
 */
export type IpcResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: IpcError };

export interface IpcError {
  readonly status: number;
  readonly body: ApiErrorBody['error'];
}
