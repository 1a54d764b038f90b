/**
 * The desktop app end to end, through Playwright's Electron driver. Expects `npm run build` (npm test
 * runs it) and, in development, the Electron build of better-sqlite3 that `npm start` makes once.
 * Where no Electron binary is installed the whole file reports itself skipped, with the reason.
 */
import { _electron as electron, expect, test, type ElectronApplication, type Page } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { REQUEST_NAMES } from '../shared/contract/names';
import { E2E_PASSWORD, E2E_USERS, freshDataDir } from './shell';
import { findElectronBinary, mainBundle, nativeBuild, root } from './electron-binary';


const electronPath = findElectronBinary();
test.skip(electronPath === null, 'skipped: no Electron binary');
if (electronPath === null) console.log('Electron end-to-end specs: skipped: no Electron binary (npm start downloads it where it can).');

test.beforeAll(() => {
  if (!fs.existsSync(mainBundle)) throw new Error('dist-electron/main.cjs is missing: run `npm run build` first (npm test does).');
  if (!fs.existsSync(nativeBuild)) {
    throw new Error('The Electron build of better-sqlite3 is missing (.electron-native/): run `npm start` once; it builds it.');
  }
});

async function launch(db: string, userData: string): Promise<{ app: ElectronApplication; page: Page }> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && k !== 'ELECTRON_RUN_AS_NODE') env[k] = v;
  env.RESERVOIR_USER_DATA = userData; // window state and the single-instance lock stay in the test's folder
  // Chromium refuses to start as root with its OS sandbox (CI containers); the renderer sandbox stays on.
  const rootArgs = process.getuid?.() === 0 ? ['--no-sandbox'] : [];
  const app = await electron.launch({ executablePath: electronPath!, args: [...rootArgs, mainBundle, '--db', db], env, cwd: root });
  const page = await app.firstWindow();
  return { app, page };
}

/**
 * Signs the window in as the clinician through the preload's API (the session stays in main, per
 * window): on a new database it first creates the administrator and the clinician. Then reloads.
 */
async function signInClinician(page: Page): Promise<void> {
  await page.evaluate(
    async ({ password, names }) => {
      type Api = Record<string, (input: unknown) => Promise<{ ok: boolean; value?: { state?: string }; error?: { message: string } }>>;
      const api = (window as unknown as { reservoir: Api }).reservoir;
      const current = await api['session.current']!({});
      if (current.value?.state === 'setup') {
        await api['session.setup']!({ username: 'administrator', displayName: names.administrator, password });
        await api['users.create']!({ username: 'clinician', displayName: names.clinician, role: 'clinician', password });
      }
      const r = await api['session.login']!({ username: 'clinician', password });
      if (!r.ok) throw new Error(r.error?.message);
    },
    { password: E2E_PASSWORD, names: E2E_USERS },
  );
  await page.reload();
  await page.getByTestId('current-user').waitFor();
}

/** The console opens on the Worklist; patients are one link away. */
async function openPatients(page: Page): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Patients' }).click();
  await expect(page.getByRole('heading', { name: 'Patients', level: 2 })).toBeVisible();
}

test('a patient created in the desktop app is still there after a restart on the same database', async () => {
  const data = freshDataDir();
  let app: ElectronApplication | null = null;
  try {
    let page: Page;
    ({ app, page } = await launch(data.db, path.join(data.dir, 'user-data')));
    await expect(page).toHaveTitle(/Reservoir/);
    await expect(page.getByRole('heading', { name: 'Create the administrator' })).toBeVisible();
    await signInClinician(page);
    await openPatients(page);
    await page.getByRole('button', { name: 'New patient' }).click();
    await page.getByLabel('MRN', { exact: true }).fill('E2E-0042');
    await page.getByLabel('Family name').fill('Lindgren');
    await page.getByLabel('Given name').fill('Maja');
    await page.getByLabel('Birth date', { exact: true }).fill('1975-06-30');
    await page.getByLabel('Sex').selectOption('female');
    await page.getByRole('checkbox', { name: 'Spasticity' }).check();
    await page.getByRole('button', { name: 'Save patient' }).click();
    await expect(page.getByRole('cell', { name: 'Lindgren, Maja' })).toBeVisible();
    await app.close();
    app = null;

    ({ app, page } = await launch(data.db, path.join(data.dir, 'user-data')));
    await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
    await signInClinician(page);
    await openPatients(page);
    const row = page.getByRole('row', { name: /Lindgren, Maja/ });
    await expect(row).toBeVisible();
    await expect(row).toContainText('E2E-0042');
  } finally {
    await app?.close();
    data.cleanup();
  }
});

test('the window is sandboxed: no Node, only the contract, no navigation away, no new windows', async () => {
  const data = freshDataDir();
  const { app, page } = await launch(data.db, path.join(data.dir, 'user-data'));
  try {
    await expect(page).toHaveURL('app://reservoir/index.html');
    const seen = await page.evaluate(() => {
      const w = window as unknown as Record<string, unknown>;
      return {
        require: typeof w.require,
        process: typeof w.process,
        api: Object.keys((w.reservoir ?? {}) as object).sort(),
        opened: window.open('https://example.org/') === null,
      };
    });
    expect(seen).toEqual({ require: 'undefined', process: 'undefined', api: [...REQUEST_NAMES].sort(), opened: true });
    expect(app.windows()).toHaveLength(1);

    await page.evaluate(() => {
      window.location.href = 'https://evil.example/';
    });
    await expect(page).toHaveURL('app://reservoir/index.html');
  } finally {
    await app.close();
    data.cleanup();
  }
});
