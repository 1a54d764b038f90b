/** Test helpers for backups: services on a temp database, signed in as administrator and clinician. */
import Database from 'better-sqlite3-multiple-ciphers';
import fs from 'node:fs';
import type { Result } from '../../../shared/contract/result';
import { TEST_COST } from '../accounts/passwords';
import { createServices, type ReservoirServices, type ServicesOptions } from '../app';
import type { SessionSlot } from '../accounts/access';
import { writeTransaction } from '../store/transactions';

export const PASSWORD = 'correct horse battery';

export interface Console {
  svc: ReservoirServices;
  admin: SessionSlot;
  clinician: SessionSlot;
  /** Dispatches as `slot` and unwraps, throwing with the error's code and message. */
  must<T = unknown>(slot: SessionSlot, name: string, input: unknown): Promise<T>;
}

export function openServices(file: string, extra: Partial<ServicesOptions> = {}): ReservoirServices {
  const r = createServices({ databasePath: file, shell: 'browser', passwordCost: TEST_COST, ...extra });
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

export async function must<T>(svc: ReservoirServices, slot: SessionSlot, name: string, input: unknown): Promise<T> {
  const r: Result<unknown> = await svc.dispatch(name, input, slot);
  if (!r.ok) throw new Error(`${name}: ${r.error.code} ${r.error.field ?? ''} ${r.error.message}`);
  return r.value as T;
}

/** A fresh clinic: the administrator set up, a clinician created and signed in. */
export async function freshConsole(file: string, extra: Partial<ServicesOptions> = {}): Promise<Console> {
  const svc = openServices(file, extra);
  const admin: SessionSlot = { id: null };
  const clinician: SessionSlot = { id: null };
  await must(svc, admin, 'session.setup', { username: 'admin', displayName: 'Ada Admin', password: PASSWORD });
  await must(svc, admin, 'users.create', { username: 'nurse', displayName: 'Nia Nurse', role: 'clinician', password: PASSWORD });
  await must(svc, clinician, 'session.login', { username: 'nurse', password: PASSWORD });
  return { svc, admin, clinician, must: (slot, name, input) => must(svc, slot, name, input) };
}

export const patient = (mrn: string, familyName = 'Okonkwo') => ({
  mrn,
  familyName,
  givenName: 'Adaeze',
  birthDate: '1968-04-12',
  sex: 'female',
  indications: ['spasticity'],
});

/** What is in a database file, read on a connection of its own. */
export function mrnsIn(file: string): string[] {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare('SELECT mrn FROM patients ORDER BY mrn').all() as { mrn: string }[]).map((r) => r.mrn);
  } finally {
    db.close();
  }
}

/** Overwrites pages in the middle of a closed database file, so it fails `integrity_check`. */
export function corrupt(file: string): void {
  const db = new Database(file);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.pragma('journal_mode = DELETE');
  db.close();
  const bytes = fs.readFileSync(file);
  const pageSize = bytes.readUInt16BE(16);
  const pages = Math.floor(bytes.length / pageSize);
  for (let p = 2; p < Math.min(pages - 1, 12); p++) bytes.fill(0xa5, p * pageSize + 10, (p + 1) * pageSize - 10);
  fs.writeFileSync(file, bytes);
}

/**
 * Damages a database in a way only the full `integrity_check` sees: garbage over a leaf page in the
 * middle of an index (the check at opening reads each table's and index's first page, not this one).
 */
export function corruptIndexPage(file: string, index = 'patients_by_name'): void {
  const db = new Database(file);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.pragma('journal_mode = DELETE');
  const leaves = (db.prepare("SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf' ORDER BY path").all(index) as { pageno: number }[]).map((r) => r.pageno);
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  db.close();
  if (leaves.length < 3) throw new Error(`the index ${index} has ${leaves.length} leaf pages: add rows first`);
  const page = leaves[Math.floor(leaves.length / 2)]!;
  const bytes = fs.readFileSync(file);
  bytes.fill(0xa5, (page - 1) * pageSize + 12, page * pageSize - 10);
  fs.writeFileSync(file, bytes);
}

/** Adds `n` patients straight into the file (one transaction), enough for an index of several pages. */
export function addPatientRows(file: string, n: number): void {
  const db = new Database(file);
  const insert = db.prepare(
    "INSERT INTO patients (mrn, family_name, given_name, birth_date, sex, indications, created_at_ms, updated_at_ms) VALUES (?, ?, 'B', '1970-01-01', 'male', '[\"other\"]', 0, 0)",
  );
  writeTransaction(db, () => {
    for (let i = 0; i < n; i++) insert.run(`BULK-${i}`, `Family${String(i).padStart(6, '0')}`);
  })();
  db.close();
}
