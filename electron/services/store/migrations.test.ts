import Database from 'better-sqlite3-multiple-ciphers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { patientCreateInput } from '../../../shared/contract/patients';
import { pumpImplantInput, refillInput } from '../../../shared/contract/record';
import { openTestDb, type TestDb } from '../features/interchange/test-support';
import { computeProjection } from '../features/record/projection';
import { recordRefill } from '../features/record/refills';
import { implantPump } from '../features/record/service';
import { tempDir } from '../testing/temp';
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from './migrations';

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

/** Undoes the urgency migration (issue 13), so a test can set the database back to an earlier schema. */
const UNDO_URGENCY = `DROP INDEX worklist_empty; DROP INDEX worklist_alarm; DROP INDEX open_severe_adverse_events;
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

    // The database as schema 6 left it: no first-fill column, A due on its 40-day limit.
    const raw = new Database(file);
    raw.exec(`UPDATE pump_projection SET next_due_date = '2025-07-11', next_due_rule = 'stability' WHERE pump_id = ${a};
      ALTER TABLE drugs DROP COLUMN first_fill_stability_days; ${UNDO_URGENCY} PRAGMA user_version = 6;`);
    raw.close();

    db = openTestDb(file); // migrates to 7
    expect(db.store.catalog.drugs().find((d) => d.name === 'Ziconotide')!.firstFillStabilityDays).toBe(14);
    expect(db.store.catalog.drugs().find((d) => d.name === 'Morphine')!.firstFillStabilityDays).toBeNull();
    expect([a, b, c].map((id) => db.store.record.projection(id))).toEqual(want);
    expect([a, b, c].map((id) => db.store.record.projection(id))).toEqual([a, b, c].map((id) => computeProjection(db.ctx, id)));
    db.close();
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
