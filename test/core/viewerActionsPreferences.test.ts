// The preference schema (core/api/viewerPreferences.ts), next to the actions it checks.
import { describe, expect, it } from 'vitest';
import { DEFAULT_VIEWER_PREFERENCES, ViewerPreferences, ViewerPreferencesInput } from '../../core/api/viewerPreferences.js';

function issues(input: unknown): [string, string][] {
  const result = ViewerPreferencesInput.safeParse(input);
  return result.success ? [] : result.error.issues.map((issue) => [issue.path.join('.'), issue.message]);
}

describe('viewer preferences schema', () => {
  it('fills the defaults', () => {
    expect(DEFAULT_VIEWER_PREFERENCES).toEqual({ hotkeys: {}, cacheBudgetMb: 1024, defaultLayout: '1x1' });
    expect(ViewerPreferencesInput.parse({ defaultLayout: '2x2' })).toEqual({ hotkeys: {}, cacheBudgetMb: 1024, defaultLayout: '2x2' });
  });

  it('accepts changed keys that collide with nothing', () => {
    expect(issues({ hotkeys: { 'tool.probe': ['x'], 'cine.toggle': [] }, cacheBudgetMb: 2048 })).toEqual([]);
  });

  it('refuses a key bound to two actions, naming the key and both actions, on the action changed', () => {
    const found = issues({ hotkeys: { 'tool.zoom': ['w'] } });
    expect(found).toHaveLength(1);
    expect(found[0]?.[0]).toBe('hotkeys.tool.zoom');
    expect(found[0]?.[1]).toContain('“w”');
    expect(found[0]?.[1]).toContain('tool.windowLevel');
    expect(found[0]?.[1]).toContain('tool.zoom');
    // The stored shape itself does not check conflicts: later defaults must not make a saved value unreadable.
    expect(ViewerPreferences.safeParse({ hotkeys: { 'tool.zoom': ['w'] } }).success).toBe(true);
  });

  it('refuses unknown actions, badly written or reserved keys, too many keys, duplicates', () => {
    expect(issues({ hotkeys: { 'tool.magic': ['q'] } })[0]?.[0]).toBe('hotkeys');
    expect(issues({ hotkeys: { 'tool.probe': ['Shift+x'] } })[0]?.[0]).toBe('hotkeys.tool.probe.0');
    expect(issues({ hotkeys: { 'tool.probe': ['Tab'] } })[0]?.[1]).toContain('focus');
    expect(issues({ hotkeys: { 'tool.probe': ['x', 'y', 'b', 'g', 'j'] } })[0]?.[1]).toContain('at most 4');
    expect(issues({ hotkeys: { 'tool.probe': ['x', 'x'] } })[0]?.[1]).toContain('twice');
    expect(issues({ hotkeys: { 'tool.probe': 'x' } })).toHaveLength(1);
  });

  it('bounds the cache budget and the layout, and refuses unknown fields', () => {
    expect(issues({ cacheBudgetMb: 127 })[0]?.[0]).toBe('cacheBudgetMb');
    expect(issues({ cacheBudgetMb: 8193 })[0]?.[0]).toBe('cacheBudgetMb');
    expect(issues({ cacheBudgetMb: 1000.5 })[0]?.[0]).toBe('cacheBudgetMb');
    expect(issues({ cacheBudgetMb: 128 })).toEqual([]);
    expect(issues({ defaultLayout: '3x3' })[0]?.[0]).toBe('defaultLayout');
    expect(issues({ theme: 'dark' })).toHaveLength(1);
  });
});
