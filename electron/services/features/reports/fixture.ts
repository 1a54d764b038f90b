/**
 * A small clinic for the report tests, built through the real services (clock: 2026-03-01, UTC).
 * Every figure the tests expect is worked out by hand in reports.test.ts from what is recorded here.
 *
 *  A1 Able, Ann   (Dr Grey)  SynchroMed II 20 mL NGP1001, implanted 2025-12-01
 *     2025-12-01 fill 20 mL baclofen 2000 mcg/mL at 500 mcg/day (0.25 mL/day)
 *     2026-01-20 refill: withdrawn 7.5 (expected 20 - 50 × 0.25 = 7.5), added 20 mL, same drug, Nurse Kim
 *     2026-02-01 dose change baclofen 600 mcg/day (0.3 mL/day) → alarm 2026-03-23, next due 2026-03-16
 *     events: 2026-01-05 infection (mild, resolved); 2026-01-08 MRI, pre-scan done, no post-scan check
 *  B2 Baker, Bob  (Dr Grey)  Prometra 20 mL PRO2002 (alarm 3 mL), implanted 2025-11-01
 *     2025-11-01 fill 20 mL morphine 10 mg/mL at 2 mg/day (0.2 mL/day)
 *     2026-01-15 refill: withdrawn 7.5, expected 20 - 75 × 0.2 = 5.0 → +2.5 mL flagged (> 1.0 mL);
 *       added 18 mL morphine 25 mg/mL at 5 mg/day + clonidine 37.5 mcg/mL at 7.5 mcg/day (0.2 mL/day), Nurse Kim
 *       → alarm 2026-03-31, next due 2026-03-24
 *     events: 2026-01-15 pocket fill (severe, open)
 *  C3 Clark, Cara (no clinician) SynchroMed II 40 mL NGP3003 implanted 2019-01-10, MRI 2026-01-09 checked
 *     the same day; removed 2026-01-25 (battery end of life, catheter left) and replaced by
 *     SynchroMed II 20 mL NGP4004: fill 20 mL baclofen 2000 mcg/mL at 400 mcg/day, Dr Grey
 *  D4 Dunn, Dee   SynchroMed EL 18 mL EL5005 implanted 2025-10-01, turned off 2026-01-28
 *  E5 Evans, Eve  (Dr Hale)  SynchroMed II 20 mL NGP6006 implanted 2019-09-01 (replacement from
 *     2026-03-01: 84 - 6 months); 2025-10-01 fill 20 mL baclofen 2000 mcg/mL at 1000 mcg/day
 *     (0.5 mL/day) → next due 2025-10-30: overdue
 */
import type { TestServices } from '../../testing/services';

export interface Fixture {
  able: number;
  baker: number;
  clark: number;
  dunn: number;
  evans: number;
  sm20: number;
}

const baclofen = (mcgPerDay: number) => ({ drug: 'Baclofen', concentration: { value: 2000, unit: 'mcg' }, dailyDose: { value: mcgPerDay, unit: 'mcg' } });

export async function buildFixture(t: TestServices): Promise<Fixture> {
  const { must, deviceId } = t;
  const patient = async (mrn: string, familyName: string, givenName: string, clinician?: string) =>
    (
      await must<{ id: number }>('patients.create', {
        mrn,
        familyName,
        givenName,
        birthDate: '1960-05-05',
        sex: 'female',
        indications: ['spasticity'],
        ...(clinician ? { clinician } : {}),
      })
    ).id;
  const implant = async (patientId: number, model: [string, number], serial: string, implantDate: string) =>
    (await must<{ id: number }>('pumps.implant', { patientId, deviceModelId: await deviceId(...model), serial, implantDate })).id;
  const refill = (pumpId: number, date: string, withdrawnMl: number | null, addedMl: number, drugs: unknown[], extra: Record<string, unknown> = {}) =>
    must('refills.record', { pumpId, date, withdrawnMl, addedMl, drugs, mode: 'simple_continuous', reservoirPortConfirmed: true, ...extra });

  const sm20 = await deviceId('SynchroMed II', 20000);
  const able = await patient('A1', 'Able', 'Ann', 'Dr Grey');
  const s1 = await implant(able, ['SynchroMed II', 20000], 'NGP1001', '2025-12-01');
  await refill(s1, '2025-12-01', null, 20, [baclofen(500)]);
  await refill(s1, '2026-01-20', 7.5, 20, [baclofen(500)], { clinician: 'Nurse Kim' });
  await must('doseChanges.record', { pumpId: s1, date: '2026-02-01', drug: 'Baclofen', dailyDose: { value: 600, unit: 'mcg' } });
  await must('events.record', { patientId: able, pumpId: s1, date: '2026-01-05', kind: 'adverse', adverseKind: 'infection', severity: 'mild', status: 'resolved' });
  await must('events.record', { patientId: able, pumpId: s1, date: '2026-01-08', kind: 'mri', preScanDone: true, note: 'Lumbar MRI' });

  const baker = await patient('B2', 'Baker', 'Bob', 'Dr Grey');
  const s2 = await implant(baker, ['Prometra II', 20000], 'PRO2002', '2025-11-01');
  await refill(s2, '2025-11-01', null, 20, [{ drug: 'Morphine', concentration: { value: 10, unit: 'mg' }, dailyDose: { value: 2, unit: 'mg' } }]);
  await refill(
    s2,
    '2026-01-15',
    7.5,
    18,
    [
      { drug: 'Morphine', concentration: { value: 25, unit: 'mg' }, dailyDose: { value: 5, unit: 'mg' } },
      { drug: 'Clonidine', concentration: { value: 37.5, unit: 'mcg' }, dailyDose: { value: 7.5, unit: 'mcg' } },
    ],
    { clinician: 'Nurse Kim', acknowledgeDiscrepancy: true, note: 'Residual larger than expected; pump interrogated' },
  );
  await must('events.record', { patientId: baker, pumpId: s2, date: '2026-01-15', kind: 'adverse', adverseKind: 'pocket_fill', severity: 'severe', status: 'open', clinician: 'Nurse Kim' });

  const clark = await patient('C3', 'Clark', 'Cara');
  const s3 = await implant(clark, ['SynchroMed II', 40000], 'NGP3003', '2019-01-10');
  await must('events.record', { patientId: clark, pumpId: s3, date: '2026-01-09', kind: 'mri', preScanDone: true, postScanCheckDate: '2026-01-09' });
  const removal = await must<{ replacement: { id: number } }>('removals.record', {
    pumpId: s3,
    date: '2026-01-25',
    reasons: ['battery_end_of_life'],
    catheterRemoved: false,
    replacement: { deviceModelId: sm20, serial: 'NGP4004', implantDate: '2026-01-25' },
  });
  await refill(removal.replacement.id, '2026-01-25', null, 20, [baclofen(400)], { clinician: 'Dr Grey' });

  const dunn = await patient('D4', 'Dunn', 'Dee');
  const s5 = await implant(dunn, ['SynchroMed EL', 18000], 'EL5005', '2025-10-01');
  await must('reversals.record', { pumpId: s5, date: '2026-01-28', kind: 'turned_off', plan: 'Oral baclofen taper' });

  const evans = await patient('E5', 'Evans', 'Eve', 'Dr Hale');
  const s6 = await implant(evans, ['SynchroMed II', 20000], 'NGP6006', '2019-09-01');
  await refill(s6, '2025-10-01', null, 20, [baclofen(1000)]);

  return { able, baker, clark, dunn, evans, sm20 };
}
