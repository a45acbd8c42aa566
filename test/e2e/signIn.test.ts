import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentTotp } from '../../hub/accounts/totp.js';
import { launchChromium, type LaunchedChromium } from '../harness/browser.js';
import { startHubProcess, type HubProcess } from '../harness/hub.js';
import { apiSignIn } from './apiSignIn.js';

const root = path.resolve(import.meta.dirname, '../..');

async function signInWithPassword(page: Page, username: string, password: string): Promise<void> {
  const form = page.getByTestId('sign-in-form');
  await form.getByLabel('Identifiant').fill(username);
  await form.getByLabel('Mot de passe').fill(password);
  await form.getByRole('button', { name: 'Se connecter' }).click();
}

function auditVerify(dataDir: string): { status: number | null; stdout: string } {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'hub/cli/auditVerify.ts'], { cwd: root, env: { ...process.env, VIGIE_DATA: dataDir }, encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, stdout: result.stdout + result.stderr };
}

describe('sign-in, in Chromium, against the hub as npm start runs it', () => {
  let hub: HubProcess;
  let browser: LaunchedChromium;
  let page: Page;
  let secret = '';

  beforeAll(async () => {
    hub = await startHubProcess();
    browser = await launchChromium({ locale: 'fr-FR', timezoneId: 'Europe/Paris' });
    page = browser.page;
  });
  afterAll(async () => {
    await browser?.close();
    await hub?.dispose();
  });

  it('enrols TOTP at first sign-in and shows the worklist in French', async () => {
    const account = await hub.account('dr.lefebvre');
    await page.goto(hub.url);
    await signInWithPassword(page, account.username, account.password);

    const enrolment = page.getByTestId('enrolment-form');
    await expect.poll(() => enrolment.isVisible(), { timeout: 15_000 }).toBe(true);
    const qr = page.getByRole('img', { name: /QR code/ });
    expect(await qr.getAttribute('src')).toMatch(/^data:image\/svg\+xml;base64,/);
    secret = ((await page.getByTestId('totp-secret').textContent()) ?? '').replace(/\s/g, '');
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    await enrolment.getByLabel('Code à 6 chiffres').fill(currentTotp(secret));
    await enrolment.getByRole('button', { name: 'Confirmer l’activation' }).click();

    const codes = page.getByTestId('recovery-codes');
    await expect.poll(() => codes.locator('li').count(), { timeout: 15_000 }).toBe(10);
    await page.getByRole('button', { name: 'J’ai noté mes codes' }).click();

    const worklist = page.getByTestId('worklist');
    await expect.poll(() => worklist.isVisible(), { timeout: 15_000 }).toBe(true);
    expect(await page.getByRole('heading', { level: 1, name: 'Liste de travail' }).isVisible()).toBe(true);
    // The demo's studies are already there: the CT and radiographs routed to the demo pool (the ultrasound was refused).
    await expect.poll(() => page.getByTestId('worklist-row').count(), { timeout: 30_000 }).toBe(3);
    expect(await page.getAttribute('html', 'lang')).toBe('fr');
  });

  it('asks for the TOTP code at the next sign-in', async () => {
    const account = await hub.account('dr.lefebvre');
    await page.getByTestId('sign-out').click();
    await expect.poll(() => page.getByTestId('sign-in-form').isVisible(), { timeout: 15_000 }).toBe(true);
    await signInWithPassword(page, account.username, account.password);
    const form = page.getByTestId('second-factor-form');
    await expect.poll(() => form.isVisible(), { timeout: 15_000 }).toBe(true);
    await form.getByLabel('Code à 6 chiffres').fill(currentTotp(secret, Date.now() + 30_000));
    await form.getByRole('button', { name: 'Valider' }).click();
    await expect.poll(() => page.getByTestId('worklist').isVisible(), { timeout: 15_000 }).toBe(true);
  });

  it('switches to English and keeps the choice', async () => {
    await page.getByTestId('language-switch').getByRole('button', { name: 'EN' }).click();
    await expect.poll(() => page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Worklist');
    await page.reload();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent(), { timeout: 15_000 }).toBe('Worklist');
    await page.getByTestId('language-switch').getByRole('button', { name: 'FR' }).click();
    await expect.poll(() => page.getAttribute('html', 'lang')).toBe('fr');
  });

  it('refuses a wrong password with a clear message and writes an audit row', async () => {
    await page.getByTestId('sign-out').click();
    await expect.poll(() => page.getByTestId('sign-in-form').isVisible(), { timeout: 15_000 }).toBe(true);
    await signInWithPassword(page, 'dr.moreau', 'certainly-not-the-password');
    const alert = page.getByRole('alert').filter({ hasText: 'Identifiant ou mot de passe incorrect.' });
    await expect.poll(() => alert.isVisible(), { timeout: 15_000 }).toBe(true);

    const admin = await hub.account('admin');
    const { cookie } = await apiSignIn(hub.url, admin.username, admin.password);
    const response = await fetch(`${hub.url}/api/audit?action=login.failure&actor=dr.moreau`, { headers: { cookie } });
    const { events } = (await response.json()) as { events: { outcome: string; details: { reason: string }; ip: string }[] };
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ outcome: 'failure', details: { reason: 'wrong-password' }, ip: '127.0.0.1' });
  });

  it('serves the page with a strict CSP and cross-origin isolation', async () => {
    const response = await page.goto(hub.url);
    const headers = response?.headers() ?? {};
    expect(headers['content-security-policy']).toContain("default-src 'self'");
    expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(headers['cross-origin-opener-policy']).toBe('same-origin');
    expect(headers['cross-origin-embedder-policy']).toBe('require-corp');
    expect(await page.evaluate(() => window.crossOriginIsolated)).toBe(true);
    expect(browser.pageErrors).toEqual([]);
  });

  it('catches a tampered audit row with audit:verify', async () => {
    await hub.stop();
    expect(auditVerify(hub.dataDir)).toMatchObject({ status: 0, stdout: expect.stringContaining('Audit trail intact') });
    const db = await PGlite.create(path.join(hub.dataDir, 'db'));
    const row = await db.query<{ seq: number }>("select seq from audit_events where action = 'login.failure' order by seq limit 1");
    const seq = row.rows[0]?.seq;
    await db.exec("alter table audit_events disable trigger audit_events_no_update_delete");
    await db.query("update audit_events set details = '{\"reason\":\"nothing to see\"}' where seq = $1", [seq]);
    await db.exec("alter table audit_events enable trigger audit_events_no_update_delete");
    await db.close();
    const verdict = auditVerify(hub.dataDir);
    expect(verdict.status).toBe(1);
    expect(verdict.stdout).toContain(`AUDIT TRAIL BROKEN at row ${seq}`);
    expect(verdict.stdout).toContain('was changed after it was written');
  });
});

