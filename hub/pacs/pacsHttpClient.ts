import {
  PacsBadRequestError,
  PacsNotFoundError,
  PacsRequestError,
  PacsResponseError,
  PacsUnavailableError,
  type PacsUnavailableReason,
} from './pacsErrors.js';

/**
 * HTTP to a PACS: optional basic auth, a time limit on every request, and
 * every failure turned into a typed PacsError whose URL carries neither
 * credentials nor query string.
 */
export interface PacsHttpClientOptions {
  /** Base URL, e.g. http://pacs:8042/dicom-web; may hold user:password@ (moved to the Authorization header). */
  baseUrl: string;
  username?: string;
  password?: string;
  /** Until the answer's headers, and for JSON until its whole body. Default 10 000 ms. */
  timeoutMs?: number;
}

export interface PacsRequest {
  method?: 'GET' | 'POST';
  /** Appended to the base URL: starts with "/", may hold a query string (sent as is). */
  path: string;
  accept?: string;
  contentType?: string;
  body?: string;
  timeoutMs?: number;
  /** What a 404 means, for PacsNotFoundError ("study 1.2.3"); default the path. */
  notFound?: string;
}

/** An answer whose body is still to be read, with the timer that guards it. */
export interface PacsResponse {
  response: Response;
  /** The URL without credentials and query, for messages. */
  url: string;
  /** Cancels the time limit (call it when switching to a longer transfer limit). */
  clearTimeout(): void;
  /** Aborts the request (and its body). */
  abort(reason: Error): void;
}

const DEFAULT_TIMEOUT_MS = 10_000;

function isJson(accept: string | undefined): boolean {
  return accept !== undefined && /^application\/(dicom\+)?json\b/i.test(accept);
}

function unavailableReason(error: unknown): { reason: PacsUnavailableReason; detail: string } {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause;
  const code = typeof cause?.code === 'string' ? cause.code : undefined;
  switch (code) {
    case 'ECONNREFUSED':
      return { reason: 'refused', detail: code };
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return { reason: 'unknown-host', detail: code };
    case 'ECONNRESET':
    case 'EPIPE':
    case 'UND_ERR_SOCKET':
    case 'UND_ERR_CLOSED':
      return { reason: 'reset', detail: code };
    case 'ETIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
      return { reason: 'timeout', detail: code };
    default: {
      const message = typeof cause?.message === 'string' ? cause.message : error instanceof Error ? error.message : String(error);
      return { reason: 'network', detail: code ?? message.slice(0, 200) };
    }
  }
}

export class PacsHttpClient {
  /** Base URL without credentials. */
  readonly baseUrl: string;
  private readonly authorization: string | undefined;
  private readonly timeoutMs: number;

