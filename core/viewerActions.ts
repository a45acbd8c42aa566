/**
 * What a reader can do in the diagnostic viewer by keyboard, and the default
 * keys (issue 5). In core, not in the renderer, because the hub validates a
 * reader's saved hotkeys against the same list and the same defaults
 * (`core/api/viewerPreferences.ts`): one statement of the fact.
 *
 * Key notation (produced by `keyOf` in renderer/viewer/hotkeys.ts):
 * modifiers in the order `Ctrl+`, `Alt+`, `Shift+`, `Meta+`, then the key:
 *  - an ASCII letter, lower-case, or upper-case with `Shift+` (`n`, `Shift+N`);
 *  - any other printable character as typed, never with `Shift+` (the
 *    character already says it: `?`, `+`, `1`);
 *  - a named key as KeyboardEvent.key spells it (`ArrowDown`, `PageUp`,
 *    `Escape`, `F2`), and `Space` for the space bar.
 */
export const VIEWER_ACTIONS = [
  'tool.windowLevel',
  'tool.zoom',
  'tool.pan',
  'tool.length',
  'tool.angle',
  'tool.ellipse',
  'tool.probe',
  'tool.scroll',
  'image.next',
  'image.previous',
  'image.first',
  'image.last',
  'series.next',
  'series.previous',
  'viewport.next',
  'viewport.previous',
  'cine.toggle',
  'view.invert',
  'view.rotateRight',
  'view.rotateLeft',
  'view.flipHorizontal',
  'view.flipVertical',
  'view.reset',
  'view.zoomIn',
  'view.zoomOut',
  'layout.1x1',
  'layout.1x2',
  'layout.2x2',
  'mpr.toggle',
  'mip.toggle',
  'prior.toggle',
  'preset.brain',
  'preset.subdural',
  'preset.stroke',
  'preset.bone',
  'preset.lung',
  'preset.mediastinum',
  'preset.abdomen',
  'preset.liver',
  'help.toggle',
  'viewer.back',
  'viewer.nextTeleFile',
] as const;

export type ViewerAction = (typeof VIEWER_ACTIONS)[number];

export type HotkeyBindings = Readonly<Record<ViewerAction, readonly string[]>>;
export type HotkeyOverrides = Partial<Record<ViewerAction, readonly string[]>>;

const ACTION_SET: ReadonlySet<string> = new Set(VIEWER_ACTIONS);
export function isViewerAction(value: string): value is ViewerAction {
  return ACTION_SET.has(value);
}

/**
 * OHIF v3's defaults (platform/core/src/defaults/hotkeyBindings.js) where it
 * has one: z zoom, +/- zoom in/out, r/l rotate, h/v flip, i invert, c cine,
 * ArrowDown/ArrowUp next/previous image, Home/End first/last, PageDown/PageUp
 * next/previous series, ArrowRight/ArrowLeft next/previous viewport, Space
 * reset, 1… window presets. OHIF v2's for the tools it no longer binds (w
 * window/level, p pan, a angle, s stack scroll). Ours for the rest.
 *
 * Escape goes back to the worklist; the viewer lets a measurement in progress
 * take Escape first (cancel it), as OHIF's cancelMeasurement does.
 * Digits are the characters typed: on an AZERTY keyboard, presets are Shift
 * plus the top row, or the numeric keypad (KeyboardEvent.key is '1' either way).
 */
export const DEFAULT_HOTKEYS: HotkeyBindings = Object.freeze({
  'tool.windowLevel': ['w'],
  'tool.zoom': ['z'],
  'tool.pan': ['p'],
  'tool.length': ['d'],
  'tool.angle': ['a'],
  'tool.ellipse': ['e'],
  'tool.probe': ['o'],
  'tool.scroll': ['s'],
  'image.next': ['ArrowDown'],
  'image.previous': ['ArrowUp'],
  'image.first': ['Home'],
  'image.last': ['End'],
  'series.next': ['PageDown'],
  'series.previous': ['PageUp'],
  'viewport.next': ['ArrowRight'],
  'viewport.previous': ['ArrowLeft'],
  'cine.toggle': ['c'],
  'view.invert': ['i'],
  'view.rotateRight': ['r'],
  'view.rotateLeft': ['l'],
  'view.flipHorizontal': ['h'],
  'view.flipVertical': ['v'],
  'view.reset': ['Space'],
  'view.zoomIn': ['+'],
  'view.zoomOut': ['-'],
  // Mnemonic in French and English alike: Un/Uno, Deux/Dual, Quatre/Quad.
  'layout.1x1': ['Shift+U'],
  'layout.1x2': ['Shift+D'],
  'layout.2x2': ['Shift+Q'],
  'mpr.toggle': ['m'],
  'mip.toggle': ['Shift+M'],
  'prior.toggle': ['Shift+P'],
  'preset.brain': ['1'],
  'preset.subdural': ['2'],
  'preset.stroke': ['3'],
  'preset.bone': ['4'],
  'preset.lung': ['5'],
  'preset.mediastinum': ['6'],
  'preset.abdomen': ['7'],
  'preset.liver': ['8'],
  'help.toggle': ['?'],
  'viewer.back': ['Escape'],
  'viewer.nextTeleFile': ['Shift+N'],
});

