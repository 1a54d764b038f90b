import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TEST_COST, hashPassword } from '../../accounts/passwords';
import { createServices, type ReservoirServices, type SessionSlot } from '../../app';
import { openDatabase } from '../../store/database';
import { MIGRATIONS } from '../../store/migrations';
import { RECORDED_BY_MIGRATION } from '../../store/migrations/sqlite/0010-recorded-by';
import { sha256 } from './content';
import { tempDir } from '../../testing/temp';
import { TEST_PASSWORD } from '../../testing/services';

let tmp: ReturnType<typeof tempDir>;
let services: ReservoirServices | null = null;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => {
  services?.close();
  services = null;
  tmp.cleanup();
});

describe('migration 5 on a clinic recorded before it', () => {
  it('keeps every refill, unsigned; they can then be signed and are protected from then on', async () => {
    const file = tmp.file('clinic.db');
    const before = openDatabase(file, { migrations: MIGRATIONS.filter((m) => m.version <= 4), backupBeforeMigration: false });
    if (!before.ok || before.state !== 'ok') throw new Error('could not open at version 4');
    const db = before.db;
    const hash = await hashPassword(TEST_PASSWORD, TEST_COST);
    db.prepare("INSERT INTO users (username, display_name, role, password_hash, created_at_ms, updated_at_ms) VALUES ('nurse', 'RN Patel', 'clinician', ?, 0, 0)").run(hash);
    db.prepare("INSERT INTO patients (mrn, family_name, given_name, birth_date, sex, indications, created_at_ms, updated_at_ms) VALUES ('M1', 'Okafor', 'Grace', '1958-03-14', 'female', '[]', 0, 0)").run();
    db.prepare(
      "INSERT INTO pumps (patient_id, device_model_id, serial, implant_date, reservoir_ul, alarm_ul, created_at_ms) VALUES (1, 1, 'SM-OLD', '2025-01-10', 20000, 2000, 0)",
    ).run();
    db.prepare("INSERT INTO refills (pump_id, date, added_ul, mode, reservoir_port_confirmed, note, created_at_ms) VALUES (1, '2025-01-10', 20000, 'simple_continuous', 1, 'Old visit', 0)").run();
    db.prepare("INSERT INTO refill_drugs (refill_id, position, drug_id, unit, concentration_ng_per_ml, daily_dose_ng_per_day) VALUES (1, 0, 3, 'mcg', 2000000, 500000)").run();
    db.close();

    const opened = createServices({ databasePath: file, shell: 'browser', now: () => Date.UTC(2026, 10, 24), passwordCost: TEST_COST, backupBeforeMigration: false });
    if (!opened.ok) throw new Error(opened.error.message);
    services = opened.value;
    const slot: SessionSlot = { id: null };
    expect((await services.dispatch('session.login', { username: 'nurse', password: TEST_PASSWORD }, slot)).ok).toBe(true);
    const record = await services.dispatch('patients.get', { id: 1 }, slot);
    expect(record).toMatchObject({ ok: true, value: { attestations: [], pumps: [{ refills: [{ id: 1, note: 'Old visit' }] }] } });
    expect(await services.dispatch('entries.sign', { kind: 'refill', id: 1, password: TEST_PASSWORD }, slot)).toMatchObject({
      ok: true,
      value: { signature: { printedName: 'RN Patel', meaning: 'performed refill', intact: true } },
    });
    services.close();
    services = null;

    const raw = openDatabase(file, { backupBeforeMigration: false });
    if (!raw.ok || raw.state !== 'ok') throw new Error('could not reopen');
    expect(() => raw.db.prepare("UPDATE refills SET note = 'x' WHERE id = 1").run()).toThrow(/signed refill visit cannot be changed/);
    raw.db.close();
  });
});

describe('the migration that keeps who recorded each entry, on a clinic signed before it', () => {
  it('leaves old entries without a recorder ("recorded before this was kept") and their signatures intact', async () => {
    const file = tmp.file('clinic.db');
    // Every migration before it (found by name: the migrations are renumbered when branches merge).
    const mine = MIGRATIONS.find((m) => m.name === RECORDED_BY_MIGRATION)!;
    const before = openDatabase(file, { migrations: MIGRATIONS.filter((m) => m.version < mine.version), backupBeforeMigration: false });
    if (!before.ok || before.state !== 'ok') throw new Error('could not open before the migration');
    const db = before.db;
    const hash = await hashPassword(TEST_PASSWORD, TEST_COST);
    db.prepare("INSERT INTO users (username, display_name, role, password_hash, created_at_ms, updated_at_ms) VALUES ('nurse', 'RN Patel', 'clinician', ?, 0, 0)").run(hash);
    db.prepare("INSERT INTO patients (mrn, family_name, given_name, birth_date, sex, indications, created_at_ms, updated_at_ms) VALUES ('M1', 'Okafor', 'Grace', '1958-03-14', 'female', '[]', 0, 0)").run();
    db.prepare("INSERT INTO pumps (patient_id, device_model_id, serial, implant_date, reservoir_ul, alarm_ul, created_at_ms) VALUES (1, 1, 'SM-OLD', '2025-01-10', 20000, 2000, 0)").run();
    db.prepare("INSERT INTO refills (pump_id, date, added_ul, mode, reservoir_port_confirmed, note, created_at_ms) VALUES (1, '2025-01-10', 20000, 'simple_continuous', 1, 'Old visit', 0)").run();
    db.prepare("INSERT INTO refill_drugs (refill_id, position, drug_id, unit, concentration_ng_per_ml, daily_dose_ng_per_day) VALUES (1, 0, 3, 'mcg', 2000000, 500000)").run();
    // The signature as it was made then: the SHA-256 of the refill's content in its fixed field list
    // (written out here, not computed by today's content.ts).
    const signedThen = {
      kind: 'refill', id: 1, pumpId: 1, date: '2025-01-10', withdrawnUl: null, addedUl: 20000, mode: 'simple_continuous', extraVolumeUlPerDay: 0,
      reservoirPortConfirmed: true, clinician: null, note: 'Old visit',
      drugs: [{ drugId: 3, unit: 'mcg', concentrationNgPerMl: 2000000, dailyDoseNgPerDay: 500000, lot: null, expiryDate: null }],
      expectedResidualUl: null, discrepancyUl: null, discrepancyPct: null, discrepancyFlag: null, alarmDate: null, emptyDate: null, nextDueDate: null, nextDueRule: null,
    };
    db.prepare(
      "INSERT INTO signatures (entry_kind, entry_id, user_id, printed_name, role, meaning, signed_at_ms, content_sha256) VALUES ('refill', 1, 1, 'RN Patel', 'clinician', 'performed refill', 0, ?)",
    ).run(sha256(signedThen));
    db.close();

    const opened = createServices({ databasePath: file, shell: 'browser', now: () => Date.UTC(2026, 10, 24), passwordCost: TEST_COST, backupBeforeMigration: false });
    if (!opened.ok) throw new Error(opened.error.message);
    services = opened.value;
    const slot: SessionSlot = { id: null };
    expect((await services.dispatch('session.login', { username: 'nurse', password: TEST_PASSWORD }, slot)).ok).toBe(true);
    const record = await services.dispatch('patients.get', { id: 1 }, slot);
    expect(record).toMatchObject({
      ok: true,
      value: {
        pumps: [{ pump: { recordedBy: null }, refills: [{ id: 1, note: 'Old visit', recordedBy: null }] }],
        attestations: [{ kind: 'refill', entryId: 1, signature: { printedName: 'RN Patel', intact: true } }],
      },
    });
  });
});
