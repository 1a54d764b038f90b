import Database from 'better-sqlite3-multiple-ciphers';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type OpenedStore } from '../../../cli/database';
import { addDays, calendarDate, type CalendarDate } from '../../../../shared/domain/calendar';
import type { PatientRecord, Worklist } from '../../../../shared/contract/record';
import { generateClinic } from '../../generate/generate';
import { useTestServices } from '../../testing/services';
import { tempDir } from '../../testing/temp';
import { NOT_BOOKED, WORKLIST_COUNTS_SQL } from './worklist-sql';
import { worklistCounts } from './worklist-counts';
import { AppointmentRepository } from '../appointments/repository';

/**
 * The worklist's counts are cached per as-of date until anything is written (worklist-counts.ts),
 * and counted by cheaper SQL than before: neither may change one number the worklist answers.
 */

/** The `attention` count as it was counted before (a UNION of the later-due sets): the reference. */
const ATTENTION_BEFORE = `SELECT (SELECT count(*) FROM pump_projection WHERE in_worklist = 1 AND next_due_date <= @until)
   + (SELECT count(*) FROM (
        SELECT pump_id FROM pump_projection WHERE in_worklist = 1 AND replacement_from_date <= @asOf AND next_due_date > @until
        UNION SELECT pump_id FROM pump_projection WHERE in_worklist = 1 AND discrepancy_flag = 1 AND next_due_date > @until
        UNION SELECT e.pump_id FROM events e JOIN pump_projection pp ON pp.pump_id = e.pump_id AND pp.in_worklist = 1
          WHERE e.kind = 'adverse' AND e.status = 'open' AND pp.next_due_date > @until)) AS attention`;

/** Every count as counted before the open adverse events were read once (issue 14, the fresh path): the reference. */
const COUNTS_BEFORE = `SELECT
   (SELECT count(*) FROM pump_projection WHERE in_worklist = 1 AND next_due_date IS NOT NULL) AS running,
   (SELECT count(*) FROM pump_projection WHERE in_worklist = 1 AND next_due_date < @asOf) AS overdue,
   (SELECT count(*) FROM pump_projection WHERE in_worklist = 1 AND next_due_date >= @asOf AND next_due_date <= @until) AS due,
   (SELECT count(*) FROM pump_projection WHERE in_worklist = 1 AND replacement_from_date <= @asOf) AS replacement_due,
   (SELECT count(*) FROM pump_projection pp WHERE in_worklist = 1 AND next_due_date IS NOT NULL AND pp.empty_date <= @asOf) AS empty,
   (SELECT count(*) FROM pump_projection pp WHERE in_worklist = 1 AND next_due_date IS NOT NULL
      AND pp.alarm_date <= @asOf AND (pp.empty_date IS NULL OR pp.empty_date > @asOf)) AS alarm,
   (SELECT count(DISTINCT e.pump_id) FROM events e JOIN pump_projection pp ON pp.pump_id = e.pump_id AND pp.in_worklist = 1
      WHERE e.kind = 'adverse' AND e.status = 'open' AND e.severity IN ('severe', 'life_threatening')) AS severe_adverse,
   (SELECT count(*) FROM pump_projection WHERE in_worklist = 1 AND discrepancy_flag = 1) AS flagged,
   (SELECT count(DISTINCT e.pump_id) FROM events e JOIN pump_projection pp ON pp.pump_id = e.pump_id AND pp.in_worklist = 1
      WHERE e.kind = 'adverse' AND e.status = 'open') AS open_adverse`;

