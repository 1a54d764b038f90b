/**
 * Report PDFs and saving in the Electron shell. PDF: a hidden window (same hardened web
 * preferences, no preload: the print view makes no request) loads the console's print view,
 * receives the report's data, and `webContents.printToPDF` prints it with Chromium's header and
 * footer templates. Saving: a save dialog that starts in the user's documents folder.
 */
import path from 'node:path';
import type { ReportData, ReportFormat } from '../../shared/contract/reports';
import type { PdfRenderer, SaveAs } from '../services/features/reports/jobs';
import { PRINT_HASH, pdfLayout } from '../services/features/reports/pdf-templates';

/** What this module needs of a BrowserWindow (the real one, or a test's fake). */
export interface PrintWindow {
  loadURL(url: string): Promise<void>;
  destroy(): void;
  webContents: {
    executeJavaScript(code: string): Promise<unknown>;
    printToPDF(options: {
      landscape: boolean;
      displayHeaderFooter: boolean;
      headerTemplate: string;
      footerTemplate: string;
      printBackground: boolean;
      pageSize: 'A4';
      margins: { top: number; bottom: number; left: number; right: number };
    }): Promise<Buffer>;
  };
}

const mmToInches = (mm: string): number => Number.parseFloat(mm) / 25.4;

export function createElectronPdfRenderer(deps: {
  /** A new hidden window with the console's secure web preferences. */
  createWindow(): PrintWindow;
  /** app://reservoir/index.html */
  entryUrl: string;
  timeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
}): PdfRenderer {
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  return async (data: ReportData) => {
    const win = deps.createWindow();
    try {
      await win.loadURL(`${deps.entryUrl}${PRINT_HASH}`);
      await win.webContents.executeJavaScript(
        `window.__reservoirPrintData = ${JSON.stringify(data)}; window.dispatchEvent(new Event('reservoir-print-data')); true;`,
      );
      const deadline = (deps.timeoutMs ?? 60_000) / 50;
      for (let i = 0; ; i++) {
        if ((await win.webContents.executeJavaScript(`document.body.hasAttribute('data-print-ready')`)) === true) break;
        if (i >= deadline) throw new Error('the print view did not finish drawing');
        await sleep(50);
      }
      const layout = pdfLayout(data);
      return await win.webContents.printToPDF({
        landscape: layout.landscape,
        displayHeaderFooter: true,
        headerTemplate: layout.headerTemplate,
        footerTemplate: layout.footerTemplate,
        printBackground: true,
        pageSize: 'A4',
        margins: {
          top: mmToInches(layout.margin.top),
          bottom: mmToInches(layout.margin.bottom),
          left: mmToInches(layout.margin.left),
          right: mmToInches(layout.margin.right),
        },
      });
    } finally {
      win.destroy();
    }
  };
}

const FILTERS: Record<ReportFormat, { name: string; extensions: string[] }> = {
  csv: { name: 'CSV', extensions: ['csv'] },
  xlsx: { name: 'Excel workbook', extensions: ['xlsx'] },
  pdf: { name: 'PDF', extensions: ['pdf'] },
  json: { name: 'JSON', extensions: ['json'] },
  fhir: { name: 'FHIR bundle (JSON)', extensions: ['json'] },
};

/** The save dialog: it starts in the documents folder, with the export's suggested name. */
export function createElectronSaveAs(deps: {
  documentsDir(): string;
  showSaveDialog(options: { title: string; defaultPath: string; filters: { name: string; extensions: string[] }[] }): Promise<{ canceled: boolean; filePath?: string }>;
}): SaveAs {
  return async (suggestedName, format) => {
    const r = await deps.showSaveDialog({
      title: 'Save the export (it contains health information)',
      defaultPath: path.join(deps.documentsDir(), suggestedName),
      filters: [FILTERS[format]],
    });
    return r.canceled || !r.filePath ? null : r.filePath;
  };
}
