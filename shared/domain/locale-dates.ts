/**
 * The one formatter of calendar dates for people: a `YYYY-MM-DD` date in a locale's short numeric
 * form (11/24/2026 en-US, 24/11/2026 en-GB, 24.11.2026 de-DE; en-CA writes ISO, 2026-11-24). The
 * console (renderer/src/format.ts `formatDate`), the print view the PDFs are made from and the PDF
 * page headers and footers (pdf-templates.ts) all write dates through it, so a PDF never mixes ISO
 * and US dates. Formatted as a UTC date: no time zone or DST change moves it. Anything that is not a
 * real calendar date, or a locale Intl does not know, leaves the text as it is.
 */
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const formats = new Map<string, Intl.DateTimeFormat | null>();

function formatFor(locale: string): Intl.DateTimeFormat | null {
  let f = formats.get(locale);
  if (f === undefined) {
    try {
      f = new Intl.DateTimeFormat(locale, { timeZone: 'UTC', year: 'numeric', month: '2-digit', day: '2-digit' });
    } catch {
      f = null;
    }
    formats.set(locale, f);
  }
  return f;
}

export function localeDate(iso: string, locale: string): string {
  const m = ISO_DATE.exec(iso);
  if (m === null) return iso;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return iso;
  return formatFor(locale)?.format(ms) ?? iso;
}

/** Every ISO date inside a text in the locale ("removed 2026-01-25" → "removed 01/25/2026"). */
export function localeDatesIn(text: string, locale: string): string {
  return text.replace(/\b\d{4}-\d{2}-\d{2}\b/g, (iso) => localeDate(iso, locale));
}
