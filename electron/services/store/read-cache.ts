import type Database from 'better-sqlite3-multiple-ciphers';

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

  /**
   * A map that is cleared with the cache. With `maxEntries`, the least recently used entries are
   * dropped beyond it, so memory stays flat however many pumps a long job (an export) reads.
   */
  map<K, V>(maxEntries = Infinity): Map<K, V> {
    const m = maxEntries === Infinity ? new Map<K, V>() : new LruMap<K, V>(maxEntries);
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

/** A Map that keeps at most `maxEntries`, dropping the least recently read or written. */
class LruMap<K, V> extends Map<K, V> {
  constructor(private readonly maxEntries: number) {
    super();
  }
  override get(key: K): V | undefined {
    if (!super.has(key)) return undefined;
    const value = super.get(key)!;
    super.delete(key);
    super.set(key, value);
    return value;
  }
  override set(key: K, value: V): this {
    super.delete(key);
    super.set(key, value);
    while (this.size > this.maxEntries) super.delete(super.keys().next().value as K);
    return this;
  }
}