/** Keys a reader may not take: Tab moves the keyboard focus (WCAG 2.1.2, no keyboard trap). */
export const RESERVED_KEYS: ReadonlySet<string> = new Set(['Tab', 'Shift+Tab']);

export const MAX_KEYS_PER_ACTION = 4;
export const MAX_KEY_LENGTH = 32;

const MODIFIERS = ['Ctrl', 'Alt', 'Shift', 'Meta'] as const;

/** Whether `key` is written in the notation above (what `keyOf` can produce), so a saved key can ever match. */
export function isKeyNotation(key: string): boolean {
  if (key.length === 0 || key.length > MAX_KEY_LENGTH) return false;
  const parts = key.split('+');
  // A trailing '+' is the key itself ("+", "Ctrl++").
  let base = parts.pop() as string;
  if (base === '' && parts.length > 0 && parts[parts.length - 1] === '') {
    parts.pop();
    base = '+';
  }
  let last = -1;
  const held = new Set<string>();
  for (const modifier of parts) {
    const rank = (MODIFIERS as readonly string[]).indexOf(modifier);
    if (rank <= last) return false;
    last = rank;
    held.add(modifier);
  }
  if ([...base].length === 1) {
    if (/\s/u.test(base)) return false;
    if (/^[a-z]$/.test(base)) return !held.has('Shift');
    if (/^[A-Z]$/.test(base)) return held.has('Shift');
    return !held.has('Shift');
  }
  return /^[A-Z][A-Za-z0-9]{1,19}$/.test(base);
}

/**
 * Overrides replace the whole key list of their action ([] unbinds it). A key
 * an override takes is removed from the defaults of the actions not
 * overridden: the reader's explicit choice wins, so preferences saved under
 * older defaults never collide when a later version adds a default key.
 */
export function mergeBindings(defaults: HotkeyBindings, overrides: HotkeyOverrides): Record<ViewerAction, readonly string[]> {
  const taken = new Set<string>();
  for (const action of VIEWER_ACTIONS) for (const key of overrides[action] ?? []) taken.add(key);
  const merged = {} as Record<ViewerAction, readonly string[]>;
  for (const action of VIEWER_ACTIONS) {
    const own = overrides[action];
    merged[action] = own !== undefined ? [...own] : defaults[action].filter((key) => !taken.has(key));
  }
  return merged;
}

/** Overrides laid over the defaults as given, nothing removed: what `conflicts` checks before saving. */
export function overlayBindings(defaults: HotkeyBindings, overrides: HotkeyOverrides): Record<ViewerAction, readonly string[]> {
  const merged = {} as Record<ViewerAction, readonly string[]>;
  for (const action of VIEWER_ACTIONS) merged[action] = [...(overrides[action] ?? defaults[action])];
  return merged;
}

export interface HotkeyConflict {
  key: string;
  actions: ViewerAction[];
}

/** Every key bound to more than one action, in the order of VIEWER_ACTIONS. */
export function conflicts(bindings: Partial<Record<ViewerAction, readonly string[]>>): HotkeyConflict[] {
  const byKey = new Map<string, ViewerAction[]>();
  for (const action of VIEWER_ACTIONS) {
    for (const key of new Set(bindings[action] ?? [])) {
      const actions = byKey.get(key) ?? [];
      actions.push(action);
      byKey.set(key, actions);
    }
  }
  return [...byKey].filter(([, actions]) => actions.length > 1).map(([key, actions]) => ({ key, actions }));
}

/** The overrides that turn `defaults` into `bindings`: only the actions whose keys differ (order aside). */
export function overridesOf(defaults: HotkeyBindings, bindings: HotkeyBindings): Partial<Record<ViewerAction, string[]>> {
  const overrides: Partial<Record<ViewerAction, string[]>> = {};
  for (const action of VIEWER_ACTIONS) {
    const a = [...new Set(bindings[action])].sort();
    const b = [...new Set(defaults[action])].sort();
    if (a.length !== b.length || a.some((key, i) => key !== b[i])) overrides[action] = [...bindings[action]];
  }
  return overrides;
}
