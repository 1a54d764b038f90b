/**
 * Units of the clinical arithmetic.
 *
 * Volumes are integer microlitres, masses are integer nanograms. With these two integer scales
 * every value a clinician can write (mL, mg or mcg with at most 3 decimals) is held exactly, and a
 * branded type stops a volume from being passed where a mass is expected (and mg/mL where mg/day
 * is expected). Values only enter and leave these scales through the explicit conversions below.
 */
import { fail, ok, type Result } from '../contract/result';

/** A volume in whole microlitres (1 mL = 1000 µL). */
export type Microlitres = number & { readonly __unit: 'uL' };
/** A mass in whole nanograms (1 mg = 1,000,000 ng; 1 mcg = 1000 ng). */
export type Nanograms = number & { readonly __unit: 'ng' };
/** A concentration in whole nanograms per millilitre. */
export type NgPerMl = number & { readonly __unit: 'ng/mL' };
/** A daily dose in whole nanograms per day. */
export type NgPerDay = number & { readonly __unit: 'ng/day' };

/** The two mass units of intrathecal prescribing. There is no default unit. */
export type MassUnit = 'mg' | 'mcg';
/** Every mass unit, for pickers and validation. */
export const MASS_UNITS: readonly MassUnit[] = ['mg', 'mcg'];

/** Nanograms in one unit: 1 mg = 1,000,000 ng, 1 mcg = 1000 ng. */
export const NG_PER_UNIT: Readonly<Record<MassUnit, number>> = { mg: 1_000_000, mcg: 1_000 };
/** Microlitres in one millilitre. */
export const UL_PER_ML = 1000;

/** True when `value` is exactly 'mg' or 'mcg' (a runtime guard for imported data). */
export function isMassUnit(value: unknown): value is MassUnit {
  return value === 'mg' || value === 'mcg';
}

function assertSafeInteger(n: number, what: string): void {
  if (!Number.isSafeInteger(n)) throw new RangeError(`${what} must be a whole number, got ${String(n)}`);
}

/**
 * Brand a whole number of microlitres read from trusted storage (a database integer column).
 * Throws a RangeError for a non-integer: that is a bug, not user input. For user input use `mlToUl`.
 */
export function microlitres(n: number): Microlitres {
  assertSafeInteger(n, 'A volume in µL');
  return (n + 0) as Microlitres;
}
/** Brand a whole number of nanograms from trusted storage (throws RangeError for a non-integer). */
export function nanograms(n: number): Nanograms {
  assertSafeInteger(n, 'A mass in ng');
  return (n + 0) as Nanograms;
}
/** Brand a whole number of ng/mL from trusted storage (throws RangeError for a non-integer). */
export function ngPerMl(n: number): NgPerMl {
  assertSafeInteger(n, 'A concentration in ng/mL');
  return (n + 0) as NgPerMl;
}
/** Brand a whole number of ng/day from trusted storage (throws RangeError for a non-integer). */
export function ngPerDay(n: number): NgPerDay {
  assertSafeInteger(n, 'A daily dose in ng/day');
  return (n + 0) as NgPerDay;
}

/**
 * `value` as an exact count of thousandths, or an error: refuses non-numbers, NaN, infinities,
 * negatives and more than 3 decimals. Exact because `k / 1000` and the decimal literal the user
 * typed are both the double nearest to the same rational, so the round trip compares equal only
 * when the value really has at most 3 decimals. A refusal names the value as `${what} ${value} ${unit}`,
 * written only then (this runs for every amount of an import).
 */
function thousandths(value: number, what: string, unit: string, field: string | undefined): Result<number> {
  if (typeof value !== 'number' || !Number.isFinite(value)) return fail('invalid_input', `${what} ${String(value)} ${unit} is not a number.`, field);
  if (value < 0) return fail('invalid_input', `${what} ${String(value)} ${unit} cannot be negative.`, field);
  const k = Math.round(value * 1000);
  if (!Number.isSafeInteger(k) || k / 1000 !== value) {
    return fail('invalid_input', `${what} ${String(value)} ${unit} has more than 3 decimals; at most 3 are allowed.`, field);
  }
  return ok(k + 0);
}

/**
 * Convert a mass written in `unit` (at most 3 decimals) to exact nanograms.
 * Refuses (as an error value, never a throw) a negative, non-finite or over-precise value.
 * Example: massToNg(0.25, 'mg') → 250000 ng; massToNg(500, 'mcg') → 500000 ng.
 */
