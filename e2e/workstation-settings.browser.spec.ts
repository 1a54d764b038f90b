/**
 * Settings → This workstation, the renderer's form only: the page gets a stand-in for the desktop
 * app's preload (`window.reservoir`) that sends every request to the browser shell as the page
 * would, and answers `workstation.*` itself, recording what the form asks. This is NOT an Electron
 * test: main's side (who may change it, the fingerprint checked against the real server, nothing
 * written on a refusal) is tested under Node in electron/main/workstation.test.ts, and the app
 * itself in e2e/workstation.electron.spec.ts where an Electron binary exists.
 */
import { expect, test, type Page } from '@playwright/test';
import { REQUEST_NAMES } from '../shared/contract/names';
import { signIn, useShell } from './shell';

const t = useShell([]);
const PIN = 'AB:'.repeat(31) + 'CD';

async function standInPreload(page: Page, mayChange: boolean): Promise<void> {
  const token = new URL(t.shell.url).searchParams.get('token')!;
  await page.addInitScript(
    ({ token, names, pin, mayChange }) => {
      const calls: [string, unknown][] = [];
      (window as unknown as { __workstationCalls: typeof calls }).__workstationCalls = calls;
      const answers: Record<string, (input: unknown) => unknown> = {
        'workstation.get': () => ({ ok: true, value: { current: { mode: 'local' }, problem: null, mayChange } }),
        'workstation.probe': () => ({ ok: true, value: { origin: 'https://reservoir.clinic.local:8443', fingerprint: pin, serverVersion: '0.1.0' } }),
        'workstation.set': (input) => ({ ok: true, value: { current: input, problem: null, mayChange: true } }),
      };
      const api: Record<string, (input?: unknown) => Promise<unknown>> = {};
      for (const name of names) {
        api[name] = async (input?: unknown) => {
          const own = answers[name];
          if (own) {
            calls.push([name, input]);
            return own(input);
          }
          const session = window.sessionStorage.getItem('reservoir.session');
          const res = await fetch(`/api/${name}`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json', 'X-Reservoir-Token': token, ...(session ? { 'X-Reservoir-Session': session } : {}) },
            body: JSON.stringify(input ?? {}),
          });
          const changed = res.headers.get('X-Reservoir-Session');
          if (changed !== null) {
            if (changed === '') window.sessionStorage.removeItem('reservoir.session');
            else window.sessionStorage.setItem('reservoir.session', changed);
          }
          return res.json();
        };
      }
      (window as unknown as { reservoir: unknown }).reservoir = Object.freeze(api);
    },
    { token, names: [...REQUEST_NAMES], pin: PIN, mayChange },
  );
}

async function openSettings(page: Page): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
  await expect(page.getByRole('heading', { name: 'This workstation' })).toBeVisible();
}

const calls = (page: Page) => page.evaluate(() => (window as unknown as { __workstationCalls: [string, unknown][] }).__workstationCalls);

test('an administrator connects this workstation: address, the fingerprint presented, the one IT gave typed in, a confirmation that says what happens', async ({ page }) => {
  await standInPreload(page, true);
  await signIn(page, t.shell, 'administrator');
  await openSettings(page);
  const section = page.getByRole('region', { name: 'This workstation' });
  await expect(section.getByTestId('workstation-mode')).toHaveText('On this computer only (its own encrypted database)');
  await expect(section.getByRole('button', { name: 'Use this computer only' })).toHaveCount(0);

  await section.getByLabel('Server address').fill('https://reservoir.clinic.local:8443');
  await section.getByRole('button', { name: 'Check the server' }).click();
  await expect(section.getByTestId('server-fingerprint')).toHaveText(PIN);

  // A fingerprint that is not the one presented: refused in words, nothing asked of main.
  await section.getByLabel('Fingerprint from the clinic’s IT (type or paste it)').fill('AB:'.repeat(31) + 'CE');
  await section.getByRole('button', { name: 'Connect to the clinic server' }).click();
  await expect(section.getByRole('alert')).toContainText('is not the one the server at https://reservoir.clinic.local:8443 presents');
  expect((await calls(page)).filter(([n]) => n === 'workstation.set')).toEqual([]);

  // The right one, as typed from paper (lower case, spaces): asked first, then saved.
  await section.getByLabel('Fingerprint from the clinic’s IT (type or paste it)').fill(PIN.toLowerCase().replace(/:/g, ' '));
  await section.getByRole('button', { name: 'Connect to the clinic server' }).click();
  const confirm = section.getByRole('alertdialog');
  await expect(confirm).toContainText('Reservoir restarts now');
  await expect(confirm).toContainText('The database on this computer stays on this disk, untouched');
  await confirm.getByRole('button', { name: 'Go back' }).click();
  await expect(section.getByRole('alertdialog')).toHaveCount(0);
  expect((await calls(page)).filter(([n]) => n === 'workstation.set')).toEqual([]);

  await section.getByRole('button', { name: 'Connect to the clinic server' }).click();
  await section.getByRole('alertdialog').getByRole('button', { name: 'Restart connected to the server' }).click();
  await expect(section.getByRole('status')).toHaveText('Saved. Reservoir restarts now…');
  expect((await calls(page)).filter(([n]) => n === 'workstation.set')).toEqual([['workstation.set', { mode: 'server', url: 'https://reservoir.clinic.local:8443', fingerprint: PIN }]]);
});

test('anyone else sees it read-only, with why', async ({ page }) => {
  await standInPreload(page, false);
  await signIn(page, t.shell, 'administrator');
  await openSettings(page);
  const section = page.getByRole('region', { name: 'This workstation' });
  await expect(section.getByTestId('workstation-read-only')).toContainText('Only a Reservoir administrator signed in on this workstation may change how it connects');
  await expect(section.getByRole('button')).toHaveCount(0);
  await expect(section.getByRole('textbox')).toHaveCount(0);
});
