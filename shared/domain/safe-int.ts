/**
 * Whole-number helpers for the safe-integer fast paths of flow.ts and reservoir.ts (the BigInt
 * rationals of rational.ts are the reference; each fast path is property-tested against them).
 */

/** The largest integer a double holds exactly. */
export const SAFE = Number.MAX_SAFE_INTEGER;

/** The greatest common divisor of two non-negative safe integers. */
export function gcdInt(a: number, b: number): number {
  while (b !== 0) {
    const r = a % b; // not a destructuring swap: that allocates an array per step until optimised
    a = b;
    b = r;
  }
  return a;
}

/** floor(p / q) for safe integers, q > 0 (`%` and the division of an exact multiple are exact). */
export function floorDiv(p: number, q: number): number {
  const r = p % q;
  const q0 = (p - r) / q;
  return r < 0 ? q0 - 1 : q0;
}
