import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { demoToday, freshDataDir, keysEnv, pagePost, shownDate, signIn, startShell } from './shell';

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
    // Still worst first (issue 13: empty, alarming, a severe open adverse event, overdue, due, the rest), then in due order, across the pages.
    const dueDates = await page.locator('table.list tbody tr td:nth-child(8)').allInnerTexts();
    const ranks = await rows.evaluateAll((trs) => trs.map((tr) => Number((tr as HTMLElement).dataset.rank)));
    const keys = dueDates.map((d, i) => { const [m, day, y] = d.split('/'); return `${ranks[i]} ${y}-${m}-${day}`; });
    expect(keys).toEqual([...keys].sort());

    // The overdue count opens the overdue list, and only it.
    const overdue = page.getByRole('button', { name: new RegExp(`^${wl.counts.overdue} overdue$`) });
    await overdue.click();
    await expect(overdue).toHaveAttribute('aria-pressed', 'true');
    await expect(rows).toHaveCount(Math.min(100, wl.counts.overdue));
    // An overdue pump past its alarm or empty date says so: its urgency is the worst that applies.
    const urgencies = await rows.evaluateAll((trs) => trs.map((tr) => (tr as HTMLElement).dataset.urgency));
    expect(urgencies.every((u) => u === 'overdue' || u === 'alarm' || u === 'empty')).toBe(true);
  } finally {
    await shell.stop();
    data.cleanup();
  }
});

