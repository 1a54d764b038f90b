import { describe, expect, it } from 'vitest';
import type { PatientRecord, Pump, PumpProjection, Refill } from '../../../../shared/contract/record';
import type { AuditEntry } from '../../../../shared/contract/audit';
import { TEST_PASSWORD, useTestServices } from '../../testing/services';
import { openStore } from '../../../cli/database';
import { computeProjection } from './projection';

// The clinic's today: 2026-06-01.
const t = useTestServices(Date.UTC(2026, 5, 1));
const { must, refused, deviceId } = t;

async function patientWithPump(serial = 'SM-R1') {
  const patient = await must<{ id: number }>('patients.create', {
    mrn: `MRN-${serial}`,
    familyName: 'Quinn',
    givenName: 'Nora',
    birthDate: '1966-04-12',
    sex: 'female',
    indications: ['spasticity'],
  });
  const pump = await must<{ id: number }>('pumps.implant', { patientId: patient.id, deviceModelId: await deviceId('SynchroMed II', 20000), serial, implantDate: '2026-01-05' });
  return { patientId: patient.id, pumpId: pump.id };
}

const baclofen = (dailyMcg: number) => ({ drug: 'Baclofen', concentration: { value: 2000, unit: 'mcg' }, dailyDose: { value: dailyMcg, unit: 'mcg' } });
const fill = (pumpId: number, date: string, dailyMcg: number, withdrawnMl: number | null, extra: object = {}) => ({
  pumpId,
  date,
  withdrawnMl,
  addedMl: 20,
  drugs: [baclofen(dailyMcg)],
  mode: 'simple_continuous',
  reservoirPortConfirmed: true,
  ...extra,
});

async function reversedPump(kind = 'turned_off') {
  const ids = await patientWithPump();
  await must('refills.record', fill(ids.pumpId, '2026-01-05', 500, null));
  await must('reversals.record', { pumpId: ids.pumpId, date: '2026-02-01', kind, plan: 'Oral baclofen' });
  return ids;
}

const record = (id: number) => must<PatientRecord>('patients.get', { id });
const counts = async (asOf: string) => (await must<{ counts: { running: number; attention: number }; rows: { serial: string }[] }>('worklist.get', { asOf, days: 14 }));

describe('a pump turned off at a therapy reversal', () => {
  it('has no daily volume, alarm, empty or due date, and is neither listed nor counted as running', async () => {
    const { patientId, pumpId } = await patientWithPump();
    await must('refills.record', fill(pumpId, '2026-01-05', 500, null));
    // Before: 0.25 mL/day, due 2026-03-11 (see record.test.ts); listed as due on 2026-03-01.
    expect((await counts('2026-03-01')).counts.running).toBe(1);
    await must('reversals.record', { pumpId, date: '2026-02-01', kind: 'drained' });
    const h = (await record(patientId)).pumps[0]!;
    expect(h.pump.status).toBe('off');
    expect(h.projection).toEqual<PumpProjection>({
      pumpId,
      inWorklist: false,
      lastRefillDate: '2026-01-05',
      dailyVolumeUl: null,
      alarmDate: null,
      emptyDate: null,
      nextDueDate: null,
      nextDueRule: null,
      discrepancyFlag: null,
      replacementFromDate: h.projection!.replacementFromDate, // a device fact: still in place
    });
    const w = await counts('2026-03-01');
    expect(w.counts.running).toBe(0);
    expect(w.rows).toEqual([]);
    // A refill is refused, pointing to the restart.
    const refill = await refused('refills.record', fill(pumpId, '2026-03-01', 500, null));
    expect(refill).toMatchObject({ code: 'refused', field: 'pumpId' });
    expect(refill.message).toMatch(/is off after a therapy reversal.*record a restart/);
  });
});

