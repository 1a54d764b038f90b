/** Refill appointments (table `appointments`, see schema.ts). */
import type Database from 'better-sqlite3-multiple-ciphers';
import type { Appointment, AppointmentState } from '../../../../shared/contract/appointments';
import type { Store } from '../../store/store';
import { NOT_BOOKED } from '../record/worklist-sql';

interface AppointmentRow {
  id: number;
  pump_id: number;
  patient_id: number;
  mrn: string;
  family_name: string;
  given_name: string;
  serial: string;
  date: string;
  time: string;
  clinician: string | null;
  room: string | null;
  home_visit: number;
  state: AppointmentState;
  late_reason: string | null;
  cancel_reason: string | null;
  call_outcome: string | null;
  called_at_ms: number | null;
  created_by: string;
  created_at_ms: number;
  updated_by: string;
  updated_at_ms: number;
}

const SELECT = `SELECT a.*, p.patient_id, p.serial, pt.mrn, pt.family_name, pt.given_name
  FROM appointments a JOIN pumps p ON p.id = a.pump_id JOIN patients pt ON pt.id = p.patient_id`;

/** Missed, not called, and not booked again since (a booked appointment of the pump on or after it). */
const TO_CALL = `a.state = 'did_not_attend' AND a.call_outcome IS NULL
  AND NOT EXISTS (SELECT 1 FROM appointments b WHERE b.pump_id = a.pump_id AND b.state = 'booked' AND b.date >= a.date AND b.id <> a.id)`;

export interface NewAppointment {
  pumpId: number;
  date: string;
  time: string;
  clinician: string | null;
  room: string | null;
  homeVisit: boolean;
  lateReason: string | null;
  by: string;
  atMs: number;
}

function toAppointment(r: AppointmentRow): Appointment {
  return {
    id: r.id,
    patientId: r.patient_id,
    pumpId: r.pump_id,
    mrn: r.mrn,
    patientName: `${r.family_name}, ${r.given_name}`,
    serial: r.serial,
    date: r.date,
    time: r.time,
    clinician: r.clinician,
    room: r.room,
    homeVisit: r.home_visit === 1,
    state: r.state,
    lateReason: r.late_reason,
    cancelReason: r.cancel_reason,
    callOutcome: r.call_outcome,
    calledAtMs: r.called_at_ms,
    createdBy: r.created_by,
    createdAtMs: r.created_at_ms,
    updatedBy: r.updated_by,
    updatedAtMs: r.updated_at_ms,
  };
}

export class AppointmentRepository {
  private readonly s;

  constructor(db: Database.Database) {
    this.s = {
      insert: db.prepare(`INSERT INTO appointments (pump_id, date, time, clinician, room, home_visit, late_reason, created_by, created_at_ms, updated_by, updated_at_ms)
        VALUES (@pumpId, @date, @time, @clinician, @room, @homeVisit, @lateReason, @by, @atMs, @by, @atMs)`),
      mark: db.prepare(`UPDATE appointments SET state = @state, cancel_reason = @cancelReason, updated_by = @by, updated_at_ms = @atMs
        WHERE id = @id AND state = 'booked'`),
      call: db.prepare(`UPDATE appointments SET call_outcome = @outcome, called_at_ms = @atMs, updated_by = @by, updated_at_ms = @atMs
        WHERE id = @id AND state = 'did_not_attend' AND call_outcome IS NULL`),
      byId: db.prepare<[number]>(`${SELECT} WHERE a.id = ?`),
      between: db.prepare<[string, string]>(`${SELECT} WHERE a.date BETWEEN ? AND ? ORDER BY a.date, a.time, pt.family_name COLLATE NOCASE, a.id`),
      ofPump: db.prepare<[number]>(`${SELECT} WHERE a.pump_id = ? ORDER BY a.date DESC, a.time DESC, a.id DESC`),
      nextBooked: db.prepare<[string, string]>(`SELECT a.pump_id, min(a.date || ' ' || a.time) AS at FROM appointments a INDEXED BY appointments_by_pump
        WHERE a.pump_id IN (SELECT value FROM json_each(?)) AND a.state = 'booked' AND a.date >= ? GROUP BY a.pump_id`),
      dueNotBooked: db.prepare<[{ asOf: string; until: string }]>(
        `SELECT count(*) AS n FROM pump_projection pp WHERE pp.in_worklist = 1 AND pp.next_due_date <= @until AND ${NOT_BOOKED}`,
      ),
      // Issue 14: from the appointments' side. CROSS JOIN keeps the appointments outer (their date range).
      dueBooked: db.prepare<[{ asOf: string; until: string }]>(
        `SELECT count(DISTINCT a.pump_id) AS n FROM appointments a INDEXED BY appointments_by_date
           CROSS JOIN pump_projection pp ON pp.pump_id = a.pump_id
          WHERE a.date >= @asOf AND a.state = 'booked' AND pp.in_worklist = 1 AND pp.next_due_date <= @until`,
      ),
      fromCount: db.prepare<[string]>(`SELECT count(*) AS n FROM appointments INDEXED BY appointments_by_date WHERE date >= ?`),
      toCall: db.prepare<[]>(`${SELECT} WHERE ${TO_CALL} ORDER BY a.date, a.time, a.id`),
      toCallCount: db.prepare<[]>(`SELECT count(DISTINCT a.pump_id) AS n FROM appointments a INDEXED BY appointments_to_call WHERE ${TO_CALL}`),
      toCallByPump: db.prepare<[string]>(`SELECT DISTINCT a.pump_id FROM appointments a
        WHERE a.pump_id IN (SELECT value FROM json_each(?)) AND ${TO_CALL}`),
    };
  }

