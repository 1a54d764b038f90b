import { beforeEach, describe, expect, it } from 'vitest';
import { useTestServices } from '../../testing/services';
import type { PatientListRow } from '../../../../shared/contract/patients';

const t = useTestServices();
const { must, deviceId } = t;

async function list(input: object): Promise<string[]> {
  return (await must<PatientListRow[]>('patients.list', input)).map((p) => p.mrn);
}

async function patient(mrn: string, familyName: string, indications: string[], extra: object = {}) {
  return (
    await must<{ id: number }>('patients.create', { mrn, familyName, givenName: 'Test', birthDate: '1970-01-01', sex: 'female', indications, ...extra })
  ).id;
}

async function implant(patientId: number, serial: string, implantDate = '2026-01-05') {
  return (await must<{ id: number }>('pumps.implant', { patientId, deviceModelId: await deviceId('SynchroMed II', 20000), serial, implantDate })).id;
}

const drug = (name: string, conc: number, daily: number, unit: 'mg' | 'mcg') => ({
  drug: name,
  concentration: { value: conc, unit },
  dailyDose: { value: daily, unit },
});

async function refill(pumpId: number, date: string, drugs: object[], withdrawnMl: number | null = null) {
  await must('refills.record', { pumpId, date, withdrawnMl, addedMl: 18, drugs, mode: 'simple_continuous', reservoirPortConfirmed: true });
}

describe('patients.list filters', () => {
  let okafor: number;
  let brennan: number;
  let brennanPump: number;

  beforeEach(async () => {
    okafor = await patient('RSV-1', 'Okafor', ['cancer_pain']);
    brennan = await patient('RSV-2', 'Brennan', ['spasticity']);
    await patient('RSV-3', 'Fischer', ['spasticity', 'other']);
    await patient('RSV-4', 'Per%cent_', ['crps']);
    const okaforPump = await implant(okafor, 'NGP401122H');
    brennanPump = await implant(brennan, 'NGP207781H');
    await refill(okaforPump, '2026-01-05', [drug('Morphine', 20, 2, 'mg')]);
    // Brennan: Morphine first, then Baclofen: only the last refill's admixture counts.
    await refill(brennanPump, '2026-01-05', [drug('Morphine', 10, 1, 'mg')]);
    await refill(brennanPump, '2026-02-01', [drug('Baclofen', 2000, 300, 'mcg')], 15.3);
  });

  it('finds a patient by any part of a pump serial, in any case, and carries the pump in place', async () => {
    expect(await list({ query: 'ngp2077' })).toEqual(['RSV-2']);
    const rows = await must<PatientListRow[]>('patients.list', {});
    expect(rows.map((r) => [r.mrn, r.pumpSerial])).toEqual([
      ['RSV-2', 'NGP207781H'],
      ['RSV-3', null],
      ['RSV-1', 'NGP401122H'],
      ['RSV-4', null],
    ]);
  });

  it('still matches name and MRN, and keeps % and _ literal', async () => {
    expect(await list({ query: 'bren' })).toEqual(['RSV-2']);
    expect(await list({ query: 'rsv-1' })).toEqual(['RSV-1']);
    expect(await list({ query: '%' })).toEqual(['RSV-4']);
    expect(await list({ query: '_' })).toEqual(['RSV-4']);
    expect(await list({ query: 'N_P' })).toEqual([]);
    expect(await list({ query: '  ' })).toEqual(['RSV-2', 'RSV-3', 'RSV-1', 'RSV-4']);
  });

  it('filters by indication (any of the patient’s) and by status', async () => {
    expect(await list({ indication: 'spasticity' })).toEqual(['RSV-2', 'RSV-3']);
    expect(await list({ indication: 'other' })).toEqual(['RSV-3']);
    await must('patients.update', { id: okafor, status: 'deceased', deathDate: '2025-01-02' });
    expect(await list({ status: 'deceased' })).toEqual(['RSV-1']);
    expect(await list({ status: 'active' })).toEqual(['RSV-2', 'RSV-3', 'RSV-4']);
  });

  it('filters by the drug in the last refill of the pump in place, by name in any case', async () => {
    expect(await list({ drug: 'Baclofen' })).toEqual(['RSV-2']);
    expect(await list({ drug: 'morphine' })).toEqual(['RSV-1']);
    expect(await list({ drug: 'Ziconotide' })).toEqual([]);
    expect(await list({ drug: '' })).toHaveLength(4);
  });

  it('combines filters (all must hold)', async () => {
    expect(await list({ indication: 'spasticity', drug: 'Baclofen', query: 'NGP' })).toEqual(['RSV-2']);
    expect(await list({ indication: 'cancer_pain', drug: 'Baclofen' })).toEqual([]);
    expect(await list({ status: 'active', query: 'okafor', limit: 1 })).toEqual(['RSV-1']);
  });

  it('matches the serial of an explanted pump, but shows and filters by the pump in place', async () => {
    await must('removals.record', {
      pumpId: brennanPump,
      date: '2026-02-10',
      reasons: ['battery_end_of_life'],
      catheterRemoved: false,
      replacement: { deviceModelId: await deviceId('SynchroMed II', 20000), serial: 'NGP555000H', implantDate: '2026-02-10' },
    });
    const rows = await must<PatientListRow[]>('patients.list', { query: 'NGP207781H' });
    expect(rows.map((r) => [r.mrn, r.pumpSerial])).toEqual([['RSV-2', 'NGP555000H']]);
    // The new pump has no refill yet: the old pump's Baclofen no longer counts.
    expect(await list({ drug: 'Baclofen' })).toEqual([]);
  });

  it('refuses an unknown status or indication as invalid input on that field', async () => {
    expect(await t.svc.dispatch('patients.list', { status: 'gone' })).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'status' } });
    expect(await t.svc.dispatch('patients.list', { indication: 'headache' })).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'indication' } });
  });
});

