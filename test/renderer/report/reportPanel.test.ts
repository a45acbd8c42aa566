import { createElement, type ReactElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { I18nextProvider } from 'react-i18next';
import { describe, expect, it } from 'vitest';
import type { UserSummary } from '../../../core/api/auth.js';
import { EMPTY_CONTENT, type ReportTemplate } from '../../../core/api/reports.js';
import type { ReadingApi } from '../../../core/readingApi.js';
import { SessionGuardedApi } from '../../../renderer/api/sessionGuard.js';
import { ApiProvider } from '../../../renderer/app/ApiContext.js';
import { ConflictNotice } from '../../../renderer/app/report/ConflictNotice.js';
import { MacroSettings } from '../../../renderer/app/report/MacroSettings.js';
import { ReportPanel, ReportPanelBody } from '../../../renderer/app/report/ReportPanel.js';
import { SaveStatus } from '../../../renderer/app/report/SaveStatus.js';
import { SignDialog } from '../../../renderer/app/report/SignDialog.js';
import type { ReportData } from '../../../renderer/app/report/useReportData.js';
import { createI18n } from '../../../renderer/i18n/createI18n.js';
import { signBlockers } from '../../../renderer/report/signReadiness.js';
import { teleFile } from '../teleFileFixture.js';
import { reportView } from './reportFixture.js';

const USER: UserSummary = { id: 'u1', username: 'martin', displayName: 'Dr Martin', roles: ['radiologist'], locale: 'fr', mfaEnrolled: true };
const TELE_FILE = teleFile({ assignee: { id: 'u1', username: 'martin', displayName: 'Dr Martin' }, clinicalQuestion: 'Chute, traumatisme crânien', patient: { name: 'DUPONT^JEAN', sex: 'M', birthDate: '19580312', patientId: 'IPP123', issuer: 'CHM' } });
const HEADER = {
  '00080060': { vr: 'CS', Value: ['CT'] },
  '00181030': { vr: 'LO', Value: ['CRANE SANS IV'] },
  '00189345': { vr: 'FD', Value: [45.2] },
};
const TEMPLATE: ReportTemplate = {
  id: 'tpl-head',
  family: 'head-ct-trauma',
  title: 'TDM cérébrale – trauma',
  sections: { technique: '', findings: 'Pas d’hémorragie.', conclusion: 'Normal.' },
  pickLists: [],
  updatedAt: '2026-01-01T00:00:00Z',
};

const pending = () => new Promise<never>(() => undefined);
const API = new SessionGuardedApi({ reports: pending, reportTemplates: pending, macros: pending } as unknown as ReadingApi);

function render(element: ReactElement, locale: 'fr' | 'en' = 'fr'): string {
  return renderToStaticMarkup(createElement(I18nextProvider, { i18n: createI18n(locale) }, createElement(ApiProvider, { api: API, children: element })));
}

function body(data: ReportData): string {
  return render(createElement(ReportPanelBody, { data, teleFile: TELE_FILE, header: HEADER, user: USER, clientId: 'tab-12345678', put: () => undefined, setMacros: () => undefined, reload: () => undefined }));
}

const ready = (reports: ReturnType<typeof reportView>[]): ReportData => ({ kind: 'ready', reports, templates: [TEMPLATE], macros: [{ shortcut: 'nl', text: 'Normal.' }] });

describe('ReportPanel (server render)', () => {
  it('opens beside the images with a collapse button, loading its report', () => {
    const html = render(createElement(ReportPanel, { teleFile: TELE_FILE, header: HEADER, user: USER }));
    expect(html).toContain('data-testid="report-panel"');
    expect(html).toContain('aria-expanded="true"');
    expect(html).toContain('Masquer le compte rendu');
    expect(html).toContain('Chargement du compte rendu…');
  });

  it('a first draft: four labelled sections, indication from the request, technique from the images, template suggested', () => {
    const html = body(ready([]));
    for (const section of ['indication', 'technique', 'findings', 'conclusion']) expect(html).toContain(`data-testid="report-section-${section}"`);
    for (const label of ['Indication', 'Technique', 'Résultats', 'Conclusion']) expect(html).toMatch(new RegExp(`<label[^>]*>${label}</label>`));
    expect(html).toMatch(/data-testid="report-section-indication"[^>]*>Chute, traumatisme crânien<\/textarea>/);
    expect(html).toMatch(/data-testid="report-section-technique"[^>]*>Scanner \(CT\)\. Protocole : CRANE SANS IV\. CTDIvol : 45,2 mGy\.<\/textarea>/);
    expect(html).toContain('data-testid="report-template-select"');
    expect(html).toContain('data-suggested-family="head-ct-trauma"');
    expect(html).toContain('TDM cérébrale – trauma');
    expect(html).toMatch(/data-testid="report-save-state" data-state="saved">Brouillon non modifié/);
    expect(html).toMatch(/<input type="checkbox"[^>]*data-testid="report-critical-flag"/);
    expect(html).not.toContain('data-testid="report-critical-to"');
    expect(html).toContain('data-testid="report-sign"');
    expect(html).not.toContain('data-testid="report-signed"');
  });

  it('a saved draft with a critical finding: its fields, required, and the time saved in Paris', () => {
    const draft = reportView({
      version: 4,
      updatedAt: '2026-01-15T02:12:00.000Z',
      content: { ...EMPTY_CONTENT, findings: 'Hématome sous-dural.' },
      critical: { flagged: true, communication: { to: '', means: null, at: '2026-01-15T02:10:00.000Z' } },
    });
    const html = body(ready([draft]));
    expect(html).toContain('Hématome sous-dural.</textarea>');
    // The date is added when it is not today in Paris.
    expect(html).toMatch(/data-testid="report-save-state" data-state="saved">Enregistré à (15\/01\/2026 )?03:12</);
    expect(html).toContain('data-testid="report-critical-to"');
    expect(html).toContain('data-testid="report-critical-means"');
    expect(html).toMatch(/type="datetime-local"[^>]*data-testid="report-critical-at"[^>]*value="2026-01-15T03:10"/);
    expect(html).toContain('Le (date et heure, Paris)');
    expect(html.match(/Obligatoire avant la signature\./g)).toHaveLength(2);
  });

  it('a signed report: read-only, its delivery state, and "Ajouter un addendum"', () => {
    const signed = reportView({
      status: 'signed',
      content: { indication: 'Chute', technique: 'TDM', findings: 'Hématome.', conclusion: 'HSD aigu.' },
      signedAt: '2026-01-15T02:30:00.000Z',
      signer: { id: 'u1', displayName: 'Dr Martin' },
      delivery: { state: 'retrying', lastError: 'The site PACS refused the association.', attempts: 2, nextAttemptAt: '2026-01-15T02:35:00.000Z', deliveredAt: null },
    });
    const html = body(ready([signed]));
    expect(html).toContain('data-testid="report-signed"');
    expect(html).toContain('Signé par Dr Martin le 15/01/2026 03:30');
    expect(html).not.toContain('<textarea');
    expect(html).toMatch(/data-testid="report-delivery-state" data-state="retrying"/);
    expect(html).toMatch(/Nouvel essai à (15\/01\/2026 )?03:35 \(tentative 2\)/);
    expect(html).toContain('Dernière erreur : The site PACS refused the association.');
    expect(html).toContain('data-testid="report-add-addendum"');
  });

  it('a signed report with a draft addendum: the addendum editor, and no second "add" button', () => {
    const signed = reportView({ status: 'signed', signedAt: '2026-01-15T02:30:00.000Z', delivery: { state: 'failed', lastError: 'No route to the site.', attempts: 8, nextAttemptAt: null, deliveredAt: null } });
    const addendum = reportView({ id: 'add-1', kind: 'addendum', predecessorId: signed.id, version: 1 });
    const html = body(ready([signed, addendum]));
    expect(html).toMatch(/data-testid="report-delivery-state" data-state="failed" role="alert"/);
    expect(html).toContain('Échec de l’envoi : une action est nécessaire');
    expect(html).toContain('data-testid="addendum-editor"');
    expect(html).toContain('data-testid="report-section-findings"');
    expect(html).not.toContain('data-testid="report-section-indication"');
    expect(html).not.toContain('data-testid="report-add-addendum"');
  });

  it('says when the tele-file is not the reader’s, and shows another reader’s addendum without an editor', () => {
    const notMine = render(createElement(ReportPanelBody, { data: ready([]), teleFile: { ...TELE_FILE, assignee: null }, header: HEADER, user: USER, clientId: 'tab-12345678', put: () => undefined, setMacros: () => undefined, reload: () => undefined }));
    expect(notMine).toContain('data-testid="report-not-assigned"');
    expect(body(ready([]))).not.toContain('data-testid="report-not-assigned"');
    const signed = reportView({ status: 'signed', signedAt: '2026-01-15T02:30:00.000Z' });
    const theirs = reportView({ id: 'add-2', kind: 'addendum', updatedBy: { id: 'u2', displayName: 'Dr Roy' } });
    const html = body(ready([signed, theirs]));
    expect(html).toContain('Addendum en cours de rédaction par Dr Roy.');
    expect(html).not.toContain('data-testid="addendum-editor"');
    expect(html).not.toContain('data-testid="report-add-addendum"');
  });

  it('in English too', () => {
    const html = render(createElement(ReportPanelBody, { data: ready([]), teleFile: TELE_FILE, header: HEADER, user: USER, clientId: 'tab-12345678', put: () => undefined, setMacros: () => undefined, reload: () => undefined }), 'en');
    expect(html).toContain('Findings');
    expect(html).toContain('Critical finding communicated');
    expect(html).not.toContain('report.');
  });
});

describe('SignDialog (server render)', () => {
  it('shows the patient, the ID with its issuer and the site, and lists what is missing before allowing', () => {
    const draft = reportView({ version: 3 });
    const critical = { flagged: true, communication: { to: 'Dr Leroy', means: null, at: null } };
    const blockers = signBlockers('report', { ...EMPTY_CONTENT, indication: 'Chute' }, critical);
    const html = render(createElement(SignDialog, { report: draft, teleFile: TELE_FILE, blockers, onClose: () => undefined, onSigned: () => undefined }));
    expect(html).toContain('data-testid="sign-dialog"');
    expect(html).toContain('role="dialog"');
    expect(html).toMatch(/data-testid="sign-patient-name">DUPONT Jean/);
    expect(html).toMatch(/data-testid="sign-patient-id">IPP123 <span[^>]*>\(émetteur CHM\)/);
    expect(html).toContain('CH Montdidier');
    expect(html).toContain('data-testid="sign-missing"');
    expect(html).toContain('la section « Résultats »');
    expect(html).toContain('la section « Conclusion »');
    expect(html).toContain('le moyen de communication du résultat critique');
    expect(html).toMatch(/<button type="submit"[^>]*disabled=""[^>]*data-testid="sign-confirm"/);
    expect(html).toContain('data-testid="sign-password"');
    expect(html).toContain('data-testid="sign-code"');
  });

  it('allows signing when nothing is missing', () => {
    const html = render(createElement(SignDialog, { report: reportView(), teleFile: TELE_FILE, blockers: [], onClose: () => undefined, onSigned: () => undefined }));
    expect(html).not.toContain('data-testid="sign-missing"');
    expect(html).not.toMatch(/disabled=""[^>]*data-testid="sign-confirm"/);
  });
});

describe('save state and conflict (server render)', () => {
  it('says offline with a local copy, or warns when there is none', () => {
    const offline = { kind: 'offline' as const, retryAt: 0, error: new Error('x') };
    expect(render(createElement(SaveStatus, { state: offline, hasLocalCopy: true }))).toContain('Hors ligne : copie locale gardée');
    expect(render(createElement(SaveStatus, { state: offline, hasLocalCopy: false }))).toContain('ne fermez pas cette page');
    expect(render(createElement(SaveStatus, { state: { kind: 'saving' }, hasLocalCopy: true }))).toContain('Enregistrement…');
  });

  it('names another tab when the same person saved from elsewhere, and offers both choices', () => {
    const current = reportView({ version: 6, lastClientId: 'tab-other000', updatedBy: { id: 'u1', displayName: 'Dr Martin' }, updatedAt: '2026-01-15T02:40:00.000Z' });
    const html = render(createElement(ConflictNotice, { current, clientId: 'tab-12345678', user: USER, onChoose: () => undefined }));
    expect(html).toContain('data-testid="report-conflict"');
    expect(html).toMatch(/modifié dans un autre onglet \(à (15\/01\/2026 )?03:40\)/);
    expect(html).toContain('data-testid="report-conflict-theirs"');
    expect(html).toContain('data-testid="report-conflict-mine"');
    const signedElsewhere = render(createElement(ConflictNotice, { current: reportView({ status: 'signed', signer: { id: 'u2', displayName: 'Dr Roy' } }), clientId: 'tab-12345678', user: USER, onChoose: () => undefined }));
    expect(signedElsewhere).toContain('signé ailleurs (par Dr Roy)');
    expect(signedElsewhere).not.toContain('data-testid="report-conflict-mine"');
  });
});

describe('MacroSettings (server render)', () => {
  it('lists each macro as an editable row, with add and save', () => {
    const html = render(createElement(MacroSettings, { macros: [{ shortcut: 'nl', text: 'Pas d’anomalie décelée.' }], onClose: () => undefined }));
    expect(html).toContain('data-testid="macro-settings"');
    expect(html.match(/data-testid="macro-row"/g)).toHaveLength(1);
    expect(html).toMatch(/aria-label="Raccourci 1"[^>]*value="nl"/);
    expect(html).toContain('Pas d’anomalie décelée.</textarea>');
    expect(html).toContain('Supprimer la macro « nl »');
    expect(html).toContain('data-testid="macro-add"');
    expect(html).toContain('data-testid="macro-save"');
  });
});
