import { describe, expect, it } from 'vitest';
import { en } from '../../../renderer/i18n/en.js';
import { fr } from '../../../renderer/i18n/fr.js';

/** Every leaf as [dotted key, value]. */
function leaves(tree: unknown, prefix = ''): [string, unknown][] {
  if (typeof tree !== 'object' || tree === null) return [[prefix, tree]];
  return Object.entries(tree).flatMap(([key, value]) => leaves(value, prefix === '' ? key : `${prefix}.${key}`));
}

function variables(text: unknown): string[] {
  return [...String(text).matchAll(/\{\{\s*([\w.]+)\s*\}\}/g)].map((match) => match[1] ?? '').sort();
}

describe('UI text resources', () => {
  const frLeaves = new Map(leaves(fr));
  const enLeaves = new Map(leaves(en));

  it('French and English have exactly the same keys', () => {
    expect([...enLeaves.keys()].sort()).toEqual([...frLeaves.keys()].sort());
  });

  it.each([
    ['fr', frLeaves],
    ['en', enLeaves],
  ] as const)('every %s text is a non-empty string', (_language, texts) => {
    for (const [key, value] of texts) {
      expect(typeof value, key).toBe('string');
      expect(String(value).trim(), key).not.toBe('');
    }
  });

  it('each key uses the same {{variables}} in both languages', () => {
    for (const [key, text] of frLeaves) {
      expect(variables(enLeaves.get(key)), key).toEqual(variables(text));
    }
  });

  it('keeps the messages the brief fixes word for word', () => {
    expect(fr.signIn.sessionExpired).toBe('Votre session a expiré, veuillez vous reconnecter.');
    expect(en.signIn.sessionExpired).toBe('Your session has expired, please sign in again.');
    expect(fr.errors['invalid-credentials']).toBe('Identifiant ou mot de passe incorrect.');
    expect(fr.worklist.empty).toBe('Aucun télé-dossier à lire');
    expect(fr.recoveryCodes.done).toBe('J’ai noté mes codes');
  });
});
