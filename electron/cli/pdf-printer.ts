/**
 * How `reservoir report --format pdf` prints, chosen once from the process it runs in:
 * - inside the desktop app (Electron; the installed `reservoir` command), with Electron's own
 *   Chromium: the `printToPDF` renderer main.ts passes in `io.pdf` (electron/main/pdf.ts);
 * - under plain Node (`npx reservoir` in a checkout), with headless Chromium through playwright-core
 *   (features/reports/pdf-chromium.ts), against an in-process browser shell.
 * Inside Electron it never falls back to playwright-core: the installers do not carry it.
 */
import type { PdfRenderer } from '../services/features/reports/jobs';

export type PdfPrinterChoice =
  | { kind: 'electron'; print: PdfRenderer }
  | { kind: 'chromium' }
  | { kind: 'unavailable'; message: string };

/** `versions` is `process.versions` (it names `electron` inside Electron); `electronPdf` is what main.ts passed in `io.pdf`. */
export function choosePdfPrinter(versions: { readonly electron?: string | undefined }, electronPdf: PdfRenderer | undefined): PdfPrinterChoice {
  if (versions.electron !== undefined) {
    if (electronPdf !== undefined) return { kind: 'electron', print: electronPdf };
    return { kind: 'unavailable', message: 'PDF needs the desktop app\'s print window, which this command was started without; choose CSV, Excel or JSON, or start it as `Reservoir report …`.' };
  }
  // Under Node an Electron printer cannot exist; one passed anyway (a test's fake) is still used.
  if (electronPdf !== undefined) return { kind: 'electron', print: electronPdf };
  return { kind: 'chromium' };
}
