import { ok, fail, type Result } from '../../../../shared/contract/result';
import type { DoseChange, Drug, Refill } from '../../../../shared/contract/record';
import type { CalendarDate } from '../../../../shared/domain/calendar';
import type { DrugConfig } from '../../../../shared/domain/drugs';
import type { FlowRate } from '../../../../shared/domain/flow';
import { applyDoseChange, prescriptionFlowRate, type Prescription } from '../../../../shared/domain/prescription';
import type { RateChange } from '../../../../shared/domain/reservoir';
import type { Microlitres, NgPerDay, NgPerMl } from '../../../../shared/domain/units';

/** The clinic's drug list as the domain code wants it. */
export function toDrugConfig(d: Drug): DrugConfig {
  return {
    name: d.name,
    unit: d.unit,
    typicalConcentration: d.typicalConcNgPerMl as DrugConfig['typicalConcentration'],
    maxConcentration: d.maxConcNgPerMl as NgPerMl | null,
    typicalDailyDose: d.typicalDoseNgPerDay as DrugConfig['typicalDailyDose'],
    maxDailyDose: d.maxDoseNgPerDay as NgPerDay | null,
    stabilityDays: d.stabilityDays,
  };
}

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

export interface TimelineStep {
  date: CalendarDate;
  prescription: Prescription;
  rate: FlowRate;
}

/**
 * Every change of flow rate in a pump's history: each refill sets the prescription it filled;
 * each dose change (applied from its own date) changes the named drug's dose in the prescription
 * then in effect. On one date the refill comes before the dose change.
 */
export function pumpTimeline(refills: readonly Refill[], doseChanges: readonly DoseChange[]): Result<TimelineStep[]> {
  type Item = { date: string; order: number; refill?: Refill; change?: DoseChange };
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
    steps.push({ date: item.date as CalendarDate, prescription: next, rate: rate.value });
    current = next;
  }
  return ok(steps);
}

export const toRateChanges = (steps: readonly TimelineStep[]): RateChange[] => steps.map((s) => ({ from: s.date, rate: s.rate }));
