/**
 * Several people at once (issue 14, item 4): an edit based on an older version of a record is
 * refused with who changed it, when, and the values now, and nothing is written; one based on the
 * version now is saved. Two entries on one pump based on the same state: the first is saved, the
 * second refused naming the first.
 */
import { describe, expect, it } from 'vitest';
import type { UsersOverview } from '../../../shared/contract/accounts';
import type { BackupOverview } from '../../../shared/contract/backups';
import type { Patient } from '../../../shared/contract/patients';
import type { ClinicSettings, DeviceModel, Drug, PatientRecord } from '../../../shared/contract/record';
import type { AppError } from '../../../shared/contract/result';
import type { Versioned } from '../../../shared/contract/versions';
import { useTestServices } from '../testing/services';
import { LATEST_VERSION_SQL } from './versions';
import { RECORD_VERSIONS_MIGRATION } from './migrations/sqlite/0015-record-versions';
import { MIGRATIONS } from './migrations';
import Database from 'better-sqlite3-multiple-ciphers';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const NOW = Date.UTC(2026, 2, 1, 12, 5);
const t = useTestServices(NOW);
const admin = () => t.as('administrator');

/** The refusal of a stale edit: the code, the sentence, who and when, and the values now. */
function expectConflict(error: AppError, who: string) {
  expect(error.code).toBe('conflict');
  expect(error.message).toBe(`Changed by ${who} at 2026-03-01 12:05 — review the current values and make your change again.`);
  expect(error.conflict).toMatchObject({ changedBy: who, changedAtMs: NOW });
  expect(error.conflict!.version).toBeGreaterThan(0);
}

async function newPatient(): Promise<number> {
  return (await t.must<Patient>('patients.create', { mrn: 'C-1', familyName: 'Okafor', givenName: 'Ada', birthDate: '1960-04-02', sex: 'female', indications: ['cancer_pain'] })).id;
}
const record = (id: number) => t.must<PatientRecord>('patients.get', { id });

