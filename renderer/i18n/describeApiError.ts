import type { TFunction } from 'i18next';
import type { ApiErrorCode } from '../../core/api/apiError.js';
import { ReadingApiError } from '../../core/readingApi.js';
import { formatRetryTime } from '../format/dateTime.js';
import { missingCase } from '../util/missingCase.js';
import type { Locale } from './locale.js';

/** What the UI shows for a failed call: translated from the stable `code`, never from the hub's English `message`. */
export interface ErrorDescription {
  code: ApiErrorCode | 'unexpected';
  message: string;
  /** The hub's per-field messages (validation-failed), by field path, to show next to each field. */
  fields: Readonly<Record<string, string>>;
  /** The request id, for errors IT has to look up in the hub's log; null otherwise. */
  reference: string | null;
}

export function describeApiError(error: unknown, t: TFunction, locale: Locale, now: Date = new Date()): ErrorDescription {
  if (!(error instanceof ReadingApiError)) {
    // A bug in this client, not an answer from the hub.
    return { code: 'unexpected', message: t('errors.unexpected'), fields: {}, reference: null };
  }
  const { code, requestId, retryAt, fields = [] } = error.body;
  const retryTime = retryAt === undefined || Number.isNaN(Date.parse(retryAt)) ? null : formatRetryTime(retryAt, locale, now);
  const byField: Record<string, string> = {};
  for (const issue of fields) {
    if (issue.field === '') continue;
    byField[issue.field] = byField[issue.field] === undefined ? issue.message : `${byField[issue.field]} ${issue.message}`;
  }
  return {
    code,
    message: messageFor(code, t, retryTime),
    fields: byField,
    reference: code === 'internal-error' && requestId !== '' ? requestId : null,
  };
}

function messageFor(code: ApiErrorCode, t: TFunction, retryTime: string | null): string {
  switch (code) {
    case 'account-locked':
      return retryTime === null ? t('errors.accountLocked') : t('errors.accountLockedUntil', { time: retryTime });
    case 'too-many-requests':
      return retryTime === null ? t('errors.tooManyRequests') : t('errors.tooManyRequestsUntil', { time: retryTime });
    case 'bad-request':
    case 'validation-failed':
    case 'not-signed-in':
    case 'session-expired':
    case 'second-factor-required':
    case 'enrolment-required':
    case 'invalid-credentials':
    case 'invalid-code':
    case 'forbidden':
    case 'not-found':
    case 'conflict':
    case 'payload-too-large':
    case 'unsupported-media-type':
    case 'internal-error':
    case 'service-unavailable':
      return t(`errors.${code}`);
    default:
      return missingCase(code);
  }
}
