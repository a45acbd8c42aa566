import { randomUUID } from 'node:crypto';
import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { z } from 'zod';
import { AuditQuery } from '../../core/api/audit.js';
import { EnrolmentConfirmRequest, LocaleRequest, LoginRequest, SecondFactorRequest } from '../../core/api/auth.js';
import type { FieldIssue } from '../../core/api/apiError.js';
import { ReadingApiError, type ReadingApi } from '../../core/readingApi.js';
import {
  READING_API_CHANNELS,
  READING_API_METHODS,
  type IpcError,
  type IpcResult,
  type ReadingApiMethod,
  type ReadingApiPayloads,
  type ReadingApiResult,
} from './ipcChannels.js';
import type { SenderFrame } from './trustedSender.js';

export interface ReadingApiHandlerOptions {
  hubClient: ReadingApi;
  isTrustedSender(frame: SenderFrame | null): boolean;
  /** Where refusals and unexpected failures are reported; never given a payload (it may hold a password). */
  log?(message: string, details: Record<string, unknown>): void;
}

interface MethodHandler<M extends ReadingApiMethod> {
  readonly payload: z.ZodType<unknown, ReadingApiPayloads[M]>;
  run(hub: ReadingApi, raw: unknown): Promise<ReadingApiResult<M>>;
}

function handler<M extends ReadingApiMethod, S extends z.ZodType<unknown, ReadingApiPayloads[M]>>(
  payload: S,
  call: (hub: ReadingApi, payload: z.output<S>) => Promise<ReadingApiResult<M>>,
): MethodHandler<M> {
  return { payload, run: (hub, parsed) => call(hub, parsed as z.output<S>) };
}

const NoPayload = z.undefined({ error: 'This request takes no payload.' });

const HANDLERS: { readonly [M in ReadingApiMethod]: MethodHandler<M> } = {
  signInInfo: handler(NoPayload, (hub) => hub.signInInfo()),
  login: handler(LoginRequest, (hub, request) => hub.login(request)),
  secondFactor: handler(SecondFactorRequest, (hub, { code }) => hub.secondFactor(code)),
  startEnrolment: handler(NoPayload, (hub) => hub.startEnrolment()),
  confirmEnrolment: handler(EnrolmentConfirmRequest, (hub, { code }) => hub.confirmEnrolment(code)),
  logout: handler(NoPayload, (hub) => hub.logout()),
  session: handler(NoPayload, (hub) => hub.session()),
  setLocale: handler(LocaleRequest, (hub, { locale }) => hub.setLocale(locale)),
  worklist: handler(NoPayload, (hub) => hub.worklist()),
  audit: handler(AuditQuery.partial(), (hub, query) => hub.audit(query)),
};

/**
 * One ipcMain.handle per ReadingApi method. Each checks who is asking, then
 * parses the payload from unknown (the renderer is untrusted input like any
 * HTTP client), then calls the hub client. Returns a function that removes the
 * handlers.
 */
export function registerReadingApiHandlers(
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>,
  options: ReadingApiHandlerOptions,
): () => void {
  for (const method of READING_API_METHODS) {
    ipcMain.handle(READING_API_CHANNELS[method], (event: IpcMainInvokeEvent, ...args: unknown[]) =>
      handle(method, event.senderFrame, args, options),
    );
  }
  return () => {
    for (const method of READING_API_METHODS) ipcMain.removeHandler(READING_API_CHANNELS[method]);
  };
}

async function handle<M extends ReadingApiMethod>(
  method: M,
  senderFrame: SenderFrame | null,
  args: unknown[],
  { hubClient, isTrustedSender, log }: ReadingApiHandlerOptions,
): Promise<IpcResult<ReadingApiResult<M>>> {
  if (!isTrustedSender(senderFrame)) {
    log?.('Refused a ReadingApi call from a page that is not Vigie', { method, senderUrl: senderFrame?.url ?? null });
    return failure(403, 'forbidden', `The ${method} request was refused: it did not come from Vigie's own page.`);
  }
  if (args.length > 1) {
    return failure(400, 'validation-failed', `The ${method} request is not valid: it takes a single payload.`);
  }
  const spec: MethodHandler<M> = HANDLERS[method];
  const parsed = spec.payload.safeParse(args[0]);
  if (!parsed.success) {
    const fields: FieldIssue[] = parsed.error.issues.map((issue) => ({
      field: issue.path.map(String).join('.'),
      message: issue.message,
    }));
    const summary = fields.map(({ field, message }) => (field ? `${field}: ${message}` : message)).join('; ');
    return failure(400, 'validation-failed', `The ${method} request is not valid: ${summary}`, fields);
  }
  try {
    return { ok: true, value: await spec.run(hubClient, parsed.data) };
  } catch (error) {
    if (error instanceof ReadingApiError) return { ok: false, error: { status: error.status, body: error.body } };
    log?.('A ReadingApi call failed in the desktop shell', { method, error });
    return failure(500, 'internal-error', `The desktop shell failed while handling ${method}; see its log.`);
  }
}

function failure(
  status: number,
  code: IpcError['body']['code'],
  message: string,
  fields?: FieldIssue[],
): { ok: false; error: IpcError } {
  const body: IpcError['body'] = { code, message, requestId: `desktop-${randomUUID()}` };
  if (fields) body.fields = fields;
  return { ok: false, error: { status, body } };
}
