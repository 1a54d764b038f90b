/**
 * The PDF page header and footer, as Chromium's header/footer templates (the same for Electron's
 * printToPDF and Playwright's page.pdf): the clinic, the report and its period on every page; the
 * page number, page count and the time the report was made (in the clinic's time zone) below.
 */
import type { ReportData } from '../../../../shared/contract/reports';

const escape = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** "2026-03-01 12:00 UTC": the instant in the clinic's time zone. */
export function madeAt(ms: number, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZoneName: 'short' }).formatToParts(ms);
  const part = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')} ${part('timeZoneName')}`;
}

const STYLE = 'font-family: Arial, Helvetica, sans-serif; font-size: 8pt; color: #333; width: 100%; margin: 0 12mm; display: flex; justify-content: space-between;';

export interface PdfLayout {
  headerTemplate: string;
  footerTemplate: string;
  landscape: boolean;
  margin: { top: string; bottom: string; left: string; right: string };
}

export function pdfLayout(data: ReportData): PdfLayout {
  return {
    headerTemplate: `<div style="${STYLE}"><span>${escape(data.clinicName)}</span><span>${escape(data.title)}: ${escape(data.periodLabel)}</span></div>`,
    footerTemplate: `<div style="${STYLE}"><span>Made ${escape(madeAt(data.generatedAtMs, data.timeZone))} by Reservoir</span><span>Page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>`,
    landscape: true,
    margin: { top: '18mm', bottom: '16mm', left: '12mm', right: '12mm' },
  };
}

/** The print view's address under a shell's base URL. */
export const PRINT_HASH = '#/print';
