import { expect, test } from '@playwright/test';
import { freshDataDir, signIn, startShell } from './shell';

/** The demo clinic's dates are relative to today in its time zone (UTC). */
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
/** How German writes a calendar date: 24.11.2026. */
const german = (iso: string) => {
  const [y, m, d] = iso.split('-');
  return `${d}.${m}.${y}`;
};

test.use({ locale: 'de-DE' });

test('in a German locale the record shows 24.11.2026-style dates and decimal commas, each number with its unit', async ({ page }) => {
  const data = freshDataDir();
  const shell = await startShell(data.db, ['--demo']);
  try {
    await signIn(page, shell);
    expect(await page.evaluate(() => navigator.language)).toBe('de-DE');

    // Worklist: Brennan's daily volume with a decimal comma.
    const row = page.getByRole('row', { name: /Brennan, Thomas/ });
    await expect(row).toContainText('0,250 mL/day');
    await expect(row.getByRole('cell').nth(4)).toHaveText(/^\d{2}\.\d{2}\.\d{4}$/); // last refill
    await row.getByRole('link', { name: 'Brennan, Thomas' }).click();

    const header = page.locator('header.record-header');
    await expect(header).toContainText('02.11.1971'); // born 1971-11-02

    const pump = page.locator('section[aria-labelledby="pump-title"]');
    const fact = (name: string) => pump.locator('dt', { hasText: name }).locator('xpath=following-sibling::dd[1]');
    await expect(fact('Implanted')).toHaveText(german(day(-200)));
    await expect(fact('Reservoir')).toHaveText('20 mL (alarm at 2,0 mL)');
    await expect(fact('Daily volume')).toHaveText('0,250 mL/day');
    await expect(fact('Next refill due')).toHaveText(/^\d{2}\.\d{2}\.\d{4}$/);
    // Baclofen 2000 mcg/mL: German groups thousands with a dot; the unit stays next to the number.
    await expect(pump).toContainText(`In the reservoir since ${german(day(-56))}: Baclofen 2.000 mcg/mL at 450 mcg/day`);
    await expect(pump).toContainText(`from ${german(day(-30))}: Baclofen 500 mcg/day`);

    // Refill table: the visit 56 days ago, 5.7 mL withdrawn.
    const refills = page.getByRole('region', { name: /Refills of pump NGP207781H/ });
    const visit = refills.getByRole('row').nth(1);
    await expect(visit).toContainText(german(day(-56)));
    await expect(visit).toContainText('5,70 mL');
    await expect(visit).toContainText('20,00 mL');

    // Timeline: German dates on every entry, none left in ISO form.
    const timeline = page.getByRole('region', { name: 'Timeline' });
    await expect(timeline.locator('time').first()).toHaveText(/^\d{2}\.\d{2}\.\d{4}$/);
    await expect(timeline.locator('time', { hasText: german(day(-30)) })).toHaveCount(1);
    expect(await timeline.locator('time').allTextContents()).not.toContainEqual(expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/));

    // The refill preview as the residual is typed: decimal commas and German dates before saving.
    await page.getByRole('button', { name: 'Record refill' }).click();
    const form = page.getByRole('form', { name: /Record refill/ });
    await form.getByLabel('Withdrawn residual (mL)').fill('4.5');
    const preview = form.getByRole('region', { name: 'Refill preview' });
    await expect(preview.getByTestId('preview-expected')).toHaveText('6,65 mL');
    await expect(preview.getByTestId('preview-discrepancy')).toHaveText('2,15 mL (32,3 %) less than expected');
    await expect(preview.getByTestId('preview-next-due')).toHaveText(/^\d{2}\.\d{2}\.\d{4} \(/);
  } finally {
    await shell.stop();
    data.cleanup();
  }
});
