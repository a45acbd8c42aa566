import {
  DEFAULT_HOTKEYS,
  MAX_KEYS_PER_ACTION,
  VIEWER_ACTIONS,
  mergeBindings,
  type HotkeyBindings,
  type ViewerAction,
} from '../../core/viewerActions.js';

/**
 * The viewer's keyboard: from a KeyboardEvent to an action. The list of
 * actions, the defaults, merging and conflicts live in core/viewerActions.ts
 * because the hub checks saved preferences against them; re-exported here so
 * the viewer has one module to import.
 */
export {
  DEFAULT_HOTKEYS,
  MAX_KEYS_PER_ACTION,
  RESERVED_KEYS,
  VIEWER_ACTIONS,
  conflicts,
  mergeBindings,
  overridesOf,
  type HotkeyBindings,
  type HotkeyConflict,
  type HotkeyOverrides,
  type ViewerAction,
} from '../../core/viewerActions.js';

export interface KeyLike {
  key: string;
  shiftKey: boolean;
  ctrlKey: boolean;
  altKey: boolean;
  metaKey: boolean;
}

/** Presses that are not a key of their own: a modifier alone, a dead key, an IME composition. */
const NOT_A_KEY = new Set(['Shift', 'Control', 'Alt', 'AltGraph', 'Meta', 'OS', 'CapsLock', 'NumLock', 'ScrollLock', 'Fn', 'FnLock', 'Hyper', 'Super', 'Symbol', 'SymbolLock', 'Dead', 'Process', 'Unidentified', '']);

/**
 * A KeyboardEvent in the notation of core/viewerActions.ts, or '' for a press
 * that is no key of its own (Shift alone, a dead key): it matches no action
 * and a key-capture field ignores it.
 *
 * - Letters go by Shift, not by the character: Caps Lock does not turn `n`
 *   into `Shift+N`.
 * - Other printable characters drop Shift: `?` is Shift+/ in QWERTY and
 *   Shift+, in AZERTY, and the reader means `?` either way.
 * - Ctrl+Alt with a printable non-letter is AltGr on Windows (AZERTY `@`,
 *   `#`): the character alone.
 */
export function keyOf(event: KeyLike): string {
  const { key } = event;
  if (NOT_A_KEY.has(key)) return '';
  const chars = [...key];
  const printable = chars.length === 1;
  const letter = printable && /^[a-z]$/i.test(key);
  let ctrl = event.ctrlKey;
  let alt = event.altKey;
  let shift = event.shiftKey;
  let base: string;
  if (key === ' ') base = 'Space';
  else if (letter) base = shift ? key.toUpperCase() : key.toLowerCase();
  else if (printable) {
    shift = false;
    if (ctrl && alt) ctrl = alt = false;
    base = key;
  } else base = key;
  return `${ctrl ? 'Ctrl+' : ''}${alt ? 'Alt+' : ''}${shift ? 'Shift+' : ''}${event.metaKey ? 'Meta+' : ''}${base}`;
}

/** The action bound to `key`; with a conflict (which saving refuses), the first in VIEWER_ACTIONS order. */
export function actionFor(key: string, bindings: HotkeyBindings): ViewerAction | null {
  if (key === '') return null;
  for (const action of VIEWER_ACTIONS) {
    if (bindings[action].includes(key)) return action;
  }
  return null;
}

/** A reader's bindings from their saved overrides (hub preferences), over the defaults. */
export function bindingsFrom(overrides: Partial<Record<ViewerAction, readonly string[]>>): HotkeyBindings {
  return mergeBindings(DEFAULT_HOTKEYS, overrides);
}

export type HotkeyGroup = 'tools' | 'navigation' | 'view' | 'layout' | 'presets' | 'viewer';

const GROUP_OF_PREFIX: Record<string, HotkeyGroup> = {
  tool: 'tools',
  image: 'navigation',
  series: 'navigation',
  viewport: 'navigation',
  cine: 'navigation',
  view: 'view',
  layout: 'layout',
  mpr: 'layout',
  mip: 'layout',
  prior: 'layout',
  preset: 'presets',
  help: 'viewer',
  viewer: 'viewer',
};

export function groupOf(action: ViewerAction): HotkeyGroup {
  return GROUP_OF_PREFIX[action.slice(0, action.indexOf('.'))] ?? 'viewer';
}

export interface HotkeyHelpRow {
  action: ViewerAction;
  group: HotkeyGroup;
  /** The i18n key of the action's label (`viewer.actions.<action>`, nested by its dots). */
  labelKey: `viewer.actions.${ViewerAction}`;
  keys: readonly string[];
}

/** The rows of the on-screen help and of the settings table: every action in VIEWER_ACTIONS order, with its keys. */
export function hotkeyHelpRows(bindings: HotkeyBindings = DEFAULT_HOTKEYS): HotkeyHelpRow[] {
  return VIEWER_ACTIONS.map((action) => ({ action, group: groupOf(action), labelKey: `viewer.actions.${action}` as const, keys: bindings[action] }));
}

/** The default help rows, for a viewer that has not loaded the reader's preferences yet. */
export const HOTKEY_HELP_ROWS: readonly HotkeyHelpRow[] = Object.freeze(hotkeyHelpRows());

/**
 * `key` added to `action`'s keys (the settings panel's capture): kept once,
 * and beyond MAX_KEYS_PER_ACTION the oldest key goes, so the list always
 * stays savable. Other actions keep the key too: the panel shows the conflict
 * and the reader decides which action keeps it.
 */
export function withKey(bindings: HotkeyBindings, action: ViewerAction, key: string): HotkeyBindings {
  if (key === '' || bindings[action].includes(key)) return bindings;
  return { ...bindings, [action]: [...bindings[action], key].slice(-MAX_KEYS_PER_ACTION) };
}

export function withoutKey(bindings: HotkeyBindings, action: ViewerAction, key: string): HotkeyBindings {
  return { ...bindings, [action]: bindings[action].filter((held) => held !== key) };
}
