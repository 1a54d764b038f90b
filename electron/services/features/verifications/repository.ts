/** Double checks (table `verifications`, see schema.ts). */
import type Database from 'better-sqlite3-multiple-ciphers';
import type { Role } from '../../../../shared/contract/roles';
import type { AwaitingVerification, EntryVerification, VerificationPerson, VerificationState, VerifiedEntryKind } from '../../../../shared/contract/verifications';
import type { DoubleCheckReason } from '../../../../shared/domain/double-check';
import type { Store } from '../../store/store';

interface VerificationRow {
  id: number;
  entry_kind: VerifiedEntryKind;
  entry_id: number;
  pump_id: number;
  patient_id: number;
  entry_date: string;
  reasons: string;
  summary: string;
  state: VerificationState;
  requested_by_user_id: number | null;
  requested_by_name: string;
  requested_by_role: Role | null;
  requested_at_ms: number;
  decided_by_user_id: number | null;
  decided_by_name: string | null;
  decided_by_role: Role | null;
  decided_at_ms: number | null;
  reject_reason: string | null;
}

interface AwaitingRow extends VerificationRow {
  mrn: string;
  family_name: string;
  given_name: string;
  serial: string;
}

export interface NewVerification {
  kind: VerifiedEntryKind;
  entryId: number;
  pumpId: number;
  reasons: readonly DoubleCheckReason[];
  summary: string;
  requestedBy: VerificationPerson;
  requestedAtMs: number;
}

export interface Decision {
  state: 'verified' | 'rejected';
  by: { userId: number; name: string; role: Role };
  atMs: number;
  rejectReason: string | null;
}

/** The row with its patient and the entry's date (refills and dose changes both have `date`). */
const SELECT = `
  SELECT v.*, p.patient_id AS patient_id,
    CASE v.entry_kind WHEN 'refill' THEN (SELECT date FROM refills WHERE id = v.entry_id)
                      ELSE (SELECT date FROM dose_changes WHERE id = v.entry_id) END AS entry_date
  FROM verifications v JOIN pumps p ON p.id = v.pump_id`;

function toVerification(r: VerificationRow): EntryVerification {
  return {
    id: r.id,
    kind: r.entry_kind,
    entryId: r.entry_id,
    patientId: r.patient_id,
    pumpId: r.pump_id,
    date: r.entry_date,
    reasons: JSON.parse(r.reasons) as DoubleCheckReason[],
    summary: r.summary,
    state: r.state,
    requestedBy: { userId: r.requested_by_user_id, name: r.requested_by_name, role: r.requested_by_role },
    requestedAtMs: r.requested_at_ms,
    decidedBy: r.decided_by_name === null ? null : { userId: r.decided_by_user_id, name: r.decided_by_name, role: r.decided_by_role },
    decidedAtMs: r.decided_at_ms,
    rejectReason: r.reject_reason,
  };
}

export class VerificationRepository {
  private readonly s;

  constructor(db: Database.Database) {
    this.s = {
      insert: db.prepare(`INSERT INTO verifications (entry_kind, entry_id, pump_id, reasons, summary, requested_by_user_id, requested_by_name, requested_by_role, requested_at_ms)
        VALUES (@kind, @entryId, @pumpId, @reasons, @summary, @userId, @name, @role, @requestedAtMs)`),
      decide: db.prepare(`UPDATE verifications SET state = @state, decided_by_user_id = @userId, decided_by_name = @name, decided_by_role = @role,
        decided_at_ms = @atMs, reject_reason = @rejectReason WHERE id = @id AND state = 'awaiting'`),
      byId: db.prepare<[number]>(`${SELECT} WHERE v.id = ?`),
      ofPumps: db.prepare<[string]>(`${SELECT} WHERE v.pump_id IN (SELECT value FROM json_each(?)) ORDER BY v.id`),
      awaiting: db.prepare<[number]>(`
        SELECT v.*, p.patient_id AS patient_id, p.serial AS serial, pt.mrn AS mrn, pt.family_name AS family_name, pt.given_name AS given_name,
          CASE v.entry_kind WHEN 'refill' THEN (SELECT date FROM refills WHERE id = v.entry_id)
                            ELSE (SELECT date FROM dose_changes WHERE id = v.entry_id) END AS entry_date
        FROM verifications v JOIN pumps p ON p.id = v.pump_id JOIN patients pt ON pt.id = p.patient_id
        WHERE v.state = 'awaiting' ORDER BY v.requested_at_ms, v.id LIMIT ?`),
      awaitingCount: db.prepare<[]>(`SELECT count(*) AS n FROM verifications WHERE state = 'awaiting'`),
      awaitingByPump: db.prepare<[string]>(
        `SELECT pump_id, count(*) AS n FROM verifications WHERE state = 'awaiting' AND pump_id IN (SELECT value FROM json_each(?)) GROUP BY pump_id`,
      ),
    };
  }

  insert(v: NewVerification): EntryVerification {
    const id = Number(
      this.s.insert.run({ ...v, reasons: JSON.stringify(v.reasons), userId: v.requestedBy.userId, name: v.requestedBy.name, role: v.requestedBy.role }).lastInsertRowid,
    );
    return this.get(id)!;
  }

  /** Decides an awaiting check; false when it was no longer awaiting. */
  decide(id: number, d: Decision): boolean {
    return this.s.decide.run({ id, state: d.state, userId: d.by.userId, name: d.by.name, role: d.by.role, atMs: d.atMs, rejectReason: d.rejectReason }).changes === 1;
  }

  get(id: number): EntryVerification | null {
    const row = this.s.byId.get(id) as VerificationRow | undefined;
    return row ? toVerification(row) : null;
  }

  /** Every check of these pumps' entries, oldest first. */
  ofPumps(pumpIds: readonly number[]): EntryVerification[] {
    if (pumpIds.length === 0) return [];
    return (this.s.ofPumps.all(JSON.stringify(pumpIds)) as VerificationRow[]).map(toVerification);
  }

  /** The entries awaiting a check, oldest first, with their patients. */
  awaiting(limit: number): AwaitingVerification[] {
    return (this.s.awaiting.all(limit) as AwaitingRow[]).map((r) => ({
      ...toVerification(r),
      mrn: r.mrn,
      patientName: `${r.family_name}, ${r.given_name}`,
      serial: r.serial,
    }));
  }

  awaitingCount(): number {
    return (this.s.awaitingCount.get() as { n: number }).n;
  }

  /** How many entries await a check, per pump, for these pumps (absent: none). */
  awaitingByPump(pumpIds: readonly number[]): Map<number, number> {
    if (pumpIds.length === 0) return new Map();
    return new Map((this.s.awaitingByPump.all(JSON.stringify(pumpIds)) as { pump_id: number; n: number }[]).map((r) => [r.pump_id, r.n]));
  }
}

const repositories = new WeakMap<Store, VerificationRepository>();

/** The repository on the store's database, prepared once per store (as `signatureRepository`). */
export function verificationRepository(store: Store): VerificationRepository {
  let repo = repositories.get(store);
  if (repo === undefined) {
    const db = (store as Store & { db?: Database.Database }).db;
    if (db === undefined) throw new Error('verifications: this store has no SQLite connection');
    repo = new VerificationRepository(db);
    repositories.set(store, repo);
  }
  return repo;
}
