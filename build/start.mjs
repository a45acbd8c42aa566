// `npm start`: build the web client if it is missing or older than its sources, then run the hub.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';
import { precompress } from './precompress.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const builtIndex = path.join(root, 'dist/web/index.html');

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

const sourcesMtime = Math.max(newestMtime(path.join(root, 'renderer')), newestMtime(path.join(root, 'core')));
if (!existsSync(builtIndex) || statSync(builtIndex).mtimeMs < sourcesMtime) {
  process.stdout.write('Building the web client (first start or sources changed)…\n');
  const result = spawnSync(process.execPath, [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', '--config', path.join(root, 'renderer/vite.config.ts'), '--logLevel', 'warn'], {
    cwd: root,
    stdio: 'inherit',
    // Vite follows NODE_ENV: started from a test runner (NODE_ENV=test) it built React's development
    // bundle, whose StrictMode-style double effects doubled every viewer opening's requests.
    env: { ...process.env, NODE_ENV: 'production' },
  });
  if (result.status !== 0) {
    process.stderr.write('The web client failed to build; see the messages above.\n');
    process.exit(1);
  }
  precompress(path.join(root, 'dist/web'));
}

register();
await import('../hub/main.ts');
