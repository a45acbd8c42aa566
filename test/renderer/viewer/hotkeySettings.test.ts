import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { I18nextProvider } from 'react-i18next';
import { describe, expect, it } from 'vitest';
import type { ReadingApi } from '../../../core/readingApi.js';
import { VIEWER_ACTIONS } from '../../../core/viewerActions.js';
import { SessionGuardedApi } from '../../../renderer/api/sessionGuard.js';
import { ApiProvider } from '../../../renderer/app/ApiContext.js';
import { HotkeySettings } from '../../../renderer/app/viewer/HotkeySettings.js';
import { createI18n } from '../../../renderer/i18n/createI18n.js';
import { HOTKEY_HELP_ROWS } from '../../../renderer/viewer/hotkeys.js';

describe('hotkey labels', () => {
  it.each(['fr', 'en'] as const)('every action has a %s label, and every group a caption', (locale) => {
    const i18n = createI18n(locale);
    for (const row of HOTKEY_HELP_ROWS) {
      const label = i18n.t(row.labelKey);
      expect(label, row.labelKey).not.toBe(row.labelKey);
      expect(i18n.t(`viewer.hotkeys.groups.${row.group}`)).not.toContain('viewer.hotkeys');
    }
    expect(new Set(HOTKEY_HELP_ROWS.map((row) => i18n.t(row.labelKey))).size).toBe(VIEWER_ACTIONS.length);
  });
});

describe('HotkeySettings (first render, before the hub answers)', () => {
  it('lists every action with its default keys, in French', () => {
    const api = { viewerPreferences: () => new Promise(() => undefined) } as unknown as ReadingApi;
    const html = renderToStaticMarkup(
      createElement(I18nextProvider, { i18n: createI18n('fr') }, createElement(ApiProvider, { api: new SessionGuardedApi(api), children: createElement(HotkeySettings) })),
    );
    expect(html).toContain('Raccourcis clavier de la visionneuse');
    expect(html).toContain('Chargement de vos raccourcis…');
    for (const action of VIEWER_ACTIONS) expect(html).toContain(`data-action="${action}"`);
    expect(html).toMatch(/Fenêtre cérébrale<\/th><td><button[^>]*><kbd>1<\/kbd>/);
    expect(html).not.toContain('viewer.actions.');
    expect(html).not.toContain('data-testid="hotkey-conflicts"');
  });
});
