import { describe, expect, it } from 'vitest';
import { useTestServices } from '../../testing/services';

// The clinic's today: 9 days after the fill below.
const t = useTestServices(Date.UTC(2026, 0, 10));
const { must, refused, deviceId } = t;

const MG = 1_000_000;

async function pumpWithAdmixture(serial: string, drugs: object[]) {
  const patient = await must<{ id: number }>('patients.create', {
    mrn: `MRN-${serial}`,
    familyName: 'Okafor',
    givenName: 'Ada',
    birthDate: '1962-04-09',
    sex: 'female',
    indications: ['cancer_pain'],
  });
  // SynchroMed II 20 mL: alarm at 2 mL.
  const pump = await must<{ id: number }>('pumps.implant', { patientId: patient.id, deviceModelId: await deviceId('SynchroMed II', 20000), serial, implantDate: '2026-01-01' });
  await must('refills.record', { pumpId: pump.id, date: '2026-01-01', withdrawnMl: null, addedMl: 20, drugs, mode: 'simple_continuous', reservoirPortConfirmed: true });
  return { patientId: patient.id, pumpId: pump.id };
}

const drug = (name: string, unit: string, conc: number, dose: number) => ({ drug: name, concentration: { value: conc, unit }, dailyDose: { value: dose, unit } });
// Morphine 10 mg/mL + bupivacaine 10 mg/mL at 8 mg/day each: 0.8 mL/day.
const morphineBupi = [drug('Morphine', 'mg', 10, 8), drug('Bupivacaine', 'mg', 10, 8)];

interface Preview {
  drugs: { drug: string; unit: string; beforeNgPerDay: number; afterNgPerDay: number; typed: boolean }[];
  summary: string;
  before: Record<string, unknown>;
  after: Record<string, unknown>;
  alarmShiftDays: number | null;
  emptyShiftDays: number | null;
  nextDueShiftDays: number | null;
}

describe('doseChanges.preview: the whole effect of a dose change, saving nothing (hand-computed)', () => {
  it('morphine 8 → 10 mg/day on day 5 of an admixture: both drugs, 0.8 → 1.0 mL/day, alarm 3 days and empty 4 days sooner', async () => {
    const { patientId, pumpId } = await pumpWithAdmixture('SM-ADM1', morphineBupi);
    const input = { pumpId, date: '2026-01-06', drug: 'Morphine', dailyDose: { value: 10, unit: 'mg' } };
    const p = await must<Preview>('doseChanges.preview', input);
    expect(p.drugs).toEqual([
      { drug: 'Morphine', unit: 'mg', beforeNgPerDay: 8 * MG, afterNgPerDay: 10 * MG, typed: true },
      // 10 mg/day ÷ 10 mg/mL = 1.0 mL/day; × 10 mg/mL = 10 mg/day.
      { drug: 'Bupivacaine', unit: 'mg', beforeNgPerDay: 8 * MG, afterNgPerDay: 10 * MG, typed: false },
    ]);
    expect(p.summary).toBe('Morphine 8 → 10 mg/day; Bupivacaine 8 → 10 mg/day (same flow rate)');
    // Before: alarm floor(18 / 0.8) = 22 days after 2026-01-01 = 2026-01-23, empty floor(20 / 0.8) = 25 → 2026-01-26.
    // After: 5 × 0.8 = 4 mL used by 2026-01-06; alarm 14 / 1.0 = 14 days later = 2026-01-20, empty 16 / 1.0 → 2026-01-22.
    expect(p.before).toMatchObject({ dailyVolumeUl: 800, alarmDate: '2026-01-23', emptyDate: '2026-01-26' });
    expect(p.after).toMatchObject({ dailyVolumeUl: 1000, alarmDate: '2026-01-20', emptyDate: '2026-01-22' });
    expect([p.alarmShiftDays, p.emptyShiftDays]).toEqual([-3, -4]);
    // Due 7 days before the alarm (the clinic's safety margin): 2026-01-16 → 2026-01-13, both within
    // the due window of today 2026-01-10.
    expect(p.before).toMatchObject({ nextDueDate: '2026-01-16', nextDueRule: 'alarm', urgency: 'due' });
    expect(p.after).toMatchObject({ nextDueDate: '2026-01-13', nextDueRule: 'alarm', urgency: 'due' });
    expect(p.nextDueShiftDays).toBe(-3);

    // Nothing saved by the preview.
    let record = await must<{ pumps: { doseChanges: unknown[]; projection: Record<string, unknown> }[] }>('patients.get', { id: patientId });
    expect(record.pumps[0]!.doseChanges).toEqual([]);
    expect(record.pumps[0]!.projection).toMatchObject({ alarmDate: '2026-01-23' });

    // Recording it gives what the preview showed: every drug, and the same projection.
    const saved = await must<{ drugs: Preview['drugs'] }>('doseChanges.record', input);
    expect(saved.drugs).toEqual(p.drugs);
    record = await must('patients.get', { id: patientId });
    expect(record.pumps[0]!.projection).toMatchObject({ dailyVolumeUl: 1000, alarmDate: '2026-01-20', emptyDate: '2026-01-22', nextDueDate: '2026-01-13' });
    // The audit trail keeps every drug's dose before and after.
    const audit = await must<{ entity: string; detail: { drugs?: unknown } | null }[]>('audit.list', {});
    expect(audit.find((e) => e.entity === 'dose_change')?.detail?.drugs).toEqual(p.drugs);
  });

  it('unequal concentrations, mg and mcg in one admixture: morphine 25 mg/mL + clonidine 1000 mcg/mL', async () => {
    // Morphine 5 mg/day ÷ 25 mg/mL = 0.2 mL/day; clonidine 0.2 × 1000 = 200 mcg/day.
    const { pumpId } = await pumpWithAdmixture('SM-ADM2', [drug('Morphine', 'mg', 25, 5), drug('Clonidine', 'mcg', 1000, 200)]);
    // Clonidine to 150 mcg/day: 150 ÷ 1000 = 0.15 mL/day; morphine 0.15 × 25 = 3.75 mg/day.
    const p = await must<Preview>('doseChanges.preview', { pumpId, date: '2026-01-06', drug: 'Clonidine', dailyDose: { value: 150, unit: 'mcg' } });
    expect(p.drugs.map((d) => [d.drug, d.unit, d.afterNgPerDay, d.typed])).toEqual([
      ['Morphine', 'mg', 3_750_000, false],
      ['Clonidine', 'mcg', 150_000, true],
    ]);
    expect(p.summary).toBe('Morphine 5 → 3.75 mg/day; Clonidine 200 → 150 mcg/day (same flow rate)');
    expect([p.before.dailyVolumeUl, p.after.dailyVolumeUl]).toEqual([200, 150]);
    // Alarm before: 18 / 0.2 = 90 days → 2026-04-01. After: 5 × 0.2 = 1 mL used, 17 / 0.15 = 113.33 → 113 days after
    // 2026-01-06 = 2026-04-29 (28 days later).
    expect([p.before.alarmDate, p.after.alarmDate, p.alarmShiftDays]).toEqual(['2026-04-01', '2026-04-29', 28]);
  });

  it('refuses what recording refuses, with the same message, and a dose in the other unit family', async () => {
    const { pumpId } = await pumpWithAdmixture('SM-ADM3', morphineBupi);
    const wrongUnit = { pumpId, date: '2026-01-06', drug: 'Morphine', dailyDose: { value: 10000, unit: 'mcg' } };
    const a = await refused('doseChanges.preview', wrongUnit);
    expect(a).toMatchObject({ code: 'refused', field: 'dailyDose', message: 'Morphine is dosed in mg; the value is in mcg.' });
    expect(await refused('doseChanges.record', wrongUnit)).toEqual(a);
    expect(await refused('doseChanges.preview', { pumpId, date: '2026-01-06', drug: 'Baclofen', dailyDose: { value: 100, unit: 'mcg' } })).toMatchObject({
      code: 'refused',
      field: 'drug',
      message: 'Baclofen is not in this prescription.',
    });
  });
});

