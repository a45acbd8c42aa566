import type { ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { TeleFileChange, TeleFileWorklist } from '../../../core/api/teleFiles.js';
import type { Services } from '../../services.js';
import { authOf, tokenOf } from '../sessionAuth.js';

const PING_MS = 15_000;

export async function worklistRoutes(app: FastifyInstance, { services }: { services: Services }) {
  const { guards, worklist, sessions } = services;
  const streams = new Set<ServerResponse>();
  // Open event streams would hold a graceful shutdown until its deadline: end them first.
  app.addHook('preClose', async () => {
    for (const stream of streams) stream.end();
  });

  app.get('/api/worklist', { preHandler: guards.requireSession() }, async (request): Promise<TeleFileWorklist> => worklist.worklist(authOf(request).user));

  /**
   * Live worklist (Server-Sent Events). Resumes after `Last-Event-ID` or
   * `?since=`; the session is re-checked at every ping, and the stream ends
   * with `event: session-expired` when it is gone.
   */
  app.get('/api/worklist/events', { preHandler: guards.requireSession(['active'], [], { slide: false }) }, async (request, reply) => {
    const feed = services.liveFeed;
    const { user } = authOf(request);
    const since = (request.headers['last-event-id'] as string | undefined) ?? (request.query as { since?: string }).since ?? (await services.teleFiles.headSeq());
    const cursor = /^\d{1,19}$/.test(since) ? since : '0';
    reply.hijack();
    const raw = reply.raw;
    // Listen for the client leaving before any await, or an early disconnect would stay subscribed.
    let closed = false;
    let unsubscribe: () => void = () => undefined;
    let ping: NodeJS.Timeout | undefined = undefined;
    request.raw.on('close', () => {
      closed = true;
      streams.delete(raw);
      clearInterval(ping);
      unsubscribe();
    });
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
      'cross-origin-resource-policy': 'same-origin',
    });
    raw.write('retry: 2000\n\n');
    streams.add(raw);
    const write = (text: string) => {
      if (!raw.writableEnded) raw.write(text);
    };
    const initial = await worklist.visibleRows(await worklist.reachOf(user));
    // A change may reach the catch-up and the live poll both: send each version once.
    const sentVersion = new Map<string, number>();
    const stop = feed
      ? await feed.subscribe(
          {
            user,
            shown: new Set(initial.map((r) => r.id)),
            send: (change: TeleFileChange, id: string) => {
              if (change.kind === 'upsert') {
                if ((sentVersion.get(change.teleFile.id) ?? -1) >= change.teleFile.version) return;
                sentVersion.set(change.teleFile.id, change.teleFile.version);
              } else sentVersion.delete(change.id);
              write(`id: ${id}\nevent: tele-file\ndata: ${JSON.stringify(change)}\n\n`);
            },
            reset: () => write('event: reset\ndata: {}\n\n'),
          },
          cursor,
        )
      : () => undefined;
    if (closed) {
      stop();
      return;
    }
    unsubscribe = stop;
    const token = tokenOf(request);
    ping = setInterval(() => {
      void (async () => {
        const found = token ? await sessions.lookup(token) : { kind: 'unknown' as const };
        if (found.kind !== 'valid') {
          write('event: session-expired\ndata: {}\n\n');
          raw.end();
          return;
        }
        write(': ping\n\n');
      })().catch(() => raw.end());
    }, PING_MS);
  });
}
