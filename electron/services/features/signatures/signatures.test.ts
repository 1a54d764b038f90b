import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import type { PatientRecord } from '../../../../shared/contract/record';
import type { EntryAttestation } from '../../../../shared/contract/signatures';
import type { AuditEntry } from '../../../../shared/contract/audit';
import { TEST_PASSWORD, useTestServices } from '../../testing/services';
import { observeDerivations, TEST_COST, type ScryptCost } from '../../accounts/passwords';

const NOW = Date.UTC(2026, 2, 1, 14, 5);
const t = useTestServices(NOW);
const { must, deviceId } = t;
const clinician = () => t.as('clinician');

async function patientWithRefill() {
  const patient = await must<{ id: number }>('patients.create', {
    mrn: 'MRN-SIGN',
    familyName: 'Brennan',
    givenName: 'Thomas',
    birthDate: '1971-11-02',
    sex: 'male',
    indications: ['spasticity'],
  });
  const pump = await must<{ id: number }>('pumps.implant', {
    patientId: patient.id,
    deviceModelId: await deviceId('SynchroMed II', 20000),
    serial: 'SM-SIGN',
    implantDate: '2026-01-05',
  });
  const { refill } = await must<{ refill: { id: number } }>('refills.record', {
    pumpId: pump.id,
    date: '2026-01-05',
    withdrawnMl: null,
    addedMl: 20,
    drugs: [{ drug: 'Baclofen', concentration: { value: 2000, unit: 'mcg' }, dailyDose: { value: 500, unit: 'mcg' }, lot: 'L-1' }],
    mode: 'simple_continuous',
    reservoirPortConfirmed: true,
    note: 'First fill, no issues.',
  });
  return { patientId: patient.id, pumpId: pump.id, refillId: refill.id };
}

const record = (id: number) => must<PatientRecord>('patients.get', { id });
const sign = (input: object) => clinician().dispatch('entries.sign', input);
const amend = (input: object) => clinician().dispatch('entries.amend', input);
const auditOf = async (action: string) => {
  const r = await t.as('auditor').dispatch('audit.list', { action });
  if (!r.ok) throw new Error(r.error.message);
  return r.value as AuditEntry[];
};
const rawDb = () => new Database(t.databasePath);