describe('the record after an admixture dose change', () => {
  it('the next refill pre-filled from the current prescription (every drug at the one rate) saves as it is', async () => {
    const { patientId, pumpId } = await pumpWithAdmixture('SM-ADM4', morphineBupi);
    await must('doseChanges.record', { pumpId, date: '2026-01-06', drug: 'Morphine', dailyDose: { value: 10, unit: 'mg' } });
    const record = await must<{ pumps: { doseChanges: { drug: string; dailyDoseNgPerDay: number }[] }[] }>('patients.get', { id: patientId });
    // One stored row: the drug typed (the rate decision); the other drug's dose is derived when read.
    expect(record.pumps[0]!.doseChanges.map((c) => [c.drug, c.dailyDoseNgPerDay])).toEqual([['Morphine', 10 * MG]]);
    // The refill the form pre-fills: morphine 10 and bupivacaine 10 mg/day (not 8) — saved without edits.
    // 2026-01-06 → 2026-01-09: 5 × 0.8 + 3 × 1.0 = 7 mL used, 13 mL expected.
    const saved = await must<{ refill: { drugs: { dailyDoseNgPerDay: number }[]; expectedResidualUl: number } }>('refills.record', {
      pumpId,
      date: '2026-01-09',
      withdrawnMl: 13,
      addedMl: 20,
      drugs: [drug('Morphine', 'mg', 10, 10), drug('Bupivacaine', 'mg', 10, 10)],
      mode: 'simple_continuous',
      reservoirPortConfirmed: true,
    });
    expect(saved.refill.expectedResidualUl).toBe(13000);
    expect(saved.refill.drugs.map((d) => d.dailyDoseNgPerDay)).toEqual([10 * MG, 10 * MG]);
  });

  it("the patient summary lists every drug's new dose, the others marked as following the flow rate", async () => {
    const { patientId, pumpId } = await pumpWithAdmixture('SM-ADM5', morphineBupi);
    await must('doseChanges.record', { pumpId, date: '2026-01-06', drug: 'Morphine', dailyDose: { value: 10, unit: 'mg' } });
    const data = await must<{ sections: { key: string; rows: unknown[][] }[] }>('reports.preview', { params: { report: 'patient-summary', patientId } });
    const rows = data.sections.find((x) => x.key === 'dose-changes')!.rows;
    // 10 mg/day ÷ 10 mg/mL = 1.0 mL/day; bupivacaine 1.0 × 10 = 10 mg/day.
    expect(rows.map((r) => [r[0], r[1], r[2], r[3]])).toEqual([
      ['2026-01-06', 'SM-ADM5', 'Morphine', { ng: 10 * MG, unit: 'mg' }],
      ['2026-01-06', 'SM-ADM5', 'Bupivacaine (follows the flow rate)', { ng: 10 * MG, unit: 'mg' }],
    ]);
  });
});
