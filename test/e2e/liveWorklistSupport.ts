/** Helpers of the live worklist e2e test: a signed-in HTTP client, an SSE reader, and a watch on a page's navigations. */
import type { Page } from 'playwright-core';
import { apiSignIn } from './apiSignIn.js';

/** One person signed in over HTTP (password only: the hub runs with VIGIE_SECOND_FACTOR_ROLES=''). */
export class HubSession {
  private constructor(
    readonly baseUrl: string,
    readonly username: string,
    readonly cookie: string,
  ) {}

  static async signIn(baseUrl: string, username: string, password: string): Promise<HubSession> {
    const { cookie } = await apiSignIn(baseUrl, username, password);
    return new HubSession(baseUrl, username, cookie);
  }

  async request(method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: { cookie: this.cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await response.text();
    let json: unknown = text;
    try {
      json = JSON.parse(text);
    } catch {
      // Not JSON: keep the text for the failure message.
    }
    return { status: response.status, json };
  }

  /** GET that must answer 200; the body is returned as T. */
  async getJson<T>(path: string): Promise<T> {
    const { status, json } = await this.request('GET', path);
    if (status !== 200) throw new Error(`GET ${path} as ${this.username} answered ${status}: ${JSON.stringify(json).slice(0, 300)}`);
    return json as T;
  }
}

export interface ServerSentEvent {
  event: string;
  id: string | null;
  data: string;
}

export interface EventStream {
  /** Events received so far, in order (comments and the `retry:` preamble are left out). */
  readonly events: ServerSentEvent[];
  /** Whether the response headers came with a 200. */
  readonly opened: Promise<void>;
  close(): void;
}

/** Reads GET /api/worklist/events as `session` until close(): what this person's live worklist is sent. */
export function openWorklistStream(session: HubSession): EventStream {
  const controller = new AbortController();
  const events: ServerSentEvent[] = [];
  const opened = (async () => {
    const response = await fetch(`${session.baseUrl}/api/worklist/events`, { headers: { cookie: session.cookie, accept: 'text/event-stream' }, signal: controller.signal });
    if (response.status !== 200 || !response.body) throw new Error(`the live worklist of ${session.username} answered ${response.status}`);
    return response.body;
  })();
  const reading = opened.then(async (body) => {
    const decoder = new TextDecoder();
    let buffer = '';
    const chunks = body.getReader();
    for (;;) {
      const { done, value } = await chunks.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const fields = new Map<string, string>();
        for (const line of block.split('\n')) {
          if (line.startsWith(':') || line === '') continue;
          const colon = line.indexOf(':');
          const name = colon < 0 ? line : line.slice(0, colon);
          const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
          fields.set(name, fields.has(name) && name === 'data' ? `${fields.get(name)}\n${value}` : value);
        }
        if (fields.has('data')) events.push({ event: fields.get('event') ?? 'message', id: fields.get('id') ?? null, data: fields.get('data') ?? '' });
      }
    }
  });
  // An abort ends the read with an AbortError: expected, not a failure.
  reading.catch(() => undefined);
  return {
    events,
    opened: opened.then(() => undefined),
    close: () => controller.abort(),
  };
}

export interface PageWatch {
  /** Navigations of the main frame (a reload, a new document, a change of URL). */
  navigations(): number;
  /** `load` events: a new document. */
  loads(): number;
  /** Requests for the whole list (GET /api/worklist, not its event stream). */
  worklistFetches(): number;
  /** Every answer with a 4xx/5xx status, as `401 GET /api/session`, in order. */
  readonly failedResponses: string[];
}

/** Counts what would betray a reload, or a list fetched again instead of changed by the live feed. */
export function watchPage(page: Page): PageWatch {
  let navigations = 0;
  let loads = 0;
  let worklistFetches = 0;
  const failedResponses: string[] = [];
  page.on('response', (response) => {
    if (response.status() >= 400) failedResponses.push(`${response.status()} ${response.request().method()} ${new URL(response.url()).pathname}`);
  });
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame()) navigations++;
  });
  page.on('load', () => {
    loads++;
  });
  page.on('request', (request) => {
    if (request.method() === 'GET' && new URL(request.url()).pathname === '/api/worklist') worklistFetches++;
  });
  return { navigations: () => navigations, loads: () => loads, worklistFetches: () => worklistFetches, failedResponses };
}

/** Signs in through the form (no second factor in this hub). */
export async function signInWithPassword(page: Page, username: string, password: string): Promise<void> {
  const form = page.getByTestId('sign-in-form');
  await form.getByLabel('Identifiant').fill(username);
  await form.getByLabel('Mot de passe').fill(password);
  await form.getByRole('button', { name: 'Se connecter' }).click();
}
