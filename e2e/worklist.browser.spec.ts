import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { freshDataDir, keysEnv, pagePost, signIn, startShell } from './shell';

const root = path.resolve(import.meta.dirname, '..');

test('a large clinic: the worklist shows a page at a time, and each count opens its own list', async ({ page }) => {
  test.setTimeout(120_000);
  const data = freshDataDir();
  // 400 generated patients with monthly-ish refills: far more than one page need attention.
  const generated = spawnSync(process.execPath, [path.join(root, 'bin/reservoir.mjs'), 'generate', '--db', data.db, '--patients', '400', '--years', '2', '--seed', '5'], {
    cwd: root,
    encoding: 'utf8',
    env: keysEnv(data.db),
  });
  expect(generated.status, generated.stderr).toBe(0);
  const shell = await startShell(data.db);
  try {
    await signIn(page, shell);
    const answer = await pagePost(page, 'worklist.get', {});
    const wl = ((await answer.json()) as { value: { counts: { attention: number; overdue: number } } }).value;
    expect(wl.counts.attention).toBeGreaterThan(100);

    const rows = page.locator('table.list tbody tr');
    await expect(rows).toHaveCount(100);
    await expect(page.getByText(`Showing 100 of ${wl.counts.attention}`)).toBeVisible();
    const more = page.getByRole('button', { name: /^Show \d+ more$/ });
    await more.click();
    await expect(rows).toHaveCount(Math.min(200, wl.counts.attention));
    // Still in due order across the pages.
    const dueDates = await page.locator('table.list tbody tr td:nth-child(8)').allInnerTexts();
    const iso = dueDates.map((d) => { const [m, day, y] = d.split('/'); return `${y}-${m}-${day}`; });
    expect(iso).toEqual([...iso].sort());

    // The overdue count opens the overdue list, and only it.
    const overdue = page.getByRole('button', { name: new RegExp(`^${wl.counts.overdue} overdue$`) });
    await overdue.click();
    await expect(overdue).toHaveAttribute('aria-pressed', 'true');
    await expect(rows).toHaveCount(Math.min(100, wl.counts.overdue));
    await expect(page.locator('table.list tbody tr .badge-overdue')).toHaveCount(Math.min(100, wl.counts.overdue));
  } finally {
    await shell.stop();
    data.cleanup();
  }
});
