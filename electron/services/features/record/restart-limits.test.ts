/**
 * The drug library's limits at a therapy restart and at a new pump's first fill (issue 17, item 1).
 * A restart's fill is a new fill period, but its doses are stepped up from the dose the patient had
 * before the reversal: the step-up limits count from there. A first fill has no current dose (no
 * step up) but its daily dose and concentration are checked like any fill. Seeded limits used:
 * ziconotide soft step up 2.4 mcg/day per change and 7.2 mcg/day per 7 days (Prialt label);
 * morphine soft daily maximum 20 mg/day, hard 30 mg/day; morphine soft concentration maximum 25 mg/mL.
 */
import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../../../shared/contract/audit';
import type { Drug, Refill } from '../../../../shared/contract/record';
import type { ReportData } from '../../../../shared/contract/reports';
import { useTestServices } from '../../testing/services';

// The clinic's today: 2026-06-01.
const t = useTestServices(Date.UTC(2026, 5, 1));
const { must, refused, deviceId } = t;

const PRIALT = 'Prialt label: maximum recommended 19.2 mcg/day; raise by at most 2.4 mcg/day, at most 2-3 times a week';
const REVERSAL_NOTE = 'A restart is checked against the dose in effect before the therapy reversal of 2026-02-01.';

async function pump(serial: string) {
  const patient = await must<{ id: number }>('patients.create', {
    mrn: `MRN-${serial}`, familyName: 'Step', givenName: 'Sam', birthDate: '1970-01-01', sex: 'male', indications: ['cancer_pain'],
  });
  const p = await must<{ id: number }>('pumps.implant', { patientId: patient.id, deviceModelId: await deviceId('SynchroMed II', 20000), serial, implantDate: '2026-01-05' });
  return { patientId: patient.id, pumpId: p.id };
}
const drug = (name: string, unit: 'mg' | 'mcg', conc: number, daily: number) => ({ drug: name, concentration: { value: conc, unit }, dailyDose: { value: daily, unit } });
const fill = (pumpId: number, date: string, drugs: object[], extra: object = {}) => ({
  pumpId, date, withdrawnMl: null, addedMl: 20, mode: 'simple_continuous', reservoirPortConfirmed: true, drugs, ...extra,
});

/** A pump filled with `drugs` on 2026-01-05 and turned off on 2026-02-01. */
async function reversed(serial: string, drugs: object[]) {
  const ids = await pump(serial);
  await must('refills.record', fill(ids.pumpId, '2026-01-05', drugs));
  await must('reversals.record', { pumpId: ids.pumpId, date: '2026-02-01', kind: 'turned_off' });
  return ids;
}

