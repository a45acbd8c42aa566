import { createInstance, type i18n as I18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from './en.js';
import { fr, type Messages } from './fr.js';
import { DEFAULT_LOCALE, type Locale } from './locale.js';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: Messages };
  }
}

export const resources = { fr: { translation: fr }, en: { translation: en } } as const;

/** One i18next instance, initialised synchronously (resources are bundled, nothing is fetched). */
export function createI18n(locale: Locale): I18n {
  const instance = createInstance();
  void instance.use(initReactI18next).init({
    resources,
    lng: locale,
    fallbackLng: DEFAULT_LOCALE,
    supportedLngs: ['fr', 'en'],
    initAsync: false,
    // React escapes what it renders; escaping here too would show "&amp;".
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  return instance;
}
