/**
 * PDF through headless Chromium (playwright-core), for the browser shell and the command line:
 * opens the browser shell's own address (with its token) at the print view, injects the report's
 * data, waits until it is drawn, and prints with the header and footer templates. Needs the built
 * renderer (dist/renderer) and a Chromium: $CHROMIUM_PATH, else /usr/bin/chromium, else
 * Playwright's own browser where one is installed. playwright-core is loaded only when a PDF is
 * printed: the bundles keep it external, and the desktop app (which prints with Electron) does not
 * carry it.
 */
import fs from 'node:fs';
import type { ReportData } from '../../../../shared/contract/reports';
import type { PdfRenderer } from './jobs';
import { PRINT_HASH, pdfLayout } from './pdf-templates';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function chromiumPath(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.CHROMIUM_PATH) return env.CHROMIUM_PATH;
  return fs.existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined;
}

/**
 * A PDF renderer printing from the browser shell at `origin` (http://127.0.0.1:port) with its `token`.
 * Over HTTPS (`--tls-cert`), `spkiSha256` pins the shell's own certificate (its public key's SHA-256,
 * base64): Chromium accepts that certificate, self-signed or not, and no other.
 */
export function chromiumPdfRenderer(shell: { origin: string; token: string; spkiSha256?: string }): PdfRenderer {
  return async (data: ReportData) => {
    const { chromium } = await import('playwright-core');
    const executablePath = chromiumPath();
    const pin = shell.spkiSha256 === undefined ? [] : [`--ignore-certificate-errors-spki-list=${shell.spkiSha256}`];
    const browser = await chromium.launch({ ...(executablePath ? { executablePath } : {}), args: [...CHROMIUM_ARGS, ...pin] });
    try {
      const page = await browser.newPage();
      await page.goto(`${shell.origin}/?token=${encodeURIComponent(shell.token)}`, { waitUntil: 'load' });
      await page.evaluate((hash) => {
        window.location.hash = hash;
      }, PRINT_HASH);
      await page.waitForSelector('[data-print-waiting]', { timeout: 30_000 });
      await page.evaluate((d) => {
        (window as unknown as { __reservoirPrintData: unknown }).__reservoirPrintData = d;
        window.dispatchEvent(new Event('reservoir-print-data'));
      }, data);
      await page.waitForSelector('body[data-print-ready]', { timeout: 60_000 });
      await page.emulateMedia({ media: 'print' });
      const layout = pdfLayout(data);
      return await page.pdf({ format: 'A4', printBackground: true, displayHeaderFooter: true, ...layout });
    } finally {
      await browser.close();
    }
  };
}
