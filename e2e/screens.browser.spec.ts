import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { freshDataDir, signIn, startShell, type RunningShell } from './shell';

const shotsDir = path.resolve(import.meta.dirname, '..', 'test-results', 'screenshots');

const SCREENS: { name: string; open(page: Page, shell: RunningShell): Promise<void> }[] = [
  {
    name: 'worklist',
    open: async (page, shell) => {
      await signIn(page, shell, 'administrator');
      await expect(page.getByRole('list', { name: 'Worklist counts' })).toBeVisible();
    },
  },
  {
    name: 'patients',
    open: async (page) => {
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Patients' }).click();
      await expect(page.getByRole('row', { name: /Okafor, Grace/ })).toBeVisible();
    },
  },
  {
    name: 'patient-record',
    open: async (page) => {
      await page.getByRole('link', { name: 'Okafor, Grace' }).click();
      await expect(page.getByRole('heading', { name: 'Reservoir level' })).toBeVisible();
      // The lower charts are drawn a frame after the first (the record paints first).
      await expect(page.locator('figure[data-chart="dose-history"]')).toBeVisible();
    },
  },
  {
    // The most dangerous state, the loudest thing on screen: a baclofen pump estimated empty (issue 13).
    name: 'patient-record-empty',
    open: async (page) => {
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Worklist' }).click();
      await page.getByRole('link', { name: 'Halvorsen, Maja' }).click();
      await expect(page.locator('[data-urgency="empty"]')).toContainText('risk of withdrawal');
      await expect(page.locator('figure[data-chart="dose-history"]')).toBeVisible();
    },
  },
  {
    name: 'devices',
    open: async (page) => {
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Devices' }).click();
      await expect(page.getByRole('cell', { name: /NGP207781H/ }).first()).toBeVisible();
    },
  },
  {
    name: 'settings',
    open: async (page) => {
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
      await expect(page.getByRole('cell', { name: 'Baclofen' }).first()).toBeVisible();
    },
  },
  {
    name: 'users',
    open: async (page) => {
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users' }).click();
      await expect(page.getByRole('table', { name: 'Users' }).getByRole('row')).toHaveCount(5);
    },
  },
  {
    name: 'audit',
    open: async (page) => {
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit trail' }).click();
      await expect(page.getByTestId('chain-status')).toContainText('Chain intact');
    },
  },
];

for (const viewport of [
  { width: 1280, height: 800 },
  { width: 1920, height: 1080 },
]) {
  test(`every screen at ${viewport.width}×${viewport.height}: no serious or critical axe violations, no sideways scrolling`, async ({ page }) => {
    test.setTimeout(120_000); // eight screens, each checked by axe: more than one test's default minute on a busy 2-core machine
    const data = freshDataDir();
    const shell = await startShell(data.db, ['--demo']);
    fs.mkdirSync(shotsDir, { recursive: true });
    try {
      await page.setViewportSize(viewport);
      for (const screen of SCREENS) {
        await screen.open(page, shell);
        const results = await new AxeBuilder({ page }).analyze();
        const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
        expect(serious.map((v) => `${screen.name}: ${v.id}: ${v.help} (${v.nodes.length})`)).toEqual([]);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect(overflow, `${screen.name} scrolls sideways by ${overflow}px`).toBeLessThanOrEqual(0);
        await page.screenshot({ path: path.join(shotsDir, `${screen.name}-${viewport.width}.png`), fullPage: screen.name.startsWith('patient-record') });
      }
    } finally {
      await shell.stop();
      data.cleanup();
    }
  });
}

test('keyboard: Ctrl+K finds a patient, Alt+N opens the new patient form', async ({ page }) => {
  const data = freshDataDir();
  const shell = await startShell(data.db, ['--demo']);
  try {
    await signIn(page, shell);
    await expect(page.getByRole('list', { name: 'Worklist counts' })).toBeVisible();
    await page.keyboard.press('Control+k');
    const search = page.getByRole('searchbox');
    await expect(search).toBeFocused();
    await page.keyboard.type('Brennan');
    await expect(page.getByRole('row', { name: /Brennan, Thomas/ })).toBeVisible();
    await page.keyboard.press('Alt+n');
    await expect(page.getByLabel('MRN', { exact: true })).toBeFocused();
  } finally {
    await shell.stop();
    data.cleanup();
  }
});