describe('signing an entry', () => {
  it('signs a refill with the right password: printed name, role, time, meaning, audited', async () => {
    const { patientId, refillId } = await patientWithRefill();
    const r = await sign({ kind: 'refill', id: refillId, password: TEST_PASSWORD });
    expect(r).toMatchObject({
      ok: true,
      value: {
        kind: 'refill',
        entryId: refillId,
        signature: { printedName: 'Test clinician', role: 'clinician', meaning: 'performed refill', signedAtMs: NOW, intact: true },
        amendments: [],
      },
    });
    const rec = await record(patientId);
    expect(rec.attestations).toEqual([(r as { value: EntryAttestation }).value]);
    const audit = await auditOf('sign');
    expect(audit).toEqual([expect.objectContaining({ username: 'clinician', entity: 'refill', entityId: String(refillId), patientId })]);
    expect(audit[0]!.detail).toMatchObject({ meaning: 'performed refill', contentSha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });

  it('a wrong password signs nothing and counts as a failed sign-in; five lock the account', async () => {
    const { patientId, refillId } = await patientWithRefill();
    const wrong = await sign({ kind: 'refill', id: refillId, password: 'not my password' });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'wrong_password', field: 'password' } });
    expect((await record(patientId)).attestations).toEqual([]);
    expect(await auditOf('sign')).toEqual([]);
    expect((await auditOf('login_failed')).at(0)?.detail).toMatchObject({ during: 'sign', failures: 1 });

    for (let i = 2; i <= 4; i++) expect(await sign({ kind: 'refill', id: refillId, password: `wrong ${i}` })).toMatchObject({ ok: false, error: { code: 'wrong_password' } });
    expect(await sign({ kind: 'refill', id: refillId, password: 'wrong 5' })).toMatchObject({ ok: false, error: { code: 'account_locked' } });
    // Locked: even the right password signs nothing, and signing in is refused too.
    expect(await sign({ kind: 'refill', id: refillId, password: TEST_PASSWORD })).toMatchObject({ ok: false, error: { code: 'account_locked' } });
    expect(await t.raw.dispatch('session.login', { username: 'clinician', password: TEST_PASSWORD }, { id: null })).toMatchObject({ ok: false, error: { code: 'unauthorized' } }); // locked (sign-in does not say so)
    expect((await record(patientId)).attestations).toEqual([]);
  });

  it('40 signing attempts at once (39 wrong, then the right one) sign nothing; the right password signs only once an administrator lifts the lock', async () => {
    const { patientId, refillId } = await patientWithRefill();
    const derived: ScryptCost[] = [];
    const stop = observeDerivations((cost) => void derived.push(cost));
    const results = await Promise.all([
      ...Array.from({ length: 39 }, (_, i) => sign({ kind: 'refill', id: refillId, password: `wrong password ${i}` })),
      sign({ kind: 'refill', id: refillId, password: TEST_PASSWORD }),
    ]).finally(stop);
    // Every attempt, wrong or refused as locked, costs the same: one derivation at the same cost.
    expect(derived).toEqual(Array(40).fill(TEST_COST));
    expect(results.filter((r) => r.ok)).toEqual([]);
    expect(results.filter((r) => !r.ok && r.error.code === 'wrong_password')).toHaveLength(4);
    expect(results.filter((r) => !r.ok && r.error.code === 'account_locked')).toHaveLength(36);
    expect(results.at(-1)).toMatchObject({ ok: false, error: { code: 'account_locked', field: 'password', message: expect.stringContaining('Nothing was signed') } });
    expect((await auditOf('login_failed')).filter((e) => e.detail?.during === 'sign' && 'failures' in e.detail)).toHaveLength(5); // 5 passwords checked
    expect((await record(patientId)).attestations).toEqual([]);
    expect(await sign({ kind: 'refill', id: refillId, password: TEST_PASSWORD })).toMatchObject({ ok: false, error: { code: 'account_locked' } });

    const users = await must<{ users: Array<{ id: number; username: string }> }>('users.list', {});
    await must('users.unlock', { id: users.users.find((u) => u.username === 'clinician')!.id });
    expect(await sign({ kind: 'refill', id: refillId, password: TEST_PASSWORD })).toMatchObject({ ok: true });
    expect(await auditOf('sign')).toHaveLength(1);
  });

  it('40 amendments at once (39 wrong, then the right one) amend nothing', async () => {
    const { patientId, refillId } = await patientWithRefill();
    expect(await sign({ kind: 'refill', id: refillId, password: TEST_PASSWORD })).toMatchObject({ ok: true });
    const results = await Promise.all([
      ...Array.from({ length: 39 }, (_, i) => amend({ kind: 'refill', id: refillId, password: `wrong password ${i}`, reason: 'typo', changes: { note: `x${i}` } })),
      amend({ kind: 'refill', id: refillId, password: TEST_PASSWORD, reason: 'typo', changes: { note: 'the right one' } }),
    ]);
    expect(results.filter((r) => r.ok)).toEqual([]);
    expect(results.at(-1)).toMatchObject({ ok: false, error: { code: 'account_locked' } });
    expect((await record(patientId)).attestations?.[0]?.amendments).toEqual([]);
  });

  it('a right password clears earlier failures, as at sign-in', async () => {
    const { refillId } = await patientWithRefill();
    for (let i = 1; i <= 4; i++) await sign({ kind: 'refill', id: refillId, password: `wrong ${i}` });
    expect((await sign({ kind: 'refill', id: refillId, password: TEST_PASSWORD })).ok).toBe(true);
    const db = rawDb();
    expect(db.prepare("SELECT failed_logins FROM users WHERE username = 'clinician'").get()).toEqual({ failed_logins: 0 });
    db.close();
  });

  it('cannot sign twice, and names who signed', async () => {
    const { refillId } = await patientWithRefill();
    expect((await sign({ kind: 'refill', id: refillId, password: TEST_PASSWORD })).ok).toBe(true);
    const again = await sign({ kind: 'refill', id: refillId, password: TEST_PASSWORD, meaning: 'reviewed refill' });
    expect(again).toMatchObject({ ok: false, error: { code: 'conflict', field: 'id' } });
    expect(again.ok ? '' : again.error.message).toContain('already signed by Test clinician');
    expect(await auditOf('sign')).toHaveLength(1);
  });

  it('staff, administrators and auditors cannot sign or amend: refused in main, nothing written', async () => {
    const { patientId, refillId } = await patientWithRefill();
    for (const role of ['staff', 'administrator', 'auditor'] as const) {
      expect(await t.as(role).dispatch('entries.sign', { kind: 'refill', id: refillId, password: TEST_PASSWORD })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      expect(await t.as(role).dispatch('entries.amend', { kind: 'refill', id: refillId, password: TEST_PASSWORD, reason: 'x', changes: { note: 'y' } })).toMatchObject({
        ok: false,
        error: { code: 'forbidden' },
      });
    }
    expect((await record(patientId)).attestations).toEqual([]);
    expect(await auditOf('denied')).toHaveLength(6);
  });

  it('refuses an entry that does not exist, naming the field', async () => {
    await patientWithRefill();
    expect(await sign({ kind: 'removal', id: 999, password: TEST_PASSWORD })).toMatchObject({ ok: false, error: { code: 'not_found', field: 'id' } });
    expect(await sign({ kind: 'biopsy', id: 1, password: TEST_PASSWORD })).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'kind' } });
    expect(await sign({ kind: 'refill', id: 1, password: '' })).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'password' } });
  });

  it('signs a reversal and a removal with their own meanings', async () => {
    const { patientId, pumpId } = await patientWithRefill();
    await must('reversals.record', { pumpId, date: '2026-02-01', kind: 'turned_off', note: 'Turned off for trial.' });
    await must('removals.record', { pumpId, date: '2026-02-10', reasons: ['therapy_no_longer_needed'], catheterRemoved: true });
    const pump = (await record(patientId)).pumps[0]!;
    const rev = await sign({ kind: 'reversal', id: pump.reversal!.id, password: TEST_PASSWORD });
    const rem = await sign({ kind: 'removal', id: pump.removal!.id, password: TEST_PASSWORD });
    expect(rev).toMatchObject({ ok: true, value: { signature: { meaning: 'documented therapy reversal' } } });
    expect(rem).toMatchObject({ ok: true, value: { signature: { meaning: 'performed pump removal' } } });
  });
});

