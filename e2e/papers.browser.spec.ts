/**
 * The papers (issue 16, item 3): the refill worksheet and the patient's card printed from the record
 * in one click (browser shell: headless Chromium prints, the page downloads), checked with pdftotext:
 * the patient's name, MRN and birth date and "Page N of M" on every page, dates in the user's locale
 * (en-US here), the figures of the visit, the wallet card on the last page.
 */
import { expect, test, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { openBrennan, useShell } from './shell';

const t = useShell(['--demo']);

const pdfPages = (file: string) => Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))![1]);
const pageText = (file: string, n: number) => execFileSync('pdftotext', ['-layout', '-f', String(n), '-l', String(n), file, '-'], { encoding: 'utf8' });

async function printPaper(page: Page, button: string, name: string): Promise<string> {
  const pump = page.locator('section[aria-labelledby="pump-title"]').first();
  const download = page.waitForEvent('download', { timeout: 90_000 });
  await pump.getByRole('button', { name: button }).click();
  const d = await download;
  const file = path.join(t.data.dir, name);
  await d.saveAs(file);
  return file;
}

/** Every page names the patient (name, MRN, birth date in en-US) and says Page N of M. */
function expectPatientOnEveryPage(file: string): string[] {
  const pages = pdfPages(file);
  const texts: string[] = [];
  for (let n = 1; n <= pages; n++) {
    const text = pageText(file, n);
    expect(text, `page ${n}`).toContain('Brennan, Thomas · MRN RSV-1002 · born 11/02/1971');
    expect(text, `page ${n}`).toContain(`Page ${n} of ${pages}`);
    // Made in the user's locale, in the clinic's time zone (the demo clinic's is UTC).
    expect(text, `page ${n}`).toMatch(/Made \d{2}\/\d{2}\/\d{4}, \d{2}:\d{2} UTC by Reservoir/);
    texts.push(text);
  }
  return texts;
}

test('a clinician prints the refill worksheet from the pump card: patient on every page, drugs, expected residual, blanks and signatures', async ({ page }) => {
  await openBrennan(page, t.shell);
  const file = await printPaper(page, 'Print refill worksheet', 'worksheet.pdf');
  const texts = expectPatientOnEveryPage(file);
  const all = texts.join('\n');
  expect(all).toContain('Refill worksheet');
  expect(all).toMatch(/Medtronic SynchroMed II, serial NGP207781H/);
  expect(all).toMatch(/Baclofen\s+2000 mcg\/mL\s+\d+ mcg\/day/);
  // Exact volumes (2 decimals, the 3rd when the µL need it), as the record shows them.
  expect(all).toMatch(/Expected residual\s+\d+\.\d{2,3} mL/);
  expect(all).toMatch(/Volume to add\s+20\.00 mL \(the reservoir volume\)/);
  expect(all).toMatch(/Alarm volume\s+2\.00 mL/);
  expect(all).toContain('Withdrawn residual (mL)');
  expect(all).toContain('Prepared by');
  expect(all).toMatch(/Checked by \(independent double\s+check\)/);
  // Dates in the user's locale (en-US), not ISO.
  expect(all).not.toMatch(/\b20\d\d-\d\d-\d\d\b/);
});

test("a clinician prints the patient's card and letter: next refill and alarm dates, the alarm, warning signs, and a wallet card on the last page", async ({ page }) => {
  await openBrennan(page, t.shell);
  // The record's own dates, in the same locale, are what the card must say.
  const facts = page.locator('section[aria-labelledby="pump-title"]').first().locator('dl.facts');
  const nextDue = (await facts.locator('div', { hasText: 'Next refill due' }).locator('dd').innerText()).trim();
  const alarm = (await facts.locator('div', { hasText: 'Alarm date' }).locator('dd').innerText()).trim();
  const file = await printPaper(page, "Print patient's card and letter", 'card.pdf');
  const texts = expectPatientOnEveryPage(file);
  const all = texts.join('\n');
  expect(all).toContain('Next refill');
  expect(all).toContain(nextDue);
  expect(all).toContain(alarm);
  expect(all).toContain('A single repeating tone'); // SynchroMed II, with its source
  expect(all).toContain('Too little Baclofen (withdrawal)');
  // Baclofen's overdose signs from its label (Lioresal Intrathecal, OVERDOSAGE), with the source printed.
  expect(all).toMatch(/Too much Baclofen\s+\(overdose\)/);
  expect(all).toMatch(/Lioresal\s+Intrathecal/);
  expect(all).not.toContain('Signs of too much Baclofen: ask your clinic.');
  const last = texts.at(-1)!;
  expect(texts.length).toBeGreaterThanOrEqual(2);
  expect(last).toContain('I have an implanted drug pump');
  expect(last).toContain('Cut along the dashed line');
  // README's pictures of the letter and the wallet card: RESERVOIR_SCREENSHOTS=1 (pdftoppm, poppler-utils).
  if (process.env.RESERVOIR_SCREENSHOTS) {
    const out = path.resolve(import.meta.dirname, '../docs/screenshots');
    execFileSync('pdftoppm', ['-png', '-r', '60', '-singlefile', '-f', '1', '-l', '1', file, path.join(out, 'patient-card-letter')]);
    execFileSync('pdftoppm', ['-png', '-r', '100', '-singlefile', '-f', String(texts.length), '-l', String(texts.length), '-x', '0', '-y', '0', '-W', '520', '-H', '360', file, path.join(out, 'patient-card-wallet')]);
  }
});

test('printing the record fits the charts to the page and names the patient at the top of the pages', async ({ page }) => {
  await openBrennan(page, t.shell);
  await expect(page.locator('.record-charts svg').first()).toBeVisible();
  await page.emulateMedia({ media: 'print' });
  // The charts are redrawn at the print width (recharts does not resize by itself before print).
  await expect
    .poll(() => page.locator('.record-charts svg.recharts-surface').evaluateAll((svgs) => Math.max(...svgs.map((s) => s.getBoundingClientRect().width))))
    .toBeLessThanOrEqual(680);
  const file = path.join(t.data.dir, 'record.pdf');
  await page.pdf({ path: file, format: 'A4', printBackground: true });
  const pages = pdfPages(file);
  expect(pages).toBeGreaterThan(1);
  // The patient line (the header group of the record's print frame) on every page, the last one too
  // (a fixed element in the page margin, as before, was missing from the last page in Chromium).
  for (let i = 1; i <= pages; i++) expect(pageText(file, i), `page ${i} of ${pages}`).toContain('Brennan, Thomas · MRN RSV-1002 · born 11/02/1971');
});
