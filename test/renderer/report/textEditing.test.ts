import { describe, expect, it } from 'vitest';
import { expandMacro, insertAtCaret } from '../../../renderer/report/textEditing.js';

const MACROS = [
  { shortcut: 'nl', text: 'Pas d’anomalie décelée.' },
  { shortcut: 'hsd', text: 'Hématome sous-dural aigu' },
];

describe('expandMacro', () => {
  it('expands a shortcut followed by Tab, at the caret, leaving the text after it', () => {
    const text = 'Parenchyme : nl\nVentricules : normaux';
    const caret = 'Parenchyme : nl'.length;
    expect(expandMacro(text, caret, MACROS, 'tab')).toEqual({
      text: 'Parenchyme : Pas d’anomalie décelée.\nVentricules : normaux',
      caret: 'Parenchyme : Pas d’anomalie décelée.'.length,
    });
  });

  it('expands a /shortcut on Tab or on space (then adds the space)', () => {
    expect(expandMacro('/hsd', 4, MACROS, 'tab')).toEqual({ text: 'Hématome sous-dural aigu', caret: 24 });
    expect(expandMacro('Un /hsd', 7, MACROS, 'space')).toEqual({ text: 'Un Hématome sous-dural aigu ', caret: 28 });
  });

  it('leaves plain words on space, unknown shortcuts, and parts of words alone', () => {
    expect(expandMacro('nl', 2, MACROS, 'space')).toBeNull();
    expect(expandMacro('xyz', 3, MACROS, 'tab')).toBeNull();
    expect(expandMacro('kernl', 5, MACROS, 'tab')).toBeNull();
    expect(expandMacro('', 0, MACROS, 'tab')).toBeNull();
    expect(expandMacro('http://nl', 9, MACROS, 'tab')).toBeNull();
  });

  it('expands only what ends at the caret', () => {
    expect(expandMacro('nl et suite', 2, MACROS, 'tab')?.text).toBe('Pas d’anomalie décelée. et suite');
    expect(expandMacro('nl et suite', 5, MACROS, 'tab')).toBeNull();
  });
});

describe('insertAtCaret', () => {
  it('inserts a phrase with a space when it would stick to the previous word', () => {
    expect(insertAtCaret('Hématome', 8, 8, 'extra-dural')).toEqual({ text: 'Hématome extra-dural', caret: 20 });
    expect(insertAtCaret('Hématome ', 9, 9, 'extra-dural')).toEqual({ text: 'Hématome extra-dural', caret: 20 });
    expect(insertAtCaret('', 0, 0, 'Normal.')).toEqual({ text: 'Normal.', caret: 7 });
  });

  it('replaces the selection, and keeps the caret inside the text', () => {
    expect(insertAtCaret('un XX deux', 3, 5, 'trois')).toEqual({ text: 'un trois deux', caret: 8 });
    expect(insertAtCaret('abc', 99, 120, 'd')).toEqual({ text: 'abc d', caret: 5 });
  });
});