/** The demo's date `days` from its today, as the page shows it (en-US). */
const shownIn = (days: number) => shownDate(new Date(Date.parse(`${demoToday()}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10));

test('urgency worst first on the demo clinic: an estimated-empty baclofen pump, an alarming pump and a severe open adverse event (issue 13, items 1 and 3)', async ({ page }) => {
  const data = freshDataDir();
  const shell = await startShell(data.db, ['--demo']);
  try {
    await signIn(page, shell);
    const answer = await pagePost(page, 'worklist.get', {});
    const wl = ((await answer.json()) as { value: { counts: { empty: number; alarm: number; severeAdverse: number } } }).value;
    const counts = page.getByRole('list', { name: 'Worklist counts' });
    await expect(counts).toContainText(`${wl.counts.empty} estimated empty`);
    await expect(counts).toContainText(`${wl.counts.alarm} alarming`);
    await expect(counts).toContainText(`${wl.counts.severeAdverse} severe open adverse event`);

    // Worst first: the estimated-empty pumps, then the alarming ones, then the severe open events.
    // The worklist's own table (the demo's entry awaiting a double check has a table above it).
    const rows = page.getByRole('table', { name: /Pumps needing attention/ }).locator('tbody tr');
    const order = await rows.evaluateAll((trs) => trs.map((tr) => (tr as HTMLElement).dataset.urgency));
    expect(order.slice(0, wl.counts.empty)).toEqual(Array(wl.counts.empty).fill('empty'));
    expect(order.slice(wl.counts.empty, wl.counts.empty + wl.counts.alarm)).toEqual(Array(wl.counts.alarm).fill('alarm'));
    const lindgren = page.getByRole('row', { name: /Halvorsen, Maja/ });
    await expect(lindgren.locator('.badge-empty')).toHaveText('Empty (estimated)');
    await expect(lindgren).toContainText(`Empty since ${shownIn(-4)} (estimated) — risk of withdrawal`);
    await expect(lindgren.locator('summary')).toHaveText('Baclofen: Abrupt withdrawal can be life-threatening');
    const reyes = page.getByRole('row', { name: /Mercer, Daniel/ });
    await expect(reyes.locator('.badge-alarm')).toHaveText('Alarming');
    await expect(reyes).toContainText(`Alarming since ${shownIn(-3)} (low reservoir, estimated) — empty on ${shownIn(7)}`);
    await expect(reyes.locator('summary')).toHaveText('Morphine: Abrupt withdrawal can cause an opioid withdrawal syndrome');
    const abara = page.getByRole('row', { name: /Abara, Chidi/ });
    await expect(abara.locator('.adverse-severe')).toHaveText('1 open severe adverse event: overdose');
    const index = async (name: RegExp) => (await rows.allInnerTexts()).findIndex((t) => name.test(t));
    expect(await index(/Halvorsen, Maja/)).toBeLessThan(await index(/Mercer, Daniel/));
    expect(await index(/Mercer, Daniel/)).toBeLessThan(await index(/Abara, Chidi/));
    expect(await index(/Abara, Chidi/)).toBeLessThan(await index(/Brennan, Thomas/)); // merely due

    // The count opens its list.
    await counts.getByRole('button', { name: new RegExp(`^${wl.counts.empty} estimated empty$`) }).click();
    await expect(rows).toHaveCount(wl.counts.empty);
    await expect(page.getByRole('row', { name: /Halvorsen, Maja/ })).toBeVisible();

    // The record: the empty baclofen pump is the loudest thing on screen.
    await page.getByRole('link', { name: 'Halvorsen, Maja' }).click();
    await expect(page.getByRole('heading', { name: 'Halvorsen, Maja' })).toBeVisible();
    const alert = page.locator('.urgency-empty');
    await expect(alert).toHaveAttribute('role', 'alert');
    await expect(alert).toContainText(`Empty since ${shownIn(-4)} (estimated) — risk of withdrawal`);
    await expect(alert).toContainText('Baclofen: Abrupt withdrawal can be life-threatening');
    // The card's empty date is the same day.
    await expect(page.locator('.facts > div').filter({ has: page.getByText('Empty date', { exact: true }) })).toContainText(shownIn(-4));

    // Its refill preview explains the expected residual, never "Within threshold".
    await page.getByRole('button', { name: 'Record refill' }).click();
    const form = page.getByRole('form', { name: /Record refill/ });
    await form.getByLabel('Withdrawn residual (mL)').fill('0');
    const preview = page.getByRole('region', { name: 'Refill preview' });
    await expect(preview.getByTestId('preview-empty')).toContainText(`The pump is estimated empty since ${shownIn(-4)}`);
    await expect(preview.getByTestId('preview-flag')).toHaveText(`Not a check: the pump is estimated empty since ${shownIn(-4)}`);
    await expect(preview).not.toContainText('Within threshold');

    // An alarming pump: the card and the refill preview say since when, with the withdrawal warning.
    await page.getByRole('link', { name: 'Worklist' }).click();
    await page.getByRole('link', { name: 'Mercer, Daniel' }).click();
    await expect(page.locator('.urgency-alarm')).toContainText(`Alarming since ${shownIn(-3)} (low reservoir, estimated) — empty on ${shownIn(7)}`);
    await page.getByRole('button', { name: 'Record refill' }).click();
    await page.getByRole('form', { name: /Record refill/ }).getByLabel('Withdrawn residual (mL)').fill('1.9');
    const alarmPreview = page.getByRole('region', { name: 'Refill preview' }).getByTestId('preview-alarming');
    await expect(alarmPreview).toContainText(`The pump has been alarming since ${shownIn(-3)} (low reservoir, estimated).`);
    await expect(alarmPreview).toContainText('Morphine: Abrupt withdrawal can cause an opioid withdrawal syndrome');

    // A severe open adverse event on the pump card, in red, worded by its severity.
    await page.getByRole('link', { name: 'Worklist' }).click();
    await page.getByRole('link', { name: 'Abara, Chidi' }).click();
    const adverse = page.getByTestId('open-adverse');
    await expect(adverse).toHaveText('1 open severe adverse event: overdose');
    await expect(adverse).toHaveClass(/adverse-severe/);
    await expect(page.locator('.urgency-ok')).toContainText('On schedule');
  } finally {
    await shell.stop();
    data.cleanup();
  }
});
