/**
 * The volume flow rate of a pump, held exactly.
 *
 * daily volume = daily dose / concentration. With doses in ng/day and concentrations in ng/mL the
 * rate in µL/day is `dose × 1000 / concentration`, generally not a whole number (1 mg/day at
 * 3 mg/mL is 333.33… µL/day), so it is kept as a reduced fraction of two safe integers. Day counts
 * are computed from the fraction with BigInt, never from a rounded float.
 */
import { fail, ok, type Result } from '../contract/result';
import { rat, roundHalfUp, toSafeNumber, type Rational } from './rational';
import { floorDiv, gcdInt, SAFE } from './safe-int';
import { formatVolumeMl, type Microlitres, type NgPerDay, type NgPerMl } from './units';

/**
 * A flow rate: `num / den` microlitres per day, exact. Both are safe integers, num ≥ 0, den > 0,
 * and the fraction is reduced (so two equal rates have equal fields). Plain numbers, so it
 * serialises to JSON.
 */
export interface FlowRate {
  readonly num: number;
  readonly den: number;
}

// Safe-integer fast paths: where every integer involved is a safe integer (a product or sum of
// non-negative whole numbers is exact exactly when its double is at most MAX_SAFE_INTEGER), the
// answer is the BigInt one, without BigInt. flow.test.ts checks the two agree, huge values included.

/** n / d reduced, for whole numbers 0 ≤ n ≤ MAX_SAFE_INTEGER and 0 < d ≤ MAX_SAFE_INTEGER; null when n is not one. */
function reducedSafe(n: number, d: number): FlowRate | null {
  if (!(n <= SAFE)) return null;
  const g = gcdInt(n, d);
  return { num: n / g, den: d / g };
}

/** The rate of a pump that is turned off. */
export const PUMP_OFF: FlowRate = { num: 0, den: 1 };

/** The rate as an internal exact rational. */
export function rateToRational(rate: FlowRate): Rational {
  return rat(BigInt(rate.num), BigInt(rate.den));
}

function fromRational(r: Rational, field?: string): Result<FlowRate> {
  if (r.n > BigInt(Number.MAX_SAFE_INTEGER) || r.d > BigInt(Number.MAX_SAFE_INTEGER)) {
    return fail('invalid_input', 'The flow rate is out of range.', field);
  }
  return ok({ num: Number(r.n), den: Number(r.d) });
}

/** True when `rate` is well formed (safe integers, num ≥ 0, den > 0). */
export function isFlowRate(rate: FlowRate): boolean {
  return Number.isSafeInteger(rate.num) && Number.isSafeInteger(rate.den) && rate.num >= 0 && rate.den > 0;
}

/**
 * The exact rate of one drug: dose / concentration, in µL/day = doseNgPerDay × 1000 / concNgPerMl.
 * Refuses a concentration ≤ 0 or a negative or non-integer dose (`invalid_input`).
 * Example: 500 mcg/day (500000 ng) at 2000 mcg/mL (2000000 ng/mL) → 250 µL/day.
 */
export function drugFlowRate(dose: NgPerDay, concentration: NgPerMl, field?: string): Result<FlowRate> {
  if (!Number.isSafeInteger(concentration) || concentration <= 0) {
    return fail('invalid_input', 'The concentration must be more than 0.', field);
  }
  if (!Number.isSafeInteger(dose) || dose < 0) return fail('invalid_input', 'The daily dose must be a number of at least 0.', field);
  const fast = reducedSafe(dose * 1000, concentration);
  if (fast !== null) return ok(fast);
  return fromRational(rat(BigInt(dose) * 1000n, BigInt(concentration)), field);
}

