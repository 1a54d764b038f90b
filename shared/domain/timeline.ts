import { fail, ok, type Result } from '../contract/result';
import type { DoseChange, Refill } from '../contract/record';
import type { CalendarDate } from './calendar';
import type { FlowRate } from './flow';
import { applyDoseChange, prescriptionFlowRate, type Prescription } from './prescription';
import type { RateChange } from './reservoir';
import type { Microlitres, NgPerDay, NgPerMl } from './units';

/** The prescription a refill put in the pump. */
export function prescriptionOfRefill(refill: Pick<Refill, 'drugs' | 'mode' | 'extraVolumeUlPerDay'>): Prescription {
  return {
    mode: refill.mode,
    extraVolumeUlPerDay: refill.extraVolumeUlPerDay as Microlitres,
    drugs: refill.drugs.map((d) => ({
      name: d.drug,
      unit: d.unit,
      concentrationNgPerMl: d.concentrationNgPerMl as NgPerMl,
      dailyDoseNgPerDay: d.dailyDoseNgPerDay as NgPerDay,
    })),
  };
}

/** One prescription in effect from `date`: a refill's, or a dose change applied to the one before. */
export interface TimelineStep {
  readonly date: CalendarDate;
  readonly prescription: Prescription;
  readonly rate: FlowRate;
  readonly source: 'refill' | 'dose_change';
}

/**
 * Every change of flow rate in a pump's history: each refill sets the prescription it filled;
 * each dose change (applied from its own date) changes the named drug's dose in the prescription
 * then in effect. On one date the refill comes before the dose change.
 */
export function pumpTimeline(
  refills: readonly Pick<Refill, 'date' | 'drugs' | 'mode' | 'extraVolumeUlPerDay'>[],
  doseChanges: readonly Pick<DoseChange, 'date' | 'drug' | 'dailyDoseNgPerDay'>[],
): Result<TimelineStep[]> {
  type Item = { date: string; order: number; refill?: (typeof refills)[number]; change?: (typeof doseChanges)[number] };
  const items: Item[] = [
    ...refills.map((r) => ({ date: r.date, order: 0, refill: r })),
    ...doseChanges.map((c) => ({ date: c.date, order: 1, change: c })),
  ].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.order - b.order));
  const steps: TimelineStep[] = [];
  let current: Prescription | null = null;
  for (const item of items) {
    let next: Prescription;
    if (item.refill) next = prescriptionOfRefill(item.refill);
    else {
      if (current === null) return fail('refused', `The dose change on ${item.date} comes before any fill of this pump.`, 'date');
      const changed = applyDoseChange(current, item.change!.drug, item.change!.dailyDoseNgPerDay as NgPerDay);
      if (!changed.ok) return changed;
      next = changed.value;
    }
    const rate = prescriptionFlowRate(next);
    if (!rate.ok) return rate;
    steps.push({ date: item.date as CalendarDate, prescription: next, rate: rate.value, source: item.refill ? 'refill' : 'dose_change' });
    current = next;
  }
  return ok(steps);
}

export const toRateChanges = (steps: readonly TimelineStep[]): RateChange[] => steps.map((s) => ({ from: s.date, rate: s.rate }));
