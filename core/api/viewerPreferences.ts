import { z } from 'zod';
import {
  DEFAULT_HOTKEYS,
  MAX_KEY_LENGTH,
  MAX_KEYS_PER_ACTION,
  RESERVED_KEYS,
  VIEWER_ACTIONS,
  conflicts,
  isKeyNotation,
  overlayBindings,
  type HotkeyOverrides,
} from '../viewerActions.js';

/**
 * A reader's viewer preferences, stored on the hub (decision 35) so that they
 * find their keys on any workstation:
 *   GET /api/me/preferences/viewer → ViewerPreferences (the defaults when none saved)
 *   PUT /api/me/preferences/viewer   ViewerPreferencesInput → ViewerPreferences
 */
export const VIEWER_LAYOUTS = ['1x1', '1x2', '2x2'] as const;
export const ViewerLayout = z.enum(VIEWER_LAYOUTS);
export type ViewerLayout = z.infer<typeof ViewerLayout>;

/** The image cache: 128 MB holds a 250-slice CT; beyond 8 GB a browser tab is killed before the cache fills. */
export const CACHE_BUDGET_MIN_MB = 128;
export const CACHE_BUDGET_MAX_MB = 8192;
export const CACHE_BUDGET_DEFAULT_MB = 1024;

export const HotkeyKey = z
  .string()
  .max(MAX_KEY_LENGTH, `A key is written in at most ${MAX_KEY_LENGTH} characters.`)
  .refine(isKeyNotation, { error: (issue) => `“${String(issue.input)}” is not a key as the viewer writes it (e.g. “w”, “Shift+N”, “ArrowDown”, “?”).` })
  .refine((key) => !RESERVED_KEYS.has(key), { error: (issue) => `“${String(issue.input)}” moves the keyboard focus and cannot be taken.` });

export const HotkeyList = z
  .array(HotkeyKey)
  .max(MAX_KEYS_PER_ACTION, `An action has at most ${MAX_KEYS_PER_ACTION} keys.`)
  .refine((keys) => new Set(keys).size === keys.length, 'The same key is listed twice for this action.');

/** Only the actions whose keys differ from DEFAULT_HOTKEYS; an action name the viewer does not know is refused. */
export const HotkeyOverridesSchema = z.partialRecord(z.enum(VIEWER_ACTIONS), HotkeyList);

const fields = {
  hotkeys: HotkeyOverridesSchema.default({}),
  cacheBudgetMb: z
    .number()
    .int('The cache budget is a whole number of megabytes.')
    .min(CACHE_BUDGET_MIN_MB, `The cache budget is at least ${CACHE_BUDGET_MIN_MB} MB.`)
    .max(CACHE_BUDGET_MAX_MB, `The cache budget is at most ${CACHE_BUDGET_MAX_MB} MB.`)
    .default(CACHE_BUDGET_DEFAULT_MB),
  defaultLayout: ViewerLayout.default('1x1'),
};

/** What the hub answers and stores. */
export const ViewerPreferences = z.strictObject(fields);
export type ViewerPreferences = z.infer<typeof ViewerPreferences>;

/**
 * What a reader may save: also refuses a key bound to two actions once the
 * overrides are laid over the defaults, naming the key and both actions.
 */
export const ViewerPreferencesInput = ViewerPreferences.superRefine((preferences, context) => {
  const overrides = preferences.hotkeys as HotkeyOverrides;
  for (const { key, actions } of conflicts(overlayBindings(DEFAULT_HOTKEYS, overrides))) {
    // Reported on an action the reader changed, so the form points at what they just did.
    const changed = actions.find((action) => overrides[action] !== undefined) ?? actions[0] ?? '';
    context.addIssue({
      code: 'custom',
      path: ['hotkeys', changed],
      message: `The key “${key}” is bound to both ${actions.join(' and ')}: give it to one action only.`,
    });
  }
});
export type ViewerPreferencesInput = z.input<typeof ViewerPreferencesInput>;

export const DEFAULT_VIEWER_PREFERENCES: ViewerPreferences = Object.freeze(ViewerPreferences.parse({}));