describe('restarts.record', () => {
  it('restarts therapy with a new prescription and its first fill: active again, back on the worklist (hand-computed)', async () => {
    const { patientId, pumpId } = await reversedPump();
    // Baclofen 2000 mcg/mL at 400 mcg/day: 400 / 2000 = 0.2 mL/day. 20 mL added on 2026-03-01;
    // alarm at 2 mL: (20 − 2) / 0.2 = 90 days → 2026-03-01 + 90 = 2026-05-30 (Mar 31 is +30,
    // Apr 30 +60, May 30 +90); due 7 days before: 2026-05-23. Empty: 20 / 0.2 = 100 days, the level
    // is exactly 0 at the start of 2026-06-09. The pump was off: no expected residual, no discrepancy.
    const r = await must<{ pump: Pump; refill: Refill }>('restarts.record', fill(pumpId, '2026-03-01', 400, 12.5, { note: 'Restarted after the oral trial failed' }));
    expect(r.pump.status).toBe('active');
    expect(r.refill).toMatchObject({
      date: '2026-03-01',
      withdrawnUl: 12500,
      addedUl: 20000,
      expectedResidualUl: null,
      discrepancyUl: null,
      discrepancyFlag: null,
      alarmDate: '2026-05-30',
      emptyDate: '2026-06-09',
      nextDueDate: '2026-05-23',
      nextDueRule: 'alarm',
    });
    const h = (await record(patientId)).pumps[0]!;
    expect(h.restarts).toEqual([{ id: expect.any(Number), pumpId, date: '2026-03-01', reversalId: h.reversals[0]!.id, refillId: r.refill.id }]);
    expect(h.projection).toMatchObject({ inWorklist: true, dailyVolumeUl: 200, alarmDate: '2026-05-30', nextDueDate: '2026-05-23' });
    const w = await counts('2026-05-20');
    expect(w.counts.running).toBe(1);
    expect(w.rows.map((x) => x.serial)).toEqual(['SM-R1']);

    // The next refill's expected residual counts from the restart's fill: 2026-03-01 → 2026-04-01
    // is 31 days: 20 − 31 × 0.2 = 13.8 mL.
    const preview = await must<{ expectedResidualUl: number }>('refills.preview', fill(pumpId, '2026-04-01', 400, 13.8));
    expect(preview.expectedResidualUl).toBe(13800);
  });

  it('is audited, and its fill is signed as a refill visit', async () => {
    const { pumpId } = await reversedPump();
    const r = await must<{ refill: Refill }>('restarts.record', fill(pumpId, '2026-03-01', 400, null));
    const audit = await t.as('auditor').dispatch('audit.list', { action: 'create' });
    if (!audit.ok) throw new Error(audit.error.message);
    const entries = (audit.value as AuditEntry[]).filter((e) => e.entity === 'pump' && (e.after as { restart?: unknown }).restart);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ entityId: String(pumpId), before: { status: 'off' }, after: { pump: { status: 'active' }, restart: { date: '2026-03-01' } } });
    const signed = await t.as('clinician').dispatch('entries.sign', { kind: 'refill', id: r.refill.id, password: TEST_PASSWORD });
    expect(signed).toMatchObject({ ok: true, value: { signature: { meaning: 'performed refill', intact: true } } });
  });

  it('a restarted pump can be reversed again, then restarted again', async () => {
    const { patientId, pumpId } = await reversedPump();
    await must('restarts.record', fill(pumpId, '2026-03-01', 400, null));
    expect(await refused('reversals.record', { pumpId, date: '2026-02-20', kind: 'weaned' })).toMatchObject({ code: 'refused', field: 'date' });
    await must('reversals.record', { pumpId, date: '2026-04-10', kind: 'weaned' });
    await must('restarts.record', fill(pumpId, '2026-05-02', 300, 1));
    const h = (await record(patientId)).pumps[0]!;
    expect(h.reversals.map((x) => [x.date, x.kind])).toEqual([
      ['2026-02-01', 'turned_off'],
      ['2026-04-10', 'weaned'],
    ]);
    expect(h.reversal?.date).toBe('2026-04-10');
    expect(h.restarts.map((x) => [x.date, x.reversalId])).toEqual([
      ['2026-03-01', h.reversals[0]!.id],
      ['2026-05-02', h.reversals[1]!.id],
    ]);
    expect(h.pump.status).toBe('active');
  });

  it('refuses, naming the field and changing nothing: a running pump, a date before the reversal or after today, a removed pump', async () => {
    const { patientId, pumpId } = await patientWithPump();
    await must('refills.record', fill(pumpId, '2026-01-05', 500, null));
    const running = await refused('restarts.record', fill(pumpId, '2026-03-01', 400, null));
    expect(running).toMatchObject({ code: 'conflict', field: 'pumpId' });
    expect(running.message).toMatch(/SM-R1 is running/);

    await must('reversals.record', { pumpId, date: '2026-02-01', kind: 'turned_off' });
    const early = await refused('restarts.record', fill(pumpId, '2026-01-20', 400, null));
    expect(early).toMatchObject({ code: 'refused', field: 'date' });
    expect(early.message).toMatch(/before the therapy reversal of 2026-02-01/);
    expect(await refused('restarts.record', fill(pumpId, '2026-06-02', 400, null))).toMatchObject({ field: 'date' });
    expect(await refused('restarts.record', fill(pumpId, '2026-03-01', 400, null, { reservoirPortConfirmed: false }))).toMatchObject({ field: 'reservoirPortConfirmed' });
    expect((await record(patientId)).pumps[0]!).toMatchObject({ pump: { status: 'off' }, restarts: [], refills: [{ date: '2026-01-05' }] });

    await must('removals.record', { pumpId, date: '2026-03-01', reasons: ['battery_end_of_life'], catheterRemoved: true });
    const removed = await refused('restarts.record', fill(pumpId, '2026-03-02', 400, null));
    expect(removed).toMatchObject({ code: 'refused', field: 'pumpId' });
    expect(removed.message).toMatch(/was removed on 2026-03-01/);
  });

  it('is refused for a deceased patient, saying why; a removal is still recorded', async () => {
    const { patientId, pumpId } = await reversedPump();
    await must('patients.update', { id: patientId, status: 'deceased', deathDate: '2026-05-10' });
    const r = await refused('restarts.record', fill(pumpId, '2026-05-12', 400, null));
    expect(r).toMatchObject({ code: 'refused', field: 'pumpId', message: 'Nora Quinn is recorded as deceased on 2026-05-10: only a pump removal can be recorded.' });
    await must('removals.record', { pumpId, date: '2026-05-12', reasons: ['therapy_no_longer_needed'], catheterRemoved: false });
  });

  it('is refused to a role that records no clinical entries', async () => {
    const { pumpId } = await reversedPump();
    expect(await t.as('staff').dispatch('restarts.record', fill(pumpId, '2026-03-01', 400, null))).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });
});

describe('the stored projection after reversals and restarts', () => {
  it('matches a recomputation', async () => {
    const { pumpId } = await reversedPump();
    await must('restarts.record', fill(pumpId, '2026-03-01', 400, null));
    await must('doseChanges.record', { pumpId, date: '2026-03-15', drug: 'Baclofen', dailyDose: { value: 450, unit: 'mcg' } });
    const opened = openStore(t.databasePath, { mustExist: true, now: () => Date.UTC(2026, 5, 1) });
    if (!opened.ok) throw new Error(opened.message);
    try {
      expect(opened.value.ctx.store.record.projection(pumpId)).toEqual(computeProjection(opened.value.ctx, pumpId));
    } finally {
      opened.value.close();
    }
  });
});
