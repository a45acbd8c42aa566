import { describe, expect, it } from 'vitest';
import {
  DEFAULT_HOTKEYS,
  HOTKEY_HELP_ROWS,
  VIEWER_ACTIONS,
  actionFor,
  bindingsFrom,
  groupOf,
  hotkeyHelpRows,
  keyOf,
  withKey,
  withoutKey,
  type KeyLike,
} from '../../../renderer/viewer/hotkeys.js';
import { isKeyNotation } from '../../../core/viewerActions.js';

function press(key: string, modifiers: Partial<Omit<KeyLike, 'key'>> = {}): KeyLike {
  return { key, shiftKey: false, ctrlKey: false, altKey: false, metaKey: false, ...modifiers };
}

describe('keyOf', () => {
  it('writes letters lower-case, upper-case with Shift, whatever Caps Lock says', () => {
    expect(keyOf(press('w'))).toBe('w');
    expect(keyOf(press('N', { shiftKey: true }))).toBe('Shift+N');
    expect(keyOf(press('W'))).toBe('w');
    expect(keyOf(press('n', { shiftKey: true }))).toBe('Shift+N');
  });

  it('drops Shift from other characters: ? and + are what the reader means, on QWERTY and AZERTY alike', () => {
    expect(keyOf(press('?', { shiftKey: true }))).toBe('?');
    expect(keyOf(press('+', { shiftKey: true }))).toBe('+');
    expect(keyOf(press('1', { shiftKey: true }))).toBe('1');
    expect(keyOf(press('-'))).toBe('-');
  });

  it('keeps named keys and their modifiers, in a fixed order', () => {
    expect(keyOf(press('ArrowDown'))).toBe('ArrowDown');
    expect(keyOf(press('ArrowDown', { shiftKey: true }))).toBe('Shift+ArrowDown');
    expect(keyOf(press(' '))).toBe('Space');
    expect(keyOf(press('z', { metaKey: true, ctrlKey: true, shiftKey: true, altKey: true }))).toBe('Ctrl+Alt+Shift+Meta+Z');
    expect(keyOf(press('+', { ctrlKey: true }))).toBe('Ctrl++');
  });

  it('takes Ctrl+Alt with a symbol as AltGr (Windows AZERTY @)', () => {
    expect(keyOf(press('@', { ctrlKey: true, altKey: true }))).toBe('@');
  });

  it('gives nothing for a modifier alone or a dead key', () => {
    for (const key of ['Shift', 'Control', 'Alt', 'Meta', 'AltGraph', 'Dead', 'Unidentified']) expect(keyOf(press(key))).toBe('');
  });

  it('always writes a key the hub accepts', () => {
    for (const event of [press('a'), press('A', { shiftKey: true }), press('?', { shiftKey: true }), press('F2', { altKey: true }), press(' ', { shiftKey: true }), press('é')]) {
      expect(isKeyNotation(keyOf(event)), JSON.stringify(event)).toBe(true);
    }
  });
});

describe('actionFor', () => {
  it('finds the action of a key in the defaults', () => {
    expect(actionFor('ArrowDown', DEFAULT_HOTKEYS)).toBe('image.next');
    expect(actionFor('1', DEFAULT_HOTKEYS)).toBe('preset.brain');
    expect(actionFor('8', DEFAULT_HOTKEYS)).toBe('preset.liver');
    expect(actionFor('Shift+N', DEFAULT_HOTKEYS)).toBe('viewer.nextTeleFile');
    expect(actionFor('n', DEFAULT_HOTKEYS)).toBeNull();
    expect(actionFor('', DEFAULT_HOTKEYS)).toBeNull();
  });

  it('uses the reader’s bindings, overrides taking keys from the defaults', () => {
    const bindings = bindingsFrom({ 'tool.zoom': ['w'] });
    expect(actionFor('w', bindings)).toBe('tool.zoom');
    expect(actionFor('z', bindings)).toBeNull();
  });

  it('maps every default key back to its own action', () => {
    for (const action of VIEWER_ACTIONS) for (const key of DEFAULT_HOTKEYS[action]) expect(actionFor(key, DEFAULT_HOTKEYS)).toBe(action);
  });
});

describe('help rows', () => {
  it('lists every action once, in order, with its label key and keys', () => {
    expect(HOTKEY_HELP_ROWS.map((row) => row.action)).toEqual([...VIEWER_ACTIONS]);
    expect(HOTKEY_HELP_ROWS.find((row) => row.action === 'view.invert')).toEqual({ action: 'view.invert', group: 'view', labelKey: 'viewer.actions.view.invert', keys: ['i'] });
    expect(hotkeyHelpRows(bindingsFrom({ 'view.invert': ['Shift+I'] })).find((row) => row.action === 'view.invert')?.keys).toEqual(['Shift+I']);
  });

  it('groups actions by what they do', () => {
    expect(groupOf('tool.angle')).toBe('tools');
    expect(groupOf('series.next')).toBe('navigation');
    expect(groupOf('preset.bone')).toBe('presets');
    expect(groupOf('viewer.back')).toBe('viewer');
  });
});

describe('editing bindings in the settings panel', () => {
  it('adds a captured key once, dropping the oldest beyond four keys', () => {
    let bindings = withKey(DEFAULT_HOTKEYS, 'tool.probe', 'x');
    expect(bindings['tool.probe']).toEqual(['o', 'x']);
    expect(withKey(bindings, 'tool.probe', 'x')).toBe(bindings);
    for (const key of ['b', 'g', 'j']) bindings = withKey(bindings, 'tool.probe', key);
    expect(bindings['tool.probe']).toEqual(['x', 'b', 'g', 'j']);
    expect(withKey(bindings, 'tool.probe', '')).toBe(bindings);
  });

  it('removes a key from one action only', () => {
    const bindings = withoutKey(withKey(DEFAULT_HOTKEYS, 'tool.probe', 'w'), 'tool.probe', 'o');
    expect(bindings['tool.probe']).toEqual(['w']);
    expect(bindings['tool.windowLevel']).toEqual(['w']);
    expect(DEFAULT_HOTKEYS['tool.probe']).toEqual(['o']);
  });
});
