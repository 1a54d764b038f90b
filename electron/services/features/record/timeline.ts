import type { Drug } from '../../../../shared/contract/record';
import type { DrugConfig } from '../../../../shared/domain/drugs';
import type { NgPerDay, NgPerMl } from '../../../../shared/domain/units';

export { prescriptionOfRefill, pumpTimeline, toRateChanges, type TimelineStep } from '../../../../shared/domain/timeline';

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
    firstFillStabilityDays: d.firstFillStabilityDays,
    undilutedConcNgPerMl: d.undilutedConcNgPerMl,
    undilutedStabilityDays: d.undilutedStabilityDays,
    maxStepUpSoftPct: d.maxStepUpSoftPct,
    maxStepUpHardPct: d.maxStepUpHardPct,
    maxStepUpSoftNgPerDay: d.maxStepUpSoftNgPerDay,
    maxWeekStepUpSoftNgPerDay: d.maxWeekStepUpSoftNgPerDay,
    limitsSource: d.limitsSource,
  };
}
