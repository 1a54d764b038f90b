import Database from 'better-sqlite3-multiple-ciphers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from './database';
import { SqliteStore } from './store';
import { tempDir } from '../testing/temp';
import { fail } from '../../../shared/contract/result';
import { ReadCache } from './read-cache';

/**
 * The store memoises the drug list, the settings and each pump's history. A memoised read must never
 * outlive what it read: another connection's commit, a rollback, or a catalog change drops it.
 */
let tmp: ReturnType<typeof tempDir>;
let store: SqliteStore;
let other: Database.Database;

beforeEach(() => {
  tmp = tempDir('reservoir-cache-');
  const opened = openDatabase(tmp.file('clinic.db'));
  if (!opened.ok || opened.state !== 'ok') throw new Error('open failed');
  store = new SqliteStore(opened.db);
  other = new Database(tmp.file('clinic.db'));
});
afterEach(() => {
  other.close();
  store.close();
  tmp.cleanup();
});

describe('memoised reads', () => {
  it("see another connection's committed change (another window, the command line)", () => {
    expect(store.catalog.settings().safetyMarginDays).toBe(7);
    other.prepare(`INSERT INTO settings (key, value) VALUES ('safetyMarginDays', '10') ON CONFLICT (key) DO UPDATE SET value = excluded.value`).run();
    expect(store.catalog.settings().safetyMarginDays).toBe(10);
    const morphine = store.catalog.drugs().find((d) => d.name === 'Morphine')!;
    other.prepare('UPDATE drugs SET stability_days = 60 WHERE id = ?').run(morphine.id);
    expect(store.catalog.drugs().find((d) => d.id === morphine.id)!.stabilityDays).toBe(60);
  });

  it('forget what a rolled-back transaction wrote', () => {
    expect(store.catalog.settings().dueWindowDays).toBe(14);
    const r = store.write(() => {
      store.catalog.updateSettings({ dueWindowDays: 30 });
      expect(store.catalog.settings().dueWindowDays).toBe(30); // inside: the new value
      return fail('refused', 'changed my mind');
    });
    expect(r.ok).toBe(false);
    expect(store.catalog.settings().dueWindowDays).toBe(14);
    expect(() =>
      store.transaction(() => {
        store.catalog.updateSettings({ dueWindowDays: 21 });
        store.catalog.settings();
        throw new Error('crash');
      }),
    ).toThrow('crash');
    expect(store.catalog.settings().dueWindowDays).toBe(14);
  });

  it('are answered as copies: a caller changing one cannot change the next answer', () => {
    const list = store.catalog.drugs();
    list[0]!.stabilityDays = 1;
    list.pop();
    expect(store.catalog.drugs()).not.toContainEqual(expect.objectContaining({ stabilityDays: 1 }));
    expect(store.catalog.drugs()).toHaveLength(list.length + 1);
  });
});

describe('the pump-history memo', () => {
  it('keeps only the most recently read pumps, so a long export does not grow memory', () => {
    const cache = new ReadCache(store.db);
    const m = cache.map<number, string>(2);
    m.set(1, 'a');
    m.set(2, 'b');
    expect(m.get(1)).toBe('a'); // 1 is now the most recent
    m.set(3, 'c');
    expect([...m.keys()].sort()).toEqual([1, 3]);
    expect(m.get(2)).toBeUndefined();
  });
});
