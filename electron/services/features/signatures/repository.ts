/** Signatures and amendments (tables `signatures`, `amendments`, migration 5). Append only. */
import type Database from 'better-sqlite3-multiple-ciphers';
import type { Role } from '../../../../shared/contract/roles';
import type { AmendedValue, SignedEntryKind } from '../../../../shared/contract/signatures';
import type { Store } from '../../store/store';

export type SignableKind = SignedEntryKind | 'amendment';

export interface SignatureRow {
  id: number;
  entry_kind: SignableKind;
  entry_id: number;
  user_id: number;
  printed_name: string;
  role: Role;
  meaning: string;
  signed_at_ms: number;
  content_sha256: string;
}

export interface AmendmentRow {
  id: number;
  entry_kind: SignedEntryKind;
  entry_id: number;
  before_json: string;
  after_json: string;
  reason: string;
  user_id: number;
  printed_name: string;
  role: Role;
  at_ms: number;
}

export interface NewSignature {
  kind: SignableKind;
  entryId: number;
  userId: number;
  printedName: string;
  role: Role;
  meaning: string;
  signedAtMs: number;
  contentSha256: string;
}

export interface NewAmendment {
  kind: SignedEntryKind;
  entryId: number;
  before: Record<string, AmendedValue>;
  after: Record<string, AmendedValue>;
  reason: string;
  userId: number;
  printedName: string;
  role: Role;
  atMs: number;
}

export class SignatureRepository {
  private readonly s;

  constructor(db: Database.Database) {
    this.s = {
      insertSignature: db.prepare(`INSERT INTO signatures (entry_kind, entry_id, user_id, printed_name, role, meaning, signed_at_ms, content_sha256)
        VALUES (@kind, @entryId, @userId, @printedName, @role, @meaning, @signedAtMs, @contentSha256)`),
      insertAmendment: db.prepare(`INSERT INTO amendments (entry_kind, entry_id, before_json, after_json, reason, user_id, printed_name, role, at_ms)
        VALUES (@kind, @entryId, @before, @after, @reason, @userId, @printedName, @role, @atMs)`),
      signature: db.prepare<[string, number]>('SELECT * FROM signatures WHERE entry_kind = ? AND entry_id = ?'),
      signaturesOf: db.prepare<[string, string]>(
        'SELECT * FROM signatures WHERE entry_kind = ? AND entry_id IN (SELECT value FROM json_each(?)) ORDER BY id',
      ),
      amendmentsOf: db.prepare<[string, string]>(
        'SELECT * FROM amendments WHERE entry_kind = ? AND entry_id IN (SELECT value FROM json_each(?)) ORDER BY id',
      ),
      amendment: db.prepare<[number]>('SELECT * FROM amendments WHERE id = ?'),
      removalPump: db.prepare<[number]>('SELECT pump_id FROM removals WHERE id = ?'),
      reversalPump: db.prepare<[number]>('SELECT pump_id FROM reversals WHERE id = ?'),
    };
  }

  insertSignature(sig: NewSignature): SignatureRow {
    const id = Number(this.s.insertSignature.run(sig).lastInsertRowid);
    return { id, entry_kind: sig.kind, entry_id: sig.entryId, user_id: sig.userId, printed_name: sig.printedName, role: sig.role, meaning: sig.meaning, signed_at_ms: sig.signedAtMs, content_sha256: sig.contentSha256 };
  }

  insertAmendment(a: NewAmendment): AmendmentRow {
    const id = Number(this.s.insertAmendment.run({ ...a, before: JSON.stringify(a.before), after: JSON.stringify(a.after) }).lastInsertRowid);
    return this.s.amendment.get(id) as AmendmentRow;
  }

  signature(kind: SignableKind, entryId: number): SignatureRow | null {
    return (this.s.signature.get(kind, entryId) as SignatureRow | undefined) ?? null;
  }

  /** The signatures of these entries of one kind. */
  signaturesOf(kind: SignableKind, entryIds: readonly number[]): SignatureRow[] {
    if (entryIds.length === 0) return [];
    return this.s.signaturesOf.all(kind, JSON.stringify(entryIds)) as SignatureRow[];
  }

  /** The amendments of these entries of one kind, oldest first. */
  amendmentsOf(kind: SignedEntryKind, entryIds: readonly number[]): AmendmentRow[] {
    if (entryIds.length === 0) return [];
    return this.s.amendmentsOf.all(kind, JSON.stringify(entryIds)) as AmendmentRow[];
  }

  /** The pump a removal or reversal belongs to, or null when there is no such row. */
  pumpOf(kind: 'removal' | 'reversal', entryId: number): number | null {
    const row = (kind === 'removal' ? this.s.removalPump : this.s.reversalPump).get(entryId) as { pump_id: number } | undefined;
    return row?.pump_id ?? null;
  }
}

const repositories = new WeakMap<Store, SignatureRepository>();

/**
 * The signature repository on the store's database, prepared once per store.
 * (The SQLite store exposes its connection as `db`; a server store would provide its own.)
 */
export function signatureRepository(store: Store): SignatureRepository {
  let repo = repositories.get(store);
  if (repo === undefined) {
    const db = (store as Store & { db?: Database.Database }).db;
    if (db === undefined) throw new Error('signatures: this store has no SQLite connection');
    repo = new SignatureRepository(db);
    repositories.set(store, repo);
  }
  return repo;
}
