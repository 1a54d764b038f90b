/**
 * A residual discrepancy (withdrawn − expected, whole µL) in words, never as a signed number: a
 * minus sign is easy to miss at the bedside, "less than expected" is not.
 *
 *   −1500 µL → "1.50 mL less than expected"   (less withdrawn: the pump delivered more, or a pocket fill)
 *   +2500 µL → "2.50 mL more than expected"
 *       0 µL → "as expected"
 *
 * Volumes are exact, with 2 decimals as every screen shows mL (12.50 mL) and the 3rd only when the
 * whole µL needs it (1.004 mL, 0.001 mL): never rounded, so a difference never reads as none and a
 * flagged one (strictly beyond the threshold) never reads as equal to it ("1.00 mL … beyond the
 * 1.00 mL threshold" cannot happen for 1004 µL). Main's messages, the renderer and the reports
 * for people all use these functions; exported data (CSV, XLSX, JSON, FHIR, the interchange)
 * keeps the signed number for machines.
 *
 * Pure: the renderer passes a formatter for its locale's digits; main uses the plain one (1234.50).
 */

/** Formats a non-negative number with exactly `fractionDigits` decimals (the locale's digits). */
export type DecimalFormatter = (value: number, fractionDigits: number) => string;

/** Plain decimals, no grouping: 1234.50. */
export const plainDecimals: DecimalFormatter = (value, fractionDigits) => value.toFixed(fractionDigits);

/** Decimals a volume of `ul` whole µL is shown with: 2, or 3 when the µL are not a multiple of 10. */
export function volumeDigits(ul: number): 2 | 3 {
  return Math.abs(Math.round(ul)) % 10 === 0 ? 2 : 3;
}

/** A volume (whole µL, not negative in practice) as mL with the same decimals rule: "9.00 mL", "1.005 mL". */
export function volumeMl(ul: number, format: DecimalFormatter = plainDecimals): string {
  if (!Number.isFinite(ul)) return '—';
  const abs = Math.abs(Math.round(ul));
  const digits = volumeDigits(abs);
  return `${ul < 0 ? '−' : ''}${format(abs / 1000, digits)} mL`;
}

/** Which way a discrepancy goes, from its sign: less withdrawn than expected, more, or exactly as expected. */
export type DiscrepancyDirection = 'less' | 'more' | 'none';

export function discrepancyDirection(discrepancyUl: number): DiscrepancyDirection {
  const ul = Math.round(discrepancyUl);
  return ul < 0 ? 'less' : ul > 0 ? 'more' : 'none';
}

/** The size of a percentage in words, one decimal, never 0.0 for a non-zero value: "8.9 %", "under 0.1 %". */
export function percentSize(pct: number, format: DecimalFormatter = plainDecimals): string {
  const tenths = Math.round(Math.abs(pct) * 10);
  if (tenths === 0 && pct !== 0) return `under ${format(0.1, 1)} %`;
  return `${format(tenths / 10, 1)} %`;
}

/**
 * A discrepancy in words: "1.50 mL less than expected", "2.50 mL more than expected", "as expected".
 * With `percent` (discrepancy / expected × 100, same sign), its size goes beside the volume:
 * "0.80 mL (8.9 %) less than expected". Not a finite number: "—".
 */
export function discrepancyWords(discrepancyUl: number, percent: number | null = null, format: DecimalFormatter = plainDecimals): string {
  if (!Number.isFinite(discrepancyUl)) return '—';
  const direction = discrepancyDirection(discrepancyUl);
  if (direction === 'none') return 'as expected';
  const abs = Math.abs(Math.round(discrepancyUl));
  const digits = volumeDigits(abs);
  const size = `${format(abs / 1000, digits)} mL`;
  const pct = percent !== null && Number.isFinite(percent) ? ` (${percentSize(percent, format)})` : '';
  return `${size}${pct} ${direction} than expected`;
}

/** A percentage discrepancy alone in words ("8.9 % less than expected"), for a column of its own; the direction follows the sign. */
export function discrepancyPercentWords(percent: number, format: DecimalFormatter = plainDecimals): string {
  if (!Number.isFinite(percent)) return '—';
  if (Math.abs(percent) === 0) return 'as expected';
  return `${percentSize(percent, format)} ${percent < 0 ? 'less' : 'more'} than expected`;
}
