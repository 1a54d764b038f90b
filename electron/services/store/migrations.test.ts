import Database from 'better-sqlite3-multiple-ciphers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { patientCreateInput } from '../../../shared/contract/patients';
import { pumpImplantInput, refillEntryInput } from '../../../shared/contract/record';
import { openTestDb, type TestDb } from '../features/interchange/test-support';
import { computeProjection } from '../features/record/projection';
import { recordRefill } from '../features/record/refills';
import { DRUG_LIMITS_MIGRATION } from './migrations/sqlite/0012-drug-limits';
import { VERIFICATIONS_MIGRATION } from './migrations/sqlite/0016-verifications';
import { ACCESS_TOKENS_MIGRATION } from './migrations/sqlite/0017-access-tokens';
import { APPOINTMENTS_MIGRATION } from './migrations/sqlite/0019-appointments';
import { AUDIT_WORKSTATION_MIGRATION } from './migrations/sqlite/0014-audit-workstation';
import { WORKLIST_COVERING_MIGRATION } from './migrations/sqlite/0020-worklist-covering';
import { implantPump } from '../features/record/service';
import { tempDir } from '../testing/temp';
import { withVersions } from '../testing/services';
import { matchDeviceModel } from '../../../shared/domain/device-match';
import type { PatientRecord, Reversal } from '../../../shared/contract/record';
import { TEST_COST, hashPassword } from '../accounts/passwords';
import { createServices, type SessionSlot } from '../app';
import { openDatabase } from './database';
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from './migrations';
import { sha256, signedContent } from '../features/signatures/content';
import { TEST_PASSWORD } from '../testing/services';
import { withWorkstation } from '../audit/workstation';
import { AuditLog } from '../audit/log';
import { verifyAuditChain } from '../audit/chain';

/** Takes the database back before 'therapy restarts and patient status dates' (applied again with the older migrations). */
const UNDO_RESTARTS_AND_STATUS_DATES = `DROP TABLE therapy_restarts;
  ALTER TABLE patients DROP COLUMN death_date; ALTER TABLE patients DROP COLUMN transfer_date; ALTER TABLE patients DROP COLUMN transferred_to;`;

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => (tmp = tempDir('reservoir-migrations-')));
afterEach(() => tmp.cleanup());

/** A patient with a 20 mL SynchroMed II implanted on `implantDate`; answers the pump's id. */
function pumpFor(db: TestDb, mrn: string, implantDate: string): number {
  const { ctx } = db;
  const patient = ctx.store.patients.create(
    patientCreateInput.parse({ mrn, familyName: 'Test', givenName: mrn, birthDate: '1960-01-01', sex: 'female', indications: ['cancer_pain'] }),
    ctx.now(),
  );
  const device = ctx.store.catalog.devices().find((d) => d.model === 'SynchroMed II' && d.reservoirUl === 20000)!;
  const pump = implantPump(ctx, pumpImplantInput.parse({ patientId: patient.id, deviceModelId: device.id, serial: `SN-${mrn}`, implantDate }));
  if (!pump.ok) throw new Error(pump.error.message);
  return pump.value.id;
}

function refill(db: TestDb, pumpId: number, date: string, withdrawnMl: number | null, drug: { drug: string; concentration: object; dailyDose: object }): void {
  const r = recordRefill(
    db.ctx,
    refillEntryInput.parse({ pumpId, date, withdrawnMl, addedMl: 20, drugs: [drug], mode: 'simple_continuous', reservoirPortConfirmed: true, note: 'x', acknowledgeDiscrepancy: true }),
  );
  if (!r.ok) throw new Error(r.error.message);
}

/** Undoes the patient contacts' tables and the birth-date index (issue 16), which come after the access tokens. */
const UNDO_CONTACTS = 'DROP TABLE patient_phones; DROP TABLE patient_contacts; DROP INDEX patients_by_birth_date;';

/** Undoes the personal access tokens' table (issue 14, item 5), which comes after the double check. */
const UNDO_ACCESS_TOKENS = `${UNDO_CONTACTS} DROP TRIGGER access_tokens_no_delete; DROP TABLE access_tokens;`;

/** Undoes the independent double check's table (issue 17, item 3), which comes after the drug limits. */
// Later migrations' tables are dropped first (found by name in MIGRATIONS; numbers change at merge).
const UNDO_APPOINTMENTS = 'DROP TABLE appointments;';
const UNDO_VERIFICATIONS = `${UNDO_APPOINTMENTS} ${UNDO_ACCESS_TOKENS} DROP TABLE verifications;`;