describe('a signed entry is never changed', () => {
  it('the database refuses UPDATE and DELETE of a signed refill, its drugs, signatures and amendments, even with raw SQL', async () => {
    const { refillId } = await patientWithRefill();
    await sign({ kind: 'refill', id: refillId, password: TEST_PASSWORD });
    await amend({ kind: 'refill', id: refillId, password: TEST_PASSWORD, reason: 'Typo', changes: { note: 'First fill.' } });
    const db = rawDb();
    try {
      expect(() => db.prepare('UPDATE refills SET note = ? WHERE id = ?').run('rewritten', refillId)).toThrow(/signed refill visit cannot be changed/);
      expect(() => db.prepare('UPDATE refills SET withdrawn_ul = 0 WHERE id = ?').run(refillId)).toThrow(/cannot be changed/);
      expect(() => db.prepare('DELETE FROM refills WHERE id = ?').run(refillId)).toThrow(/cannot be deleted/);
      expect(() => db.prepare("UPDATE refill_drugs SET lot = 'X' WHERE refill_id = ?").run(refillId)).toThrow(/cannot be changed/);
      expect(() => db.prepare('DELETE FROM refill_drugs WHERE refill_id = ?').run(refillId)).toThrow(/cannot be changed/);
      expect(() => db.prepare("UPDATE signatures SET printed_name = 'Someone else'").run()).toThrow(/append-only/);
      expect(() => db.prepare('DELETE FROM signatures').run()).toThrow(/append-only/);
      expect(() => db.prepare("UPDATE amendments SET reason = 'other'").run()).toThrow(/append-only/);
      expect(() => db.prepare('DELETE FROM amendments').run()).toThrow(/append-only/);
      expect(db.prepare('SELECT note FROM refills WHERE id = ?').get(refillId)).toEqual({ note: 'First fill, no issues.' });
    } finally {
      db.close();
    }
  });

  it('a signed removal and reversal cannot be changed or deleted', async () => {
    const { patientId, pumpId } = await patientWithRefill();
    await must('reversals.record', { pumpId, date: '2026-02-01', kind: 'turned_off' });
    await must('removals.record', { pumpId, date: '2026-02-10', reasons: ['infection'], catheterRemoved: false });
    const pump = (await record(patientId)).pumps[0]!;
    await sign({ kind: 'reversal', id: pump.reversal!.id, password: TEST_PASSWORD });
    await sign({ kind: 'removal', id: pump.removal!.id, password: TEST_PASSWORD });
    const db = rawDb();
    try {
      expect(() => db.prepare("UPDATE reversals SET note = 'x'").run()).toThrow(/signed therapy reversal cannot be changed/);
      expect(() => db.prepare('DELETE FROM reversals').run()).toThrow(/cannot be deleted/);
      expect(() => db.prepare('UPDATE removals SET catheter_removed = 1').run()).toThrow(/signed removal cannot be changed/);
      expect(() => db.prepare('DELETE FROM removals').run()).toThrow(/cannot be deleted/);
    } finally {
      db.close();
    }
  });

  it('a change made behind the triggers shows: the signature is no longer intact', async () => {
    const { patientId, refillId } = await patientWithRefill();
    await sign({ kind: 'refill', id: refillId, password: TEST_PASSWORD });
    const db = rawDb();
    db.exec('DROP TRIGGER signed_refill_no_update');
    db.prepare("UPDATE refills SET note = 'tampered' WHERE id = ?").run(refillId);
    db.close();
    expect((await record(patientId)).attestations![0]!.signature).toMatchObject({ intact: false });
  });
});

