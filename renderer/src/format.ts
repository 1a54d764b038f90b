import type { DateOrder } from '../../shared/contract/patients';
import type { MassUnitName } from '../../shared/contract/quantities';
import { isValidTimeZone, todayIn, type CalendarDate } from '../../shared/domain/calendar';
import { discrepancyWords, volumeMl, type DecimalFormatter } from '../../shared/domain/wording';
import { localeDate, localeDatesIn } from '../../shared/domain/locale-dates';

// Display formatting in the user's locale (the browser's language; Electron passes the OS locale).
// Every function takes an optional locale last, for tests; the console always uses appLocale().

const NG_PER: Record<MassUnitName, number> = { mg: 1_000_000, mcg: 1_000 };

/** The system/browser locale; `en-US` where there is no navigator (Node without one). */
export function appLocale(): string {
  if (printLocale !== undefined) return printLocale;
  if (cachedLocale === undefined) {
    const nav = (globalThis as { navigator?: { language?: string } }).navigator;
    cachedLocale = nav?.language !== undefined && nav.language !== '' ? nav.language : 'en-US';
  }
  return cachedLocale;
}
// Read once (a record formats thousands of dates; `navigator.language` is a call into the browser
// each time) and again when the user's language changes.
let cachedLocale: string | undefined;
/** The print view's locale (the one the export carried), over the printing browser's own. */
let printLocale: string | undefined;

/**
 * The print view (`#/print`) writes every date of the PDF — tables, charts, headings — in the locale
 * the export carried (the user's), not in the printing Chromium's language: set before it draws.
 * `en-CA` writes ISO dates (2026-12-07), for an export without a locale (the command line).
 */
export function setPrintLocale(locale: string | undefined | null): void {
  if (locale === null) {
    printLocale = undefined; // back to the browser's (tests)
    return;
  }
  let ok = locale !== undefined;
  try {
    if (locale !== undefined) new Intl.DateTimeFormat(locale);
  } catch {
    ok = false;
  }
  printLocale = ok ? locale : 'en-CA';
}
if (typeof window !== 'undefined' && typeof window.addEventListener === 'function') {
  window.addEventListener('languagechange', () => {
    cachedLocale = undefined;
  });
}

const cache = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat>();

function dateFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `d|${locale}|${JSON.stringify(options)}`;
  let f = cache.get(key) as Intl.DateTimeFormat | undefined;
  if (f === undefined) {
    f = new Intl.DateTimeFormat(locale, options);
    cache.set(key, f);
  }
  return f;
}

function numberFormat(locale: string, minimumFractionDigits: number, maximumFractionDigits: number): Intl.NumberFormat {
  const key = `n|${locale}|${minimumFractionDigits}|${maximumFractionDigits}`;
  let f = cache.get(key) as Intl.NumberFormat | undefined;
  if (f === undefined) {
    f = new Intl.NumberFormat(locale, { minimumFractionDigits, maximumFractionDigits });
    cache.set(key, f);
  }
  return f;
}

/**
 * A `YYYY-MM-DD` calendar date in the locale's short numeric form (24.11.2026, 11/24/2026,
 * 24/11/2026). Formatted as a UTC date, so neither the machine's time zone nor a DST change can move
 * it. Anything that is not a real calendar date is shown as it is rather than guessed at.
 */
export function formatDate(iso: string, locale: string = appLocale()): string {
  return localeDate(iso, locale);
}

/** An instant (UTC milliseconds) as date and time in the given time zone (default: the machine's). */
export function formatDateTime(ms: number, timeZone?: string, locale: string = appLocale()): string {
  if (!Number.isFinite(ms)) return '—';
  const zone = timeZone !== undefined && isValidTimeZone(timeZone) ? timeZone : undefined;
  return dateFormat(locale, {
    ...(zone === undefined ? {} : { timeZone: zone }),
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  }).format(ms);
}

/** A number with the locale's digits, grouping and decimal separator; at most `maximumFractionDigits` decimals. */
export function formatNumber(value: number, maximumFractionDigits = 3, locale: string = appLocale()): string {
  return numberFormat(locale, 0, maximumFractionDigits).format(value);
}