/** Undoes the soft limits kept with each override (issue 17), which come after the drug library's limits. */
const UNDO_OVERRIDE_LIMITS = ['ALTER TABLE refills DROP COLUMN override_limits_json;', 'ALTER TABLE dose_changes DROP COLUMN override_limits_json;'];

/** Undoes the drug library's limit columns (issue 17), which come after the urgency migration (and the double check before them). */
const UNDO_DRUG_LIMITS = `${UNDO_VERIFICATIONS} ` + ['max_step_up_soft_pct', 'max_step_up_hard_pct', 'max_step_up_soft_ng_per_day', 'max_week_step_up_soft_ng_per_day', 'limits_source']
  .map((c) => `ALTER TABLE drugs DROP COLUMN ${c};`)
  .concat(UNDO_OVERRIDE_LIMITS, ['ALTER TABLE refills DROP COLUMN override_reason;', 'ALTER TABLE dose_changes DROP COLUMN override_reason;'])
  // The audit trail's workstation column (issue 14), after the limits.
  .concat(['ALTER TABLE audit_log DROP COLUMN workstation;'])
  .join(' ');

/** Undoes the urgency migration (issue 13), so a test can set the database back to an earlier schema. */
const UNDO_URGENCY = `${UNDO_DRUG_LIMITS} DROP INDEX worklist_empty; DROP INDEX worklist_alarm; DROP INDEX open_severe_adverse_events;
  ALTER TABLE drugs DROP COLUMN withdrawal_warning;`;
const URGENCY = MIGRATIONS.find((m) => m.name === 'urgency: withdrawal warnings and worklist urgency indexes')!;

const ziconotide = { drug: 'Ziconotide', concentration: { value: 25, unit: 'mcg' }, dailyDose: { value: 2.4, unit: 'mcg' } };
const morphine = { drug: 'Morphine', concentration: { value: 10, unit: 'mg' }, dailyDose: { value: 1, unit: 'mg' } };

describe('migration 7: first-fill stability', () => {
  it('seeds ziconotide\'s 14 days and brings forward the due date of a pump whose last refill is its first ziconotide fill', () => {
    const file = tmp.file('clinic.db');
    let db = openTestDb(file); // today: 2025-09-01
    // A: a new pump's first ziconotide fill (2.4 mcg/day at 25 mcg/mL = 0.096 mL/day: the alarm is
    // 187 days away, so the 40-day limit decided its date before: 2025-07-11; now 14 days: 2025-06-15).
    const a = pumpFor(db, 'A', '2025-06-01');
    refill(db, a, '2025-06-01', null, ziconotide);
    // B: a first fill of morphine (no first-fill limit). C: ziconotide, refilled since its first fill.
    const b = pumpFor(db, 'B', '2025-06-01');
    refill(db, b, '2025-06-01', null, morphine);
    const c = pumpFor(db, 'C', '2025-03-01');
    refill(db, c, '2025-03-01', null, ziconotide);
    refill(db, c, '2025-03-14', 18.7, ziconotide);
    expect(db.store.catalog.drugs().find((d) => d.name === 'Ziconotide')!.firstFillStabilityDays).toBe(14);
    const want = [a, b, c].map((id) => computeProjection(db.ctx, id));
    expect(want.map((p) => [p.nextDueDate, p.nextDueRule])).toEqual([
      ['2025-06-15', 'stability'],
      ['2025-08-30', 'stability'], // morphine's 90 days (0.1 mL/day: the alarm is 180 days away)
      ['2025-04-23', 'stability'],
    ]);
    db.close();

    // The database as schema 6 left it: no first-fill column (nor the later migrations' columns:
    // they run again after 7), A due on its 40-day limit.
    const raw = new Database(file);
    // Migration 10's three recorder columns on the six tables of clinical entries.
    const later = ['pumps', 'refills', 'dose_changes', 'events', 'reversals', 'removals']
      .flatMap((t) => ['recorded_by_user_id', 'recorded_by_name', 'recorded_by_role'].map((c) => `ALTER TABLE ${t} DROP COLUMN ${c};`))
      .join('\n');
    raw.exec(`UPDATE pump_projection SET next_due_date = '2025-07-11', next_due_rule = 'stability' WHERE pump_id = ${a};
      ALTER TABLE drugs DROP COLUMN first_fill_stability_days;
      ALTER TABLE drugs DROP COLUMN undiluted_conc_ng_per_ml; ALTER TABLE drugs DROP COLUMN undiluted_stability_days;
      ALTER TABLE drugs DROP COLUMN stability_source; ALTER TABLE device_models DROP COLUMN aliases;
      ${later} ${UNDO_URGENCY} PRAGMA user_version = 6;`);
    raw.exec(UNDO_RESTARTS_AND_STATUS_DATES);
    raw.close();

    db = openTestDb(file); // migrates to 7
    expect(db.store.catalog.drugs().find((d) => d.name === 'Ziconotide')!.firstFillStabilityDays).toBe(14);
    expect(db.store.catalog.drugs().find((d) => d.name === 'Morphine')!.firstFillStabilityDays).toBeNull();
    expect([a, b, c].map((id) => db.store.record.projection(id))).toEqual(want);
    expect([a, b, c].map((id) => db.store.record.projection(id))).toEqual([a, b, c].map((id) => computeProjection(db.ctx, id)));
    db.close();
  });
});

