import type {
  EnrolmentConfirmResponse,
  EnrolmentStartResponse,
  LoginRequest,
  SessionInfo,
  SignInInfo,
} from './api/auth.js';
import type { ApiErrorBody } from './api/apiError.js';
import type { AuditPage, AuditQuery } from './api/audit.js';
import type { WorklistResponse } from './api/worklist.js';

/**
 * The one interface the renderer talks to. Two transports implement it: plain
 * HTTP to the hub (web client) and the Electron preload bridge (desktop).
 *
 * HTTP routes (all JSON, all under the hub's origin):
 *   GET  /api/health                      public liveness, no session
 *   GET  /api/sign-in-info                public, SignInInfo
 *   POST /api/auth/login                  LoginRequest → SessionInfo (stage may be second-factor/enrolment)
 *   POST /api/auth/second-factor          SecondFactorRequest → SessionInfo (stage active)
 *   POST /api/auth/enrolment              → EnrolmentStartResponse (stage enrolment, or active to re-enrol)
 *   POST /api/auth/enrolment/confirm      EnrolmentConfirmRequest → EnrolmentConfirmResponse
 *   POST /api/auth/logout                 → 204
 *   GET  /api/session                     → SessionInfo, or 401 not-signed-in / session-expired
 *   PUT  /api/me/locale                   LocaleRequest → 204
 *   GET  /api/worklist                    → WorklistResponse
 *   GET  /api/audit?…                     AuditQuery → AuditPage (admin)
 * Failures: ApiErrorBody with the HTTP status.
 */
export interface ReadingApi {
  signInInfo(): Promise<SignInInfo>;
  login(request: LoginRequest): Promise<SessionInfo>;
  secondFactor(code: string): Promise<SessionInfo>;
  startEnrolment(): Promise<EnrolmentStartResponse>;
  confirmEnrolment(code: string): Promise<EnrolmentConfirmResponse>;
  logout(): Promise<void>;
  session(): Promise<SessionInfo>;
  setLocale(locale: 'fr' | 'en'): Promise<void>;
  worklist(): Promise<WorklistResponse>;
  audit(query: Partial<AuditQuery>): Promise<AuditPage>;
}

/** What a transport throws when the hub answers with an error body. */
export class ReadingApiError extends Error {
  override readonly name = 'ReadingApiError';
  constructor(
    readonly status: number,
    readonly body: ApiErrorBody['error'],
  ) {
    super(body.message);
  }
}
