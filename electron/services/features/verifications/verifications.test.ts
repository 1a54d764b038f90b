import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../../../shared/contract/audit';
import type { PatientRecord, Worklist } from '../../../../shared/contract/record';
import type { AppError } from '../../../../shared/contract/result';
import type { SessionSlot } from '../../app';
import type { AwaitingVerification, EntryVerification } from '../../../../shared/contract/verifications';
import { TEST_PASSWORD, useTestServices } from '../../testing/services';
import { SELF_VERIFY_MESSAGE } from './service';

const NOW = Date.UTC(2026, 2, 1, 14, 5);
const t = useTestServices(NOW);
const { must, deviceId } = t;

const MORPHINE = (doseMg: number) => ({ drug: 'Morphine', concentration: { value: 10, unit: 'mg' }, dailyDose: { value: doseMg, unit: 'mg' }, lot: 'M-1' });

/** A second clinician, signed in: the one who may verify what `clinician` recorded. */
async function secondClinician(): Promise<SessionSlot> {
  const created = await t.raw.dispatch('users.create', { username: 'nurse-b', displayName: 'Bea Second', role: 'clinician', password: TEST_PASSWORD }, t.slot('administrator'));
  if (!created.ok) throw new Error(created.error.message);
  const slot: SessionSlot = { id: null };
  const login = await t.raw.dispatch('session.login', { username: 'nurse-b', password: TEST_PASSWORD }, slot);
  if (!login.ok) throw new Error(login.error.message);
  return slot;
}
const asB = (slot: SessionSlot) => ({ dispatch: (name: string, input: unknown) => t.raw.dispatch(name, input, slot) });

async function pumpWithMorphine(firstFillMg = 3, drugs = [MORPHINE(firstFillMg)]) {
  const patient = await must<{ id: number }>('patients.create', {
    mrn: 'MRN-DC',
    familyName: 'Okafor',
    givenName: 'Ada',
    birthDate: '1960-04-02',
    sex: 'female',
    indications: ['cancer_pain'],
  });
  const pump = await must<{ id: number }>('pumps.implant', {
    patientId: patient.id,
    deviceModelId: await deviceId('SynchroMed II', 20000),
    serial: 'SM-DC',
    implantDate: '2026-02-01',
  });
  const first = await must<{ refill: { id: number }; verification: EntryVerification | null }>('refills.record', {
    pumpId: pump.id,
    date: '2026-02-01',
    withdrawnMl: null,
    addedMl: 20,
    drugs,
    mode: 'simple_continuous',
    reservoirPortConfirmed: true,
  });
  return { patientId: patient.id, pumpId: pump.id, first };
}

const doseChange = (pumpId: number, doseMg: number, extra: object = {}) =>
  t.as('clinician').dispatch('doseChanges.record', { pumpId, date: '2026-02-20', drug: 'Morphine', dailyDose: { value: doseMg, unit: 'mg' }, ...extra });
const record = (id: number) => must<PatientRecord>('patients.get', { id });
const auditOf = async (action: string) => {
  const r = await t.as('auditor').dispatch('audit.list', { action });
  if (!r.ok) throw new Error(r.error.message);
  return r.value as AuditEntry[];
};
const errorOf = (r: { ok: boolean; error?: AppError }) => (r.ok ? null : r.error!);