describe('a therapy restart is a step up from the dose before the reversal', () => {
  it('ziconotide 2.4 → 7.2 mcg/day (+4.8, above the soft 2.4 per change) needs a reason, and is kept with the limit crossed', async () => {
    const { pumpId } = await reversed('ZR-1', [drug('Ziconotide', 'mcg', 25, 2.4)]);
    const restart = fill(pumpId, '2026-03-01', [drug('Ziconotide', 'mcg', 25, 7.2)]);
    const e = await refused('restarts.record', restart);
    expect(e).toMatchObject({ code: 'refused', field: 'overrideReason' });
    expect(e.message).toContain(`Raising Ziconotide from 2.4 mcg/day to 7.2 mcg/day (+4.8 mcg/day) is above the soft maximum step up of 2.4 mcg/day per change (${PRIALT}). ${REVERSAL_NOTE}`);
    // Over 7 days: the dose before the reversal (2.4) is the baseline; +4.8 ≤ 7.2, so no weekly limit.
    expect(e.message).not.toContain('within 7 days');
    const reason = 'Restarting at the dose titrated in hospital before the pump was stopped.';
    const r = await must<{ refill: Refill }>('restarts.record', { ...restart, overrideReason: reason });
    expect(r.refill.overrideReason).toBe(reason);
    // The audit entry names the override: its reason and the limit crossed, with its value and source.
    const audit = await t.as('auditor').dispatch('audit.list', { action: 'create' });
    if (!audit.ok) throw new Error(audit.error.message);
    const entry = (audit.value as AuditEntry[]).find((a) => a.entity === 'pump' && a.entityId === String(pumpId) && a.detail?.override !== undefined);
    expect(entry?.detail?.override).toEqual({ reason, limits: [{ drug: 'Ziconotide', limit: 'step up soft maximum', value: '2.4 mcg/day per change', source: PRIALT }] });
    // And the safety report lists it as a restart's first fill.
    const report = await must<ReportData>('reports.preview', { params: { report: 'safety', from: '2026-03-01', to: '2026-03-31' } });
    expect(report.sections.find((s) => s.key === 'soft-limit-overrides')!.rows.map((row) => [row[0], row[4], row[5], row[6], row[8]])).toEqual([
      ['2026-03-01', 'Restart (first fill)', 'Ziconotide 25 mcg/mL, 7.2 mcg/day', 'Ziconotide step up soft maximum 2.4 mcg/day per change', reason],
    ]);
  });

  it('ziconotide 2.4 → 12 mcg/day crosses both the per-change (+9.6 > 2.4) and the weekly (+9.6 > 7.2) soft limits', async () => {
    const { pumpId } = await reversed('ZR-2', [drug('Ziconotide', 'mcg', 25, 2.4)]);
    const e = await refused('restarts.record', fill(pumpId, '2026-03-01', [drug('Ziconotide', 'mcg', 25, 12)]));
    expect(e.field).toBe('overrideReason');
    expect(e.message).toContain('Raising Ziconotide from 2.4 mcg/day to 12 mcg/day (+9.6 mcg/day) is above the soft maximum step up of 2.4 mcg/day per change');
    expect(e.message).toContain('Ziconotide would rise from 2.4 mcg/day to 12 mcg/day within 7 days (+9.6 mcg/day), above the soft maximum of 7.2 mcg/day per 7 days');
  });

  it('a restart at the same dose, one exactly at the limit (2.4 → 4.8: +2.4) or lower needs no reason', async () => {
    for (const [serial, daily] of [['ZR-3', 2.4], ['ZR-4', 4.8], ['ZR-5', 1.2]] as const) {
      const { pumpId } = await reversed(serial, [drug('Ziconotide', 'mcg', 25, 2.4)]);
      const r = await must<{ refill: Refill; warnings: unknown[] }>('restarts.record', fill(pumpId, '2026-03-01', [drug('Ziconotide', 'mcg', 25, daily)]));
      expect(r.refill.overrideReason).toBeNull();
    }
  });

  it('above a hard step-up limit is refused even with a reason, naming the limit, its source and the reversal', async () => {
    // The clinic sets baclofen's hard maximum step up to 50 % per change.
    const drugs = await t.as('administrator').dispatch('drugs.list', {});
    if (!drugs.ok) throw new Error(drugs.error.message);
    const baclofen = (drugs.value as Drug[]).find((d) => d.name === 'Baclofen')!;
    const mcg = (ng: number) => ({ value: ng / 1000, unit: 'mcg' });
    await must('drugs.save', {
      id: baclofen.id, name: baclofen.name, unit: baclofen.unit,
      typicalConcentration: baclofen.typicalConcNgPerMl && { min: mcg(baclofen.typicalConcNgPerMl.min), max: mcg(baclofen.typicalConcNgPerMl.max) },
      maxConcentration: null,
      typicalDailyDose: baclofen.typicalDoseNgPerDay && { min: mcg(baclofen.typicalDoseNgPerDay.min), max: mcg(baclofen.typicalDoseNgPerDay.max) },
      maxDailyDose: baclofen.maxDoseNgPerDay === null ? null : mcg(baclofen.maxDoseNgPerDay),
      stabilityDays: baclofen.stabilityDays, firstFillStabilityDays: baclofen.firstFillStabilityDays,
      maxStepUpHardPct: 50, limitsSource: 'Clinic protocol 2026',
    });
    const { pumpId } = await reversed('BR-1', [drug('Baclofen', 'mcg', 2000, 400)]);
    // 400 → 700 mcg/day: +300 = 75 % of 400, above 50 %.
    const e = await refused('restarts.record', fill(pumpId, '2026-03-01', [drug('Baclofen', 'mcg', 2000, 700)], { overrideReason: 'sure' }));
    expect(e).toMatchObject({ code: 'refused', field: 'drugs.0.dailyDose' });
    expect(e.message).toBe(`Raising Baclofen from 400 mcg/day to 700 mcg/day (+75 %) is above the hard maximum step up of 50 % per change (Clinic protocol 2026). ${REVERSAL_NOTE}`);
    // 400 → 600: +200 = exactly 50 %: allowed.
    await must('restarts.record', fill(pumpId, '2026-03-01', [drug('Baclofen', 'mcg', 2000, 600)]));
  });
});

describe('a new pump\'s first fill (no current dose: no step up)', () => {
  it('is refused above the hard daily maximum, naming it and its source', async () => {
    const { pumpId } = await pump('FF-1');
    const e = await refused('refills.record', fill(pumpId, '2026-01-05', [drug('Morphine', 'mg', 25, 31)]));
    expect(e).toMatchObject({ code: 'refused', field: 'drugs.0.dailyDose' });
    expect(e.message).toBe(
      'Morphine daily dose 31 mg/day is above the hard maximum of 30 mg/day (2 × the PACC 2017 recommended maximum of 15 mg/day; PACC 2017 figure UNCONFIRMED against the paper).',
    );
  });

  it('needs a reason above the soft daily maximum (21 > 20 mg/day) and above the soft concentration maximum (30 > 25 mg/mL)', async () => {
    const { pumpId } = await pump('FF-2');
    const e = await refused('refills.record', fill(pumpId, '2026-01-05', [drug('Morphine', 'mg', 30, 21)]));
    expect(e.field).toBe('overrideReason');
    expect(e.message).toContain('Morphine concentration 30 mg/mL is outside the typical range 10 mg/mL to 25 mg/mL.');
    expect(e.message).toContain('Morphine daily dose 21 mg/day is outside the typical range 0.2 mg/day to 20 mg/day.');
    const r = await must<{ refill: Refill }>('refills.record', fill(pumpId, '2026-01-05', [drug('Morphine', 'mg', 30, 21)], { overrideReason: 'Tolerant patient moved from another clinic.' }));
    expect(r.refill.overrideReason).toBe('Tolerant patient moved from another clinic.');
    const report = await must<ReportData>('reports.preview', { params: { report: 'safety', from: '2026-01-01', to: '2026-01-31' } });
    const source = 'Morphine: 2 × the PACC 2017 recommended maximum of 15 mg/day; PACC 2017 figure UNCONFIRMED against the paper';
    expect(report.sections.find((s) => s.key === 'soft-limit-overrides')!.rows.map((row) => [row[4], row[5], row[6], row[7]])).toEqual([
      ['Refill', 'Morphine 30 mg/mL, 21 mg/day', 'Morphine concentration soft maximum 25 mg/mL; Morphine daily dose soft maximum 20 mg/day', source],
    ]);
  });
});
