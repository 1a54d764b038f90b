import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { patientCreateInput, patientUpdateEntryInput } from '../../../../shared/contract/patients';
import { pumpImplantInput, refillEntryInput } from '../../../../shared/contract/record';
import { workspace } from '../interchange/test-support';
import { updatePatient } from '../patients/handlers';
import { pumpWriter } from './batch';
import { computeProjection } from './projection';
import { recordCatalog } from './refills';

let ws: ReturnType<typeof workspace>;
beforeEach(() => (ws = workspace()));
afterEach(() => ws.cleanup());

const fill = (pumpId: number, date: string, withdrawnMl: number | null) =>
  refillEntryInput.parse({
    pumpId,
    date,
    withdrawnMl,
    addedMl: 20,
    drugs: [{ drug: 'Baclofen', concentration: { value: 2000, unit: 'mcg' }, dailyDose: { value: 500, unit: 'mcg' } }],
    mode: 'simple_continuous',
    reservoirPortConfirmed: true,
  });

describe('the import writer and a deceased patient', () => {
  it('keeps the pump of a deceased patient off the worklist; accepts history up to the date of death and refuses entries after it', () => {
    const { ctx } = ws.db(); // today 2025-09-01
    const patient = ctx.store.patients.create(
      patientCreateInput.parse({ mrn: 'Q1', familyName: 'Quinn', givenName: 'Nora', birthDate: '1950-01-01', sex: 'female', indications: ['spasticity'] }),
      ctx.now(),
    );
    const device = ctx.store.catalog.devices().find((d) => d.model === 'SynchroMed II' && d.reservoirUl === 20000)!;
    const catalog = recordCatalog(ctx);
    const writer = pumpWriter.implant(ctx, catalog, pumpImplantInput.parse({ patientId: patient.id, deviceModelId: device.id, serial: 'SN-Q1', implantDate: '2025-06-01' }));
    if (!writer.ok) throw new Error(writer.error.message);
    expect(writer.value.refill(fill(writer.value.pump.id, '2025-06-01', null)).ok).toBe(true);
    writer.value.finish();
    const pumpId = writer.value.pump.id;
    expect(ctx.store.record.projection(pumpId)?.inWorklist).toBe(true);

    expect(updatePatient(ctx, patientUpdateEntryInput.parse({ id: patient.id, status: 'deceased', deathDate: '2025-08-01' })).ok).toBe(true);
    expect(ctx.store.record.projection(pumpId)?.inWorklist).toBe(false);
    // A visit written afterwards by the import's writer (history migrated from a spreadsheet).
    const again = pumpWriter.open(ctx, catalog, ctx.store.record.pump(pumpId)!);
    expect(again.refill(fill(pumpId, '2025-07-15', 9)).ok).toBe(true);
    again.finish();
    expect(ctx.store.record.projection(pumpId)).toEqual(computeProjection(ctx, pumpId));
    expect(ctx.store.record.projection(pumpId)?.inWorklist).toBe(false);

    // After the date of death: refused as the console refuses it, saying why, and nothing is written.
    const late = pumpWriter.open(ctx, catalog, ctx.store.record.pump(pumpId)!);
    const refused = late.refill(fill(pumpId, '2025-08-02', 9));
    expect(refused).toMatchObject({ ok: false, error: { code: 'refused', field: 'date', message: 'Nora Quinn is recorded as deceased on 2025-08-01: only a pump removal can be recorded.' } });
    expect(late.reversal({ pumpId, date: '2025-08-15', kind: 'turned_off' } as never)).toMatchObject({ ok: false, error: { field: 'date' } });
    late.finish();
    expect(ctx.store.record.refills(pumpId).map((r) => r.date)).toEqual(['2025-06-01', '2025-07-15']);
    expect(ctx.store.record.reversals(pumpId)).toEqual([]);
  });
});
