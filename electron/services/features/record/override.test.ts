/**
 * Soft limits of the drug library need the clinician's override reason (issue 17, item 1): refused
 * without one (naming the field), stored with the entry and audited with it. Defaults as seeded:
 * morphine soft maximum 20 mg/day (typical range), hard maximum 30 mg/day (2 × PACC 2017 15 mg/day).
 */
import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../../../shared/contract/audit';
import type { DoseChange, PatientRecord, Refill } from '../../../../shared/contract/record';
import { useTestServices } from '../../testing/services';

const t = useTestServices(Date.UTC(2026, 5, 1));
const { must, refused, deviceId } = t;

async function pumpWithMorphine(serial: string, dailyMg: number) {
  const patient = await must<{ id: number }>('patients.create', {
    mrn: `MRN-${serial}`, familyName: 'Limit', givenName: 'Lena', birthDate: '1960-02-03', sex: 'female', indications: ['cancer_pain'],
  });
  const pump = await must<{ id: number }>('pumps.implant', { patientId: patient.id, deviceModelId: await deviceId('SynchroMed II', 40000), serial, implantDate: '2026-05-01' });
  await must('refills.record', fill(pump.id, '2026-05-01', dailyMg, null));
  return { patientId: patient.id, pumpId: pump.id };
}
const fill = (pumpId: number, date: string, dailyMg: number, withdrawnMl: number | null, extra: object = {}) => ({
  pumpId, date, withdrawnMl, addedMl: 40, mode: 'simple_continuous', reservoirPortConfirmed: true,
  drugs: [{ drug: 'Morphine', concentration: { value: 25, unit: 'mg' }, dailyDose: { value: dailyMg, unit: 'mg' } }],
  ...extra,
});

describe('a dose change beyond a soft limit', () => {
  it('is refused without an override reason, naming the field and the limit; nothing is saved', async () => {
    const { patientId, pumpId } = await pumpWithMorphine('OV-1', 16);
    // 25 mg/day: above the soft 20, below the hard 30 mg/day
    const e = await refused('doseChanges.record', { pumpId, date: '2026-05-20', drug: 'Morphine', dailyDose: { value: 25, unit: 'mg' } });
    expect(e).toMatchObject({ code: 'refused', field: 'overrideReason' });
    expect(e.message).toContain('Morphine daily dose 25 mg/day is outside the typical range 0.2 mg/day to 20 mg/day.');
    expect(e.message).toContain('give an override reason');
    const rec = await must<PatientRecord>('patients.get', { id: patientId });
    expect(rec.pumps[0]!.doseChanges).toEqual([]);
  });

  it('is saved with the reason, which is on the record and in the audit trail', async () => {
    const { patientId, pumpId } = await pumpWithMorphine('OV-2', 16);
    const reason = 'Pain crisis, palliative: agreed with Dr Hale.';
    const r = await must<{ doseChange: DoseChange }>('doseChanges.record', { pumpId, date: '2026-05-20', drug: 'Morphine', dailyDose: { value: 25, unit: 'mg' }, overrideReason: reason });
    expect(r.doseChange.overrideReason).toBe(reason);
    const rec = await must<PatientRecord>('patients.get', { id: patientId });
    expect(rec.pumps[0]!.doseChanges.map((c) => c.overrideReason)).toEqual([reason]);
    const audit = await t.as('auditor').dispatch('audit.list', { action: 'create' });
    if (!audit.ok) throw new Error(audit.error.message);
    const entry = (audit.value as AuditEntry[]).find((a) => a.entity === 'dose_change' && a.entityId === String(r.doseChange.id));
    expect(entry?.after).toMatchObject({ overrideReason: reason });
  });

  it('within the soft range no reason is asked, and none is stored', async () => {
    const { pumpId } = await pumpWithMorphine('OV-3', 16);
    const r = await must<{ doseChange: DoseChange }>('doseChanges.record', { pumpId, date: '2026-05-20', drug: 'Morphine', dailyDose: { value: 20, unit: 'mg' }, overrideReason: 'not needed' });
    expect(r.doseChange.overrideReason).toBeNull(); // exactly at the soft maximum: no limit crossed
  });

  it('above the hard maximum is refused even with a reason, naming the source', async () => {
    const { pumpId } = await pumpWithMorphine('OV-4', 16);
    const e = await refused('doseChanges.record', { pumpId, date: '2026-05-20', drug: 'Morphine', dailyDose: { value: 500, unit: 'mg' }, overrideReason: 'sure' });
    expect(e).toMatchObject({ code: 'refused', field: 'dailyDose' });
    expect(e.message).toBe(
      'Morphine daily dose 500 mg/day is above the hard maximum of 30 mg/day (2 × the PACC 2017 recommended maximum of 15 mg/day; PACC 2017 figure UNCONFIRMED against the paper).',
    );
  });
});

describe('a refill beyond a soft limit', () => {
  it('is refused without a reason and saved with one; the preview shows the limit message', async () => {
    const { pumpId } = await pumpWithMorphine('OV-5', 16);
    const preview = await must<{ warnings: { message: string }[] }>('refills.preview', fill(pumpId, '2026-05-25', 24, 30));
    expect(preview.warnings.map((w) => w.message)).toContain('Morphine daily dose 24 mg/day is outside the typical range 0.2 mg/day to 20 mg/day.');
    const e = await refused('refills.record', fill(pumpId, '2026-05-25', 24, 30, { acknowledgeDiscrepancy: true, note: 'checked' }));
    expect(e.field).toBe('overrideReason');
    const r = await must<{ refill: Refill }>('refills.record', fill(pumpId, '2026-05-25', 24, 30, { acknowledgeDiscrepancy: true, note: 'checked', overrideReason: 'Tolerant; titration plan.' }));
    expect(r.refill.overrideReason).toBe('Tolerant; titration plan.');
  });
});