describe('migration "device aliases, Prometra split and dilution stability"', () => {
  const mine = MIGRATIONS.find((m) => m.name === 'device aliases, Prometra split and dilution stability')!;

  /** A database at the schema before this migration, with `sql` run on it. */
  function before(file: string, sql: string): void {
    const opened = openDatabase(file, { migrations: MIGRATIONS.filter((m) => m.version < mine.version), backupBeforeMigration: false });
    if (!opened.ok || opened.state !== 'ok') throw new Error('did not open');
    opened.db.exec(sql);
    opened.db.close();
  }

  it('keeps a pump recorded on the combined "Prometra / Prometra II" row on it, and adds the two models with their own catalogue numbers', () => {
    const file = tmp.file('old.db');
    before(
      file,
      `INSERT INTO patients (mrn, family_name, given_name, birth_date, sex, indications, created_at_ms, updated_at_ms)
         VALUES ('P1', 'Old', 'Pump', '1960-01-01', 'female', '["cancer_pain"]', 0, 0);
       INSERT INTO pumps (patient_id, device_model_id, serial, implant_date, reservoir_ul, alarm_ul, created_at_ms)
         SELECT 1, id, 'PII-OLD', '2017-03-01', 20000, 3000, 0 FROM device_models WHERE model = 'Prometra / Prometra II';
       UPDATE drugs SET stability_days = 30 WHERE name = 'Morphine';`,
    );
    const combinedId = (new Database(file, { readonly: true }).prepare(`SELECT id FROM device_models WHERE model = 'Prometra / Prometra II'`).get() as { id: number }).id;
    const db = openTestDb(file); // migrates
    const devices = db.store.catalog.devices();
    const pump = db.store.record.pumpBySerial('PII-OLD')!;
    expect(pump.deviceModelId).toBe(combinedId);
    expect(db.store.catalog.deviceById(combinedId)).toMatchObject({ model: 'Prometra / Prometra II', catalogueNumbers: [], aliases: [], reservoirUl: 20000 });
    const at = (model: string, ml: number) => {
      const m = matchDeviceModel(devices, { manufacturer: 'Flowonix', model, reservoirUl: ml * 1000 });
      return m.ok ? [m.model.model, m.model.catalogueNumbers] : m.message;
    };
    expect(at('Prometra II', 20)).toEqual(['Prometra II', ['13827']]);
    expect(at('13827', 20)).toEqual(['Prometra II', ['13827']]);
    expect(at('11827', 20)).toEqual(['Prometra', ['11827']]);
    expect(at('Prometra 2', 40)).toEqual(['Prometra II', ['16827']]);
    // An export of the old pump names the combined row: it still imports back to it.
    expect(at('Prometra / Prometra II', 20)).toEqual(['Prometra / Prometra II', []]);
    // Stability sources are seeded only where the clinic kept the seed's figure.
    const drugs = db.store.catalog.drugs();
    expect(drugs.find((d) => d.name === 'Morphine')).toMatchObject({ stabilityDays: 30, stabilitySource: null });
    expect(drugs.find((d) => d.name === 'Ziconotide')).toMatchObject({ stabilityDays: 40, firstFillStabilityDays: 14, undilutedConcNgPerMl: 100_000, undilutedStabilityDays: 84 });
    expect(drugs.find((d) => d.name === 'Ziconotide')!.stabilitySource).toMatch(/^Prialt \(ziconotide\) prescribing information/);
    db.close();
  });

  it('a clinic that already added its own Prometra II 20 mL keeps it: no second copy, and the migration does not fail on the unique model', () => {
    const file = tmp.file('own.db');
    before(
      file,
      `INSERT INTO device_models (manufacturer, model, catalogue_numbers, reservoir_ul, default_alarm_ul, service_life_months, kind)
         VALUES ('Flowonix', 'Prometra II', '["13827"]', 20000, 3000, 120, 'programmable');`,
    );
    const db = openTestDb(file);
    const ours = db.store.catalog.devices().filter((d) => d.manufacturer === 'Flowonix' && d.reservoirUl === 20000);
    expect(ours.map((d) => [d.model, d.catalogueNumbers, d.serviceLifeMonths])).toEqual([
      ['Prometra', ['11827'], null],
      ['Prometra II', ['13827'], 120],
    ]);
    db.close();
  });

  it('a new clinic has no combined row: every Prometra model is one pump with one catalogue number; morphine names its source', () => {
    const db = openTestDb(tmp.file('new.db'));
    expect(db.store.catalog.devices().filter((d) => d.manufacturer === 'Flowonix').map((d) => [d.model, d.reservoirUl, d.catalogueNumbers, d.serviceLifeMonths])).toEqual([
      ['Prometra', 20000, ['11827'], null],
      ['Prometra II', 20000, ['13827'], null],
      ['Prometra II', 40000, ['16827'], null],
    ]);
    expect(db.store.catalog.drugs().find((d) => d.name === 'Morphine')!.stabilitySource).toBe('UW pump-refill guidance: up to 90 days in the pump');
    db.close();
  });
});

