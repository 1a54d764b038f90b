/**
 * The audit trail's hash chain. Each entry's hash is SHA-256 over a canonical serialisation of
 * its fields and the previous entry's hash, so changing or deleting any past entry breaks the
 * chain from there on.
 */
import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3-multiple-ciphers';
import type { AuditChainStatus } from '../../../shared/contract/audit';

/** The previous hash of the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/** An audit_log row as stored. */
export interface AuditRow {
  seq: number;
  at_ms: number;
  user_id: number | null;
  username: string;
  role: string | null;
  action: string;
  entity: string;
  entity_id: string | null;
  patient_id: number | null;
  before_json: string | null;
  after_json: string | null;
  detail_json: string | null;
  /** Where the request came from (`ROOM1-PC (10.0.0.21)`), for entries written through a server; null otherwise and in rows older than the column. */
  workstation?: string | null;
  prev_hash: string;
  hash: string;
}

/**
 * The canonical text hashed: the fields in a fixed order as a JSON array (JSON fields as the
 * exact text stored), with a version tag so the format can change in a later chain. An entry with
 * a workstation is hashed as `reservoir-audit-v2` with the workstation before the previous hash;
 * one without (every entry written before the column existed) exactly as before, so old chains
 * still verify and a workstation changed or removed afterwards breaks the chain.
 */
export function canonicalEntry(row: Omit<AuditRow, 'hash'>): string {
  const workstation = row.workstation ?? null;
  const fields = [row.seq, row.at_ms, row.user_id, row.username, row.role, row.action, row.entity, row.entity_id, row.patient_id, row.before_json, row.after_json, row.detail_json];
  return JSON.stringify(
    workstation === null
      ? ['reservoir-audit-v1', ...fields, row.prev_hash]
      : ['reservoir-audit-v2', ...fields, workstation, row.prev_hash],
  );
}

export function entryHash(row: Omit<AuditRow, 'hash'>): string {
  return createHash('sha256').update(canonicalEntry(row), 'utf8').digest('hex');
}

/**
 * Walks the whole trail in order. Answers the first entry that does not fit: its hash does not
 * match its content (it was changed), or its previous hash is not the hash of the entry before it
 * (an entry before it was deleted or changed), or its number is out of sequence.
 */
export function verifyAuditChain(db: Database.Database): AuditChainStatus {
  const rows = db.prepare('SELECT * FROM audit_log ORDER BY seq').iterate() as IterableIterator<AuditRow>;
  let prevHash = GENESIS_HASH;
  let prevSeq = 0;
  let entries = 0;
  for (const row of rows) {
    if (row.prev_hash !== prevHash) {
      const reason =
        row.seq !== prevSeq + 1
          ? `entries ${prevSeq + 1}–${row.seq - 1} are missing (deleted)`
          : prevSeq === 0
            ? 'the first entry does not start the chain'
            : `its link to entry ${prevSeq} does not match: entry ${prevSeq} was changed or an entry was deleted`;
      return { ok: false, entries, brokenSeq: row.seq, reason };
    }
    if (entryHash(row) !== row.hash) {
      return { ok: false, entries, brokenSeq: row.seq, reason: 'its content does not match its hash: the entry was changed' };
    }
    if (row.seq !== prevSeq + 1) {
      return { ok: false, entries, brokenSeq: row.seq, reason: `entries ${prevSeq + 1}–${row.seq - 1} are missing` };
    }
    prevHash = row.hash;
    prevSeq = row.seq;
    entries += 1;
  }
  return { ok: true, entries, lastSeq: entries === 0 ? null : prevSeq, lastHash: entries === 0 ? null : prevHash };
}
