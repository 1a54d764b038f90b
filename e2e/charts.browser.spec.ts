import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { freshDataDir, signIn, startShell } from './shell';

test('the record charts: reservoir level, refill history and dose history of the demo patient Okafor', async ({ page }) => {
  const data = freshDataDir();
  const shell = await startShell(data.db, ['--demo']);
  try {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await signIn(page, shell);
    await expect(page.getByRole('heading', { name: 'Worklist' })).toBeVisible();
    await page.getByRole('link', { name: 'Okafor, Grace' }).first().click();
    await expect(page.getByRole('heading', { name: 'Okafor, Grace' })).toBeVisible();

    // Three charts, each a figure with its heading, a caption and a drawn svg.
    const level = page.locator('figure[data-chart="reservoir-level"]');
    const refills = page.locator('figure[data-chart="refill-history"]');
    const doses = page.locator('figure[data-chart="dose-history"]');
    for (const [figure, heading] of [
      [level, 'Reservoir level'],
      [refills, 'Refill history'],
      [doses, 'Dose history'],
    ] as const) {
      await expect(figure.getByRole('heading', { name: heading })).toBeVisible();
      await expect(figure.locator('figcaption')).toBeVisible();
      await expect(figure.locator('.recharts-wrapper > svg.recharts-surface').first()).toBeVisible();
    }
    await expect(page.getByRole('figure', { name: 'Reservoir level' })).toBeVisible();

    // Reservoir level: a drawn line, the measured residuals (6 of 7 refills; 1 flagged), the alarm line.
    await expect(level.locator('.recharts-line-curve').first()).toBeVisible();
    await expect(level).toHaveAttribute('data-refill-count', '7');
    const residuals = level.getByRole('list', { name: 'Measured residuals' }).getByRole('listitem');
    await expect(residuals).toHaveCount(6);
    await expect(residuals.filter({ hasText: 'flagged' })).toHaveCount(1);
    await expect(level.locator('.recharts-wrapper > svg.recharts-surface')).toContainText('Alarm 2.0 mL');
    await expect(level.locator('.recharts-wrapper > svg.recharts-surface')).toContainText('Today');
    await expect(level.locator('.rc-residual')).toHaveCount(6);
    // Hovering the flagged residual (40 days ago: withdrawn 13.5 mL, expected 40 − 60 × 0.4 = 16.0 mL) shows that visit's check.
    // Wait for the last chart, so nothing moves under the mouse.
    await expect(page.locator('figure[data-chart="dose-history"]')).toBeVisible();
    const flaggedMark = level.locator('.rc-residual[data-flagged="true"]');
    const tip = level.locator('.rc-tooltip');
    await expect(async () => {
      await level.locator('.rc-plot').scrollIntoViewIfNeeded();
      const triangle = await flaggedMark.boundingBox();
      expect(triangle?.width ?? 0).toBeGreaterThan(0);
      const [x, y] = [triangle!.x + triangle!.width / 2, triangle!.y + triangle!.height * 0.6];
      await page.mouse.move(x - 20, y - 20);
      await page.mouse.move(x, y, { steps: 4 });
      await expect(tip).toContainText('Withdrawn 13.50 mL', { timeout: 1_000 });
    }).toPass({ timeout: 15_000 });
    await expect(tip).toContainText('Expected 16.00 mL');
    await expect(tip).toContainText('Discrepancy: 2.50 mL less than expected');
    await expect(tip).toContainText('Flagged');
    await page.mouse.move(0, 0);

    // One range for the three charts: the last year by default. Okafor's refills are 400, 340, …, 40
    // days ago, so the first one (not measured) is outside it: 6 visits, 6 withdrawn + 6 added bars.
    const ranges = page.getByRole('group', { name: 'Time range of the charts' });
    await expect(ranges.getByRole('button', { name: '1 year' })).toHaveAttribute('aria-pressed', 'true');
    const visits = refills.getByRole('table', { name: 'Refill visits' }).locator('tbody tr');
    await expect(refills).toHaveAttribute('data-refill-count', '7');
    await expect(refills).toHaveAttribute('data-shown-count', '6');
    await expect(visits).toHaveCount(6);
    // (Drawn bars: a visit with no measured residual has an empty withdrawn slot.)
    const bars = refills.locator('.rc-bar');
    await expect(bars).toHaveCount(12);
    await expect(refills.locator('.rc-plot[data-part="volumes"]')).toHaveAttribute('aria-label', /^6 refill visits .* \(of 7\); 6 with a measured residual; 1 flagged discrepancy/);

    // The whole history in every chart.
    await ranges.getByRole('button', { name: 'All' }).click();
    await expect(ranges.getByRole('button', { name: 'All' })).toHaveAttribute('aria-pressed', 'true');
    await expect(ranges.getByRole('button', { name: '1 year' })).toHaveAttribute('aria-pressed', 'false');
    await expect(level.locator('.recharts-line-curve').first()).toBeVisible();
    await expect(level.locator('.rc-residual')).toHaveCount(6);

    // Refill history: 7 visits, 6 measured, 1 flagged (marked in the chart and in the accessible table).
    await expect(refills).toHaveAttribute('data-shown-count', '7');
    await expect(visits).toHaveCount(7);
    await expect(visits.filter({ hasText: 'flagged' })).toHaveCount(1);
    await expect(visits.filter({ hasText: 'not measured' })).toHaveCount(1);
    await expect(refills).toHaveAttribute('data-flagged-count', '1');
    await expect(refills.locator('.rc-plot[data-part="volumes"]')).toHaveAttribute('aria-label', /^7 refill visits.*6 with a measured residual; 1 flagged discrepancy/);
    await expect(bars).toHaveCount(13); // 7 added + 6 withdrawn

    // The discrepancy has its own chart and axis below the volumes (never across the mL axis of volumes).
    await expect(refills.locator('[data-part="volumes"] svg.recharts-surface')).toContainText('Volume (mL)');
    await expect(refills.locator('[data-part="volumes"] svg.recharts-surface')).not.toContainText('Discrepancy');
    await expect(refills.locator('[data-part="discrepancy"] svg.recharts-surface')).toContainText('Discrepancy (mL)');
    await expect(refills.locator('[data-part="discrepancy"] .rc-disc-mark[data-flagged="true"]')).toHaveCount(1);
    // Each visit at its own date: the visits, 60 days apart, are evenly spaced and in date order.
    const xs = await refills.locator('.rc-visit').evaluateAll((gs) => gs.map((g) => Number(g.getAttribute('data-x'))));
    expect(xs).toHaveLength(7);
    const gaps = xs.slice(1).map((x, i) => x - xs[i]!);
    expect(Math.max(...gaps) - Math.min(...gaps)).toBeLessThanOrEqual(2);

    // Dose history: Morphine and Bupivacaine, both in mg (one mg chart, no mcg chart).
    await expect(doses.locator('[data-unit="mg"]')).toHaveCount(1);
    await expect(doses.locator('[data-unit="mcg"]')).toHaveCount(0);
    await expect(doses.getByRole('heading', { name: 'Morphine, Bupivacaine in mg/day' })).toBeVisible();
    await expect(doses.locator('.recharts-wrapper > svg.recharts-surface')).toContainText('Dose (mg/day)');
    // The admixture's two drugs (at the same dose: one line on the other) differ in colour, dash and marker; the legend names drug and unit.
    await expect(doses.locator('.rc-legend')).toContainText('Morphine (mg/day)');
    await expect(doses.locator('.rc-legend')).toContainText('Bupivacaine (mg/day)');
    const curves = doses.locator('[data-unit="mg"] .recharts-line-curve');
    await expect(curves).toHaveCount(2);
    const styles = await curves.evaluateAll((ps) => ps.map((p) => `${p.getAttribute('stroke')}|${p.getAttribute('stroke-dasharray') ?? 'solid'}`));
    expect(new Set(styles).size).toBe(2);
    expect(new Set(styles.map((s) => s.split('|')[0])).size).toBe(2);
    expect(new Set(styles.map((s) => s.split('|')[1])).size).toBe(2);
    const shapes = await doses.locator('[data-unit="mg"] .rc-plot .rc-marker').evaluateAll((ms) => [...new Set(ms.map((m) => m.getAttribute('data-shape')))].sort());
    expect(shapes).toEqual(['circle', 'square']);
    // The time axis runs past today: today's line is inside the plot, left of its right edge.
    const todayLine = doses.locator('[data-unit="mg"] .rc-reference-line', { hasText: 'Today' }).locator('line');
    const mgPlot = doses.locator('[data-unit="mg"] .rc-plot');
    const [todayBox, plotBox] = [await todayLine.boundingBox(), await mgPlot.boundingBox()];
    expect(todayBox!.x).toBeLessThan(plotBox!.x + plotBox!.width - 40);
    await expect(doses.locator('figcaption')).toContainText('Morphine 8 mg/day');
    await expect(doses.locator('figcaption')).toContainText('Bupivacaine 8 mg/day');
    // Hovering the latest day shows each drug's dose that day, read from its own line.
    const doseTip = doses.locator('.rc-tooltip');
    await expect(async () => {
      const plot = doses.locator('[data-unit="mg"] .rc-plot');
      await plot.scrollIntoViewIfNeeded();
      const box = (await plot.boundingBox())!;
      const today = (await todayLine.boundingBox())!;
      await page.mouse.move(today.x - 30, box.y + box.height / 2);
      await page.mouse.move(today.x - 20, box.y + box.height / 2, { steps: 3 });
      await expect(doseTip).toContainText('Morphine: 8 mg/day', { timeout: 1_000 });
    }).toPass({ timeout: 15_000 });
    await expect(doseTip).toContainText('Bupivacaine: 8 mg/day');
    await page.mouse.move(0, 0);

    // A pump with exactly one refill (Sato's, 300 days ago, then turned off): its one visit at its own
    // date near the left of the year, not across the plot or in its middle.
    await page.keyboard.press('Control+k');
    await page.keyboard.type('Emi Sato');
    await page.getByRole('link', { name: 'Sato, Emi' }).first().click();
    await expect(page.getByRole('heading', { name: 'Sato, Emi' })).toBeVisible();
    const one = page.locator('figure[data-chart="refill-history"]');
    await expect(one).toHaveAttribute('data-shown-count', '1');
    const visit = one.locator('.rc-visit');
    await expect(visit).toHaveCount(1);
    const oneBox = (await one.locator('[data-part="volumes"]').boundingBox())!;
    const barBox = (await visit.locator('.rc-bar').first().boundingBox())!;
    expect(barBox.width).toBeLessThanOrEqual(10);
    expect(barBox.x - oneBox.x).toBeLessThan(oneBox.width * 0.25);

    // The charts are measured.
    expect(await page.evaluate(() => performance.getEntriesByName('charts-painted').length)).toBeGreaterThan(0);

    // Accessibility of the record page with the charts: no serious or critical violations.
    const axe = await new AxeBuilder({ page }).analyze();
    const bad = axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(bad.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join('; ')})`)).toEqual([]);

    expect(errors).toEqual([]);
  } finally {
    await shell.stop();
    data.cleanup();
  }
});
