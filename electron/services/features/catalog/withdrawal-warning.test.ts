import { describe, expect, it } from 'vitest';
import type { Drug } from '../../../../shared/contract/record';
import { useTestServices } from '../../testing/services';

/**
 * A drug's withdrawal warning (issue 13) is clinic-editable, and a safety warning is never lost
 * by a save that did not mention it.
 */
const t = useTestServices();

async function baclofen(): Promise<Drug> {
  return (await t.must<Drug[]>('drugs.list', {})).find((d) => d.name === 'Baclofen')!;
}

/** Baclofen's saved fields as drugs.save takes them (in mcg), without the warning. */
const saveInput = (d: Drug) => ({
  id: d.id,
  name: d.name,
  unit: d.unit,
  typicalConcentration: d.typicalConcNgPerMl && { min: { value: d.typicalConcNgPerMl.min / 1000, unit: 'mcg' }, max: { value: d.typicalConcNgPerMl.max / 1000, unit: 'mcg' } },
  maxConcentration: null,
  typicalDailyDose: d.typicalDoseNgPerDay && { min: { value: d.typicalDoseNgPerDay.min / 1000, unit: 'mcg' }, max: { value: d.typicalDoseNgPerDay.max / 1000, unit: 'mcg' } },
  maxDailyDose: null,
  stabilityDays: 95,
  firstFillStabilityDays: null,
});

describe('drugs.save and the withdrawal warning', () => {
  it('keeps the saved warning when the save leaves it out, sets a new text, and clears it with null', async () => {
    const seeded = await baclofen();
    expect(seeded.withdrawalWarning).toMatch(/\(Boxed warning, Lioresal Intrathecal and Gablofen labels\.\)$/);

    const kept = await t.must<Drug>('drugs.save', saveInput(seeded));
    expect(kept).toMatchObject({ stabilityDays: 95, withdrawalWarning: seeded.withdrawalWarning });

    const text = 'Abrupt withdrawal can be life-threatening (clinic wording, boxed warning of the labels).';
    expect(await t.must<Drug>('drugs.save', { ...saveInput(seeded), withdrawalWarning: text })).toMatchObject({ withdrawalWarning: text });
    expect((await baclofen()).withdrawalWarning).toBe(text);

    expect(await t.must<Drug>('drugs.save', { ...saveInput(seeded), withdrawalWarning: null })).toMatchObject({ withdrawalWarning: null });
  });

  it('a new drug without one has none; a too-long warning is refused at its field and changes nothing', async () => {
    const created = await t.must<Drug>('drugs.save', {
      name: 'Ropivacaine',
      unit: 'mg',
      typicalConcentration: null,
      maxConcentration: null,
      typicalDailyDose: null,
      maxDailyDose: null,
      stabilityDays: null,
      firstFillStabilityDays: null,
    });
    expect(created.withdrawalWarning).toBeNull();
    const seeded = await baclofen();
    const error = await t.refused('drugs.save', { ...saveInput(seeded), withdrawalWarning: 'x'.repeat(401) });
    expect(error).toMatchObject({ code: 'invalid_input', field: 'withdrawalWarning' });
    expect(error.message).toMatch(/400 characters/);
    expect(await baclofen()).toEqual(seeded);
  });
});
