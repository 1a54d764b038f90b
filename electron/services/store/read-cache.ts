import type Database from 'better-sqlite3';

/**
 * Memoised reads for one connection, dropped whenever they could be stale:
 * - when another connection (another window, the command line) has committed since the last
 *   check (`PRAGMA data_version` changes; it does not change for this connection's own writes);
 * - when this connection's transaction rolls back (the store calls `clear()`);
 * - and, entry by entry, by the repositories' own writes.
 * Repositories call `check()` before answering from a map.
 */
export class ReadCache {
  private version: number | null = null;
  private readonly versionStmt: Database.Statement<[], number>;
  private readonly maps: Map<unknown, unknown>[] = [];

  constructor(db: Database.Database) {
    this.versionStmt = db.prepare<[], number>('PRAGMA data_version').pluck();
  }

  /** A map that is cleared with the cache. */
  map<K, V>(): Map<K, V> {
    const m = new Map<K, V>();
    this.maps.push(m as Map<unknown, unknown>);
    return m;
  }

  /** Clears everything if another connection has written since the last check. */
  check(): void {
    const v = this.versionStmt.get()!;
    if (v !== this.version) {
      this.clear();
      this.version = v;
    }
  }

  clear(): void {
    for (const m of this.maps) m.clear();
  }
}
