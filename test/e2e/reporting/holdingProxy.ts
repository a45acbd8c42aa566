/**
 * An HTTP proxy in front of a site's DICOMweb server that can hold STOW-RS
 * posts: the hub's request is read in full and left unanswered (the job stays
 * "sending"), so a test can kill the hub in the middle of a delivery, then
 * hand the held document to the site itself, as if it had arrived just
 * before the hub died.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HeldPost {
  url: string;
  contentType: string;
  body: Buffer;
  response: ServerResponse;
}

export interface HoldingProxy {
  /** http://127.0.0.1:PORT */
  readonly url: string;
  /** While true, POSTs are held instead of forwarded. */
  hold: boolean;
  readonly held: HeldPost[];
  /** Posts forwarded (not held) so far, by path. */
  readonly forwardedPosts: string[];
  /** Sends the held posts to the target as they were, and drops the hub's side of them. */
  releaseToTarget(): Promise<number[]>;
  close(): Promise<void>;
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

export async function startHoldingProxy(targetBase: string): Promise<HoldingProxy> {
  const held: HeldPost[] = [];
  const forwardedPosts: string[] = [];
  const state = { hold: false };
  const forward = async (method: string, url: string, headers: Record<string, string>, body: Buffer | undefined) =>
    fetch(`${targetBase}${url}`, { method, headers, ...(body === undefined || method === 'GET' || method === 'HEAD' ? {} : { body: new Uint8Array(body) }), signal: AbortSignal.timeout(30_000) });

  const server: Server = createServer((request, response) => {
    void (async () => {
      const body = await readBody(request);
      const url = request.url ?? '/';
      const method = request.method ?? 'GET';
      const contentType = request.headers['content-type'] ?? '';
      if (method === 'POST' && state.hold) {
        held.push({ url, contentType, body, response });
        return;
      }
      if (method === 'POST') forwardedPosts.push(url);
      const headers: Record<string, string> = {};
      if (contentType) headers['content-type'] = contentType;
      if (typeof request.headers.accept === 'string') headers.accept = request.headers.accept;
      try {
        const answer = await forward(method, url, headers, body);
        const bytes = Buffer.from(await answer.arrayBuffer());
        response.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/octet-stream' });
        response.end(bytes);
      } catch {
        // The target is down: the client sees the connection dropped, as it would without the proxy.
        response.socket?.destroy();
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get hold() {
      return state.hold;
    },
    set hold(value: boolean) {
      state.hold = value;
    },
    held,
    forwardedPosts,
    async releaseToTarget() {
      const statuses: number[] = [];
      for (const post of held.splice(0)) {
        const answer = await forward('POST', post.url, { 'content-type': post.contentType, accept: 'application/dicom+json' }, post.body);
        await answer.arrayBuffer();
        statuses.push(answer.status);
        post.response.socket?.destroy();
      }
      return statuses;
    },
    close() {
      for (const post of held) post.response.socket?.destroy();
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
