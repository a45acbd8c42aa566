// Writes .br and .gz beside each text/WASM asset of the web client, once, at
// build time. The hub serves them (@fastify/static preCompressed): the viewer's
// ~4 MB of Cornerstone3D code and codecs cross a home connection as ~1.2 MB.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const COMPRESSIBLE = /\.(js|mjs|css|html|svg|json|wasm|map)$/;
const MIN_BYTES = 1024;

export function precompress(dir) {
  let files = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      files += precompress(full);
      continue;
    }
    if (!COMPRESSIBLE.test(entry.name) || statSync(full).size < MIN_BYTES) continue;
    const bytes = readFileSync(full);
    // Quality 9: within a few per cent of 11 at a tenth of the time (the build stays fast).
    writeFileSync(`${full}.br`, brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 9, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } }));
    writeFileSync(`${full}.gz`, gzipSync(bytes, { level: 9 }));
    files += 1;
  }
  return files;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const dir = path.resolve(root, process.argv[2] ?? 'dist/web');
  const started = Date.now();
  const count = precompress(dir);
  process.stdout.write(`Precompressed ${count} web client files in ${Date.now() - started} ms.\n`);
}
