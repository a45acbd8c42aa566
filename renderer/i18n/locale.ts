import type { z } from 'zod';
import { LocaleRequest } from '../../core/api/auth.js';

/** A UI language; the hub's `LocaleRequest` is the single statement of which exist. */
export type Locale = z.infer<typeof LocaleRequest>['locale'];
export const LOCALES: readonly Locale[] = LocaleRequest.shape.locale.options;
export const DEFAULT_LOCALE: Locale = 'fr';

/**
 * BCP 47 tags for Intl. English uses en-GB: day/month order and a 24-hour
 * clock, as everyone reading at a French hospital expects.
 */
export const INTL_TAG: Record<Locale, string> = { fr: 'fr-FR', en: 'en-GB' };

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

const STORAGE_KEY = 'vigie.locale';

/** Storage may be missing or refuse access (private mode, policy): the UI then just uses French. */
export function readStoredLocale(storage: Pick<Storage, 'getItem'> | undefined): Locale | null {
  try {
    const value = storage?.getItem(STORAGE_KEY);
    return isLocale(value) ? value : null;
  } catch {
    return null;
  }
}

export function storeLocale(storage: Pick<Storage, 'setItem'> | undefined, locale: Locale): void {
  try {
    storage?.setItem(STORAGE_KEY, locale);
  } catch {
    // Not fatal: the choice still holds for this page, and the hub keeps it once signed in.
  }
}