describe('the attention count, counted as three disjoint ranges, equals the UNION it replaced', () => {
  const NOW = Date.UTC(2026, 10, 24, 12);
  let tmp: ReturnType<typeof tempDir>;
  let opened: OpenedStore;
  beforeAll(() => {
    tmp = tempDir('reservoir-worklist-counts-');
    const r = openStore(tmp.file('clinic.db'), { mustExist: false, now: () => NOW, keys: { plain: true } });
    if (!r.ok) throw new Error(r.message);
    opened = r.value;
    generateClinic(opened.ctx, { patients: 60, years: 8, seed: 7, asOf: calendarDate('2026-11-24'), batchSize: 30 });
  });
  afterAll(() => {
    opened.close();
    tmp.cleanup();
  });

  const dates = ['2019-03-01', '2024-02-29', '2026-06-15', '2026-11-10', '2026-11-24', '2026-12-31', '2027-06-01', '2031-01-01'];
  const compare = (db: Database.Database) => {
    const before = db.prepare(ATTENTION_BEFORE);
    const countsBefore = db.prepare(COUNTS_BEFORE);
    const now = db.prepare(WORKLIST_COUNTS_SQL);
    for (const asOf of dates) {
      // -5: a window ending before the as-of date (not one the contract allows; the SQL still answers it right).
      for (const days of [-5, 0, 14, 60]) {
        const p = { asOf, until: addDays(asOf as CalendarDate, days) };
        const counted = now.get(p) as Record<string, number>;
        expect(counted.attention, `${asOf} + ${days} days`).toBe((before.get(p) as { attention: number }).attention);
        // Every other count, too (the open adverse events are read once for two counts).
        expect(counted, `${asOf} + ${days} days`).toEqual({ ...(countsBefore.get(p) as object), attention: counted.attention });
      }
    }
  };

  it('on the generated clinic, as of many dates and windows', () => {
    const db = new Database(tmp.file('clinic.db'), { readonly: true });
    try {
      compare(db);
    } finally {
      db.close();
    }
  });

  it('an audit entry committed on its own (a record view) keeps the cached counts; one inside a clinical write does not', () => {
    const store = opened.ctx.store;
    const original = store.record.worklistCounts.bind(store.record);
    let counted = 0;
    store.record.worklistCounts = (asOf: string, until: string) => (counted++, original(asOf, until));
    try {
      const first = worklistCounts(store, '2026-11-24', '2026-12-08');
      expect(counted).toBe(1);
      // A record view: its own commit, nothing but the trail.
      opened.ctx.audit.record({ action: 'view', entity: 'patient', entityId: 1, patientId: 1 });
      expect(worklistCounts(store, '2026-11-24', '2026-12-08')).toEqual(first);
      expect(counted).toBe(1);
      // A clinical change with its audit entry in one transaction: counted afresh, the new value.
      const pump = (opened.ctx.store as unknown as { db: Database.Database }).db.prepare('SELECT pump_id FROM pump_projection WHERE in_worklist = 1 AND discrepancy_flag = 0 LIMIT 1').pluck().get() as number;
      store.transaction(() => {
        (opened.ctx.store as unknown as { db: Database.Database }).db.prepare('UPDATE pump_projection SET discrepancy_flag = 1 WHERE pump_id = ?').run(pump);
        opened.ctx.audit.record({ action: 'update', entity: 'pump', entityId: pump, patientId: null });
      });
      expect(worklistCounts(store, '2026-11-24', '2026-12-08').flagged).toBe(first.flagged + 1);
      expect(counted).toBe(2);
      store.transaction(() => void (opened.ctx.store as unknown as { db: Database.Database }).db.prepare('UPDATE pump_projection SET discrepancy_flag = 0 WHERE pump_id = ?').run(pump));
      expect(worklistCounts(store, '2026-11-24', '2026-12-08')).toEqual(first);
    } finally {
      store.record.worklistCounts = original;
    }
  });

  it('counts read inside a transaction that rolls back are not kept', () => {
    const store = opened.ctx.store;
    const before = worklistCounts(store, '2026-11-24', '2026-12-08');
    const flaggedNow = (store as unknown as { db: Database.Database }).db.prepare('SELECT count(*) FROM pump_projection WHERE in_worklist = 1').pluck().get() as number;
    expect(() =>
      store.transaction(() => {
        (store as unknown as { db: Database.Database }).db.prepare('UPDATE pump_projection SET discrepancy_flag = 1').run();
        expect(worklistCounts(store, '2026-11-24', '2026-12-08').flagged).toBe(flaggedNow); // uncommitted, answered uncached
        throw new Error('roll back');
      }),
    ).toThrow('roll back');
    expect(worklistCounts(store, '2026-11-24', '2026-12-08')).toEqual(before);
    expect(before.flagged).toBeLessThan(flaggedNow);
  });

  it('with every pump flagged, due for replacement, off the worklist or missing a date at random (NULLs included)', () => {
    const db = new Database(tmp.file('clinic.db'));
    try {
      db.exec('BEGIN');
      let seed = 42;
      const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
      const pick = <T,>(xs: T[]) => xs[Math.floor(rnd() * xs.length)]!;
      const update = db.prepare('UPDATE pump_projection SET in_worklist = ?, next_due_date = ?, replacement_from_date = ?, discrepancy_flag = ? WHERE pump_id = ?');
      const pumps = db.prepare('SELECT pump_id FROM pump_projection').pluck().all() as number[];
      expect(pumps.length).toBeGreaterThan(60);
      for (const id of pumps) {
        update.run(pick([0, 1, 1, 1]), pick([null, '2024-01-01', '2026-11-20', '2026-12-01', '2026-12-20', '2027-03-01']), pick([null, null, '2026-01-01', '2026-12-31']), pick([null, 0, 0, 1]), id);
      }
      db.prepare(`INSERT INTO events (patient_id, pump_id, date, kind, adverse_kind, severity, status, note, created_at_ms)
        SELECT p.patient_id, p.id, '2026-01-01', 'adverse', 'pocket_fill', 'mild', 'open', 'test', 0 FROM pumps p WHERE p.id % 3 = 0`).run();
      compare(db);
    } finally {
      db.exec('ROLLBACK');
      db.close();
    }
  });
});

