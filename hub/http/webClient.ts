import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export const DEFAULT_WEB_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/web');

/**
 * Serves the production build of the web client, and index.html for any other
 * GET (client-side routes). Returns the fallback handler, or null when no build exists.
 */
export async function registerWebClient(app: FastifyInstance, webRoot: string): Promise<((request: FastifyRequest, reply: FastifyReply) => FastifyReply) | null> {
  if (!existsSync(path.join(webRoot, 'index.html'))) {
    app.log.warn({ webRoot }, 'the web client is not built: run `npm run build` (npm start does it for you)');
    return null;
  }
  await app.register(fastifyStatic, {
    root: webRoot,
    wildcard: true,
    index: 'index.html',
    // build/precompress.mjs writes .br/.gz beside each asset: served to browsers that accept them.
    preCompressed: true,
    // Hashed asset names never change content; index.html must always be revalidated.
    setHeaders: (res, filePath) => {
      res.header('cache-control', filePath.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  return (_request, reply) => reply.header('cache-control', 'no-cache').sendFile('index.html');
}