describe('an expired session, in Chromium', () => {
  let hub: HubProcess;
  let browser: LaunchedChromium;

  beforeAll(async () => {
    hub = await startHubProcess({ env: { VIGIE_SESSION_IDLE: '4s', VIGIE_SECOND_FACTOR_ROLES: '' } });
    browser = await launchChromium({ locale: 'fr-FR', timezoneId: 'Europe/Paris' });
  });
  afterAll(async () => {
    await browser?.close();
    await hub?.dispose();
  });

  it('sends the reader back to sign-in with the message, then back to where they were', async () => {
    const { page } = browser;
    const account = await hub.account('dr.moreau');
    await page.goto(hub.url);
    expect(await page.getByTestId('second-factor-relaxed').textContent()).toContain('le second facteur d’authentification est désactivé');
    await signInWithPassword(page, account.username, account.password);
    await expect.poll(() => page.getByTestId('worklist').isVisible(), { timeout: 15_000 }).toBe(true);
    await page.waitForTimeout(5000);
    await page.getByRole('button', { name: 'Actualiser' }).click();
    const message = page.getByTestId('session-expired');
    await expect.poll(() => message.isVisible(), { timeout: 15_000 }).toBe(true);
    expect(await message.textContent()).toContain('Votre session a expiré, veuillez vous reconnecter.');
    const form = page.getByTestId('sign-in-form');
    expect(await form.getByLabel('Identifiant').inputValue()).toBe('dr.moreau');
    await form.getByLabel('Mot de passe').fill(account.password);
    await form.getByRole('button', { name: 'Se connecter' }).click();
    await expect.poll(() => page.getByTestId('worklist').isVisible(), { timeout: 15_000 }).toBe(true);
    expect(await message.isVisible()).toBe(false);
  });
});