/** A number with exactly `fractionDigits` decimals in the locale (volumes in tables: 12.50 mL). */
export function formatFixed(value: number, fractionDigits: number, locale: string = appLocale()): string {
  return numberFormat(locale, fractionDigits, fractionDigits).format(value);
}

/** Volumes always with their unit; µL integers shown as mL with a fixed number of decimals. */
export function mL(ul: number | null | undefined, digits = 2, locale: string = appLocale()): string {
  if (ul === null || ul === undefined) return '—';
  return `${formatFixed(ul / 1000, digits, locale)} mL`;
}

/** A daily volume (µL/day) as mL/day with three decimals. */
export function mLPerDay(ulPerDay: number | null | undefined, locale: string = appLocale()): string {
  if (ulPerDay === null || ulPerDay === undefined) return '—';
  return `${formatFixed(ulPerDay / 1000, 3, locale)} mL/day`;
}

/** The locale's digits for the shared wording (shared/domain/wording.ts). */
function localeDecimals(locale: string): DecimalFormatter {
  return (value, fractionDigits) => formatFixed(value, fractionDigits, locale);
}

/**
 * A refill's discrepancy (withdrawn less expected) in words, never a signed number: "1.50 mL less
 * than expected", "2.50 mL (12.5 %) more than expected", "as expected"; '—' for a first fill or an
 * unmeasured residual. 2 decimals, the 3rd only when the µL need it (the shared rule, main's too).
 */
export function discrepancy(ul: number | null, percent: number | null = null, locale: string = appLocale()): string {
  return ul === null ? '—' : discrepancyWords(ul, percent, localeDecimals(locale));
}

/** A volume with the discrepancy's decimals rule (thresholds beside a discrepancy): "1.00 mL", "1.005 mL". */
export function exactML(ul: number | null | undefined, locale: string = appLocale()): string {
  return ul === null || ul === undefined ? '—' : volumeMl(ul, localeDecimals(locale));
}

/** A mass in its own unit (mg or mcg), never converted to the other. */
export function mass(ng: number, unit: MassUnitName, per = '', locale: string = appLocale()): string {
  return `${formatNumber(ng / NG_PER[unit], 3, locale)} ${unit}${per}`;
}

/**
 * A message from main with its dates shown as the screens show them: main words its refusals and
 * warnings with ISO dates ("must be dated after 2026-10-26"); each real YYYY-MM-DD date in the text
 * becomes the locale's date (10/26/2026), anything else is left as it is.
 */
export function localDates(message: string, locale: string = appLocale()): string {
  return localeDatesIn(message, locale);
}

/** A calendar date for display, or a dash when there is none. */
export function date(d: string | null | undefined, locale: string = appLocale()): string {
  return d === null || d === undefined ? '—' : formatDate(d, locale);
}

export function ageOn(birthDate: string, today: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = today.split('-').map(Number) as [number, number, number];
  return ty - by - (tm < bm || (tm === bm && td < bd) ? 1 : 0);
}

/** The clinic's today in its own time zone (the domain rule), falling back to the browser's day. */
export function clinicToday(timeZone: string | null): CalendarDate {
  return timeZone !== null && isValidTimeZone(timeZone) ? todayIn(timeZone, Date.now()) : (localToday() as CalendarDate);
}

export function localToday(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** How the locale writes a date with digits (en-US 03/14/1961: `mdy`; en-GB 14/03/1961: `dmy`), for search. */
export function dateOrder(locale: string = appLocale()): DateOrder {
  const parts = new Intl.DateTimeFormat(locale, { year: 'numeric', month: '2-digit', day: '2-digit' })
    .formatToParts(new Date(Date.UTC(1961, 2, 14, 12)))
    .map((p) => p.type)
    .filter((t) => t === 'year' || t === 'month' || t === 'day');
  if (parts[0] === 'year') return 'ymd';
  return parts[0] === 'day' ? 'dmy' : 'mdy';
}
