import { useTranslation } from 'react-i18next';
import { LOCALES, type Locale } from '../../i18n/locale.js';
import { useLocale } from '../useLocale.js';

/** FR / EN toggle buttons; the pressed one is marked by aria-pressed and by its look, not by colour alone. */
export function LanguageSwitch({ onChange }: { onChange: (locale: Locale) => void }) {
  const { t } = useTranslation();
  const current = useLocale();
  return (
    <div className="language-switch" role="group" aria-label={t('language.label')} data-testid="language-switch">
      {LOCALES.map((locale) => (
        <button
          key={locale}
          type="button"
          lang={locale}
          title={t(`language.${locale}`)}
          aria-pressed={locale === current}
          className="language-switch__option"
          onClick={() => {
            if (locale !== current) onChange(locale);
          }}
        >
          {locale.toUpperCase()}
        </button>
      ))}
    </div>
  );
}
