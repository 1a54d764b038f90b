import Database from 'better-sqlite3-multiple-ciphers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { patientCreateInput } from '../../../shared/contract/patients';
import { pumpImplantInput, refillInput } from '../../../shared/contract/record';
import { openTestDb, type TestDb } from '../features/interchange/test-support';
import { computeProjection } from '../features/record/projection';
import { RECORDED_BY_COLUMN_NAMES, RECORDED_TABLES } from '../features/record/recorded-by';
import { recordRefill } from '../features/record/refills';
import { implantPump } from '../features/record/service';
import { tempDir } from '../testing/temp';
import { matchDeviceModel } from '../../../shared/domain/device-match';
import { openDatabase } from './database';
import { MIGRATIONS } from './migrations';

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
    refillInput.parse({ pumpId, date, withdrawnMl, addedMl: 20, drugs: [drug], mode: 'simple_continuous', reservoirPortConfirmed: true, note: 'x', acknowledgeDiscrepancy: true }),
  );
  if (!r.ok) throw new Error(r.error.message);
}

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
    const later = RECORDED_TABLES.flatMap((t) => RECORDED_BY_COLUMN_NAMES.map((c) => `ALTER TABLE ${t} DROP COLUMN ${c};`)).join('\n');
    raw.exec(`UPDATE pump_projection SET next_due_date = '2025-07-11', next_due_rule = 'stability' WHERE pump_id = ${a};
      ALTER TABLE drugs DROP COLUMN first_fill_stability_days;
      ALTER TABLE drugs DROP COLUMN undiluted_conc_ng_per_ml; ALTER TABLE drugs DROP COLUMN undiluted_stability_days;
      ALTER TABLE drugs DROP COLUMN stability_source; ALTER TABLE device_models DROP COLUMN aliases;
      ${later} PRAGMA user_version = 6;`);
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
