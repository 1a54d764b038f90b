import { describe, expect, it } from 'vitest';
import type { Drug } from '../../../../shared/contract/record';
import { useTestServices } from '../../testing/services';

/**
 * The drug library's limits are clinic-editable by administrators (drugs.save, audited with the
 * other drug fields): a save that leaves them out keeps them; a soft maximum above its hard one is
 * refused naming the field.
 */
const t = useTestServices();

async function ziconotide(): Promise<Drug> {
  return (await t.must<Drug[]>('drugs.list', {})).find((d) => d.name === 'Ziconotide')!;
}
const mcg = (ng: number) => ({ value: ng / 1000, unit: 'mcg' });
const saveInput = (d: Drug) => ({
  id: d.id,
  name: d.name,
  unit: d.unit,
  typicalConcentration: d.typicalConcNgPerMl && { min: mcg(d.typicalConcNgPerMl.min), max: mcg(d.typicalConcNgPerMl.max) },
  maxConcentration: null,
  typicalDailyDose: d.typicalDoseNgPerDay && { min: mcg(d.typicalDoseNgPerDay.min), max: mcg(d.typicalDoseNgPerDay.max) },
  maxDailyDose: d.maxDoseNgPerDay === null ? null : mcg(d.maxDoseNgPerDay),
  stabilityDays: d.stabilityDays,
  firstFillStabilityDays: d.firstFillStabilityDays,
});

describe('drugs.save and the drug library limits', () => {
  it('keeps the step-up limits and their source when a save leaves them out; sets and clears them', async () => {
    const seeded = await ziconotide();
    expect([seeded.maxStepUpSoftNgPerDay, seeded.maxWeekStepUpSoftNgPerDay]).toEqual([2400, 7200]);
    const kept = await t.must<Drug>('drugs.save', saveInput(seeded));
    expect(kept).toMatchObject({ maxStepUpSoftNgPerDay: 2400, maxWeekStepUpSoftNgPerDay: 7200, limitsSource: seeded.limitsSource });
    const set = await t.must<Drug>('drugs.save', { ...saveInput(seeded), maxStepUpSoft: { value: 1.2, unit: 'mcg' }, maxStepUpSoftPct: 50, maxStepUpHardPct: 100, limitsSource: 'Clinic protocol 2026' });
    expect(set).toMatchObject({ maxStepUpSoftNgPerDay: 1200, maxStepUpSoftPct: 50, maxStepUpHardPct: 100, limitsSource: 'Clinic protocol 2026' });
    const cleared = await t.must<Drug>('drugs.save', { ...saveInput(seeded), maxWeekStepUpSoft: null, limitsSource: null });
    expect(cleared).toMatchObject({ maxWeekStepUpSoftNgPerDay: null, limitsSource: null, maxStepUpSoftNgPerDay: 1200 });
  });

  it('refuses a soft limit above its hard one, and a step up in the wrong unit, naming the field; nothing changes', async () => {
    const seeded = await ziconotide();
    const e1 = await t.refused('drugs.save', { ...saveInput(seeded), maxStepUpSoftPct: 80, maxStepUpHardPct: 50 });
    expect(e1.field).toBe('maxStepUpSoftPct');
    // typical daily dose up to 19.2 mcg/day, hard maximum lowered to 10: the soft range ends above the hard one
    const e2 = await t.refused('drugs.save', { ...saveInput(seeded), maxDailyDose: { value: 10, unit: 'mcg' } });
    expect(e2.field).toBe('typicalDailyDose.max');
    const e3 = await t.refused('drugs.save', { ...saveInput(seeded), maxStepUpSoft: { value: 2, unit: 'mg' } });
    expect(e3.field).toBe('maxStepUpSoft');
    expect(await ziconotide()).toEqual(seeded);
  });
});
