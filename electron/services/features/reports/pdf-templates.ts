/**
 * The PDF page header and footer, as Chromium's header/footer templates (the same for Electron's
 * printToPDF and Playwright's page.pdf): the clinic, the report and its period on every page; the
 * page number, page count and the time the report was made (in the clinic's time zone) below.
 */
import type { ReportData } from '../../../../shared/contract/reports';
import { localeDate } from '../../../../shared/domain/locale-dates';

const escape = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** "2026-03-01 12:00 UTC": the instant in the clinic's time zone. */
export function madeAt(ms: number, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZoneName: 'short' }).formatToParts(ms);
  const part = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')} ${part('timeZoneName')}`;
}

const STYLE = 'font-family: Arial, Helvetica, sans-serif; font-size: 8pt; color: #333; width: 100%; margin: 0 12mm; display: flex; justify-content: space-between; gap: 4mm;';

/** A calendar date on paper: in the user's locale when the export carried one ("11/02/1971", "02.11.1971"), else ISO. */
export function paperDate(iso: string, locale: string | undefined): string {
  return locale ? localeDate(iso, locale) : iso;
}

/** Every ISO date in a line of text, in the locale ("visit on 2026-12-07" → "visit on 12/07/2026"). */
export const paperDates = (text: string, locale: string | undefined): string => text.replace(/\b\d{4}-\d{2}-\d{2}\b/g, (d) => paperDate(d, locale));

/** The instant in the clinic's time zone and the user's locale ("12/07/2026, 13:05 CET"); ISO-like without a locale. */
export function madeAtIn(ms: number, timeZone: string, locale: string | undefined): string {
  if (!locale) return madeAt(ms, timeZone);
  try {
    return new Intl.DateTimeFormat(locale, { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZoneName: 'short' }).format(ms);
  } catch {
    return madeAt(ms, timeZone);
  }
}

/** "Brennan, Thomas · MRN MRN-100 · born 11/02/1971": the patient of a one-patient paper, on every page. */
export function patientLine(data: Pick<ReportData, 'patient' | 'locale'>): string | null {
  const p = data.patient;
  return p ? `${p.name} · MRN ${p.mrn} · born ${paperDate(p.birthDate, data.locale)}` : null;
}

export interface PdfLayout {
  headerTemplate: string;
  footerTemplate: string;
  landscape: boolean;
  margin: { top: string; bottom: string; left: string; right: string };
}

export function pdfLayout(data: ReportData): PdfLayout {
  const patient = patientLine(data);
  const who = patient === null ? '' : `<span style="font-weight: bold">${escape(patient)}</span>`;
  return {
    headerTemplate: `<div style="${STYLE}"><span>${escape(data.clinicName)}</span>${who}<span>${escape(data.title)}: ${escape(paperDates(data.periodLabel, data.locale))}</span></div>`,
    footerTemplate: `<div style="${STYLE}"><span>Made ${escape(madeAtIn(data.generatedAtMs, data.timeZone, data.locale))} by Reservoir</span>${who}<span>Page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>`,
    // The papers are portrait A4 (a clipboard's sheet); the tables of reports are landscape.
    landscape: data.paper ? false : true,
    margin: { top: '18mm', bottom: '16mm', left: '12mm', right: '12mm' },
  };
}

/** The print view's address under a shell's base URL. */
export const PRINT_HASH = '#/print';
