import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { I18nextProvider } from 'react-i18next';
import { describe, expect, it } from 'vitest';
import type { ReadingApi } from '../../../core/readingApi.js';
import { SessionGuardedApi } from '../../../renderer/api/sessionGuard.js';
import { ApiProvider } from '../../../renderer/app/ApiContext.js';
import { DeliveriesPage } from '../../../renderer/app/admin/DeliveriesPage.js';
import { hashOf, screenFromHash } from '../../../renderer/app/screens.js';
import { createI18n } from '../../../renderer/i18n/createI18n.js';

describe('DeliveriesPage (first render, before the hub answers)', () => {
  it('is reached at #/admin/deliveries and titled "Envois des comptes rendus"', () => {
    expect(hashOf({ name: 'deliveries' })).toBe('#/admin/deliveries');
    expect(screenFromHash('#/admin/deliveries')).toEqual({ name: 'deliveries' });
    const pending = () => new Promise<never>(() => undefined);
    const api = new SessionGuardedApi({ deliveries: pending, adminAlerts: pending } as unknown as ReadingApi);
    const html = renderToStaticMarkup(createElement(I18nextProvider, { i18n: createI18n('fr') }, createElement(ApiProvider, { api, children: createElement(DeliveriesPage) })));
    expect(html).toContain('data-testid="deliveries-page"');
    expect(html).toContain('Envois des comptes rendus');
    expect(html).toContain('data-testid="deliveries-table"');
    expect(html).toContain('Dernière erreur');
    expect(html).not.toContain('report.deliveries');
  });
});
