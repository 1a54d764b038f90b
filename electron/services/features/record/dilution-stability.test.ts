import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { patientCreateInput } from '../../../../shared/contract/patients';
import { pumpImplantInput, refillEntryInput } from '../../../../shared/contract/record';
import { openTestDb, type TestDb } from '../interchange/test-support';
import { tempDir } from '../../testing/temp';
import { computeProjection } from './projection';
import { previewRefill, recordRefill } from './refills';
import { implantPump } from './service';

/**
 * Ziconotide's stability limit depends on dilution (Prialt prescribing information; reference,
 * section 8): a new pump's first fill 14 days, then 40 days diluted, 84 days undiluted (100 mcg/mL).
 * Through the services: the refill preview, the stored refill and the projection agree.
 */
let tmp: ReturnType<typeof tempDir>;
let db: TestDb;
beforeEach(() => {
  tmp = tempDir('reservoir-dilution-');
  db = openTestDb(tmp.file('clinic.db')); // the clinic's today: 2025-09-01
});
afterEach(() => {
  db.close();
  tmp.cleanup();
});

const zic = (mcgPerMl: number) => ({ drug: 'Ziconotide', concentration: { value: mcgPerMl, unit: 'mcg' }, dailyDose: { value: 2.4, unit: 'mcg' } });

function pump(): number {
  const { ctx } = db;
  const patient = ctx.store.patients.create(
    patientCreateInput.parse({ mrn: 'Z1', familyName: 'Test', givenName: 'Zic', birthDate: '1960-01-01', sex: 'female', indications: ['cancer_pain'] }),
    ctx.now(),
  );
  const device = ctx.store.catalog.devices().find((d) => d.model === 'SynchroMed II' && d.reservoirUl === 20000)!;
  const p = implantPump(ctx, pumpImplantInput.parse({ patientId: patient.id, deviceModelId: device.id, serial: 'SN-Z1', implantDate: '2025-01-10' }));
  if (!p.ok) throw new Error(p.error.message);
  return p.value.id;
}

const input = (pumpId: number, date: string, withdrawnMl: number | null, drugs: object[]) =>
  refillEntryInput.parse({ pumpId, date, withdrawnMl, addedMl: 20, drugs, mode: 'simple_continuous', reservoirPortConfirmed: true, note: 'x', acknowledgeDiscrepancy: true });

function refill(pumpId: number, date: string, withdrawnMl: number | null, drugs: object[]): { nextDueDate: string | null; nextDueRule: string | null } {
  const preview = previewRefill(db.ctx, input(pumpId, date, withdrawnMl, drugs));
  if (!preview.ok) throw new Error(preview.error.message);
  const r = recordRefill(db.ctx, input(pumpId, date, withdrawnMl, drugs));
  if (!r.ok) throw new Error(r.error.message);
  expect(preview.value.nextDueDate).toBe(r.value.refill.nextDueDate);
  const projection = computeProjection(db.ctx, pumpId);
  expect([projection.nextDueDate, projection.nextDueRule]).toEqual([r.value.refill.nextDueDate, r.value.refill.nextDueRule]);
  expect(db.store.record.projection(pumpId)).toEqual(projection);
  return r.value.refill;
}

describe('ziconotide: 14 days after a new pump\'s first fill, 84 undiluted, 40 diluted', () => {
  it('first fill, then an undiluted fill, then a diluted one', () => {
    const id = pump();
    // 2.4 mcg/day: 0.024 mL/day at 100 mcg/mL, 0.096 at 25: the 2 mL alarm is 750 and 187 days away.
    // First fill (100 mcg/mL) on 2025-01-10: + 14 → 2025-01-24.
    expect(refill(id, '2025-01-10', null, [zic(100)])).toMatchObject({ nextDueDate: '2025-01-24', nextDueRule: 'stability' });
    // Undiluted on 2025-01-24: + 84 = 7 days to Jan 31 (77 left), 28 in Feb (49 left), 31 in Mar (18 left) → 2025-04-18.
    expect(refill(id, '2025-01-24', 19.664, [zic(100)])).toMatchObject({ nextDueDate: '2025-04-18', nextDueRule: 'stability' });
    // Diluted (25 mcg/mL) on 2025-04-10: + 40 = 20 days to Apr 30, 20 more → 2025-05-20.
    expect(refill(id, '2025-04-10', 18.176, [zic(25)])).toMatchObject({ nextDueDate: '2025-05-20', nextDueRule: 'stability' });
  });

  it('an admixture with ziconotide at 100 mcg/mL is diluted: 40 days', () => {
    const id = pump();
    refill(id, '2025-01-10', null, [zic(25)]);
    const mix = [zic(100), { drug: 'Morphine', concentration: { value: 10, unit: 'mg' }, dailyDose: { value: 0.24, unit: 'mg' } }];
    // 2025-01-24 + 40: 7 days to Jan 31, 28 in Feb (5 left) → 2025-03-05.
    expect(refill(id, '2025-01-24', 18.656, mix)).toMatchObject({ nextDueDate: '2025-03-05', nextDueRule: 'stability' });
  });

  it('a clinic that clears the undiluted figures gets 40 days for 100 mcg/mL again', () => {
    const z = db.store.catalog.drugs().find((d) => d.name === 'Ziconotide')!;
    db.store.catalog.saveDrug({ ...z, undilutedConcNgPerMl: null, undilutedStabilityDays: null });
    const id = pump();
    refill(id, '2025-01-10', null, [zic(100)]);
    // 2025-01-24 + 40 → 2025-03-05
    expect(refill(id, '2025-01-24', 19.664, [zic(100)])).toMatchObject({ nextDueDate: '2025-03-05' });
  });
});
