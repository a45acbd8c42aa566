import type { Macro } from '../../core/api/reports.js';

/** A textarea's text after an edit, and where its caret goes. */
export interface TextEdit {
  readonly text: string;
  readonly caret: number;
}

/** What the person typed that may expand a macro: Tab after a shortcut (with or without `/`), or a space after `/shortcut`. */
export type MacroTrigger = 'tab' | 'space';

const SHORTCUT_BEFORE_CARET = /(^|[\s(«"'])(\/?)([a-z0-9][a-z0-9-]{0,19})$/;

/**
 * Expands the macro whose shortcut ends at the caret ("nl" then Tab, or
 * "/nl" then Tab or space). Null when nothing matches, so a Tab with no
 * macro still moves the focus (keyboard users leave the field with it), and
 * a plain word followed by a space stays a word: only the `/` form expands
 * on space.
 */
export function expandMacro(text: string, caret: number, macros: readonly Macro[], trigger: MacroTrigger): TextEdit | null {
  const before = text.slice(0, caret);
  const match = SHORTCUT_BEFORE_CARET.exec(before);
  if (!match) return null;
  const slash = match[2] === '/';
  if (trigger === 'space' && !slash) return null;
  const shortcut = match[3] ?? '';
  const macro = macros.find((candidate) => candidate.shortcut === shortcut);
  if (!macro) return null;
  const start = caret - shortcut.length - (slash ? 1 : 0);
  const insert = trigger === 'space' ? `${macro.text} ` : macro.text;
  return { text: text.slice(0, start) + insert + text.slice(caret), caret: start + insert.length };
}

/**
 * Inserts a pick-list phrase at the caret (replacing a selection), with a
 * space before it when it would otherwise stick to the previous word.
 */
export function insertAtCaret(text: string, selectionStart: number, selectionEnd: number, phrase: string): TextEdit {
  const start = Math.max(0, Math.min(selectionStart, text.length));
  const end = Math.max(start, Math.min(selectionEnd, text.length));
  const previous = text.slice(0, start);
  const separator = previous === '' || /\s$/.test(previous) ? '' : ' ';
  const insert = separator + phrase;
  return { text: previous + insert + text.slice(end), caret: start + insert.length };
}