describe('patients.update', () => {
  it('changes only the fields given; null or empty text clears allergies and clinician', async () => {
    const id = await patient('RSV-9', 'Sato', ['crps'], { allergies: 'Latex', clinician: 'Dr. Moreau' });
    expect(await must('patients.update', { id, allergies: 'Latex, iodine' })).toMatchObject({ allergies: 'Latex, iodine', clinician: 'Dr. Moreau', familyName: 'Sato' });
    expect(await must('patients.update', { id, allergies: null, clinician: '' })).toMatchObject({ allergies: null, clinician: null, status: 'active' });
    expect(await must('patients.update', { id, status: 'transferred', transferDate: '2025-01-02', transferredTo: 'Northside Pain Clinic' })).toMatchObject({
      status: 'transferred',
      mrn: 'RSV-9',
      transferDate: '2025-01-02',
      transferredTo: 'Northside Pain Clinic',
    });
  });
});

describe('deceased and transferred patients (today 2026-03-01)', () => {
  const baclofen = drug('Baclofen', 2000, 500, 'mcg');
  const running = async () => (await must<{ counts: { running: number }; rows: { serial: string }[] }>('worklist.get', { asOf: '2026-03-05', days: 14 }));

  it('a birth date in the future is refused on create and on edit, naming the field; nothing is saved', async () => {
    const created = await t.svc.dispatch('patients.create', { mrn: 'RSV-F', familyName: 'Future', givenName: 'Test', birthDate: '2026-03-02', sex: 'female', indications: ['crps'] });
    expect(created).toMatchObject({ ok: false, error: { code: 'refused', field: 'birthDate', message: 'The birth date 2026-03-02 is in the future (today is 2026-03-01).' } });
    expect(await list({ query: 'RSV-F' })).toEqual([]);
    const id = await patient('RSV-9', 'Sato', ['crps']);
    expect(await t.svc.dispatch('patients.update', { id, birthDate: '2030-01-01' })).toMatchObject({ ok: false, error: { field: 'birthDate' } });
    expect(await must('patients.get', { id })).toMatchObject({ patient: { birthDate: '1970-01-01' } });
  });

  it('a date of death is required, not before the birth and not after today; a transfer needs its date and to whom', async () => {
    const id = await patient('RSV-9', 'Sato', ['crps']);
    const update = (input: object) => t.svc.dispatch('patients.update', { id, ...input });
    expect(await update({ status: 'deceased' })).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'deathDate' } });
    expect(await update({ status: 'deceased', deathDate: '1969-12-31' })).toMatchObject({ ok: false, error: { field: 'deathDate', message: 'The date of death 1969-12-31 is before the birth date 1970-01-01.' } });
    expect(await update({ status: 'deceased', deathDate: '2026-03-02' })).toMatchObject({ ok: false, error: { field: 'deathDate', message: 'The date of death 2026-03-02 is in the future (today is 2026-03-01).' } });
    expect(await update({ status: 'transferred', transferredTo: 'Northside' })).toMatchObject({ ok: false, error: { field: 'transferDate' } });
    expect(await update({ status: 'transferred', transferDate: '2026-03-05', transferredTo: 'Northside' })).toMatchObject({ ok: false, error: { field: 'transferDate' } });
    expect(await update({ status: 'transferred', transferDate: '2026-02-01' })).toMatchObject({ ok: false, error: { field: 'transferredTo' } });
    expect(await must('patients.get', { id })).toMatchObject({ patient: { status: 'active', deathDate: null, transferDate: null } });
  });

  it('a deceased patient’s pump leaves the worklist and the running count; a refill is refused saying why; a removal is recorded', async () => {
    const id = await patient('RSV-9', 'Quinn', ['spasticity'], { givenName: 'Nora' });
    const pumpId = await implant(id, 'SM-Q1');
    await refill(pumpId, '2026-01-05', [baclofen]);
    expect((await running()).counts.running).toBe(1);
    expect((await running()).rows.map((r) => r.serial)).toEqual(['SM-Q1']); // due 2026-03-11

    await must('patients.update', { id, status: 'deceased', deathDate: '2026-02-20' });
    expect(await running()).toMatchObject({ counts: { running: 0 }, rows: [] });
    const r = await t.svc.dispatch('refills.record', { pumpId, date: '2026-02-25', withdrawnMl: 2, addedMl: 18, drugs: [baclofen], mode: 'simple_continuous', reservoirPortConfirmed: true });
    expect(r).toMatchObject({ ok: false, error: { code: 'refused', field: 'pumpId', message: 'Nora Quinn is recorded as deceased on 2026-02-20: only a pump removal can be recorded.' } });
    for (const [name, input] of [
      ['refills.preview', { pumpId, date: '2026-02-25', withdrawnMl: 2, addedMl: 18, drugs: [baclofen], mode: 'simple_continuous', reservoirPortConfirmed: true }],
      ['doseChanges.record', { pumpId, date: '2026-02-25', drug: 'Baclofen', dailyDose: { value: 400, unit: 'mcg' } }],
      ['reversals.record', { pumpId, date: '2026-02-25', kind: 'turned_off' }],
      ['events.record', { patientId: id, pumpId, date: '2026-02-25', kind: 'adverse', adverseKind: 'withdrawal', severity: 'severe', status: 'open' }],
      ['events.record', { patientId: id, date: '2026-02-25', kind: 'note', note: 'x' }],
    ] as const) {
      expect(await t.svc.dispatch(name, input), name).toMatchObject({ ok: false, error: { code: 'refused', message: expect.stringMatching(/recorded as deceased on 2026-02-20/) } });
    }
    await must('removals.record', { pumpId, date: '2026-02-25', reasons: ['therapy_no_longer_needed'], catheterRemoved: false });
    expect(await t.svc.dispatch('pumps.implant', { patientId: id, deviceModelId: await deviceId('SynchroMed II', 20000), serial: 'SM-Q2', implantDate: '2026-02-26' })).toMatchObject({
      ok: false,
      error: { field: 'patientId', message: expect.stringMatching(/only a pump removal/) },
    });
  });

  it('a status set back (a mistaken death) is an audited edit: the pump returns to the worklist, the date of death is cleared and kept in the audit trail', async () => {
    const id = await patient('RSV-9', 'Quinn', ['spasticity'], { givenName: 'Nora' });
    const pumpId = await implant(id, 'SM-Q1');
    await refill(pumpId, '2026-01-05', [baclofen]);
    await must('patients.update', { id, status: 'transferred', transferDate: '2026-02-20', transferredTo: 'Northside Pain Clinic' });
    expect((await running()).counts.running).toBe(0);
    expect(await t.svc.dispatch('doseChanges.record', { pumpId, date: '2026-02-25', drug: 'Baclofen', dailyDose: { value: 400, unit: 'mcg' } })).toMatchObject({
      ok: false,
      error: { message: 'Nora Quinn is recorded as transferred on 2026-02-20 to Northside Pain Clinic: only a pump removal can be recorded.' },
    });
    expect(await must('patients.update', { id, status: 'active' })).toMatchObject({ status: 'active', transferDate: null, transferredTo: null });
    expect((await running()).rows.map((r) => r.serial)).toEqual(['SM-Q1']);
    const audit = await t.as('auditor').dispatch('audit.list', { action: 'update' });
    if (!audit.ok) throw new Error(audit.error.message);
    const last = (audit.value as { entity: string; before: unknown; after: unknown }[]).find((e) => e.entity === 'patient' && (e.after as { status: string }).status === 'active');
    expect(last).toMatchObject({ before: { status: 'transferred', transferDate: '2026-02-20', transferredTo: 'Northside Pain Clinic' }, after: { status: 'active', transferDate: null } });
  });
});
