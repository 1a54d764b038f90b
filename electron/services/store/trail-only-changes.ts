/**
 * Rows a connection wrote in commits of their own that held nothing but audit-trail entries (a
 * record view, a refused request, a sign-in): they change no clinical table, so the worklist's
 * cached counts (features/record/worklist-counts.ts, keyed by `Store.changeStamp`) stay valid across
 * them. Only a standalone append counts here; an entry written inside a clinical write's transaction
 * is part of that write, which changes the stamp as before. Per connection, in this process.
 */
import type Database from 'better-sqlite3-multiple-ciphers';

const trailOnly = new WeakMap<Database.Database, number>();

/** The rows this connection has written in audit-only commits so far. */
export function trailOnlyChanges(db: Database.Database): number {
  return trailOnly.get(db) ?? 0;
}

/** Runs `append` (one audit entry); when it is its own commit, its rows are counted as audit-only. */
export function appendCounted(db: Database.Database, totalChanges: () => number, append: () => void): void {
  if (db.inTransaction) {
    append();
    return;
  }
  const before = totalChanges();
  append();
  trailOnly.set(db, trailOnlyChanges(db) + (totalChanges() - before));
}