  insert(a: NewAppointment): Appointment {
    const id = Number(this.s.insert.run({ ...a, homeVisit: a.homeVisit ? 1 : 0 }).lastInsertRowid);
    return this.get(id)!;
  }

  /** Moves a booked appointment to its outcome; false when it was no longer booked. */
  mark(id: number, state: Exclude<AppointmentState, 'booked'>, cancelReason: string | null, by: string, atMs: number): boolean {
    return this.s.mark.run({ id, state, cancelReason, by, atMs }).changes === 1;
  }

  /** Records a missed appointment's call; false when it was not missed or already called. */
  recordCall(id: number, outcome: string, by: string, atMs: number): boolean {
    return this.s.call.run({ id, outcome, by, atMs }).changes === 1;
  }

  get(id: number): Appointment | null {
    const row = this.s.byId.get(id) as AppointmentRow | undefined;
    return row ? toAppointment(row) : null;
  }

  /** Appointments from `from` to `to` (both included), in date and time order. */
  between(from: string, to: string): Appointment[] {
    return (this.s.between.all(from, to) as AppointmentRow[]).map(toAppointment);
  }

  ofPump(pumpId: number): Appointment[] {
    return (this.s.ofPump.all(pumpId) as AppointmentRow[]).map(toAppointment);
  }

  /** The next booked appointment ("YYYY-MM-DD HH:MM") on or after `asOf`, per pump (absent: none). */
  nextBooked(pumpIds: readonly number[], asOf: string): Map<number, { date: string; time: string }> {
    if (pumpIds.length === 0) return new Map();
    const rows = this.s.nextBooked.all(JSON.stringify(pumpIds), asOf) as { pump_id: number; at: string }[];
    return new Map(rows.map((r) => [r.pump_id, { date: r.at.slice(0, 10), time: r.at.slice(11) }]));
  }

  /** The call list: missed appointments not called and not rebooked, oldest first. */
  toCall(): Appointment[] {
    return (this.s.toCall.all() as AppointmentRow[]).map(toAppointment);
  }

  /**
   * Due or overdue pumps (next due by `until`) with no booked appointment on or after `asOf`.
   * `dueByUntil`, when the caller has counted it (the worklist: overdue + due), is how many pumps
   * are due by `until`; then the count is read from whichever side is smaller (issue 14): with few
   * appointments from `asOf` on, `dueByUntil` minus the due pumps that have one (each appointment
   * from the date index, then its pump); otherwise pump by pump down the due-date index, one seek
   * into appointments_by_pump each (12,350 seeks, about 3 ms, at 50,000 patients). Both answer the
   * same number (worklist-counts.test.ts compares them).
   */
  dueNotBookedCount(asOf: string, until: string, dueByUntil?: number): number {
    if (dueByUntil !== undefined && this.appointmentsFrom(asOf) * 2 < dueByUntil) return dueByUntil - this.dueBookedCount(asOf, until);
    return this.dueNotBookedByPump(asOf, until);
  }

  /** "Due, not booked" counted pump by pump (worklist_due, then appointments_by_pump). */
  dueNotBookedByPump(asOf: string, until: string): number {
    return (this.s.dueNotBooked.get({ asOf, until }) as { n: number }).n;
  }

  /** Pumps due by `until` that have a booked appointment on or after `asOf` (from the appointments' date index). */
  dueBookedCount(asOf: string, until: string): number {
    return (this.s.dueBooked.get({ asOf, until }) as { n: number }).n;
  }

  /** Appointments (any state) on or after `asOf`: how many entries the appointments' side would read. */
  appointmentsFrom(asOf: string): number {
    return (this.s.fromCount.get(asOf) as { n: number }).n;
  }

  /** How many pumps are on the call list. */
  toCallCount(): number {
    return (this.s.toCallCount.get() as { n: number }).n;
  }

  /** Which of these pumps are on the call list. */
  onCallList(pumpIds: readonly number[]): Set<number> {
    if (pumpIds.length === 0) return new Set();
    return new Set((this.s.toCallByPump.all(JSON.stringify(pumpIds)) as { pump_id: number }[]).map((r) => r.pump_id));
  }
}

const repositories = new WeakMap<Store, AppointmentRepository>();

/** The repository on the store's database, prepared once per store (as `verificationRepository`). */
export function appointmentRepository(store: Store): AppointmentRepository {
  let repo = repositories.get(store);
  if (repo === undefined) {
    const db = (store as Store & { db?: Database.Database }).db;
    if (db === undefined) throw new Error('appointments: this store has no SQLite connection');
    repo = new AppointmentRepository(db);
    repositories.set(store, repo);
  }
  return repo;
}
