import { z } from 'zod';
import { id, periodDate } from './common';
import { PUMP_STATUSES, type DeviceModel, type Pump, type PumpStatus } from './record';

/**
 * Pumps across every patient: the Devices screen and the recall look-up.
 *
 * Serial ranges (recall look-up). Serials are compared case-insensitively, in one of two ways:
 *  - numerically, when every bound given is made of digits only: then only all-digit serials can
 *    match, and `00123` equals `123`;
 *  - otherwise as strings of equal length: a serial matches only when it has the same length as the
 *    bound(s), and is compared character by character (`NGP200000H` ≤ `NGP207781H` ≤ `NGP209999H`).
 *    When both bounds are given they must then have the same length.
 * Implant-date windows are inclusive at both ends.
 */

/** One end of a recall's serial range (upper-cased; empty means open). The recall look-up and the device-inventory report share it. */
export const serialBound = z
  .string({ error: 'must be text' })
  .trim()
  .max(40, { error: 'must be at most 40 characters' })
  .regex(/^[A-Za-z0-9-]*$/, { error: 'may contain only letters, digits and hyphens' })
  .optional()
  .transform((v) => (v === undefined || v === '' ? undefined : v.toUpperCase()));

const ALL_DIGITS = /^\d+$/;

/** How a serial range compares, given its bounds (both already upper-cased). */
export function serialMode(from: string | undefined, to: string | undefined): 'numeric' | 'string' {
  const bounds = [from, to].filter((b): b is string => b !== undefined);
  return bounds.length > 0 && bounds.every((b) => ALL_DIGITS.test(b)) ? 'numeric' : 'string';
}

const stripZeros = (s: string) => s.replace(/^0+(?=\d)/, '');
/** Compares two all-digit strings as whole numbers of any length. */
function compareDigits(a: string, b: string): number {
  const x = stripZeros(a);
  const y = stripZeros(b);
  if (x.length !== y.length) return x.length - y.length;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** True when `serial` lies in the (inclusive) range, by the rule above. No bounds: every serial. */
export function serialInRange(serial: string, from: string | undefined, to: string | undefined): boolean {
  if (from === undefined && to === undefined) return true;
  const s = serial.toUpperCase();
  if (serialMode(from, to) === 'numeric') {
    if (!ALL_DIGITS.test(s)) return false;
    return (from === undefined || compareDigits(s, from) >= 0) && (to === undefined || compareDigits(s, to) <= 0);
  }
  const len = (from ?? to)!.length;
  if (s.length !== len) return false;
  return (from === undefined || s >= from) && (to === undefined || s <= to);
}

type Ctx = { addIssue(issue: { code: 'custom'; message: string; path: string[]; input?: unknown }): void };

function checkDateWindow(from: string | undefined, to: string | undefined, ctx: Ctx) {
  if (from !== undefined && to !== undefined && from > to)
    ctx.addIssue({ code: 'custom', message: `must be on or after the start of the window (${from})`, path: ['implantedTo'] });
}

export const pumpSearchInput = z
  .object({
    deviceModelId: id.optional(),
    status: z.enum(PUMP_STATUSES, { error: `must be one of ${PUMP_STATUSES.join(', ')}` }).optional(),
    implantedFrom: periodDate.optional(),
    implantedTo: periodDate.optional(),
  })
  .strict()
  .superRefine((v, ctx) => checkDateWindow(v.implantedFrom, v.implantedTo, ctx));

export const pumpRecallInput = z
  .object({
    deviceModelId: id,
    serialFrom: serialBound,
    serialTo: serialBound,
    implantedFrom: periodDate.optional(),
    implantedTo: periodDate.optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    const { serialFrom: from, serialTo: to } = v;
    if (from !== undefined && to !== undefined) {
      if (serialMode(from, to) === 'numeric') {
        if (compareDigits(from, to) > 0) ctx.addIssue({ code: 'custom', message: `must not be below the start of the range (${from})`, path: ['serialTo'] });
      } else if (from.length !== to.length) {
        ctx.addIssue({ code: 'custom', message: `must have as many characters as the start of the range (${from.length}) unless both are digits only`, path: ['serialTo'] });
      } else if (from > to) {
        ctx.addIssue({ code: 'custom', message: `must not be below the start of the range (${from})`, path: ['serialTo'] });
      }
    }
    checkDateWindow(v.implantedFrom, v.implantedTo, ctx);
  });

/** The patient a pump belongs to, as a list shows them. */
export interface PumpPatient {
  id: number;
  mrn: string;
  familyName: string;
  givenName: string;
}

export interface PumpRow {
  pump: Pump;
  patient: PumpPatient;
}

export interface PumpSearchResult {
  rows: PumpRow[];
  /** Pumps matching the model and date filters, by status (the status filter is not applied here). */
  counts: Record<PumpStatus, number> & { total: number };
}

export interface PumpRecallResult {
  deviceModel: DeviceModel;
  /** Serial comparison used: see `serialMode`. Null when no serial range was given. */
  serialComparison: 'numeric' | 'string' | null;
  /** Matching pumps still in place (active or off), with their patient. */
  inPlace: PumpRow[];
  /** Matching pumps already explanted. */
  explantedCount: number;
}