describe('edits carry the version they were based on', () => {
  it('patients.update: a stale edit is refused with the patient now, and nothing is written; the fresh one is saved', async () => {
    const id = await newPatient();
    const seen = (await record(id)).patientVersion!;
    // Staff (Test staff) saves first, from the same version.
    const first = await t.as('staff').dispatch('patients.update', { id, allergies: 'Latex', basedOn: seen });
    expect(first.ok).toBe(true);
    // The clinician's edit was based on what they saw before: refused, with the allergies now.
    const second = await t.as('clinician').dispatch('patients.update', { id, familyName: 'Okafor-Smith', basedOn: seen });
    expect(second.ok).toBe(false);
    if (second.ok) return;
    expectConflict(second.error, 'Test staff');
    expect(second.error.conflict!.current).toMatchObject({ id, familyName: 'Okafor', allergies: 'Latex' });
    const now = await record(id);
    expect(now.patient.familyName).toBe('Okafor');
    expect(now.patientVersion).toBe(second.error.conflict!.version);
    // Made again on the version now: saved.
    const again = await t.as('clinician').dispatch('patients.update', { id, familyName: 'Okafor-Smith', basedOn: second.error.conflict!.version });
    expect(again.ok).toBe(true);
    expect((await record(id)).patient).toMatchObject({ familyName: 'Okafor-Smith', allergies: 'Latex' });
  });

  it('settings.update: stale refused with the settings now, nothing written; fresh saved', async () => {
    const seen = await t.must<Versioned<ClinicSettings>>('settings.get', {});
    expect((await admin().dispatch('settings.update', { clinicName: 'North', basedOn: seen.version })).ok).toBe(true);
    const stale = await admin().dispatch('settings.update', { safetyMarginDays: 3, basedOn: seen.version });
    expect(stale.ok).toBe(false);
    if (stale.ok) return;
    expectConflict(stale.error, 'Ada Admin');
    expect(stale.error.conflict!.current).toMatchObject({ clinicName: 'North', safetyMarginDays: seen.safetyMarginDays });
    const now = await t.must<Versioned<ClinicSettings>>('settings.get', {});
    expect(now.safetyMarginDays).toBe(seen.safetyMarginDays);
    expect((await admin().dispatch('settings.update', { safetyMarginDays: 3, basedOn: now.version })).ok).toBe(true);
  });

  it('drugs.save of an existing drug: stale refused with the drug now, nothing written; fresh saved', async () => {
    const morphine = (await t.must<Versioned<Drug>[]>('drugs.list', {})).find((d) => d.name === 'Morphine')!;
    const input = (stabilityDays: number, basedOn: number) => ({
      id: morphine.id,
      name: morphine.name,
      unit: morphine.unit,
      typicalConcentration: null,
      maxConcentration: null,
      typicalDailyDose: null,
      maxDailyDose: { value: 30, unit: 'mg' },
      stabilityDays,
      firstFillStabilityDays: null,
      withdrawalWarning: undefined,
      limitsSource: undefined,
      basedOn,
    });
    expect((await admin().dispatch('drugs.save', input(60, morphine.version))).ok).toBe(true);
    const stale = await admin().dispatch('drugs.save', input(45, morphine.version));
    expect(stale.ok).toBe(false);
    if (stale.ok) return;
    expectConflict(stale.error, 'Ada Admin');
    expect(stale.error.conflict!.current).toMatchObject({ id: morphine.id, stabilityDays: 60 });
    const now = (await t.must<Versioned<Drug>[]>('drugs.list', {})).find((d) => d.id === morphine.id)!;
    expect(now.stabilityDays).toBe(60);
    expect((await admin().dispatch('drugs.save', input(45, now.version))).ok).toBe(true);
  });

  it('devices.save of an existing model: stale refused with the model now, nothing written; fresh saved', async () => {
    const model = (await t.must<Versioned<DeviceModel>[]>('devices.list', {})).find((d) => d.model === 'Prometra II' && d.reservoirUl === 20000)!;
    const input = (serviceLifeMonths: number, basedOn: number) => ({
      id: model.id,
      manufacturer: model.manufacturer,
      model: model.model,
      aliases: model.aliases,
      catalogueNumbers: model.catalogueNumbers,
      reservoirMl: model.reservoirUl / 1000,
      defaultAlarmMl: model.defaultAlarmUl / 1000,
      serviceLifeMonths,
      replacementLeadMonths: model.replacementLeadMonths,
      kind: model.kind,
      mriNotes: model.mriNotes ?? undefined,
      basedOn,
    });
    expect((await admin().dispatch('devices.save', input(96, model.version))).ok).toBe(true);
    const stale = await admin().dispatch('devices.save', input(120, model.version));
    expect(stale.ok).toBe(false);
    if (stale.ok) return;
    expectConflict(stale.error, 'Ada Admin');
    expect(stale.error.conflict!.current).toMatchObject({ id: model.id, serviceLifeMonths: 96 });
    const now = (await t.must<Versioned<DeviceModel>[]>('devices.list', {})).find((d) => d.id === model.id)!;
    expect(now.serviceLifeMonths).toBe(96);
    expect((await admin().dispatch('devices.save', input(120, now.version))).ok).toBe(true);
  });

  it('users.update and access.update: stale refused with the values now, nothing written; fresh saved', async () => {
    const seen = await t.must<UsersOverview>('users.list', {});
    const staff = seen.users.find((u) => u.username === 'staff')!;
    expect((await admin().dispatch('users.update', { id: staff.id, displayName: 'Sam Desk', basedOn: staff.version })).ok).toBe(true);
    const stale = await admin().dispatch('users.update', { id: staff.id, role: 'auditor', basedOn: staff.version });
    expect(stale.ok).toBe(false);
    if (stale.ok) return;
    expectConflict(stale.error, 'Ada Admin');
    expect(stale.error.conflict!.current).toMatchObject({ id: staff.id, displayName: 'Sam Desk', role: 'staff' });
    const now = await t.must<UsersOverview>('users.list', {});
    expect(now.users.find((u) => u.id === staff.id)!.role).toBe('staff');
    expect((await admin().dispatch('users.update', { id: staff.id, role: 'auditor', basedOn: now.users.find((u) => u.id === staff.id)!.version })).ok).toBe(true);

    expect((await admin().dispatch('access.update', { sessionLockMinutes: 15, basedOn: seen.access.version })).ok).toBe(true);
    const staleAccess = await admin().dispatch('access.update', { sessionLockMinutes: 30, basedOn: seen.access.version });
    expect(staleAccess.ok).toBe(false);
    if (staleAccess.ok) return;
    expectConflict(staleAccess.error, 'Ada Admin');
    expect(staleAccess.error.conflict!.current).toEqual({ sessionLockMinutes: 15 });
    expect((await t.must<UsersOverview>('users.list', {})).access.sessionLockMinutes).toBe(15);
  });

  it('backups.configure: stale refused with the folder now, nothing written; fresh saved', async () => {
    const seen = await t.must<BackupOverview>('backups.list', {});
    const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'reservoir-backups-'));
    try {
      expect((await admin().dispatch('backups.configure', { folder: elsewhere, basedOn: seen.version })).ok).toBe(true);
      const stale = await admin().dispatch('backups.configure', { folder: null, basedOn: seen.version });
      expect(stale.ok).toBe(false);
      if (stale.ok) return;
      expectConflict(stale.error, 'Ada Admin');
      expect(stale.error.conflict!.current).toMatchObject({ folder: elsewhere, configured: true });
      const now = await t.must<BackupOverview>('backups.list', {});
      expect(now.folder).toBe(elsewhere);
      expect((await admin().dispatch('backups.configure', { folder: null, basedOn: now.version })).ok).toBe(true);
    } finally {
      fs.rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  it('a version is not changed by a view, a sign-in or a failed sign-in', async () => {
    const id = await newPatient();
    const before = (await record(id)).patientVersion;
    await record(id);
    await t.raw.dispatch('session.login', { username: 'staff', password: 'wrong password!!' }, { id: null });
    expect((await record(id)).patientVersion).toBe(before);
  });
});

describe('one entry at a time on a pump', () => {
  async function pump(): Promise<{ patientId: number; pumpId: number; state: string }> {
    const patientId = await newPatient();
    const deviceModelId = await t.deviceId('SynchroMed II', 20000);
    const p = await t.must<{ id: number }>('pumps.implant', { patientId, deviceModelId, serial: 'NGP-1', implantDate: '2026-01-05' });
    await t.must('refills.record', { pumpId: p.id, date: '2026-01-05', withdrawnMl: null, addedMl: 20, drugs: [{ drug: 'Morphine', concentration: { value: 10, unit: 'mg' }, dailyDose: { value: 2, unit: 'mg' } }], mode: 'simple_continuous', reservoirPortConfirmed: true });
    const state = (await record(patientId)).pumps[0]!.state!;
    return { patientId, pumpId: p.id, state };
  }
  const refill = (pumpId: number, addedMl: number, pumpState: string) => ({
    pumpId,
    date: '2026-02-01',
    withdrawnMl: 14,
    addedMl,
    drugs: [{ drug: 'Morphine', concentration: { value: 10, unit: 'mg' }, dailyDose: { value: 2, unit: 'mg' } }],
    mode: 'simple_continuous',
    reservoirPortConfirmed: true,
    acknowledgeDiscrepancy: true,
    note: 'checked',
    pumpState,
  });

  it('two refills based on the same state at the same moment: the first is saved, the second refused naming it', async () => {
    const { patientId, pumpId, state } = await pump();
    const [a, b] = await Promise.all([t.as('clinician').dispatch('refills.record', refill(pumpId, 12, state)), t.as('clinician').dispatch('refills.record', refill(pumpId, 18, state))]);
    expect(a.ok).toBe(true);
    expect(b.ok).toBe(false);
    if (b.ok) return;
    expect(b.error.code).toBe('conflict');
    expect(b.error.message).toBe(
      'A refill of this pump was recorded at 2026-03-01 12:05 by Test clinician (12 mL added on 2026-02-01, Morphine 2 mg/day) after you opened this form; review it before recording another.',
    );
    const now = await record(patientId);
    expect(now.pumps[0]!.refills.map((r) => r.addedUl)).toEqual([20000, 12000]);
    expect(b.error.conflict!.current).toEqual({ pumpState: now.pumps[0]!.state });
  });

  it('a dose change, reversal or removal based on a state older than a refill is refused; on the state now it is saved', async () => {
    const { patientId, pumpId, state } = await pump();
    await t.must('refills.record', refill(pumpId, 12, state));
    const dose = { pumpId, date: '2026-02-02', drug: 'Morphine', dailyDose: { value: 2.5, unit: 'mg' }, pumpState: state };
    const refused = await t.refused('doseChanges.record', dose);
    expect(refused.code).toBe('conflict');
    expect(refused.message).toMatch(/^A refill of this pump was recorded at .* by Test clinician \(12 mL added/);
    expect((await t.refused('reversals.record', { pumpId, date: '2026-02-02', kind: 'turned_off', pumpState: state })).code).toBe('conflict');
    expect((await t.refused('removals.record', { pumpId, date: '2026-02-02', reasons: ['infection'], catheterRemoved: true, pumpState: state })).code).toBe('conflict');
    const now = (await record(patientId)).pumps[0]!;
    expect(now.doseChanges).toHaveLength(0);
    expect(now.pump.status).toBe('active');
    await t.must('doseChanges.record', { ...dose, pumpState: now.state });
    // And a refill based on the state before that dose change names the dose change.
    const after = await t.refused('refills.record', { ...refill(pumpId, 10, now.state!), date: '2026-02-03' });
    expect(after.message).toMatch(/^A dose change of this pump was recorded at 2026-03-01 12:05 by Test clinician \(Morphine 2\.5 mg\/day from 2026-02-02\)/);
  });

  it('a malformed pump state is refused by the contract', async () => {
    const { pumpId } = await pump();
    expect((await t.refused('refills.record', refill(pumpId, 12, 'latest'))).field).toBe('pumpState');
  });
});

describe('the migration', () => {
  it(`"${RECORD_VERSIONS_MIGRATION}" answers a record's version from its index, not by reading the audit trail`, () => {
    const migration = MIGRATIONS.find((m) => m.name === RECORD_VERSIONS_MIGRATION)!;
    expect(migration).toBeDefined();
    const db = new Database(':memory:');
    try {
      db.exec(`CREATE TABLE audit_log (seq INTEGER PRIMARY KEY, at_ms INTEGER, user_id INTEGER, username TEXT, action TEXT, entity TEXT, entity_id TEXT);
               CREATE TABLE users (id INTEGER PRIMARY KEY, display_name TEXT);`);
      migration.up(db);
      const plan = (db.prepare(`EXPLAIN QUERY PLAN ${LATEST_VERSION_SQL}`).all('patient', '1') as { detail: string }[]).map((r) => r.detail).join('; ');
      expect(plan).toContain('USING INDEX audit_record_versions');
      expect(plan).not.toMatch(/SCAN a\b/);
    } finally {
      db.close();
    }
  });
});
