/**
 * Reading a UDI as recorded on a pump: the GS1 human-readable form
 * `(01)00643169007222(17)300131(10)LOT42(21)SM-A1`, the form on US implant cards and in AccessGUDID.
 * Only GS1 with parentheses is read; anything else (HIBCC `+…`, ICCBBA, free text) is not parsed and
 * the caller keeps the text as recorded.
 */
import { daysInMonth } from '../../../../../shared/domain/calendar';

export interface ParsedUdi {
  /** The GS1 GTIN, application identifier (01): the device identifier (DI). */
  deviceIdentifier: string;
  lotNumber: string | null;
  serialNumber: string | null;
  /** (17), `YYYY-MM-DD`. */
  expirationDate: string | null;
  /** (11), `YYYY-MM-DD`. */
  manufactureDate: string | null;
}

const ELEMENT = /\((\d{2,4})\)([^()]+)/gy;

/**
 * The parts of a GS1 UDI, or null when `udi` is not one (it must start with `(01)` and 14 digits and
 * consist only of `(AI)value` elements). Unknown application identifiers are skipped.
 */
export function parseGs1Udi(udi: string): ParsedUdi | null {
  const text = udi.trim();
  const elements = new Map<string, string>();
  ELEMENT.lastIndex = 0;
  let consumed = 0;
  for (let m = ELEMENT.exec(text); m !== null; m = ELEMENT.exec(text)) {
    elements.set(m[1]!, m[2]!);
    consumed = ELEMENT.lastIndex;
  }
  if (consumed !== text.length || !text.startsWith('(01)')) return null;
  const gtin = elements.get('01')!;
  if (!/^\d{14}$/.test(gtin)) return null;
  return {
    deviceIdentifier: gtin,
    lotNumber: elements.get('10') ?? null,
    serialNumber: elements.get('21') ?? null,
    expirationDate: gs1Date(elements.get('17')),
    manufactureDate: gs1Date(elements.get('11')),
  };
}

/**
 * A GS1 date `YYMMDD` as `YYYY-MM-DD`: the year is taken as 20YY (pumps in service were made after
 * 2000); day `00` means the last day of the month (GS1 General Specifications). Null when absent or
 * not a real date.
 */
function gs1Date(value: string | undefined): string | null {
  if (value === undefined || !/^\d{6}$/.test(value)) return null;
  const year = 2000 + Number(value.slice(0, 2));
  const month = Number(value.slice(2, 4));
  let day = Number(value.slice(4, 6));
  if (month < 1 || month > 12) return null;
  const last = daysInMonth(year, month);
  if (day === 0) day = last;
  if (day > last) return null;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}
