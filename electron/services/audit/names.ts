/**
 * The names the audit viewer words an entry with (`AuditEntry.names`): the acting user's full name,
 * the patient's name, the pump's serial, the user an account entry is about. Read from the database
 * as it is now, beside the entry (never written into it: the entry and its hash stay as they were).
 * Each look-up is remembered for one query, so a long export reads each user, patient and pump once.
 */
import type Database from 'better-sqlite3-multiple-ciphers';
import type { AuditNames } from '../../../shared/contract/audit';
import type { AuditRow } from './chain';

/** The tables whose rows name their pump (`pump_id`), by the entry's entity. */
const PUMP_OF = { refill: 'refills', dose_change: 'dose_changes', removal: 'removals', reversal: 'reversals' } as const;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const positiveInt = (v: unknown): number | null => (typeof v === 'number' && Number.isSafeInteger(v) && v > 0 ? v : typeof v === 'string' && /^[1-9]\d{0,15}$/.test(v) ? Number(v) : null);

function memo<T>(lookup: (id: number) => T): (id: number | null) => T | null {
  const seen = new Map<number, T>();
  return (id) => {
    if (id === null) return null;
    if (!seen.has(id)) seen.set(id, lookup(id));
    return seen.get(id)!;
  };
}

/** A namer for one query: call it with each row (and its parsed before/after) in turn. */
export function auditNamer(db: Database.Database): (row: AuditRow, before: unknown, after: unknown) => AuditNames {
  const userStmt = db.prepare('SELECT username, display_name FROM users WHERE id = ?');
  const patientStmt = db.prepare('SELECT given_name, family_name FROM patients WHERE id = ?');
  const pumpStmt = db.prepare('SELECT serial FROM pumps WHERE id = ?');
  const pumpOf = Object.fromEntries(Object.entries(PUMP_OF).map(([entity, table]) => [entity, db.prepare(`SELECT pump_id FROM ${table} WHERE id = ?`)]));

  const user = memo((id) => {
    const u = userStmt.get(id) as { username: string; display_name: string } | undefined;
    return u ? { username: u.username, displayName: u.display_name } : null;
  });
  const patient = memo((id) => {
    const p = patientStmt.get(id) as { given_name: string; family_name: string } | undefined;
    return p ? `${p.given_name} ${p.family_name}` : null;
  });
  const serial = memo((id) => (pumpStmt.get(id) as { serial: string } | undefined)?.serial ?? null);
  const entryPump = new Map<string, number | null>();

  /** The pump an entry is about: the pump itself, the pump of the refill/dose change/removal/reversal it names, or the one its values name. */
  function pumpIdOf(row: AuditRow, before: unknown, after: unknown): number | null {
    const id = positiveInt(row.entity_id);
    if (row.entity === 'pump') return id;
    const stmt = pumpOf[row.entity];
    if (stmt !== undefined && id !== null) {
      const key = `${row.entity}:${id}`;
      if (!entryPump.has(key)) entryPump.set(key, (stmt.get(id) as { pump_id: number } | undefined)?.pump_id ?? null);
      const found = entryPump.get(key)!;
      if (found !== null) return found;
    }
    for (const v of [after, before]) if (isRecord(v)) {
      const p = positiveInt(v.pumpId);
      if (p !== null) return p;
    }
    return null;
  }

  return (row, before, after) => ({
    actor: user(row.user_id)?.displayName ?? null,
    patient: patient(row.patient_id),
    pumpSerial: serial(pumpIdOf(row, before, after)),
    user: row.entity === 'user' ? user(positiveInt(row.entity_id)) : null,
  });
}
