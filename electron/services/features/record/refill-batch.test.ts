import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calendarDate } from '../../../../shared/domain/calendar';
import { generateClinic } from '../../generate/generate';
import { tempDir } from '../../testing/temp';
import { openTestDb, type TestDb } from '../interchange/test-support';
import type { NewRefill } from './repository';

/**
 * `RefillBatch` (the import's refill writes, many rows to a statement) must store exactly what
 * `insertRefill` stores one row at a time, ids included, and never write over another row.
 */
const NOW = Date.UTC(2026, 10, 24, 12);
let tmp: ReturnType<typeof tempDir>;
let opened: TestDb;
/** Visits to write: the generated clinic's, moved to one pump on dates after its history. */
let visits: NewRefill[];

beforeAll(() => {
  tmp = tempDir('reservoir-refill-batch-');
  opened = openTestDb(tmp.file('clinic.db'));
  generateClinic(opened.ctx, { patients: 4, years: 4, seed: 3, asOf: calendarDate('2026-11-24'), batchSize: 4 });
  const { record } = opened.ctx.store;
  const pumps = record.allPumps();
  const all = pumps.flatMap((p) => record.refills(p.id));
  const pumpId = pumps[0]!.id;
  // 37 visits: two full statements of 16 and a last one of 5, with one- and two-drug visits.
  visits = Array.from({ length: 37 }, (_, i) => {
    const { id: _id, ...visit } = all[i % all.length]!;
    const date = new Date(Date.UTC(2040, 0, 1 + i)).toISOString().slice(0, 10);
    return { ...visit, pumpId, date };
  });
  expect(new Set(visits.map((v) => v.drugs.length)).size).toBeGreaterThan(1);
});
afterAll(() => {
  opened.close();
  tmp.cleanup();
});

class Rollback extends Error {}

/** Runs `fn` in a transaction that is then rolled back; answers what it answered. */
function rolledBack<T>(fn: () => T): T {
  let out: T | undefined;
  try {
    opened.ctx.store.transaction(() => {
      out = fn();
      throw new Rollback();
    });
  } catch (e) {
    if (!(e instanceof Rollback)) throw e;
  }
  return out as T;
}

/** The rows stored for the visits dated in 2040, every column. */
function stored() {
  const db = opened.store.db;
  return {
    refills: db.prepare(`SELECT * FROM refills WHERE date >= '2040-01-01' ORDER BY id`).all(),
    drugs: db.prepare(`SELECT rd.* FROM refill_drugs rd JOIN refills r ON r.id = rd.refill_id WHERE r.date >= '2040-01-01' ORDER BY rd.refill_id, rd.position`).all(),
  };
}

describe('RefillBatch', () => {
  it('stores every column of every row and drug as insertRefill does, with the same ids', () => {
    const { record } = opened.ctx.store;
    const one = rolledBack(() => ({ ids: visits.map((v) => record.insertRefill(v, NOW).id), rows: stored() }));
    const batched = rolledBack(() => {
      const batch = record.refillBatch();
      const ids = visits.map((v) => batch.add(v, NOW));
      batch.flush();
      return { ids, rows: stored() };
    });
    expect(one.rows.refills).toHaveLength(37);
    expect(batched).toEqual(one);
    // And the pump's history read afterwards has the visits (the memoised one was dropped).
    const history = rolledBack(() => {
      const batch = record.refillBatch();
      record.refills(visits[0]!.pumpId); // memoised before the writes
      for (const v of visits) {
        batch.add(v, NOW);
        record.refills(v.pumpId); // and read again while visits are queued
      }
      batch.flush();
      return record.refills(visits[0]!.pumpId).filter((r) => r.date >= '2040-01-01');
    });
    expect(history.map((r) => r.id)).toEqual(one.ids);
  });

  it('writes a statement of rows every 16 visits, and the rest at flush', () => {
    const counts = rolledBack(() => {
      const batch = opened.ctx.store.record.refillBatch();
      const seen: number[] = [];
      for (const v of visits.slice(0, 17)) {
        batch.add(v, NOW);
        seen.push(stored().refills.length);
      }
      batch.flush();
      seen.push(stored().refills.length);
      return seen;
    });
    expect(counts).toEqual([...Array<number>(15).fill(0), 16, 16, 17]);
  });

  it('throws, writing none of its rows, when another write took an id it gave', () => {
    const { record } = opened.ctx.store;
    const outcome = rolledBack(() => {
      const batch = record.refillBatch();
      const id = batch.add(visits[0]!, NOW);
      batch.add(visits[1]!, NOW);
      const other = record.insertRefill(visits[2]!, NOW); // takes the id the batch gave its first visit
      let error: unknown = null;
      try {
        batch.flush();
      } catch (e) {
        error = e;
      }
      return { id, otherId: other.id, error: String(error), dates: stored().refills.map((r) => (r as { date: string }).date) };
    });
    expect(outcome.otherId).toBe(outcome.id);
    expect(outcome.error).toMatch(/UNIQUE constraint failed: refills\.id/);
    expect(outcome.dates).toEqual([visits[2]!.date]);
  });
});
