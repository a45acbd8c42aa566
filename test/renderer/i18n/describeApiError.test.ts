import { describe, expect, it } from 'vitest';
import { API_ERROR_CODES, type ApiErrorBody } from '../../../core/api/apiError.js';
import { ReadingApiError } from '../../../core/readingApi.js';
import { createI18n } from '../../../renderer/i18n/createI18n.js';
import { describeApiError } from '../../../renderer/i18n/describeApiError.js';

const i18n = createI18n('fr');
const fr = i18n.getFixedT('fr');
const en = i18n.getFixedT('en');
const now = new Date('2026-01-15T17:00:00Z'); // 18:00 in Paris

function apiError(status: number, body: Partial<ApiErrorBody['error']> & Pick<ApiErrorBody['error'], 'code'>) {
  return new ReadingApiError(status, { message: 'English text for logs', requestId: 'req-42', ...body });
}

describe('describeApiError', () => {
  it('translates every error code the hub may send, in both languages', () => {
    for (const code of API_ERROR_CODES) {
      for (const [language, t] of [
        ['fr', fr],
        ['en', en],
      ] as const) {
        const { message } = describeApiError(apiError(400, { code }), t, language, now);
        expect(message, `${language} ${code}`).not.toMatch(/^errors\./);
        expect(message, `${language} ${code}`).not.toBe('English text for logs');
      }
    }
  });

  it('says the credentials are wrong without saying which', () => {
    expect(describeApiError(apiError(401, { code: 'invalid-credentials' }), fr, 'fr', now).message).toBe(
      'Identifiant ou mot de passe incorrect.',
    );
    expect(describeApiError(apiError(401, { code: 'invalid-credentials' }), en, 'en', now).message).toBe(
      'Incorrect username or password.',
    );
  });

  it('gives the Paris time when a locked account may retry, and that an administrator can unlock it', () => {
    const locked = apiError(423, { code: 'account-locked', retryAt: '2026-01-15T17:15:00Z' });
    const { message } = describeApiError(locked, fr, 'fr', now);
    expect(message).toContain('18:15');
    expect(message).toContain('heure de Paris');
    expect(message).toContain('administrateur');
    expect(describeApiError(locked, en, 'en', now).message).toContain('at 18:15 (Paris time)');
  });

  it('still explains a lock without retryAt, or with an unreadable one', () => {
    for (const retryAt of [undefined, 'soon']) {
      const { message } = describeApiError(apiError(423, { code: 'account-locked', ...(retryAt ? { retryAt } : {}) }), fr, 'fr', now);
      expect(message).toMatch(/verrouillé/);
      expect(message).toMatch(/administrateur/);
    }
  });

  it('gives the retry time for a rate limit', () => {
    const { message } = describeApiError(
      apiError(429, { code: 'too-many-requests', retryAt: '2026-01-15T17:01:00Z' }),
      fr,
      'fr',
      now,
    );
    expect(message).toContain('18:01');
  });

  it('puts each field message next to its field', () => {
    const error = apiError(400, {
      code: 'validation-failed',
      fields: [
        { field: 'username', message: 'Enter your username.' },
        { field: 'password', message: 'Enter your password.' },
        { field: 'password', message: 'A password has at most 256 characters.' },
        { field: '', message: 'Body must be an object.' },
      ],
    });
    const described = describeApiError(error, fr, 'fr', now);
    expect(described.fields).toEqual({
      username: 'Enter your username.',
      password: 'Enter your password. A password has at most 256 characters.',
    });
    expect(described.message).toMatch(/champs signalés/);
  });

  it('shows the request id of an internal error so IT can find it, and only then', () => {
    expect(describeApiError(apiError(500, { code: 'internal-error' }), fr, 'fr', now).reference).toBe('req-42');
    expect(describeApiError(apiError(500, { code: 'internal-error', requestId: '' }), fr, 'fr', now).reference).toBeNull();
    expect(describeApiError(apiError(401, { code: 'invalid-credentials' }), fr, 'fr', now).reference).toBeNull();
  });

  it('says the hub does not answer on a network failure', () => {
    const { message } = describeApiError(apiError(0, { code: 'service-unavailable', requestId: '' }), fr, 'fr', now);
    expect(message).toMatch(/^Le hub ne répond pas/);
  });

  it('treats anything else thrown as a bug of the client', () => {
    expect(describeApiError(new TypeError('x is undefined'), fr, 'fr', now)).toEqual({
      code: 'unexpected',
      message: fr('errors.unexpected'),
      fields: {},
      reference: null,
    });
  });
});
