/**
 * The order a clinician reads a patient's pumps and refills in (issue 16, item 5): the pump in place
 * first (running or turned off), then the removed pumps, the most recently implanted first; within a
 * pump, the newest refill first. The record's refill tables and the patient summary's `refills`
 * table follow it; the charts and the timeline keep time order.
 */
import type { PumpStatus } from '../contract/record';

interface PumpLike {
  readonly pump: { readonly id: number; readonly implantDate: string; readonly status: PumpStatus };
}

/** Pumps newest first: the one in place, then the removed ones by implant date (latest first). */
export function pumpsNewestFirst<T extends PumpLike>(pumps: readonly T[]): T[] {
  const inPlace = (h: T) => (h.pump.status === 'explanted' ? 1 : 0);
  return [...pumps].sort((a, b) => inPlace(a) - inPlace(b) || b.pump.implantDate.localeCompare(a.pump.implantDate) || b.pump.id - a.pump.id);
}

/** Refill visits newest first (on one date, the later recorded first). */
export function refillsNewestFirst<T extends { readonly date: string; readonly id: number }>(refills: readonly T[]): T[] {
  return [...refills].sort((a, b) => b.date.localeCompare(a.date) || b.id - a.id);
}
