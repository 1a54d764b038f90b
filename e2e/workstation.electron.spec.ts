/**
 * The desktop app's first-run choice (issue 14, item 2), through Playwright's Electron driver.
 * Where no Electron binary is installed the whole file reports itself skipped, with the reason.
 */
import { _electron as electron, expect, test } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { freshDataDir } from './shell';
import { findElectronBinary, mainBundle, root } from './electron-binary';


const electronPath = findElectronBinary();
test.skip(electronPath === null, 'skipped: no Electron binary');

test('first run: the choice between this computer only and the clinic server; a damaged settings file is said and asked again', async () => {
  const data = freshDataDir();
  const userData = path.join(data.dir, 'user-data');
  fs.mkdirSync(userData);
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && k !== 'ELECTRON_RUN_AS_NODE' && k !== 'RESERVOIR_DB') env[k] = v;
  env.RESERVOIR_USER_DATA = userData;
  const rootArgs = process.getuid?.() === 0 ? ['--no-sandbox'] : [];
  try {
    const app = await electron.launch({ executablePath: electronPath!, args: [...rootArgs, mainBundle], env, cwd: root });
    const page = await app.firstWindow();
    await expect(page.getByRole('heading', { name: 'How does this computer use Reservoir?' })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Use this computer only' })).toBeVisible();
    // A wrong address is refused with its reason; nothing is saved.
    await page.getByLabel('Server address').fill('http://reservoir.clinic.local');
    await page.getByRole('button', { name: 'Check the server' }).click();
    await expect(page.getByRole('alert')).toContainText('https://');
    expect(fs.existsSync(path.join(userData, 'workstation.json'))).toBe(false);
    // No database on this computer until "this computer only" is chosen.
    expect(fs.readdirSync(userData).filter((f) => f.endsWith('.db'))).toEqual([]);
    await app.close();

    fs.writeFileSync(path.join(userData, 'workstation.json'), '{"mode":', { mode: 0o600 });
    const again = await electron.launch({ executablePath: electronPath!, args: [...rootArgs, mainBundle], env, cwd: root });
    const page2 = await again.firstWindow();
    await expect(page2.getByRole('alert')).toContainText('damaged');
    await expect(page2.getByRole('heading', { name: 'How does this computer use Reservoir?' })).toBeVisible();
    await again.close();
  } finally {
    data.cleanup();
  }
});
