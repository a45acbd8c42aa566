import { describe, expect, it } from 'vitest';
import {
  DEFAULT_HOTKEYS,
  RESERVED_KEYS,
  VIEWER_ACTIONS,
  conflicts,
  isKeyNotation,
  isViewerAction,
  mergeBindings,
  overlayBindings,
  overridesOf,
} from '../../core/viewerActions.js';

describe('viewer actions and default hotkeys', () => {
  it('binds every action, with keys in the notation and no key on two actions', () => {
    expect(Object.keys(DEFAULT_HOTKEYS).sort()).toEqual([...VIEWER_ACTIONS].sort());
    for (const action of VIEWER_ACTIONS) {
      for (const key of DEFAULT_HOTKEYS[action]) {
        expect(isKeyNotation(key), `${action}: ${key}`).toBe(true);
        expect(RESERVED_KEYS.has(key)).toBe(false);
      }
    }
    expect(conflicts(DEFAULT_HOTKEYS)).toEqual([]);
  });

  it('follows OHIF where OHIF has a default', () => {
    expect(DEFAULT_HOTKEYS['image.next']).toEqual(['ArrowDown']);
    expect(DEFAULT_HOTKEYS['image.previous']).toEqual(['ArrowUp']);
    expect(DEFAULT_HOTKEYS['image.first']).toEqual(['Home']);
    expect(DEFAULT_HOTKEYS['series.next']).toEqual(['PageDown']);
    expect(DEFAULT_HOTKEYS['view.rotateRight']).toEqual(['r']);
    expect(DEFAULT_HOTKEYS['view.flipHorizontal']).toEqual(['h']);
    expect(DEFAULT_HOTKEYS['view.invert']).toEqual(['i']);
    expect(DEFAULT_HOTKEYS['view.reset']).toEqual(['Space']);
    expect(DEFAULT_HOTKEYS['tool.zoom']).toEqual(['z']);
    expect(DEFAULT_HOTKEYS['help.toggle']).toEqual(['?']);
    expect(DEFAULT_HOTKEYS['viewer.back']).toEqual(['Escape']);
  });

  it('tells action names from anything else', () => {
    expect(isViewerAction('preset.liver')).toBe(true);
    expect(isViewerAction('preset.kidney')).toBe(false);
    expect(isViewerAction('__proto__')).toBe(false);
  });
});

describe('key notation', () => {
  it.each(['w', 'Shift+N', 'ArrowDown', '?', '+', '1', 'Ctrl+z', 'Ctrl++', 'Ctrl+Alt+Shift+Meta+F2', 'Space', 'é', 'Alt+-'])('accepts %s', (key) => {
    expect(isKeyNotation(key)).toBe(true);
  });

  it.each(['', 'W', 'Shift+n', 'Shift+?', 'Shift+1', 'Alt+Ctrl+z', 'Ctrl+Ctrl+z', 'arrowdown', ' ', 'Hyper+a', 'x'.repeat(40), 'ab'])('refuses %j', (key) => {
    expect(isKeyNotation(key)).toBe(false);
  });
});

describe('merging a reader’s overrides', () => {
  it('replaces the keys of overridden actions, [] unbinding', () => {
    const merged = mergeBindings(DEFAULT_HOTKEYS, { 'tool.probe': ['x', 'Shift+X'], 'cine.toggle': [] });
    expect(merged['tool.probe']).toEqual(['x', 'Shift+X']);
    expect(merged['cine.toggle']).toEqual([]);
    expect(merged['tool.zoom']).toEqual(['z']);
  });

  it('lets an override take a default key from an action not overridden, so old preferences never collide', () => {
    const merged = mergeBindings(DEFAULT_HOTKEYS, { 'tool.zoom': ['w'] });
    expect(merged['tool.zoom']).toEqual(['w']);
    expect(merged['tool.windowLevel']).toEqual([]);
    expect(conflicts(merged)).toEqual([]);
  });

  it('reports conflicts when the overrides are only laid over, naming the key and both actions', () => {
    expect(conflicts(overlayBindings(DEFAULT_HOTKEYS, { 'tool.zoom': ['w'] }))).toEqual([{ key: 'w', actions: ['tool.windowLevel', 'tool.zoom'] }]);
    expect(conflicts({ 'tool.zoom': ['q', 'q'] })).toEqual([]);
  });

  it('keeps only what differs from the defaults, and merging that back gives the same bindings', () => {
    const bindings = { ...DEFAULT_HOTKEYS, 'tool.zoom': ['w'], 'tool.windowLevel': ['x'], 'view.invert': ['i'] };
    const overrides = overridesOf(DEFAULT_HOTKEYS, bindings);
    expect(overrides).toEqual({ 'tool.zoom': ['w'], 'tool.windowLevel': ['x'] });
    expect(mergeBindings(DEFAULT_HOTKEYS, overrides)).toEqual(bindings);
    expect(overridesOf(DEFAULT_HOTKEYS, DEFAULT_HOTKEYS)).toEqual({});
  });
});
