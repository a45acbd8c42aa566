import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { secureWebPreferences } from '../../electron/main/secureWebPreferences.js';

const electronDir = fileURLToPath(new URL('../../electron/', import.meta.url));

async function sourcesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => join(entry.parentPath, entry.name));
}

describe('secureWebPreferences', () => {
  it('sandboxes and isolates the page, with no Node and no web-security exceptions', () => {
    const preferences = secureWebPreferences({ preload: '/app/preload/preload.cjs' });
    expect(preferences).toMatchObject({
      preload: '/app/preload/preload.cjs',
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      webviewTag: false,
      spellcheck: false,
    });
  });

  it('is what every BrowserWindow in the desktop shell is created with', async () => {
    const windows: { file: string; options: string }[] = [];
    for (const file of await sourcesUnder(electronDir)) {
      const source = await readFile(file, 'utf8');
      for (const match of source.matchAll(/new BrowserWindow\(([\s\S]*?)\n\s*\}\);/g)) {
        windows.push({ file, options: match[1] ?? '' });
      }
    }
    expect(windows.length).toBeGreaterThan(0);
    for (const { file, options } of windows) {
      expect(options, `a BrowserWindow in ${file}`).toMatch(/webPreferences:\s*secureWebPreferences\(/);
    }
  });

  it('has main enforce the sandbox for every renderer, whatever a window asks for', async () => {
    const main = await readFile(join(electronDir, 'main/main.ts'), 'utf8');
    expect(main).toMatch(/app\.enableSandbox\(\)/);
  });
});
