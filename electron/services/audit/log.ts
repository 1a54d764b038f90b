/** Appending to and reading the audit trail (table `audit_log`, migration 3). */
import type Database from 'better-sqlite3-multiple-ciphers';
import type { AuditAction, AuditChainStatus, AuditEntry, AuditNames } from '../../../shared/contract/audit';
import type { Role } from '../../../shared/contract/roles';
import type { Actor, AuditRecord, AuditSink } from '../handler-types';
import { GENESIS_HASH, entryHash, verifyAuditChain, type AuditRow } from './chain';
import { connect, type ConnectOptions } from '../store/connect';
import { currentWorkstation } from './workstation';
import { auditNamer } from './names';
import { writeTransaction } from '../store/transactions';
import { appendCounted } from '../store/trail-only-changes';

/** The actor recorded when nobody is signed in (a failed sign-in, the first-run setup). */
export const ANONYMOUS: Actor = { userId: null, username: 'anonymous', role: null };

/** JSON text of a value, or null. Values that JSON cannot hold (undefined) are stored as null. */
function json(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  return JSON.stringify(value);
}

/** The audit trail of one database: prepared once, used by every request. */
export class AuditLog {
  private readonly lastStmt;
  private readonly insertStmt;
  private readonly append;
  private readonly totalChanges: () => number;
  private readonly hasWorkstation: boolean;

  constructor(private readonly db: Database.Database) {
    this.lastStmt = db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1');
    // A file not yet migrated to the workstation column (a restored older backup gets its `restore`
    // entry before it is reopened and migrated; `recordInFile` on an older database): entries
    // without a workstation, hashed as before.
    this.hasWorkstation = (db.prepare('SELECT name FROM pragma_table_info(?)').all('audit_log') as { name: string }[]).some((c) => c.name === 'workstation');
    this.insertStmt = db.prepare(`
      INSERT INTO audit_log (seq, at_ms, user_id, username, role, action, entity, entity_id, patient_id,
                             before_json, after_json, detail_json, ${this.hasWorkstation ? 'workstation, ' : ''}prev_hash, hash)
      VALUES (@seq, @at_ms, @user_id, @username, @role, @action, @entity, @entity_id, @patient_id,
              @before_json, @after_json, @detail_json, ${this.hasWorkstation ? '@workstation, ' : ''}@prev_hash, @hash)`);
    // A savepoint inside an open transaction; otherwise its own write transaction (IMMEDIATE: the
    // write lock from the start), so reading the last hash and appending cannot interleave with
    // another writer.
    const total = db.prepare<[], number>('SELECT total_changes()').pluck();
    this.totalChanges = () => total.get()!;
    this.append = writeTransaction(db, (row: Omit<AuditRow, 'seq' | 'prev_hash' | 'hash'>) => {
      const last = this.lastStmt.get() as { seq: number; hash: string } | undefined;
      const full = { ...row, seq: (last?.seq ?? 0) + 1, prev_hash: last?.hash ?? GENESIS_HASH };
      this.insertStmt.run({ ...full, hash: entryHash(full) });
    });
  }

  record(actor: Actor | null, atMs: number, entry: AuditRecord): void {
    const who = actor ?? ANONYMOUS;
    // An entry that is its own commit (a record view, a refusal) changes no clinical table: the
    // worklist's cached counts stay valid (store/trail-only-changes.ts).
    appendCounted(this.db, this.totalChanges, () => this.append({
      at_ms: atMs,
      user_id: who.userId,
      username: who.username,
      role: who.role,
      action: entry.action,
      entity: entry.entity,
      entity_id: entry.entityId === null ? null : String(entry.entityId),
      patient_id: entry.patientId ?? null,
      before_json: json(entry.before),
      after_json: json(entry.after),
      detail_json: json(entry.detail),
      // The workstation of the request being served (electron/web/server.ts), or null.
      workstation: this.hasWorkstation ? currentWorkstation() : null,
    }));
  }

  /** A sink for one request: who acts, and the request's clock. */
  sink(actor: () => Actor | null, now: () => number): AuditSink {
    return { record: (entry) => this.record(actor(), now(), entry) };
  }

  verify(): AuditChainStatus {
    return verifyAuditChain(this.db);
  }

  query(filter: AuditFilter): AuditEntry[] {
    const where: string[] = [];
    const params: Record<string, unknown> = { limit: filter.limit };
    if (filter.username) {
      where.push('a.username = @username COLLATE NOCASE');
      params.username = filter.username;
    }
    if (filter.patientId !== undefined) {
      where.push('a.patient_id = @patientId');
      params.patientId = filter.patientId;
    }
    if (filter.action) {
      where.push('a.action = @action');
      params.action = filter.action;
    }
    if (filter.fromMs !== undefined) {
      where.push('a.at_ms >= @fromMs');
      params.fromMs = filter.fromMs;
    }
    if (filter.toMs !== undefined) {
      where.push('a.at_ms < @toMs');
      params.toMs = filter.toMs;
    }
    const sql = `SELECT a.*, p.mrn AS patient_mrn FROM audit_log a LEFT JOIN patients p ON p.id = a.patient_id
                 ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY a.seq DESC LIMIT @limit`;
    const names = auditNamer(this.db);
    return (this.db.prepare(sql).all(params) as (AuditRow & { patient_mrn: string | null })[]).map((r) => toEntry(r, names));
  }
}

export interface AuditFilter {
  username?: string;
  patientId?: number;
  action?: AuditAction;
  fromMs?: number;
  toMs?: number;
  limit: number;
}

const parse = (text: string | null): unknown => (text === null ? null : JSON.parse(text));

/** A stored row as the viewer reads it; `names` reads the names beside it (`auditNamer`). */
export function toEntry(r: AuditRow & { patient_mrn?: string | null }, names?: (row: AuditRow, before: unknown, after: unknown) => AuditNames): AuditEntry {
  const before = parse(r.before_json);
  const after = parse(r.after_json);
  return {
    seq: r.seq,
    atMs: r.at_ms,
    userId: r.user_id,
    username: r.username,
    role: r.role as Role | null,
    action: r.action as AuditAction,
    entity: r.entity,
    entityId: r.entity_id,
    patientId: r.patient_id,
    patientMrn: r.patient_mrn ?? null,
    before,
    after,
    detail: parse(r.detail_json) as Record<string, unknown> | null,
    workstation: r.workstation ?? null,
    hash: r.hash,
    names: names ? names(r, before, after) : { actor: null, patient: null, pumpSerial: null, user: null },
  };
}

/**
 * Records one entry in the audit trail of the database `file`, on a connection of its own: for work
 * done on the file rather than through the services (a restore, the CLI's backup, restore and key
 * commands). A database older than the audit trail gets none.
 */
export function recordInFile(file: string, connection: ConnectOptions, actor: Actor | null, atMs: number, entry: AuditRecord): void {
  const db = connect(file, connection, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    if (db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'audit_log'").get() === undefined) return;
    new AuditLog(db).record(actor, atMs, entry);
  } finally {
    db.close();
  }
}