describe("migration 'therapy restarts and patient status dates'", () => {
  const NAME = 'therapy restarts and patient status dates';

  it('keeps every reversal and its id, so a signature made before it still verifies; empties the projection of a pump turned off', async () => {
    const mine = MIGRATIONS.find((m) => m.name === NAME)!;
    const file = tmp.file('clinic.db');
    const before = openDatabase(file, { migrations: MIGRATIONS.filter((m) => m.version < mine.version), backupBeforeMigration: false });
    if (!before.ok || before.state !== 'ok') throw new Error('could not open before the migration');
    const raw = before.db;
    const hash = await hashPassword(TEST_PASSWORD, TEST_COST);
    raw.prepare("INSERT INTO users (username, display_name, role, password_hash, created_at_ms, updated_at_ms) VALUES ('nurse', 'RN Patel', 'clinician', ?, 0, 0)").run(hash);
    raw.exec(`
      INSERT INTO patients (id, mrn, family_name, given_name, birth_date, sex, indications, status, created_at_ms, updated_at_ms) VALUES
        (1, 'M1', 'Okafor', 'Grace', '1958-03-14', 'female', '["spasticity"]', 'active', 0, 0),
        (2, 'M2', 'Quinn', 'Nora', '1960-01-01', 'female', '["spasticity"]', 'deceased', 0, 0);
      INSERT INTO pumps (id, patient_id, device_model_id, serial, implant_date, reservoir_ul, alarm_ul, status, created_at_ms) VALUES
        (1, 1, 1, 'SM-OFF', '2025-01-10', 20000, 2000, 'off', 0),
        (2, 2, 1, 'SM-DEAD', '2025-01-10', 20000, 2000, 'active', 0);
      INSERT INTO refills (id, pump_id, date, added_ul, mode, reservoir_port_confirmed, alarm_date, empty_date, next_due_date, next_due_rule, created_at_ms) VALUES
        (1, 1, '2025-01-10', 20000, 'simple_continuous', 1, '2025-04-10', '2025-04-20', '2025-04-03', 'alarm', 0),
        (2, 2, '2025-01-10', 20000, 'simple_continuous', 1, '2025-04-10', '2025-04-20', '2025-04-03', 'alarm', 0);
      INSERT INTO refill_drugs (refill_id, position, drug_id, unit, concentration_ng_per_ml, daily_dose_ng_per_day) VALUES
        (1, 0, 3, 'mcg', 2000000, 400000), (2, 0, 3, 'mcg', 2000000, 400000);
      INSERT INTO reversals (id, pump_id, date, kind, plan, note, clinician, created_at_ms) VALUES
        (7, 1, '2025-02-01', 'turned_off', 'Oral baclofen', 'Old reversal', 'Dr. Lindqvist', 0);
      -- The projections as the earlier rules stored them (0.2 mL/day: alarm 90 days after the fill,
      -- empty after 100, due 7 days before the alarm): the pump turned off kept its dates.
      INSERT INTO pump_projection (pump_id, in_worklist, last_refill_date, daily_volume_ul, alarm_date, empty_date, next_due_date, next_due_rule, discrepancy_flag, replacement_from_date) VALUES
        (1, 0, '2025-01-10', 200, '2025-04-10', '2025-04-20', '2025-04-03', 'alarm', NULL, '2031-07-10'),
        (2, 1, '2025-01-10', 200, '2025-04-10', '2025-04-20', '2025-04-03', 'alarm', NULL, '2031-07-10');
    `);
    const reversal: Reversal = { id: 7, recordedBy: null, pumpId: 1, date: '2025-02-01', kind: 'turned_off', plan: 'Oral baclofen', outcome: null, note: 'Old reversal', clinician: 'Dr. Lindqvist' };
    raw
      .prepare("INSERT INTO signatures (entry_kind, entry_id, user_id, printed_name, role, meaning, signed_at_ms, content_sha256) VALUES ('reversal', 7, 1, 'RN Patel', 'clinician', 'documented therapy reversal', 0, ?)")
      .run(sha256(signedContent({ kind: 'reversal', value: reversal })));
    raw.close();

    const opened = createServices({ databasePath: file, shell: 'browser', now: () => Date.UTC(2025, 5, 1), passwordCost: TEST_COST, backupBeforeMigration: false });
    if (!opened.ok) throw new Error(opened.error.message);
    const services = opened.value;
    try {
      const slot: SessionSlot = { id: null };
      expect((await services.dispatch('session.login', { username: 'nurse', password: TEST_PASSWORD }, slot)).ok).toBe(true);
      const record = await services.dispatch('patients.get', { id: 1 }, slot);
      if (!record.ok) throw new Error(record.error.message);
      const value = record.value as PatientRecord;
      const h = value.pumps[0]!;
      expect(h.reversals).toEqual([reversal]);
      expect(value.attestations).toEqual([expect.objectContaining({ kind: 'reversal', entryId: 7, signature: expect.objectContaining({ intact: true }) })]);
      // Off: no daily volume, alarm, empty or due date. Deceased: not in the worklist.
      expect(h.projection).toMatchObject({ inWorklist: false, dailyVolumeUl: null, alarmDate: null, emptyDate: null, nextDueDate: null, lastRefillDate: '2025-01-10' });
      const dead = await services.dispatch('patients.get', { id: 2 }, slot);
      expect(dead).toMatchObject({ ok: true, value: { patient: { deathDate: null }, pumps: [{ projection: { inWorklist: false, nextDueDate: '2025-04-03' } }] } });

      // The signed reversal is still protected; the pump can be restarted and reversed again.
      const db = new Database(file);
      expect(() => db.prepare("UPDATE reversals SET note = 'x' WHERE id = 7").run()).toThrow(/signed therapy reversal cannot be changed/);
      db.close();
      const fill = { pumpId: 1, date: '2025-03-01', withdrawnMl: null, addedMl: 20, drugs: [{ drug: 'Baclofen', concentration: { value: 2000, unit: 'mcg' }, dailyDose: { value: 400, unit: 'mcg' } }], mode: 'simple_continuous', reservoirPortConfirmed: true };
      expect(await services.dispatch('restarts.record', withVersions(file, 'restarts.record', fill), slot)).toMatchObject({ ok: true });
      expect(await services.dispatch('reversals.record', withVersions(file, 'reversals.record', { pumpId: 1, date: '2025-04-01', kind: 'drained' }), slot)).toMatchObject({ ok: true });
    } finally {
      services.close();
    }
    const store = openTestDb(file);
    expect([1, 2].map((id) => store.store.record.projection(id))).toEqual([1, 2].map((id) => computeProjection(store.ctx, id)));
    store.close();
  });
});

