import { expect, test } from '@playwright/test';
import { freshDataDir, signIn, startShell, pagePost } from './shell';

test('the demo clinic: worklist counts, a patient record with refills and a timeline that shows the removal', async ({ page }) => {
  const data = freshDataDir();
  const shell = await startShell(data.db, ['--demo']);
  try {
    await signIn(page, shell);
    await expect(page.getByRole('heading', { name: 'Worklist' })).toBeVisible();
    const counts = page.getByRole('list', { name: 'Worklist counts' });
    // The counts shown are the worklist's own (the demo clinic is generated: no pinned numbers),
    // with something in every section, and one table row for every pump overdue or due.
    const answer = await pagePost(page, 'worklist.get', {});
    const wl = ((await answer.json()) as { ok: true; value: { counts: Record<'overdue' | 'due' | 'replacementDue' | 'flagged', number> } }).value;
    for (const n of [wl.counts.overdue, wl.counts.due, wl.counts.replacementDue, wl.counts.flagged]) expect(n).toBeGreaterThan(0);
    await expect(counts).toContainText(`${wl.counts.overdue} overdue`);
    await expect(counts).toContainText(`${wl.counts.due} due in 14 days`);
    await expect(counts).toContainText(`${wl.counts.replacementDue} replacement due`);
    await expect(counts).toContainText(`${wl.counts.flagged} flagged discrepancy`);
    // Overdue pumps show their worst urgency: overdue, or alarming or estimated empty (issue 13).
    await expect(page.getByRole('row').filter({ has: page.locator('.badge-overdue, .badge-alarm, .badge-empty') })).toHaveCount(wl.counts.overdue);
    await expect(page.getByRole('row').filter({ has: page.locator('.badge-due') })).toHaveCount(wl.counts.due);
    // The reversed (turned-off) and explanted pumps are not on the worklist.
    await expect(page.getByRole('cell', { name: /NGP203344H/ })).toHaveCount(0);
    await expect(page.getByRole('cell', { name: /NGP190001H/ })).toHaveCount(0);

    // Baclofen patient: due, with the projection after the dose change.
    const brennan = page.getByRole('row', { name: /Brennan, Thomas/ });
    await expect(brennan).toContainText('Due');
    await expect(brennan).toContainText('0.250 mL/day');
    await brennan.getByRole('link', { name: 'Brennan, Thomas' }).click();
    await expect(page.getByRole('heading', { name: 'Brennan, Thomas' })).toBeVisible();
    await expect(page.getByRole('region', { name: /Refills of pump NGP207781H/ }).getByRole('row')).toHaveCount(4); // header + 3 visits
    await expect(page.getByText('Dose change: Baclofen to 500 mcg/day')).toBeVisible();

    // A replaced pump: the removal stands out on the timeline with its note.
    await page.getByRole('link', { name: 'Patients' }).click();
    await page.getByRole('link', { name: 'Fischer, Jonas' }).click();
    const removal = page.locator('.tl-removal');
    await expect(removal).toContainText('Removal of NGP190001H: battery end of life; catheter left in place; replaced');
    await expect(removal).toContainText('Elective replacement indicator reached.');
    await page.getByRole('checkbox', { name: 'Removal' }).uncheck();
    await expect(page.locator('.tl-removal')).toHaveCount(0);
  } finally {
    await shell.stop();
    data.cleanup();
  }
});