describe('"due, not booked" counted from the appointments\' side equals the count pump by pump (issue 14)', () => {
  const NOW = Date.UTC(2026, 10, 24, 12);
  /** The count as it was before issue 14's second plan: the reference. */
  const BEFORE = `SELECT count(*) AS n FROM pump_projection pp WHERE pp.in_worklist = 1 AND pp.next_due_date <= @until AND ${NOT_BOOKED}`;
  const DUE_BY_UNTIL = 'SELECT count(*) AS n FROM pump_projection WHERE in_worklist = 1 AND next_due_date <= @until';
  let tmp: ReturnType<typeof tempDir>;
  let opened: OpenedStore;
  beforeAll(() => {
    tmp = tempDir('reservoir-due-not-booked-');
    const r = openStore(tmp.file('clinic.db'), { mustExist: false, now: () => NOW, keys: { plain: true } });
    if (!r.ok) throw new Error(r.message);
    opened = r.value;
    generateClinic(opened.ctx, { patients: 60, years: 8, seed: 11, asOf: calendarDate('2026-11-24'), batchSize: 30 });
  });
  afterAll(() => {
    opened.close();
    tmp.cleanup();
  });

  it('with appointments of every state on dates around each as-of date, duplicates and pumps off the worklist included', () => {
    const db = new Database(tmp.file('clinic.db'));
    try {
      db.exec('BEGIN');
      let seed = 5;
      const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
      const pick = <T,>(xs: T[]) => xs[Math.floor(rnd() * xs.length)]!;
      const pumps = db.prepare('SELECT pump_id FROM pump_projection').pluck().all() as number[];
      const insert = db.prepare(`INSERT INTO appointments (pump_id, date, time, room, home_visit, state, cancel_reason, created_by, created_at_ms, updated_by, updated_at_ms)
        VALUES (?, ?, '09:00', 'Room 1', 0, ?, ?, 'test', 0, 'test', 0)`);
      const repo = new AppointmentRepository(db);
      const dates = ['2019-03-01', '2026-06-15', '2026-11-10', '2026-11-24', '2026-12-01', '2026-12-31', '2031-01-01'];
      const days = [0, 14, 60, 365];
      let checked = 0;
      // Rounds with more appointments each time: both plans are taken (few appointments from the date on, and many).
      for (const round of [0, 3, 40]) {
        for (let i = 0; i < round; i++) {
          const state = pick(['booked', 'booked', 'attended', 'did_not_attend', 'cancelled'] as const);
          insert.run(pick(pumps), pick([...dates, '2026-11-23', '2026-11-25', '2026-12-08', '2026-12-09']), state, state === 'cancelled' ? 'test' : null);
        }
        for (const asOf of dates) {
          for (const d of days) {
            const p = { asOf, until: addDays(asOf as CalendarDate, d) };
            const expected = (db.prepare(BEFORE).get(p) as { n: number }).n;
            const due = (db.prepare(DUE_BY_UNTIL).get(p) as { n: number }).n;
            const label = `${asOf} + ${d} days, ${round} more appointments`;
            expect(repo.dueNotBookedByPump(p.asOf, p.until), label).toBe(expected);
            expect(due - repo.dueBookedCount(p.asOf, p.until), label).toBe(expected);
            expect(repo.dueNotBookedCount(p.asOf, p.until, due), label).toBe(expected);
            expect(repo.dueNotBookedCount(p.asOf, p.until), label).toBe(expected);
            checked++;
          }
        }
      }
      expect(checked).toBe(3 * 7 * 4);
      // Both plans were taken at some date: few appointments from it on, and many.
      expect(repo.appointmentsFrom('2031-01-01') * 2).toBeLessThan((db.prepare(DUE_BY_UNTIL).get({ until: '2031-01-01' }) as { n: number }).n);
      expect(repo.appointmentsFrom('2019-03-01') * 2).toBeGreaterThanOrEqual((db.prepare(DUE_BY_UNTIL).get({ until: '2019-03-01' }) as { n: number }).n);
    } finally {
      db.exec('ROLLBACK');
      db.close();
    }
  });
});

