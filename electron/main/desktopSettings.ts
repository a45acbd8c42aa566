import { readFile } from 'node:fs/promises';
import { z } from 'zod';

/** `<userData>/settings.json`, written by IT or by an installer; every field optional. */
export const DesktopSettings = z.object({
  hubUrl: z.string().optional(),
});
export type DesktopSettings = z.infer<typeof DesktopSettings>;

export type DesktopSettingsResult = { ok: true; value: DesktopSettings } | { ok: false; error: string };

export async function loadDesktopSettings(filePath: string): Promise<DesktopSettingsResult> {
  let text: string;
  try {
    text = await readFile(filePath, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { ok: true, value: {} };
    return { ok: false, error: `The settings file ${filePath} cannot be read (${String(error)}).` };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, error: `The settings file ${filePath} is not valid JSON.` };
  }
  const parsed = DesktopSettings.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(file)'}: ${issue.message}`);
    return { ok: false, error: `The settings file ${filePath} is not valid: ${issues.join('; ')}.` };
  }
  return { ok: true, value: parsed.data };
}