export function massToNg(value: number, unit: MassUnit, field?: string): Result<Nanograms> {
  if (!isMassUnit(unit)) return fail('invalid_input', 'The unit is missing: write mg or mcg.', field);
  const k = thousandths(value, 'The value', unit, field);
  if (!k.ok) return k;
  const ng = k.value * (NG_PER_UNIT[unit] / 1000);
  if (!Number.isSafeInteger(ng)) return fail('invalid_input', `The value ${String(value)} ${unit} is too large.`, field);
  return ok(ng as Nanograms);
}

/** A concentration written in `unit`/mL to exact ng/mL (same rules as `massToNg`). */
export function concentrationToNgPerMl(value: number, unit: MassUnit, field?: string): Result<NgPerMl> {
  return massToNg(value, unit, field) as Result<number> as Result<NgPerMl>; // the same number, typed as ng/mL (no second result object)
}

/** A daily dose written in `unit`/day to exact ng/day (same rules as `massToNg`). */
export function dailyDoseToNgPerDay(value: number, unit: MassUnit, field?: string): Result<NgPerDay> {
  return massToNg(value, unit, field) as Result<number> as Result<NgPerDay>; // the same number, typed as ng/day
}

/**
 * Nanograms (or ng/mL, ng/day) expressed in `unit`, as a number (for editing forms).
 * Exact for values with at most 3 decimals in that unit: ngToMass(250000, 'mg') → 0.25.
 */
export function ngToMass(ng: Nanograms | NgPerMl | NgPerDay, unit: MassUnit): number {
  return ng / NG_PER_UNIT[unit];
}

/**
 * Millilitres (at most 3 decimals) to exact microlitres. Refuses negative, non-finite or
 * over-precise values as an error value. Example: mlToUl(0.25) → 250.
 */
export function mlToUl(ml: number, field?: string): Result<Microlitres> {
  return thousandths(ml, 'The volume', 'mL', field) as Result<Microlitres>; // the same number, typed as µL
}

/** Microlitres to millilitres as a number (for editing forms): ulToMl(250) → 0.25. */
export function ulToMl(ul: Microlitres): number {
  return ul / UL_PER_ML;
}

/**
 * An integer divided by a power of ten, written exactly with integer arithmetic (no float
 * rounding): `decimal(-1500, 1000, 3)` → "-1.500"; with `minDigits` 0 trailing zeros are dropped.
 */
function decimal(n: number, scale: number, digits: number, minDigits: number): string {
  const negative = n < 0;
  const abs = Math.abs(Math.round(n));
  const whole = Math.floor(abs / scale);
  let frac = String(abs % scale).padStart(digits, '0');
  while (frac.length > minDigits && frac.endsWith('0')) frac = frac.slice(0, -1);
  const text = frac.length > 0 ? `${whole}.${frac}` : String(whole);
  return negative && abs !== 0 ? `-${text}` : text;
}

const UNIT_DIGITS: Readonly<Record<MassUnit, number>> = { mg: 6, mcg: 3 };

/**
 * A mass for display, exact, unit always shown, no thousands separator (a comma could be read as a
 * decimal point): formatMass(500000, 'mcg') → "500 mcg"; formatMass(250000, 'mg') → "0.25 mg".
 */
export function formatMass(ng: Nanograms, unit: MassUnit): string {
  return `${decimal(ng, NG_PER_UNIT[unit], UNIT_DIGITS[unit], 0)} ${unit}`;
}

/** A concentration for display: formatConcentration(2000000, 'mcg') → "2000 mcg/mL". */
export function formatConcentration(conc: NgPerMl, unit: MassUnit): string {
  return `${decimal(conc, NG_PER_UNIT[unit], UNIT_DIGITS[unit], 0)} ${unit}/mL`;
}

/** A daily dose for display: formatDailyDose(500000, 'mcg') → "500 mcg/day". */
export function formatDailyDose(dose: NgPerDay, unit: MassUnit): string {
  return `${decimal(dose, NG_PER_UNIT[unit], UNIT_DIGITS[unit], 0)} ${unit}/day`;
}

/**
 * A volume in mL with exactly 3 decimals and the unit: formatVolumeMl(250) → "0.250 mL".
 * With `signed`, a positive value gets a "+" (for discrepancies): "+1.001 mL", "-0.500 mL".
 */
export function formatVolumeMl(ul: Microlitres, options: { signed?: boolean } = {}): string {
  const text = decimal(ul, UL_PER_ML, 3, 3);
  return `${options.signed === true && ul > 0 ? '+' : ''}${text} mL`;
}