describe('the counts are never stale after a write', () => {
  const t = useTestServices(Date.UTC(2026, 2, 1, 12));
  const baclofen = [{ drug: 'Baclofen', concentration: { value: 2000, unit: 'mcg' }, dailyDose: { value: 500, unit: 'mcg' } }];
  const get = () => t.must<Worklist>('worklist.get', { asOf: '2026-03-01', days: 14 });
  let pumpId = 0;

  beforeEach(async () => {
    // Filled 2026-01-01 with 20 mL at 0.25 mL/day: due 2026-03-07, within the window as of 03-01.
    const patientId = (await t.must<{ id: number }>('patients.create', { mrn: 'MRN-1', familyName: 'Berg', givenName: 'Test', birthDate: '1970-01-01', sex: 'female', indications: ['spasticity'] })).id;
    pumpId = (await t.must<{ id: number }>('pumps.implant', { patientId, deviceModelId: await t.deviceId('SynchroMed II', 20000), serial: 'SER-1', implantDate: '2025-11-01' })).id;
    await t.must('refills.record', { pumpId, date: '2026-01-01', withdrawnMl: null, addedMl: 20, drugs: baclofen, mode: 'simple_continuous', reservoirPortConfirmed: true, pumpState: await stateOf(patientId) });
  });

  async function stateOf(patientId: number): Promise<string> {
    const record = await t.must<PatientRecord>('patients.get', { id: patientId });
    return record.pumps.find((p) => p.pump.id === pumpId)?.state ?? 'r0.d0.v0.x0';
  }

  it('a refill that moves a pump out of "due" changes the count on the very next request', async () => {
    expect((await get()).counts).toMatchObject({ due: 1, attention: 1, dueNotBooked: 1 });
    expect((await get()).counts).toMatchObject({ due: 1, attention: 1 }); // answered from the cache
    const patientId = (await get()).rows[0]!.patientId;
    await t.must('refills.record', {
      pumpId,
      date: '2026-03-01',
      withdrawnMl: 5,
      addedMl: 20,
      drugs: baclofen,
      mode: 'simple_continuous',
      reservoirPortConfirmed: true,
      pumpState: await stateOf(patientId),
    });
    const after = await get();
    expect(after.counts).toMatchObject({ due: 0, attention: 0, dueNotBooked: 0, running: 1 });
    expect(after.rows).toEqual([]);
  });

  it('booking, cancelling and rebooking an appointment changes "due, not booked" on the very next request', async () => {
    expect((await get()).counts.dueNotBooked).toBe(1);
    const booked = await t.must<{ id: number }>('appointments.book', { pumpId, date: '2026-03-04', time: '10:00', room: 'Room 1', homeVisit: false });
    expect((await get()).counts).toMatchObject({ dueNotBooked: 0, due: 1, attention: 1 });
    await t.must('appointments.mark', { id: booked.id, state: 'cancelled', reason: 'Patient in hospital' });
    expect((await get()).counts.dueNotBooked).toBe(1);
    await t.must('appointments.book', { pumpId, date: '2026-03-06', time: '09:00', room: 'Room 1', homeVisit: false });
    expect((await get()).counts.dueNotBooked).toBe(0);
  });

  it('a write by another connection (another process, the command line) is seen on the next request', async () => {
    expect((await get()).counts.flagged).toBe(0);
    const other = new Database(t.databasePath);
    try {
      other.prepare('UPDATE pump_projection SET discrepancy_flag = 1 WHERE pump_id = ?').run(pumpId);
    } finally {
      other.close();
    }
    expect((await get()).counts.flagged).toBe(1);
  });

});
