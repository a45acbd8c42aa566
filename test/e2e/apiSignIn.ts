import { currentTotp } from '../../hub/accounts/totp.js';

/**
 * Signs in over HTTP as a browser would (cookies), enrolling TOTP the first
 * time. For e2e tests that need an admin's view (the audit trail) beside the page.
 */
export async function apiSignIn(baseUrl: string, username: string, password: string, known: { secret?: string } = {}): Promise<{ cookie: string; secret: string }> {
  const post = async (path: string, cookie: string | null, body: unknown) => {
    const response = await fetch(`${baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
      body: JSON.stringify(body),
    });
    const setCookie = response.headers.get('set-cookie');
    return { status: response.status, json: (await response.json()) as Record<string, unknown>, cookie: setCookie ? (setCookie.split(';')[0] as string) : cookie };
  };
  const login = await post('/api/auth/login', null, { username, password });
  if (login.status !== 200) throw new Error(`sign-in failed: ${JSON.stringify(login.json)}`);
  if (login.json.stage === 'active') return { cookie: login.cookie as string, secret: '' };
  if (login.json.stage === 'second-factor') {
    if (!known.secret) throw new Error('this account is enrolled: pass its secret');
    const second = await post('/api/auth/second-factor', login.cookie, { code: currentTotp(known.secret, Date.now() + 30_000) });
    if (second.status !== 200) throw new Error(`second factor failed: ${JSON.stringify(second.json)}`);
    return { cookie: second.cookie as string, secret: known.secret };
  }
  const start = await post('/api/auth/enrolment', login.cookie, {});
  const secret = start.json.secret as string;
  const confirm = await post('/api/auth/enrolment/confirm', login.cookie, { code: currentTotp(secret) });
  if (confirm.status !== 200) throw new Error(`enrolment failed: ${JSON.stringify(confirm.json)}`);
  return { cookie: confirm.cookie as string, secret };
}