  constructor(options: PacsHttpClientOptions) {
    let parsed: URL;
    try {
      parsed = new URL(options.baseUrl);
    } catch {
      throw new TypeError(`PACS URL "${options.baseUrl.replace(/\/\/[^@/]*@/, '//…@')}" is not a URL (e.g. http://pacs.example:8042/dicom-web)`);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new TypeError(`PACS URL must be http: or https:, not ${parsed.protocol}`);
    const username = options.username ?? (parsed.username === '' ? undefined : decodeURIComponent(parsed.username));
    const password = options.password ?? (parsed.password === '' ? undefined : decodeURIComponent(parsed.password));
    parsed.username = '';
    parsed.password = '';
    parsed.search = '';
    parsed.hash = '';
    this.baseUrl = parsed.href.replace(/\/+$/, '');
    this.authorization = username === undefined ? undefined : `Basic ${Buffer.from(`${username}:${password ?? ''}`).toString('base64')}`;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  /** The URL of `path` without query string, for messages. */
  displayUrl(path: string): string {
    return `${this.baseUrl}${path.split('?')[0] ?? ''}`;
  }

  /**
   * Sends a request and checks its status: 2xx is returned with its body
   * unread and the time limit still running; anything else throws.
   */
  async send(request: PacsRequest): Promise<PacsResponse> {
    const url = this.displayUrl(request.path);
    const timeoutMs = request.timeoutMs ?? this.timeoutMs;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new PacsUnavailableError(url, 'timeout', `no complete answer after ${timeoutMs} ms`)), timeoutMs);
    const headers: Record<string, string> = {};
    if (request.accept !== undefined) headers['Accept'] = request.accept;
    // Pixels and files uncompressed: fetch offers gzip by default, and Orthanc then deflates every
    // frame at level 6 — ~70 ms of its CPU per 512 KiB slice, measured as its main cost in serving
    // a series (4 ms each without). The hub sits beside its PACS; it codes frames for the reader's
    // line itself (dicomweb/frameEncoding.ts). JSON keeps the default.
    if (!isJson(request.accept)) headers['Accept-Encoding'] = 'identity';
    if (request.contentType !== undefined) headers['Content-Type'] = request.contentType;
    if (this.authorization !== undefined) headers['Authorization'] = this.authorization;
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${request.path}`, {
        method: request.method ?? 'GET',
        headers,
        body: request.body,
        signal: controller.signal,
        // A redirect is reported (PacsRequestError 3xx), never followed with our credentials.
        redirect: 'manual',
      });
    } catch (error) {
      clearTimeout(timer);
      if (controller.signal.aborted && controller.signal.reason instanceof PacsUnavailableError) throw controller.signal.reason;
      const { reason, detail } = unavailableReason(error);
      throw new PacsUnavailableError(url, reason, detail, { cause: error });
    }
    if (!response.ok) {
      let text = '';
      try {
        text = (await response.text()).slice(0, 500);
      } catch {
        // The body is only for the log.
      }
      clearTimeout(timer);
      const status = response.status;
      if (status === 404) throw new PacsNotFoundError(request.notFound ?? request.path.split('?')[0] ?? '', url);
      if (status === 400) {
        throw new PacsBadRequestError(`The pivot PACS refused the request ${url} as invalid (HTTP 400)`, `Le PACS pivot a refusé la requête ${url} comme invalide (HTTP 400)`, url);
      }
      if (status === 502 || status === 503 || status === 504) throw new PacsUnavailableError(url, 'gateway', `HTTP ${status}`);
      throw new PacsRequestError(url, status, text);
    }
    return {
      response,
      url,
      clearTimeout: () => clearTimeout(timer),
      abort: (reason: Error) => {
        clearTimeout(timer);
        controller.abort(reason);
      },
    };
  }

  /** Reads a body to the end under the request's time limit, turning an abort into the right error. */
  private async readBody<T>(answer: PacsResponse, read: (response: Response) => Promise<T>): Promise<T> {
    try {
      return await read(answer.response);
    } catch (error) {
      // An abort by our timer rejects with the PacsUnavailableError given as its reason.
      if (error instanceof PacsUnavailableError) throw error;
      const { reason, detail } = unavailableReason(error);
      throw new PacsUnavailableError(answer.url, reason === 'network' ? 'reset' : reason, `the answer was cut (${detail})`, { cause: error });
    } finally {
      answer.clearTimeout();
    }
  }

  /** GET (or POST) a JSON resource. */
  async json(request: PacsRequest): Promise<unknown> {
    const answer = await this.send({ accept: 'application/json', ...request });
    if (answer.response.status === 204) {
      answer.clearTimeout();
      return null;
    }
    const text = await this.readBody(answer, (response) => response.text());
    try {
      return text.trim() === '' ? null : (JSON.parse(text) as unknown);
    } catch (error) {
      throw new PacsResponseError(answer.url, 'the answer is not JSON', { cause: error });
    }
  }

  /** GET a plain text resource (Orthanc metadata). */
  async text(request: PacsRequest): Promise<string> {
    const answer = await this.send(request);
    return this.readBody(answer, (response) => response.text());
  }

  /** GET a resource whole, with its Content-Type. */
  async bytes(request: PacsRequest): Promise<{ contentType: string; body: Buffer; url: string }> {
    const answer = await this.send(request);
    const body = await this.readBody(answer, async (response) => Buffer.from(await response.arrayBuffer()));
    return { contentType: answer.response.headers.get('content-type') ?? '', body, url: answer.url };
  }
}