describe('which entries are saved awaiting an independent double check', () => {
  it('a morphine first fill (0 → 3 mg/day) and a raise 3 → 4 mg/day await one; a lowering 4 → 3.5 does not', async () => {
    const { patientId, pumpId, first } = await pumpWithMorphine(3);
    expect(first.verification).toMatchObject({ kind: 'refill', state: 'awaiting', reasons: ['opioid_increase'], summary: 'Morphine 0 → 3 mg/day' });
    const up = await doseChange(pumpId, 4);
    expect(up).toMatchObject({ ok: true, value: { verification: { kind: 'dose_change', state: 'awaiting', reasons: ['opioid_increase'], summary: 'Morphine 3 → 4 mg/day', requestedBy: { name: 'Test clinician', role: 'clinician' } } } });
    const down = await t.as('clinician').dispatch('doseChanges.record', { pumpId, date: '2026-02-25', drug: 'Morphine', dailyDose: { value: 3.5, unit: 'mg' } });
    expect(down).toMatchObject({ ok: true, value: { verification: null } });
    // The prescription is real: the pump's projection follows the awaiting change.
    const rec = await record(patientId);
    expect(rec.verifications?.map((v) => [v.kind, v.state])).toEqual([
      ['refill', 'awaiting'],
      ['dose_change', 'awaiting'],
    ]);
    expect(rec.pumps[0]!.doseChanges.map((c) => c.dailyDoseNgPerDay)).toEqual([4_000_000, 3_500_000]);
  });

  it('baclofen needs none; with the setting off, a morphine raise needs none either (and turning it off is audited)', async () => {
    const bac = await pumpWithMorphine(0, [{ drug: 'Baclofen', concentration: { value: 2000, unit: 'mcg' }, dailyDose: { value: 100, unit: 'mcg' }, lot: 'B' }]);
    expect(bac.first.verification).toBeNull();
    await must('settings.update', { doubleCheckDoseIncreases: false });
    const dc = await t.as('clinician').dispatch('doseChanges.record', { pumpId: bac.pumpId, date: '2026-02-20', drug: 'Baclofen', dailyDose: { value: 110, unit: 'mcg' } });
    expect(dc).toMatchObject({ ok: true, value: { verification: null } });
    expect((await auditOf('update')).some((e) => e.entity === 'settings')).toBe(true);
  });

  it('the settings are on by default; only an administrator changes them, with true or false', async () => {
    expect(await must('settings.get', {})).toMatchObject({ doubleCheckDoseIncreases: true, doubleCheckSoftLimitOverrides: true });
    expect(errorOf(await t.as('clinician').dispatch('settings.update', { doubleCheckDoseIncreases: false }))).toMatchObject({ code: 'forbidden' });
    expect(errorOf(await t.as('administrator').dispatch('settings.update', { doubleCheckSoftLimitOverrides: 'no' }))).toMatchObject({ code: 'invalid_input', field: 'doubleCheckSoftLimitOverrides' });
    expect(await must('settings.get', {})).toMatchObject({ doubleCheckDoseIncreases: true, doubleCheckSoftLimitOverrides: true });
  });

  it('a restart of morphine after a reversal goes up from nothing: it awaits a check', async () => {
    const { pumpId } = await pumpWithMorphine(3);
    expect(await t.as('clinician').dispatch('reversals.record', { pumpId, date: '2026-02-10', kind: 'turned_off' })).toMatchObject({ ok: true });
    const restart = await t.as('clinician').dispatch('restarts.record', {
      pumpId,
      date: '2026-02-20',
      withdrawnMl: 15,
      addedMl: 20,
      drugs: [MORPHINE(2)],
      mode: 'simple_continuous',
      reservoirPortConfirmed: true,
    });
    expect(restart).toMatchObject({ ok: true, value: { verification: { kind: 'refill', state: 'awaiting', summary: 'Morphine 0 → 2 mg/day', reasons: ['opioid_increase'] } } });
  });

  it('a worklist count and a row marker; verifications.list names the patient', async () => {
    const { pumpId } = await pumpWithMorphine(3);
    await doseChange(pumpId, 4);
    const wl = await must<Worklist>('worklist.get', { asOf: '2026-08-01' });
    expect(wl.counts.awaitingVerification).toBe(2);
    expect(wl.rows.find((r) => r.pumpId === pumpId)?.awaitingVerification).toBe(2);
    const list = await must<{ total: number; entries: AwaitingVerification[] }>('verifications.list', {});
    expect(list.total).toBe(2);
    expect(list.entries[0]).toMatchObject({ patientName: 'Okafor, Ada', mrn: 'MRN-DC', serial: 'SM-DC', kind: 'refill' });
  });
});

