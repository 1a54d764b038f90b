import Database from 'better-sqlite3-multiple-ciphers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ok } from '../../../shared/contract/result';
import { AuditLog } from '../audit/log';
import { tempDir } from '../testing/temp';
import { openDatabase } from './database';
import { SqliteStore } from './store';
import { readTransaction, writeTransaction } from './transactions';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => (tmp = tempDir('reservoir-transactions-')));
afterEach(() => tmp.cleanup());

/** A migrated clinic file with a counter table, and two connections to it (each waits at most 50 ms for a lock). */
function twoConnections(): { a: Database.Database; b: Database.Database; close(): void } {
  const file = tmp.file('clinic.db');
  const opened = openDatabase(file, { backupBeforeMigration: false });
  if (!opened.ok || opened.state !== 'ok') throw new Error('did not open');
  opened.db.exec('CREATE TABLE counter (n INTEGER NOT NULL); INSERT INTO counter VALUES (0);');
  opened.db.pragma('busy_timeout = 50');
  const b = new Database(file, { timeout: 50 });
  return { a: opened.db, b, close: () => (opened.db.close(), b.close()) };
}

const code = (fn: () => unknown): string | null => {
  try {
    fn();
    return null;
  } catch (e) {
    return String((e as { code?: unknown }).code);
  }
};

describe('write transactions begin IMMEDIATE', () => {
  it('another connection holding the write lock: a store write is refused as busy at BEGIN, before it has read anything', () => {
    const { a, b, close } = twoConnections();
    try {
      const store = new SqliteStore(a);
      b.exec('BEGIN IMMEDIATE; UPDATE counter SET n = 100;'); // another program is writing
      let reads = 0;
      const increment = () => {
        const n = (a.prepare('SELECT n FROM counter').get() as { n: number }).n;
        reads++;
        a.prepare('UPDATE counter SET n = ?').run(n + 1);
        return ok(n + 1);
      };
      expect(code(() => store.write(increment))).toBe('SQLITE_BUSY');
      expect(code(() => store.transaction(increment))).toBe('SQLITE_BUSY');
      expect(reads).toBe(0); // refused at BEGIN: nothing was read, nothing acted on

      // DEFERRED (better-sqlite3's default) would have started, read, and failed half-way, at its write.
      expect(code(() => a.transaction(increment)())).toBe('SQLITE_BUSY');
      expect(reads).toBe(1);

      b.exec('COMMIT');
      expect(store.write(increment)).toEqual({ ok: true, value: 101 }); // once the lock is free it waits for nobody
    } finally {
      close();
    }
  });

  it('a write that has read holds the lock: another connection commits nothing in between, so what it read is still true when it writes', () => {
    const { a, b, close } = twoConnections();
    try {
      const store = new SqliteStore(a);
      let otherWrite: string | null = 'not tried';
      const result = store.write(() => {
        const n = (a.prepare('SELECT n FROM counter').get() as { n: number }).n;
        otherWrite = code(() => b.prepare('UPDATE counter SET n = n + 10').run()); // another program, meanwhile
        a.prepare('UPDATE counter SET n = ?').run(n + 1);
        return ok(n + 1);
      });
      expect(result).toEqual({ ok: true, value: 1 });
      expect(otherWrite).toBe('SQLITE_BUSY'); // it waited for the lock (here 50 ms) and was refused: it had read nothing

      // The same with DEFERRED: the other program commits in between, and this write fails half-way
      // (a stale snapshot cannot be upgraded to a write, however long it waits).
      let deferredOther: string | null = 'not tried';
      const deferred = code(() =>
        a.transaction(() => {
          const n = (a.prepare('SELECT n FROM counter').get() as { n: number }).n;
          deferredOther = code(() => b.prepare('UPDATE counter SET n = n + 10').run());
          a.prepare('UPDATE counter SET n = ?').run(n + 1);
        })(),
      );
      expect(deferredOther).toBeNull(); // the other program's write went through
      expect(deferred).toMatch(/^SQLITE_BUSY/); // SQLITE_BUSY_SNAPSHOT: this one, after having read
      expect((a.prepare('SELECT n FROM counter').get() as { n: number }).n).toBe(11);
    } finally {
      close();
    }
  });

  // The append is writeTransaction's too (audit/log.ts); from outside, its read and write cannot be
  // interleaved, so this checks only that it waits at the lock like any write and nests as a savepoint.
  it('the audit trail’s own append (outside a request’s transaction) is refused while another holds the lock; nested, it is a savepoint', () => {
    const { a, b, close } = twoConnections();
    try {
      const audit = new AuditLog(a);
      b.exec('BEGIN IMMEDIATE');
      expect(code(() => audit.record(null, 1, { action: 'login_failed', entity: 'session', entityId: null }))).toBe('SQLITE_BUSY');
      b.exec('ROLLBACK');
      // Nested in a write transaction it is a savepoint of it, and the chain stays whole.
      writeTransaction(a, () => {
        audit.record(null, 2, { action: 'login_failed', entity: 'session', entityId: null });
        audit.record(null, 3, { action: 'login_failed', entity: 'session', entityId: null });
      })();
      expect(audit.verify()).toMatchObject({ ok: true, entries: 2 });
    } finally {
      close();
    }
  });
});

describe('read-only work stays out of IMMEDIATE', () => {
  it('a snapshot takes no write lock: another connection writes meanwhile, and the snapshot keeps what it saw', () => {
    const { a, b, close } = twoConnections();
    try {
      const store = new SqliteStore(a);
      const seen = store.snapshot(() => {
        const before = (a.prepare('SELECT n FROM counter').get() as { n: number }).n;
        const other = code(() => b.prepare('UPDATE counter SET n = 7').run());
        const after = (a.prepare('SELECT n FROM counter').get() as { n: number }).n;
        return { before, other, after };
      });
      expect(seen).toEqual({ before: 0, other: null, after: 0 });
      expect(readTransaction(a, () => (a.prepare('SELECT n FROM counter').get() as { n: number }).n)()).toBe(7);
    } finally {
      close();
    }
  });
});
