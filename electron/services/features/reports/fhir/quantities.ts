/**
 * Quantities at the FHIR edge: the record's integers (µL, ng, ng/mL, ng/day) become FHIR Quantity
 * values with UCUM codes. The decimal is written with integer arithmetic and only then read as a
 * JSON number, so no float arithmetic ever touches a dose: 500000 ng/day of a mg drug is exactly
 * 0.5 mg/d, 150000 ng/day of a mcg drug is exactly 150 ug/d.
 */
import { assertNever } from '../../../../../shared/contract/result';
import type { MassUnitName } from '../../../../../shared/contract/quantities';
import type { Quantity } from './types';

export const UCUM = 'http://unitsofmeasure.org';

/** `n / scale` as decimal text, exact, no trailing zeros: decimalText(-1250, 1000) → "-1.25". */
export function decimalText(n: number, scale: 1000 | 1_000_000): string {
  if (!Number.isSafeInteger(n)) throw new RangeError(`Expected a whole number, got ${String(n)}`);
  const digits = scale === 1000 ? 3 : 6;
  const abs = Math.abs(n);
  const whole = Math.floor(abs / scale);
  const frac = String(abs % scale).padStart(digits, '0').replace(/0+$/, '');
  return `${n < 0 ? '-' : ''}${whole}${frac === '' ? '' : `.${frac}`}`;
}

/** `n / scale` as the JSON number of its exact decimal text: exactDecimal(-1250, 1000) → -1.25. */
export function exactDecimal(n: number, scale: 1000 | 1_000_000): number {
  return Number(decimalText(n, scale));
}

/** A volume in mL (UCUM `mL`) from whole µL: 4500 → 4.5 mL. */
export function mlQuantity(ul: number): Quantity {
  return { value: exactDecimal(ul, 1000), unit: 'mL', system: UCUM, code: 'mL' };
}

/**
 * The UCUM code and the unit as clinicians write it. UCUM has no "mcg": micrograms are `ug`.
 * The human-readable `unit` keeps "mcg" (ISMP advises against "µg"/"ug" on screen, which is
 * misread as mg); the machine-readable `code` is the UCUM one.
 */
function massUnit(unit: MassUnitName): { scale: 1_000_000 | 1000; code: string; shown: string } {
  switch (unit) {
    case 'mg':
      return { scale: 1_000_000, code: 'mg', shown: 'mg' };
    case 'mcg':
      return { scale: 1000, code: 'ug', shown: 'mcg' };
  }
  return assertNever(unit, 'mass unit');
}

/** A daily dose from whole ng/day in the drug's unit: (500000, 'mg') → 0.5 mg/d; (150000, 'mcg') → 150 ug/d. */
export function dailyDoseQuantity(ngPerDay: number, unit: MassUnitName): Quantity {
  const u = massUnit(unit);
  return { value: exactDecimal(ngPerDay, u.scale), unit: `${u.shown}/d`, system: UCUM, code: `${u.code}/d` };
}

/** A concentration from whole ng/mL in the drug's unit: (2000000, 'mcg') → 2000 ug/mL. */
export function concentrationQuantity(ngPerMl: number, unit: MassUnitName): Quantity {
  const u = massUnit(unit);
  return { value: exactDecimal(ngPerMl, u.scale), unit: `${u.shown}/mL`, system: UCUM, code: `${u.code}/mL` };
}

/** The same amounts as text for people: "10 mg/mL", "1500 mcg/mL", "0.5 mg/day". */
export function concentrationText(ngPerMl: number, unit: MassUnitName): string {
  const u = massUnit(unit);
  return `${decimalText(ngPerMl, u.scale)} ${u.shown}/mL`;
}
export function dailyDoseText(ngPerDay: number, unit: MassUnitName): string {
  const u = massUnit(unit);
  return `${decimalText(ngPerDay, u.scale)} ${u.shown}/day`;
}
