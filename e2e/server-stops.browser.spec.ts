/**
 * Issue 14, "Performance and proof": a workstation whose server stops sees the plain message and its
 * form data survives until the server is back. `reservoir serve` over HTTPS on a fixed port; it is
 * stopped (SIGTERM) while the New user form is filled in, then started again on the same
 * database and port.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { freshDataDir, keysEnv } from './shell';

const root = path.resolve(import.meta.dirname, '..');
test.use({ ignoreHTTPSErrors: true });

async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', () => resolve()));
  const port = (probe.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

async function startServe(db: string, port: number): Promise<{ url: string; stop(): Promise<number | null> }> {
  if (!fs.existsSync(path.join(root, 'dist/renderer/index.html'))) throw new Error('dist/renderer is missing: run `npm run build` first (npm test does).');
  const child: ChildProcess = spawn(process.execPath, [path.join(root, 'bin/reservoir.mjs'), 'serve', '--db', db, '--host', '0.0.0.0', '--port', String(port)], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: keysEnv(db) });
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
  return {
    url,
    stop: () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

async function signIn(page: Page) {
  await page.getByLabel('Username').fill('ada');
  await page.getByLabel('Password').fill('a good long password');
  await page.getByRole('button', { name: 'Sign in' }).click();
}

test('the clinic server stops while a form is filled in: the plain message, the typed values kept, saved once the server is back', async ({ page }) => {
  const data = freshDataDir();
  const port = await freePort();
  let served = await startServe(data.db, port);
  try {
    await page.goto(served.url);
    await page.getByLabel('Username').fill('ada');
    await page.getByLabel('Full name').fill('Ada Lovelace');
    await page.getByLabel(/^Password/).fill('a good long password');
    await page.getByLabel('Repeat the password').fill('a good long password');
    await page.getByRole('button', { name: 'Create administrator' }).click();
    await expect(page.getByTestId('current-user')).toHaveText('Ada Lovelace');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users' }).click();
    const form = page.getByRole('form', { name: 'New user' });
    await form.getByLabel('Username').fill('chidi');
    await form.getByLabel('Full name').fill('Chidi Okafor, RN');
    await form.getByLabel('Role').selectOption('clinician');
    await form.getByLabel(/^Password/).fill('a nurse password');

    // The server stops; saving finds no one answering.
    expect(await served.stop()).toBe(0);
    await form.getByRole('button', { name: 'Create user' }).click();
    const origin = served.url.replace(/\/$/, '');
    const banner = page.getByTestId('connection-banner');
    await expect(banner).toContainText(`The clinic server at ${origin} cannot be reached. Retrying… Nothing you typed is lost.`);
    await expect(banner).toContainText('last brought up to date at');
    await expect(form.getByLabel('Full name')).toHaveValue('Chidi Okafor, RN');
    await expect(form.getByLabel('Username')).toHaveValue('chidi');

    // Back on the same database and port: the banner goes by itself (the console asks again); the
    // restarted server forgot the session, so she signs in again and finds her form as she left it.
    served = await startServe(data.db, port);
    await expect(banner).toBeHidden({ timeout: 15_000 });
    await expect(page.getByText('Your session ended')).toBeVisible();
    await signIn(page);
    await expect(page.getByTestId('current-user')).toHaveText('Ada Lovelace');
    await expect(form.getByLabel('Full name')).toHaveValue('Chidi Okafor, RN');
    await expect(form.getByLabel('Role')).toHaveValue('clinician');
    await form.getByRole('button', { name: 'Create user' }).click();
    await expect(page.getByRole('status')).toContainText('User chidi created (Clinician)');
    await expect(page.getByRole('row', { name: /chidi/ })).toHaveCount(1);
  } finally {
    await served.stop();
    data.cleanup();
  }
});
