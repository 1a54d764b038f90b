import { describe, expect, it } from 'vitest';
import type { ReportData } from '../../shared/contract/reports';
import { createElectronPdfRenderer, createElectronSaveAs, type PrintWindow } from './pdf';

const data: ReportData = {
  report: 'safety',
  title: 'Safety',
  clinicName: 'North <Pain> Clinic',
  period: { from: '2026-01-01', to: '2026-01-31' },
  periodLabel: '2026-01-01 to 2026-01-31',
  filters: [],
  generatedAtMs: Date.UTC(2026, 2, 1, 12, 5),
  timeZone: 'Europe/London',
  patientCount: 0,
  sections: [],
  patientRecord: null,
};

function fakeWindow(readyAfter: number) {
  const calls: string[] = [];
  let polls = 0;
  let printed: Parameters<PrintWindow['webContents']['printToPDF']>[0] | null = null;
  const win: PrintWindow = {
    loadURL: async (url) => void calls.push(`load ${url}`),
    destroy: () => void calls.push('destroy'),
    webContents: {
      executeJavaScript: async (code) => {
        if (code.includes('hasAttribute')) return ++polls > readyAfter;
        calls.push(code.includes('__reservoirPrintData = {"report":"safety"') ? 'inject' : `js ${code}`);
        return true;
      },
      printToPDF: async (options) => {
        printed = options;
        return Buffer.from('%PDF-1.4');
      },
    },
  };
  return { win, calls, printed: () => printed };
}

describe('Electron PDF', () => {
  it('loads the print view, injects the data, waits until drawn and prints A4 with the header and footer', async () => {
    const f = fakeWindow(2);
    const render = createElectronPdfRenderer({ createWindow: () => f.win, entryUrl: 'app://reservoir/index.html', sleep: async () => {} });
    expect((await render(data)).toString()).toBe('%PDF-1.4');
    expect(f.calls).toEqual(['load app://reservoir/index.html#/print', 'inject', 'destroy']);
    const options = f.printed()!;
    expect(options.displayHeaderFooter).toBe(true);
    expect(options.headerTemplate).toContain('North &#60;Pain&#62; Clinic');
    expect(options.headerTemplate).toContain('Safety: 2026-01-01 to 2026-01-31');
    expect(options.footerTemplate).toContain('<span class="pageNumber"></span> of <span class="totalPages"></span>');
    expect(options.footerTemplate).toContain('Made 2026-03-01 12:05 GMT');
    expect(options.margins.top).toBeCloseTo(18 / 25.4, 6);
    expect(options.pageSize).toBe('A4');
  });

  it('gives up when the print view never finishes, and still closes the window', async () => {
    const f = fakeWindow(Number.POSITIVE_INFINITY);
    const render = createElectronPdfRenderer({ createWindow: () => f.win, entryUrl: 'app://reservoir/index.html', timeoutMs: 200, sleep: async () => {} });
    await expect(render(data)).rejects.toThrow('did not finish drawing');
    expect(f.calls.at(-1)).toBe('destroy');
  });
});

describe('Electron save dialog', () => {
  it('starts in the documents folder with the suggested name, and answers null when cancelled', async () => {
    const seen: { defaultPath: string; filters: unknown }[] = [];
    let cancel = false;
    const saveAs = createElectronSaveAs({
      documentsDir: () => '/home/ada/Documents',
      showSaveDialog: async (o) => {
        seen.push(o);
        return cancel ? { canceled: true } : { canceled: false, filePath: '/home/ada/Documents/out.xlsx' };
      },
    });
    expect(await saveAs('reservoir-activity-2026-01-01-to-2026-01-31.xlsx', 'xlsx')).toBe('/home/ada/Documents/out.xlsx');
    expect(seen[0]).toMatchObject({ defaultPath: '/home/ada/Documents/reservoir-activity-2026-01-01-to-2026-01-31.xlsx', filters: [{ name: 'Excel workbook', extensions: ['xlsx'] }] });
    cancel = true;
    expect(await saveAs('x.csv', 'csv')).toBeNull();
  });
});
