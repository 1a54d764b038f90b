/**
 * `reservoir serve` with real browsers as workstations: the console over HTTPS (self-signed
 * certificate), the first administrator created on the server itself, a second browser context as
 * another workstation, the audit trail naming the workstation, and a page older than the server.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { freshDataDir, keysEnv } from './shell';

const root = path.resolve(import.meta.dirname, '..');
// The server's certificate is self-signed: the browser is told to accept it, and the test checks
// that it is the one the server printed (workstations compare the fingerprint the same way).
test.use({ ignoreHTTPSErrors: true });

interface Served {
  url: string;
  fingerprint: string;
  output(): string;
  stop(): Promise<number | null>;
}

async function startServe(db: string): Promise<Served> {
  if (!fs.existsSync(path.join(root, 'dist/renderer/index.html'))) throw new Error('dist/renderer is missing: run `npm run build` first (npm test does).');
  const child: ChildProcess = spawn(process.execPath, [path.join(root, 'bin/reservoir.mjs'), 'serve', '--db', db, '--host', '0.0.0.0', '--port', '0'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: keysEnv(db) });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`reservoir serve did not start:\n${out}`)), 30_000);
    child.stdout!.on('data', () => {
      const m = /listening at (https:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
      if (m && /^Database: /m.test(out)) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    void exited.then((code) => reject(new Error(`reservoir serve exited with ${code}:\n${out}`)));
  });
  const fingerprint = /SHA-256 fingerprint: (\S+)/.exec(out)![1]!;
  return {
    url,
    fingerprint,
    output: () => out,
    stop: () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

const nav = (page: Page) => page.getByRole('navigation', { name: 'Main' });

async function fillLogin(page: Page, username: string, password: string) {
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

test('two workstations on one clinic server over HTTPS: first run on the server, sign-in as the gate, the audit trail names the workstation', async ({ page, browser }) => {
  const data = freshDataDir();
  const served = await startServe(data.db);
  try {
    expect(served.url).not.toContain('token');
    // The certificate the browser gets is the one printed (and kept beside the database).
    const cert = new crypto.X509Certificate(fs.readFileSync(`${data.db}.tls-cert.pem`));
    expect(cert.fingerprint256).toBe(served.fingerprint);

    // Workstation 1, on the server computer itself: the first administrator, then a clinician.
    await page.goto(served.url);
    await expect(page.getByRole('heading', { name: 'Create the administrator' })).toBeVisible();
    await page.getByLabel('Username').fill('ada');
    await page.getByLabel('Full name').fill('Ada Lovelace');
    await page.getByLabel(/^Password/).fill('a good long password');
    await page.getByLabel('Repeat the password').fill('a good long password');
    await page.getByRole('button', { name: 'Create administrator' }).click();
    await expect(page.getByTestId('current-user')).toHaveText('Ada Lovelace');
    await nav(page).getByRole('link', { name: 'Users' }).click();
    const form = page.getByRole('form', { name: 'New user' });
    await form.getByLabel('Username').fill('lena');
    await form.getByLabel('Full name').fill('Dr. Lena Lindqvist');
    await form.getByLabel('Role').selectOption('clinician');
    await form.getByLabel(/^Password/).fill('clinician password');
    await form.getByRole('button', { name: 'Create user' }).click();
    await expect(page.getByRole('status')).toContainText('User lena created (Clinician)');

    // Workstation 2: another browser, its own session; a wrong password is refused, then she signs in.
    const other = await browser.newContext({ ignoreHTTPSErrors: true, locale: 'en-US' });
    const page2 = await other.newPage();
    await page2.goto(served.url);
    await expect(page2.getByRole('heading', { name: 'Sign in' })).toBeVisible();
    await fillLogin(page2, 'lena', 'not the password');
    await expect(page2.getByRole('alert')).toContainText('Wrong username or password');
    await fillLogin(page2, 'lena', 'clinician password');
    await expect(page2.getByTestId('current-user')).toHaveText('Dr. Lena Lindqvist');
    // The first workstation is still signed in as the administrator (sessions are per workstation).
    await page.reload();
    await expect(page.getByTestId('current-user')).toHaveText('Ada Lovelace');

    // The audit trail shows where each entry came from.
    await nav(page).getByRole('link', { name: 'Audit trail' }).click();
    const table = page.getByRole('table', { name: 'Audit entries' });
    await expect(table.getByRole('columnheader', { name: 'Workstation' })).toBeVisible();
    const login = table.getByRole('row').filter({ hasText: "Sign-in failed for user 'lena' (wrong password, attempt 1 of 5)" });
    await expect(login).toHaveCount(1);
    await expect(login).toContainText('127.0.0.1');
    await other.close();
  } finally {
    expect(await served.stop()).toBe(0);
    data.cleanup();
  }
});

test('a page older than the server (another contract version) is told to reload, not shown a confusing error', async ({ page }) => {
  const data = freshDataDir();
  const served = await startServe(data.db);
  try {
    await page.goto(served.url);
    await expect(page.getByRole('heading', { name: 'Create the administrator' })).toBeVisible();
    // The server was upgraded while this page stayed open: its requests now carry an older contract.
    await page.route('**/api/**', (route) => route.continue({ headers: { ...route.request().headers(), 'x-reservoir-contract': '0' } }));
    await page.getByLabel('Username').fill('ada');
    await page.getByLabel('Full name').fill('Ada Lovelace');
    await page.getByLabel(/^Password/).fill('a good long password');
    await page.getByLabel('Repeat the password').fill('a good long password');
    await page.getByRole('button', { name: 'Create administrator' }).click();
    await expect(page.getByText(/Reservoir on the server is now \S+, and this page is from an earlier one: reload the page/)).toBeVisible();
    await page.unroute('**/api/**');
    await page.reload();
    await expect(page.getByRole('heading', { name: 'Create the administrator' })).toBeVisible();
  } finally {
    expect(await served.stop()).toBe(0);
    data.cleanup();
  }
});