describe('the urgency migration (issue 13): withdrawal warnings and worklist indexes', () => {
  it('seeds each drug\'s withdrawal warning with its source, leaves ziconotide and bupivacaine empty, and adds the indexes', () => {
    expect(URGENCY).toBeDefined();
    const file = tmp.file('clinic.db');
    let db = openTestDb(file);
    db.close();
    const raw = new Database(file);
    raw.exec(`${UNDO_URGENCY} UPDATE drugs SET name = 'Baclofen (clinic)' WHERE name = 'Baclofen'; PRAGMA user_version = ${URGENCY.version - 1};`);
    raw.close();

    db = openTestDb(file);
    const warning = (name: string) => db.store.catalog.drugs().find((d) => d.name === name)!.withdrawalWarning;
    expect(warning('Clonidine')).toBe('Abrupt withdrawal can cause rebound hypertension. (Clonidine label.)');
    for (const opioid of ['Morphine', 'Hydromorphone', 'Fentanyl', 'Sufentanil']) expect(warning(opioid)).toBe(`Abrupt withdrawal can cause an opioid withdrawal syndrome. (${opioid} label.)`);
    expect(warning('Ziconotide')).toBeNull(); // the label allows stopping without withdrawal
    expect(warning('Bupivacaine')).toBeNull(); // not confirmed
    expect(warning('Baclofen (clinic)')).toBeNull(); // a clinic's renamed or own drug is left to the clinic
    db.close();
    const check = new Database(file);
    expect(check.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
    const indexes = check.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND name IN ('worklist_empty', 'worklist_alarm', 'open_severe_adverse_events')`).all();
    expect(indexes).toHaveLength(3);
    check.close();
  });

  it('a new database has baclofen\'s boxed warning', () => {
    const db = openTestDb(tmp.file('new.db'));
    expect(db.store.catalog.drugs().find((d) => d.name === 'Baclofen')!.withdrawalWarning).toMatch(/life-threatening.*\(Boxed warning, Lioresal Intrathecal and Gablofen labels\.\)$/s);
    db.close();
  });
});

describe('the drug library migration (issue 17): hard maximum doses with their sources', () => {
  const mine = MIGRATIONS.find((m) => m.name === DRUG_LIMITS_MIGRATION)!;

  it('gives every seeded drug a hard maximum daily dose, each with its source', () => {
    const db = openTestDb(tmp.file('new.db'));
    const drugs = db.store.catalog.drugs();
    expect(drugs).toHaveLength(8);
    for (const drug of drugs) {
      expect(drug.maxDoseNgPerDay, drug.name).not.toBeNull();
      expect(drug.limitsSource, drug.name).toMatch(/PACC 2017|label/);
    }
    const max = (name: string) => drugs.find((d) => d.name === name)!.maxDoseNgPerDay;
    // 2 × the PACC 2017 recommended maxima: morphine 2 × 15 mg, hydromorphone 2 × 10 mg, fentanyl
    // 2 × 1000 mcg, sufentanil 2 × 500 mcg, bupivacaine 2 × 20 mg, clonidine 2 × 600 mcg (in ng)
    expect([max('Morphine'), max('Hydromorphone'), max('Fentanyl'), max('Sufentanil'), max('Bupivacaine'), max('Clonidine')]).toEqual([
      30_000_000, 20_000_000, 2_000_000, 1_000_000, 40_000_000, 1_200_000,
    ]);
    expect(max('Baclofen')).toBe(2_000_000); // 2 × 1000 mcg/day
    expect(max('Ziconotide')).toBe(19_200); // the Prialt label's 19.2 mcg/day
    const zic = drugs.find((d) => d.name === 'Ziconotide')!;
    expect([zic.maxStepUpSoftNgPerDay, zic.maxWeekStepUpSoftNgPerDay]).toEqual([2_400, 7_200]); // 2.4 and 3 × 2.4 mcg/day
    // no soft maximum above its hard one: hydromorphone's and clonidine's typical maxima come down to the recommended ones
    for (const drug of drugs) if (drug.typicalDoseNgPerDay) expect(drug.typicalDoseNgPerDay.max, drug.name).toBeLessThanOrEqual(drug.maxDoseNgPerDay!);
    db.close();
  });

  it('out of the box, morphine 500 mg/day and baclofen 20,000 mcg/day are refused at a refill', () => {
    const db = openTestDb(tmp.file('clinic.db'));
    const pumpId = pumpFor(db, 'LIM-1', '2025-08-05');
    const attempt = (drug: object) =>
      recordRefill(
        db.ctx,
        refillEntryInput.parse({ pumpId, date: '2025-08-05', withdrawnMl: null, addedMl: 20, drugs: [drug], mode: 'simple_continuous', reservoirPortConfirmed: true, note: 'x' }),
      );
    const m = attempt({ drug: 'Morphine', concentration: { value: 25, unit: 'mg' }, dailyDose: { value: 500, unit: 'mg' } });
    expect(m.ok ? null : m.error).toMatchObject({
      code: 'refused',
      field: 'drugs.0.dailyDose',
      message: expect.stringContaining('is above the hard maximum of 30 mg/day (2 × the PACC 2017 recommended maximum of 15 mg/day'),
    });
    const b = attempt({ drug: 'Baclofen', concentration: { value: 2000, unit: 'mcg' }, dailyDose: { value: 20_000, unit: 'mcg' } });
    expect(b.ok ? null : b.error.message).toMatch(/^Baclofen daily dose 20000 mcg\/day is above the hard maximum of 2000 mcg\/day \(soft maximum 1000 mcg\/day, above which the Lioresal Intrathecal label reports limited experience; hard maximum 2 × that\)/);
    expect(db.store.record.refills(pumpId)).toEqual([]);
    db.close();
  });

  it('leaves a maximum the clinic set itself, and a typical range it edited', () => {
    const file = tmp.file('old.db');
    const opened = openDatabase(file, { migrations: MIGRATIONS.filter((m) => m.version < mine.version), backupBeforeMigration: false });
    if (!opened.ok || opened.state !== 'ok') throw new Error('did not open');
    opened.db.exec(`UPDATE drugs SET max_dose_ng_per_day = 12000000 WHERE name = 'Morphine';
      UPDATE drugs SET typical_dose_max_ng_per_day = 8000000 WHERE name = 'Hydromorphone';`);
    opened.db.close();
    const db = openTestDb(file);
    const drug = (name: string) => db.store.catalog.drugs().find((d) => d.name === name)!;
    expect([drug('Morphine').maxDoseNgPerDay, drug('Morphine').limitsSource]).toEqual([12_000_000, null]);
    expect([drug('Hydromorphone').maxDoseNgPerDay, drug('Hydromorphone').typicalDoseNgPerDay]).toEqual([20_000_000, { min: 500_000, max: 8_000_000 }]);
    db.close();
  });
});

describe('migration "audit trail: the workstation of each entry"', () => {
  const mine = MIGRATIONS.find((m) => m.name === AUDIT_WORKSTATION_MIGRATION)!;

  it('an older file still takes audit entries before it is migrated (a restored backup’s restore entry), and its chain verifies after', () => {
    const file = tmp.file('older.db');
    const opened = openDatabase(file, { migrations: MIGRATIONS.filter((m) => m.version < mine.version), backupBeforeMigration: false });
    if (!opened.ok || opened.state !== 'ok') throw new Error('did not open');
    withWorkstation('ROOM1-PC (10.0.0.21)', () => new AuditLog(opened.db).record(null, 1_000, { action: 'restore', entity: 'database', entityId: 'x' }));
    expect(verifyAuditChain(opened.db)).toMatchObject({ ok: true, entries: 1 });
    opened.db.close();

    const migrated = openDatabase(file, { backupBeforeMigration: false });
    if (!migrated.ok || migrated.state !== 'ok') throw new Error('did not open');
    try {
      expect(migrated.db.prepare('SELECT workstation FROM audit_log').all()).toEqual([{ workstation: null }]);
      withWorkstation('ROOM1-PC (10.0.0.21)', () => new AuditLog(migrated.db).record(null, 2_000, { action: 'login_failed', entity: 'session', entityId: null }));
      expect(migrated.db.prepare('SELECT workstation FROM audit_log ORDER BY seq').all()).toEqual([{ workstation: null }, { workstation: 'ROOM1-PC (10.0.0.21)' }]);
      expect(verifyAuditChain(migrated.db)).toMatchObject({ ok: true, entries: 2 });
    } finally {
      migrated.db.close();
    }
  });
});

describe('the independent double check migration (issue 17, item 3)', () => {
  const mine = MIGRATIONS.find((m) => m.name === VERIFICATIONS_MIGRATION)!;

  it('adds the verifications table to a database of the schema before it, keeping its record', () => {
    expect(mine).toBeDefined();
    const file = tmp.file('old.db');
    const opened = openDatabase(file, { migrations: MIGRATIONS.filter((m) => m.version < mine.version), backupBeforeMigration: false });
    if (!opened.ok || opened.state !== 'ok') throw new Error('did not open');
    expect(opened.db.prepare("SELECT name FROM sqlite_master WHERE name = 'verifications'").get()).toBeUndefined();
    opened.db.close();
    const db = openTestDb(file);
    const pumpId = pumpFor(db, 'VER-1', '2025-08-05');
    refill(db, pumpId, '2025-08-05', null, morphine); // no signed-in recorder: no check asked
    const raw = new Database(file);
    expect(raw.prepare('SELECT count(*) AS n FROM verifications').get()).toEqual({ n: 0 });
    expect(raw.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
    raw.close();
    db.close();
  });
});

describe('the personal access tokens migration (issue 14, item 5)', () => {
  const mine = MIGRATIONS.find((m) => m.name === ACCESS_TOKENS_MIGRATION)!;

  it('adds the tokens table to a database of the schema before it; a token is never deleted and its revocation is final', () => {
    expect(mine).toBeDefined();
    const file = tmp.file('old.db');
    const opened = openDatabase(file, { migrations: MIGRATIONS.filter((m) => m.version < mine.version), backupBeforeMigration: false });
    if (!opened.ok || opened.state !== 'ok') throw new Error('did not open');
    expect(opened.db.prepare("SELECT name FROM sqlite_master WHERE name = 'access_tokens'").get()).toBeUndefined();
    opened.db.close();
    openTestDb(file).close();
    const raw = new Database(file);
    try {
      expect(raw.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
      raw.prepare("INSERT INTO access_tokens (name, role, secret_sha256, created_by_name, created_at_ms, expires_at_ms) VALUES ('t', 'auditor', ?, 'admin', 1, 2)").run('a'.repeat(64));
      expect(() => raw.prepare("INSERT INTO access_tokens (name, role, secret_sha256, created_by_name, created_at_ms, expires_at_ms) VALUES ('u', 'administrator', ?, 'admin', 1, 2)").run('b'.repeat(64))).toThrow(/CHECK/);
      expect(() => raw.prepare('DELETE FROM access_tokens').run()).toThrow(/never deleted/);
      raw.prepare("UPDATE access_tokens SET revoked_at_ms = 5, revoked_by_name = 'admin'").run();
      expect(() => raw.prepare('UPDATE access_tokens SET revoked_at_ms = NULL, revoked_by_name = NULL').run()).toThrow(/revocation/);
    } finally {
      raw.close();
    }
  });
});

describe('the refill appointments migration (issue 16, item 1)', () => {
  const mine = MIGRATIONS.find((m) => m.name === APPOINTMENTS_MIGRATION)!;

  it('adds the appointments table to a database of the schema before it, keeping its record; rows cannot be deleted', () => {
    expect(mine).toBeDefined();
    const file = tmp.file('old.db');
    const opened = openDatabase(file, { migrations: MIGRATIONS.filter((m) => m.version < mine.version), backupBeforeMigration: false });
    if (!opened.ok || opened.state !== 'ok') throw new Error('did not open');
    expect(opened.db.prepare("SELECT name FROM sqlite_master WHERE name = 'appointments'").get()).toBeUndefined();
    opened.db.close();
    const db = openTestDb(file);
    const pumpId = pumpFor(db, 'APT-1', '2025-08-05');
    db.close();
    const raw = new Database(file);
    expect(raw.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
    raw.prepare(`INSERT INTO appointments (pump_id, date, time, room, home_visit, created_by, created_at_ms, updated_by, updated_at_ms) VALUES (?, '2025-09-01', '10:30', 'Room 1', 0, 'x', 0, 'x', 0)`).run(pumpId);
    expect(() => raw.prepare(`INSERT INTO appointments (pump_id, date, time, home_visit, created_by, created_at_ms, updated_by, updated_at_ms) VALUES (?, '2025-09-01', '25:00', 0, 'x', 0, 'x', 0)`).run(pumpId)).toThrow();
    expect(() => raw.prepare('DELETE FROM appointments').run()).toThrow(/cannot be deleted/);
    raw.close();
  });
});

describe('the covering worklist indexes migration (issue 14, the worklist for 20 workstations)', () => {
  const mine = MIGRATIONS.find((m) => m.name === WORKLIST_COVERING_MIGRATION)!;
  const columns = (db: Database.Database, index: string) => (db.prepare(`PRAGMA index_info(${index})`).all() as { name: string }[]).map((c) => c.name);

  it('rebuilds worklist_empty and worklist_alarm covering, under the same names, on a database of the schema before it', () => {
    expect(mine).toBeDefined();
    const file = tmp.file('old.db');
    const opened = openDatabase(file, { migrations: MIGRATIONS.filter((m) => m.version < mine.version), backupBeforeMigration: false });
    if (!opened.ok || opened.state !== 'ok') throw new Error('did not open');
    expect(columns(opened.db, 'worklist_empty')).toEqual(['empty_date']);
    opened.db.close();
    const db = openTestDb(file);
    const pumpId = pumpFor(db, 'COV-1', '2025-08-05');
    refill(db, pumpId, '2025-08-05', null, morphine);
    db.close();
    const raw = new Database(file);
    try {
      expect(raw.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
      expect(columns(raw, 'worklist_empty')).toEqual(['empty_date', 'next_due_date', 'alarm_date', 'replacement_from_date', 'discrepancy_flag']);
      expect(columns(raw, 'worklist_alarm')).toEqual(['alarm_date', 'empty_date', 'next_due_date', 'replacement_from_date', 'discrepancy_flag']);
      // Still partial: only pumps on the worklist.
      expect(raw.prepare("SELECT sql FROM sqlite_master WHERE name = 'worklist_empty'").pluck().get()).toMatch(/WHERE in_worklist = 1/);
      expect(raw.prepare('SELECT count(*) FROM pump_projection INDEXED BY worklist_empty WHERE in_worklist = 1 AND empty_date IS NOT NULL').pluck().get()).toBe(1);
    } finally {
      raw.close();
    }
  });
});
