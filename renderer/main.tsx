import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import { HttpReadingApi } from './api/httpReadingApi.js';
import { SessionGuardedApi } from './api/sessionGuard.js';
import { ApiProvider } from './app/ApiContext.js';
import { App } from './app/App.js';
import { browserStorage } from './app/browserStorage.js';
import { createI18n } from './i18n/createI18n.js';
import { DEFAULT_LOCALE, readStoredLocale } from './i18n/locale.js';
import './styles/theme.css';
import './styles/layout.css';
import './styles/forms.css';
import './styles/auth.css';
import './styles/worklist.css';
import './styles/admin.css';
import './styles/viewer.css';
import './styles/report.css';

const i18n = createI18n(readStoredLocale(browserStorage()) ?? DEFAULT_LOCALE);
// <html lang> follows the UI language: screen readers pick their voice from it.
const syncLang = (language: string) => {
  document.documentElement.lang = language;
};
syncLang(i18n.language);
i18n.on('languageChanged', syncLang);

// The web client talks to the hub that served it. (The desktop shell will pass its preload bridge instead.)
const api = new SessionGuardedApi(new HttpReadingApi(''));

const root = document.getElementById('root');
if (root === null) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <I18nextProvider i18n={i18n}>
      <ApiProvider api={api}>
        <App />
      </ApiProvider>
    </I18nextProvider>
  </StrictMode>,
);
