import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const eslint = new ESLint({ cwd: root });

/** Lints source text as if it lived at `file`, returning only the layering messages. */
async function layeringMessages(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'vigie/layering').map((m) => m.message);
}

describe('the layering rule (vigie/layering, at error)', () => {
  it('is configured at error severity', async () => {
    const config = (await eslint.calculateConfigForFile(path.join(root, 'core/x.ts'))) as { rules: Record<string, unknown[]> };
    expect(config.rules['vigie/layering']?.[0]).toBe(2);
  });

  it.each([
    ['core/x.ts', "import { a } from '../hub/config/config.js';", /core.*must not import.*hub/],
    ['core/x.ts', "import fs from 'node:fs';", /Node built-in 'node:fs'/],
    ['core/x.ts', "import path from 'path';", /Node built-in 'path'/],
    ['core/x.ts', "import React from 'react';", /package 'react'/],
    ['core/x.ts', "import { Kysely } from 'kysely';", /package 'kysely'.*core may use only/],
    ['renderer/app/x.ts', "import { startHub } from '../../hub/index.js';", /renderer.*must not import.*hub/],
    ['renderer/app/x.ts', "export * from '../../electron/preload/preload.js';", /renderer.*must not import.*electron/],
    ['renderer/app/x.ts', "const m = await import('electron');", /package 'electron'/],
    ['renderer/x.ts', "import { readFile } from 'node:fs/promises';", /Node built-in/],
    ['hub/x.ts', "import { App } from '../renderer/app/App.js';", /hub.*must not import.*renderer/],
    ['hub/x.ts', "import { app } from 'electron';", /package 'electron'/],
    ['electron/main/x.ts', "import { db } from '../../hub/db/database.js';", /electron.*must not import.*hub/],
  ])('refuses %s: %s', async (file, code, expected) => {
    const messages = await layeringMessages(file, code);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(expected);
  });

  it.each([
    ['core/x.ts', "import { z } from 'zod';"],
    ['hub/x.ts', "import { LoginRequest } from '../core/api/auth.js';"],
    ['hub/x.ts', "import fs from 'node:fs';"],
    ['renderer/app/x.ts', "import type { ReadingApi } from '../../core/readingApi.js';"],
    ['electron/main/x.ts', "const { startHub } = await import('../../hub/index.js');"],
  ])('allows %s: %s', async (file, code) => {
    expect(await layeringMessages(file, code)).toEqual([]);
  });

  it('makes `eslint` fail on a forbidden import (exit code, as CI sees it)', async () => {
    const results = await eslint.lintText("import fs from 'node:fs';\nexport const x = fs;\n", {
      filePath: path.join(root, 'core/forbidden.ts'),
    });
    expect(ESLint.getErrorResults(results)).toHaveLength(1);
  });
});