describe('amending an entry', () => {
  it('keeps the original and shows both; each amendment is signed, linked and audited', async () => {
    const { patientId, refillId } = await patientWithRefill();
    await sign({ kind: 'refill', id: refillId, password: TEST_PASSWORD });
    const first = await amend({ kind: 'refill', id: refillId, password: TEST_PASSWORD, reason: 'Wrong patient mentioned', changes: { note: 'First fill; pocket site clean.' } });
    expect(first.ok).toBe(true);
    await amend({ kind: 'refill', id: refillId, password: TEST_PASSWORD, reason: 'Lot misread', changes: { note: 'First fill; pocket site clean.', drugs: [{ position: 0, lot: 'L-7' }] } });

    const rec = await record(patientId);
    expect(rec.pumps[0]!.refills[0]!.note).toBe('First fill, no issues.'); // the original, as signed
    expect(rec.pumps[0]!.refills[0]!.drugs[0]!.lot).toBe('L-1');
    const trail = rec.attestations![0]!;
    expect(trail.signature).toMatchObject({ meaning: 'performed refill', intact: true });
    expect(trail.amendments).toEqual([
      expect.objectContaining({
        reason: 'Wrong patient mentioned',
        printedName: 'Test clinician',
        changes: [{ field: 'note', before: 'First fill, no issues.', after: 'First fill; pocket site clean.' }],
        signature: expect.objectContaining({ kind: 'amendment', meaning: 'amended refill record', intact: true }),
      }),
      // The unchanged note is not repeated; the lot's "before" is what it was.
      expect.objectContaining({ reason: 'Lot misread', changes: [{ field: 'drugs.0.lot', before: 'L-1', after: 'L-7' }] }),
    ]);
    const audit = await auditOf('amend');
    expect(audit).toHaveLength(2);
    expect(audit.at(-1)).toMatchObject({ entity: 'refill', entityId: String(refillId), patientId, before: { note: 'First fill, no issues.' }, after: { note: 'First fill; pocket site clean.' } });
    expect(audit.at(-1)!.detail).toMatchObject({ reason: 'Wrong patient mentioned' });
  });

  it('an unsigned entry can be amended too; the amendment is signed, the entry stays unsigned', async () => {
    const { patientId, refillId } = await patientWithRefill();
    expect((await amend({ kind: 'refill', id: refillId, password: TEST_PASSWORD, reason: 'Clinician left out', changes: { clinician: 'Dr A. Jones' } })).ok).toBe(true);
    const trail = (await record(patientId)).attestations![0]!;
    expect(trail.signature).toBeNull();
    expect(trail.amendments[0]!.changes).toEqual([{ field: 'clinician', before: null, after: 'Dr A. Jones' }]);
  });

  it('refuses to amend the withdrawn residual and other arithmetic inputs, pointing to the right workflow', async () => {
    const { patientId, refillId } = await patientWithRefill();
    const r = await amend({ kind: 'refill', id: refillId, password: TEST_PASSWORD, reason: 'Misread syringe', changes: { withdrawnMl: 3.5 } });
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'changes.withdrawnMl' } });
    expect(r.ok ? '' : r.error.message).toMatch(/cannot be amended: .*discrepancy.*Amend the note/);
    const dose = await amend({ kind: 'refill', id: refillId, password: TEST_PASSWORD, reason: 'x', changes: { drugs: [{ position: 0, dailyDose: { value: 1, unit: 'mcg' } }] } });
    expect(dose).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'changes.drugs.0.dailyDose' } });
    expect(dose.ok ? '' : dose.error.message).toMatch(/dose change/);
    expect((await record(patientId)).attestations).toEqual([]);
  });

  it('needs a reason, the password and a real change; nothing is written otherwise', async () => {
    const { patientId, refillId } = await patientWithRefill();
    expect(await amend({ kind: 'refill', id: refillId, password: TEST_PASSWORD, reason: '  ', changes: { note: 'x' } })).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'reason' } });
    expect(await amend({ kind: 'refill', id: refillId, password: TEST_PASSWORD, reason: 'r', changes: {} })).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'changes' } });
    expect(await amend({ kind: 'refill', id: refillId, password: TEST_PASSWORD, reason: 'r', changes: { note: 'First fill, no issues.' } })).toMatchObject({
      ok: false,
      error: { code: 'refused', field: 'changes' },
    });
    expect(await amend({ kind: 'refill', id: refillId, password: TEST_PASSWORD, reason: 'r', changes: { drugs: [{ position: 2, lot: 'Z' }] } })).toMatchObject({
      ok: false,
      error: { code: 'not_found', field: 'changes.drugs' },
    });
    expect(await amend({ kind: 'refill', id: refillId, password: 'wrong password', reason: 'r', changes: { note: 'x' } })).toMatchObject({ ok: false, error: { code: 'wrong_password' } });
    expect((await record(patientId)).attestations).toEqual([]);
    expect(await auditOf('amend')).toEqual([]);
  });

  it('amends a removal’s reasons and a reversal’s outcome', async () => {
    const { patientId, pumpId } = await patientWithRefill();
    await must('reversals.record', { pumpId, date: '2026-02-01', kind: 'weaned', outcome: 'Tolerated' });
    await must('removals.record', { pumpId, date: '2026-02-10', reasons: ['infection'], catheterRemoved: false, disposition: 'discarded' });
    const pump = (await record(patientId)).pumps[0]!;
    expect((await amend({ kind: 'removal', id: pump.removal!.id, password: TEST_PASSWORD, reason: 'Culture result', changes: { reasons: ['infection', 'granuloma'], disposition: null } })).ok).toBe(true);
    expect((await amend({ kind: 'reversal', id: pump.reversal!.id, password: TEST_PASSWORD, reason: 'Follow-up', changes: { outcome: 'Tolerated; no withdrawal', reversalKind: 'drained' } })).ok).toBe(true);
    const trails = (await record(patientId)).attestations!;
    expect(trails.find((a) => a.kind === 'removal')!.amendments[0]!.changes).toEqual([
      { field: 'reasons', before: ['infection'], after: ['infection', 'granuloma'] },
      { field: 'disposition', before: 'discarded', after: null },
    ]);
    expect(trails.find((a) => a.kind === 'reversal')!.amendments[0]!.changes).toEqual([
      { field: 'outcome', before: 'Tolerated', after: 'Tolerated; no withdrawal' },
      { field: 'kind', before: 'weaned', after: 'drained' },
    ]);
    expect(await amend({ kind: 'removal', id: pump.removal!.id, password: TEST_PASSWORD, reason: 'x', changes: { date: '2026-02-11' } })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', field: 'changes.date' },
    });
  });
});