describe('verifying and rejecting', () => {
  it('a second clinician verifies with their password: both people, roles and times kept and audited', async () => {
    const { patientId, first } = await pumpWithMorphine(3);
    const b = await secondClinician();
    const id = first.verification!.id;
    const r = await asB(b).dispatch('verifications.verify', { id, password: TEST_PASSWORD });
    expect(r).toMatchObject({
      ok: true,
      value: { state: 'verified', requestedBy: { name: 'Test clinician', role: 'clinician' }, decidedBy: { name: 'Bea Second', role: 'clinician' }, decidedAtMs: NOW, requestedAtMs: NOW },
    });
    expect((await record(patientId)).verifications?.[0]?.state).toBe('verified');
    const audit = await auditOf('verify');
    expect(audit).toEqual([expect.objectContaining({ username: 'nurse-b', entity: 'refill', entityId: String(first.refill.id), patientId })]);
    expect(audit[0]!.detail).toMatchObject({ recordedBy: { name: 'Test clinician', role: 'clinician' }, decidedBy: { name: 'Bea Second', role: 'clinician' } });
    expect(await auditOf('verification_request')).toHaveLength(1);
    // Decided once.
    expect(errorOf(await asB(b).dispatch('verifications.verify', { id, password: TEST_PASSWORD }))).toMatchObject({ code: 'conflict' });
  });

  it('the recorder can never verify or reject their own entry, also when calling the request directly; no password attempt is spent', async () => {
    const { patientId, first } = await pumpWithMorphine(3);
    const id = first.verification!.id;
    for (const name of ['verifications.verify', 'verifications.reject']) {
      const r = await t.as('clinician').dispatch(name, { id, password: TEST_PASSWORD, ...(name.endsWith('reject') ? { reason: 'looks wrong' } : {}) });
      expect(errorOf(r)).toMatchObject({ code: 'forbidden', message: SELF_VERIFY_MESSAGE });
    }
    // A recorder named in the request is no way round it: the input is strict.
    expect(errorOf(await t.as('clinician').dispatch('verifications.verify', { id, password: TEST_PASSWORD, userId: 999 }))).toMatchObject({ code: 'invalid_input' });
    expect((await record(patientId)).verifications?.[0]?.state).toBe('awaiting');
    expect(await auditOf('login_failed')).toEqual([]);
  });

  it('a wrong password verifies nothing (and counts toward the lockout); staff, auditors and administrators cannot verify', async () => {
    const { patientId, first } = await pumpWithMorphine(3);
    const b = await secondClinician();
    const id = first.verification!.id;
    expect(errorOf(await asB(b).dispatch('verifications.verify', { id, password: 'not mine' }))).toMatchObject({ code: 'wrong_password', field: 'password', message: 'Wrong password: nothing was verified.' });
    expect((await auditOf('login_failed')).at(0)?.detail).toMatchObject({ during: 'verify' });
    for (const role of ['staff', 'auditor', 'administrator'] as const) {
      expect(errorOf(await t.as(role).dispatch('verifications.verify', { id, password: TEST_PASSWORD }))).toMatchObject({ code: 'forbidden' });
    }
    expect((await record(patientId)).verifications?.[0]?.state).toBe('awaiting');
    expect(await auditOf('verify')).toEqual([]);
  });

  it('reject needs a reason; a rejected entry stays on the record, marked, and is audited with the reason', async () => {
    const { patientId, pumpId, first } = await pumpWithMorphine(3);
    const b = await secondClinician();
    const id = first.verification!.id;
    expect(errorOf(await asB(b).dispatch('verifications.reject', { id, password: TEST_PASSWORD }))).toMatchObject({ code: 'invalid_input', field: 'reason' });
    expect(errorOf(await asB(b).dispatch('verifications.reject', { id, password: TEST_PASSWORD, reason: '   ' }))).toMatchObject({ code: 'invalid_input', field: 'reason' });
    const r = await asB(b).dispatch('verifications.reject', { id, password: TEST_PASSWORD, reason: 'Concentration on the label is 25 mg/mL, not 10.' });
    expect(r).toMatchObject({ ok: true, value: { state: 'rejected', rejectReason: 'Concentration on the label is 25 mg/mL, not 10.', decidedBy: { name: 'Bea Second' } } });
    const rec = await record(patientId);
    expect(rec.pumps[0]!.refills.map((x) => x.id)).toEqual([first.refill.id]); // still on the record
    expect(rec.pumps[0]!.pump.id).toBe(pumpId);
    expect((await auditOf('reject'))[0]!.detail).toMatchObject({ reason: 'Concentration on the label is 25 mg/mL, not 10.' });
  });

  it('the database itself refuses a decision by the recorder, a second decision, and deleting a check', async () => {
    const { first } = await pumpWithMorphine(3);
    const db = new Database(t.databasePath);
    try {
      const v = first.verification!;
      const recorderId = v.requestedBy.userId;
      expect(() =>
        db.prepare(`UPDATE verifications SET state = 'verified', decided_by_user_id = ?, decided_by_name = 'x', decided_by_role = 'clinician', decided_at_ms = 1 WHERE id = ?`).run(recorderId, v.id),
      ).toThrow(/CHECK/);
      db.prepare(`UPDATE verifications SET state = 'verified', decided_by_user_id = 9999, decided_by_name = 'x', decided_by_role = 'clinician', decided_at_ms = 1 WHERE id = ?`).run(v.id);
      expect(() => db.prepare(`UPDATE verifications SET state = 'rejected', reject_reason = 'r' WHERE id = ?`).run(v.id)).toThrow(/decided once/);
      expect(() => db.prepare('DELETE FROM verifications WHERE id = ?').run(v.id)).toThrow(/cannot be deleted/);
    } finally {
      db.close();
    }
  });
});