/** `rate` plus a whole number of µL/day (the extra volume of flex or bolus modes). */
export function addVolumePerDay(rate: FlowRate, extraUlPerDay: Microlitres): Result<FlowRate> {
  if (!Number.isSafeInteger(extraUlPerDay) || extraUlPerDay < 0) {
    return fail('invalid_input', 'The extra volume per day must be a whole number of µL, at least 0.', 'extraVolumeUlPerDay');
  }
  if (isFlowRate(rate)) {
    const extra = extraUlPerDay * rate.den;
    const fast = extra <= SAFE ? reducedSafe(rate.num + extra, rate.den) : null;
    if (fast !== null) return ok(fast);
  }
  const den = BigInt(rate.den);
  return fromRational(rat(BigInt(rate.num) + BigInt(extraUlPerDay) * den, den));
}

/**
 * The rate a constant-flow pump (e.g. Codman 3000) is built for, given in µL/day with at most
 * 3 decimals (the device label). Refuses negative, non-finite or over-precise values.
 * Example: 1500 µL/day (1.5 mL/day) → { num: 1500, den: 1 }.
 */
export function constantFlowRate(ulPerDay: number, field?: string): Result<FlowRate> {
  if (typeof ulPerDay !== 'number' || !Number.isFinite(ulPerDay) || ulPerDay < 0) {
    return fail('invalid_input', 'The device flow rate must be a number of µL/day, at least 0.', field);
  }
  const k = Math.round(ulPerDay * 1000);
  if (!Number.isSafeInteger(k) || k / 1000 !== ulPerDay) {
    return fail('invalid_input', 'The device flow rate has more than 3 decimals (µL/day).', field);
  }
  return fromRational(rat(BigInt(k), 1000n), field);
}

/**
 * The dose a drug at `concentration` receives at `rate`: rate × concentration, in ng/day,
 * rounded to the nearest ng (half up). 1 ng is far below any clinical precision.
 * Example: 250 µL/day × 2,000,000 ng/mL / 1000 = 500,000 ng/day (500 mcg/day).
 */
export function doseAtRate(rate: FlowRate, concentration: NgPerMl): NgPerDay {
  if (isFlowRate(rate) && Number.isSafeInteger(concentration) && concentration >= 0) {
    // rate × concentration / 1000 rounded half up: floor((2·num·conc + 1000·den) / (2000·den)).
    const n = 2 * rate.num * concentration + 1000 * rate.den;
    if (rate.num * concentration <= SAFE && n <= SAFE && 2000 * rate.den <= SAFE) return floorDiv(n, 2000 * rate.den) as NgPerDay;
  }
  const r = rat(BigInt(rate.num) * BigInt(concentration), BigInt(rate.den) * 1000n);
  return toSafeNumber(roundHalfUp(r)) as NgPerDay;
}

/** -1, 0 or 1, comparing two rates exactly. */
export function compareFlowRates(a: FlowRate, b: FlowRate): -1 | 0 | 1 {
  if (isFlowRate(a) && isFlowRate(b)) {
    const l = a.num * b.den;
    const r = b.num * a.den;
    if (l <= SAFE && r <= SAFE) return l < r ? -1 : l > r ? 1 : 0;
  }
  const l = BigInt(a.num) * BigInt(b.den);
  const r = BigInt(b.num) * BigInt(a.den);
  return l < r ? -1 : l > r ? 1 : 0;
}

/**
 * The daily volume rounded to the nearest whole µL (halves up), FOR DISPLAY ONLY: never compute
 * a date from it. 1000/3 µL/day → 333.
 */
export function dailyVolumeUl(rate: FlowRate): Microlitres {
  if (isFlowRate(rate) && 2 * rate.num + rate.den <= SAFE) return floorDiv(2 * rate.num + rate.den, 2 * rate.den) as Microlitres;
  return toSafeNumber(roundHalfUp(rateToRational(rate))) as Microlitres;
}

/** The daily volume for display: "0.250 mL/day" (nearest µL). */
export function formatFlowRate(rate: FlowRate): string {
  return `${formatVolumeMl(dailyVolumeUl(rate)).replace(/ mL$/, '')} mL/day`;
}
