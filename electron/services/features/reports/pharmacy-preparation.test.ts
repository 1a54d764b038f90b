import { beforeEach, describe, expect, it } from 'vitest';
import type { Appointment, ClinicDay } from '../../../../shared/contract/appointments';
import type { PatientRecord } from '../../../../shared/contract/record';
import type { ReportData, ReportValue } from '../../../../shared/contract/reports';
import { useTestServices } from '../../testing/services';
import { buildFixture, type Fixture } from './fixture';

// Today is 2026-03-01 in the fixture clinic (fixture.ts: who has which pump and drug).
const t = useTestServices(Date.UTC(2026, 2, 1, 12));
let f: Fixture;
beforeEach(async () => {
  f = await buildFixture(t);
});

const pumpOf = async (patientId: number) => (await t.must<PatientRecord>('patients.get', { id: patientId })).pumps.find((p) => p.pump.status === 'active')!.pump.id;
const book = async (patientId: number, date: string, time: string) =>
  t.must<Appointment>('appointments.book', { pumpId: await pumpOf(patientId), date, time, clinician: 'RN Patel', room: 'Room 1', homeVisit: false });
const preview = (params: Record<string, unknown>) => t.must<ReportData>('reports.preview', { params: { report: 'pharmacy-preparation', ...params } });
const rows = (d: ReportData, key: string): ReportValue[][] => d.sections.find((s) => s.key === key)!.rows;
const mcg = (n: number) => ({ ng: n * 1000, unit: 'mcg' });
const mg = (n: number) => ({ ng: n * 1_000_000, unit: 'mg' });

describe('pharmacy preparation report', () => {
  it('two patients on the same drug and concentration and one on another: rows per visit and drug, totals hand-computed', async () => {
    // 2026-03-02: Able (SynchroMed II 20 mL, baclofen 2000 mcg/mL), Clark (SynchroMed II 20 mL,
    // baclofen 2000 mcg/mL), Baker (Prometra II 20 mL, morphine 25 mg/mL + clonidine 37.5 mcg/mL).
    await book(f.able, '2026-03-02', '09:00');
    await book(f.clark, '2026-03-02', '10:00');
    await book(f.baker, '2026-03-02', '11:00');
    // Another day, and a cancelled visit: not on the list of 03-02.
    await book(f.evans, '2026-03-01', '15:00');
    const cancelled = await book(f.able, '2026-03-02', '16:00');
    await t.must('appointments.mark', { id: cancelled.id, state: 'cancelled', reason: 'Booked twice' });

    const d = await preview({ from: '2026-03-02' });
    expect(d.period).toEqual({ from: '2026-03-02', to: '2026-03-02' });
    expect(d.periodLabel).toBe('2026-03-02');
    expect(rows(d, 'preparations')).toEqual([
      ['2026-03-02', '09:00', 'Able, Ann', 'A1', 'NGP1001', 'Baclofen', mcg(2000), 20_000, 'Room 1', 'RN Patel'],
      ['2026-03-02', '10:00', 'Clark, Cara', 'C3', 'NGP4004', 'Baclofen', mcg(2000), 20_000, 'Room 1', 'RN Patel'],
      ['2026-03-02', '11:00', 'Baker, Bob', 'B2', 'PRO2002', 'Morphine', mg(25), 20_000, 'Room 1', 'RN Patel'],
      ['2026-03-02', '11:00', 'Baker, Bob', 'B2', 'PRO2002', 'Clonidine', { ng: 37_500, unit: 'mcg' }, 20_000, 'Room 1', 'RN Patel'],
    ]);
    // Baclofen 2000 mcg/mL: 2 × 20 mL = 40 mL = 80,000 mcg. Clonidine 37.5 mcg/mL × 20 mL = 750 mcg.
    // Morphine 25 mg/mL × 20 mL = 500 mg.
    expect(rows(d, 'totals')).toEqual([
      ['Baclofen', mcg(2000), 2, 40_000, mcg(80_000)],
      ['Clonidine', { ng: 37_500, unit: 'mcg' }, 1, 20_000, mcg(750)],
      ['Morphine', mg(25), 1, 20_000, mg(500)],
    ]);
    expect(d.patientCount).toBe(3);

    // One computation: Today's clinic's pharmacy totals for the same day are the report's.
    const day = await t.must<ClinicDay>('appointments.day', { from: '2026-03-02' });
    expect(day.pharmacy.map((p) => [p.drug, p.concentrationNgPerMl, p.patients, p.volumeUl, p.amountNg])).toEqual(
      rows(d, 'totals').map((r) => [r[0], (r[1] as { ng: number }).ng, r[2], r[3], (r[4] as { ng: number }).ng]),
    );

    // A week: Evans (today, 2026-03-01, baclofen 2000 mcg/mL, 20 mL) joins the baclofen total.
    const week = await preview({ from: '2026-03-01', to: '2026-03-07' });
    expect(rows(week, 'totals')[0]).toEqual(['Baclofen', mcg(2000), 3, 60_000, mcg(120_000)]);
    expect(rows(week, 'preparations')[0]!.slice(0, 3)).toEqual(['2026-03-01', '15:00', 'Evans, Eve']);
  });

  it('defaults to today; at most 31 days; clinicians may make it, the staff desk may not', async () => {
    expect((await preview({})).period).toEqual({ from: '2026-03-01', to: '2026-03-01' });
    expect(await t.svc.dispatch('reports.preview', { params: { report: 'pharmacy-preparation', from: '2026-03-01', to: '2026-04-01' } })).toMatchObject({ ok: true });
    expect(await t.svc.dispatch('reports.preview', { params: { report: 'pharmacy-preparation', from: '2026-03-01', to: '2026-04-02' } })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', message: expect.stringContaining('at most 31 days') },
    });
    expect(await t.as('clinician').dispatch('reports.preview', { params: { report: 'pharmacy-preparation' } })).toMatchObject({ ok: true });
    expect(await t.as('staff').dispatch('reports.preview', { params: { report: 'pharmacy-preparation' } })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const empty = await preview({});
    expect(empty.sections.map((s) => [s.key, s.rows.length, s.empty])).toEqual([
      ['preparations', 0, 'No refill visit is booked in this period.'],
      ['totals', 0, 'Nothing to prepare in this period.'],
    ]);
  });
});
