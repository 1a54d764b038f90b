/**
 * Exact rational numbers on BigInt, for the few places where a float could flip a boundary
 * (a day count, a level exactly at the alarm volume). Internal to the domain: values cross the
 * module boundary as plain numbers or as `FlowRate` (two safe integers).
 */

/** n / d with d > 0 and gcd(|n|, d) = 1. */
export interface Rational {
  readonly n: bigint;
  readonly d: bigint;
}

function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y !== 0n) {
    const r = x % y;
    x = y;
    y = r;
  }
  return x;
}

/** n / d, normalised (d > 0, reduced). Throws a RangeError for d = 0 (a bug). */
export function rat(n: bigint, d: bigint = 1n): Rational {
  if (d === 0n) throw new RangeError('Division by zero');
  if (d < 0n) {
    n = -n;
    d = -d;
  }
  const g = gcd(n, d);
  return g > 1n ? { n: n / g, d: d / g } : { n, d };
}

/** A whole number (a safe integer) as a rational. */
export function ratInt(n: number): Rational {
  return { n: BigInt(n), d: 1n };
}

export const ZERO: Rational = { n: 0n, d: 1n };

export function add(a: Rational, b: Rational): Rational {
  return rat(a.n * b.d + b.n * a.d, a.d * b.d);
}

export function sub(a: Rational, b: Rational): Rational {
  return rat(a.n * b.d - b.n * a.d, a.d * b.d);
}

export function mulInt(a: Rational, k: bigint): Rational {
  return rat(a.n * k, a.d);
}

export function div(a: Rational, b: Rational): Rational {
  return rat(a.n * b.d, a.d * b.n);
}

/** -1, 0 or 1. */
export function cmp(a: Rational, b: Rational): -1 | 0 | 1 {
  const l = a.n * b.d;
  const r = b.n * a.d;
  return l < r ? -1 : l > r ? 1 : 0;
}

/** The largest integer ≤ a. */
export function floor(a: Rational): bigint {
  const q = a.n / a.d; // truncates toward zero
  return a.n < 0n && q * a.d !== a.n ? q - 1n : q;
}

/** The smallest integer ≥ a. */
export function ceil(a: Rational): bigint {
  return -floor(rat(-a.n, a.d));
}

/** The nearest integer, halves rounded up (toward +∞): 2.5 → 3, -2.5 → -2. */
export function roundHalfUp(a: Rational): bigint {
  return floor(add(a, { n: 1n, d: 2n }));
}

/** max(a, 0). */
export function clampAtZero(a: Rational): Rational {
  return a.n < 0n ? ZERO : a;
}

/** A bigint that must fit a safe integer, as a number (throws a RangeError otherwise: a bug). */
export function toSafeNumber(b: bigint): number {
  if (b > BigInt(Number.MAX_SAFE_INTEGER) || b < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new RangeError(`${b.toString()} does not fit a safe integer`);
  }
  return Number(b);
}
