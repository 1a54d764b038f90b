import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type OpenedStore } from '../../../cli/database';
import { calendarDate } from '../../../../shared/domain/calendar';
import { generateClinic } from '../../generate/generate';
import { tempDir } from '../../testing/temp';
import { openDatabase } from '../../store/database';
import { bringProjectionsUpToDate, computeProjection, PROJECTION_RULES_VERSION, refreshAllProjections } from './projection';
import { PROJECTION_RULES_KEY } from './repository';

/**
 * The worklist reads `pump_projection`, a table each write keeps up to date in its own transaction
 * (a refill saves the figures it has just computed; the other writes recompute from the history).
 * It must never drift from what the history says: for every pump of a generated clinic (refills,
 * dose changes, events, reversals, removals and replacements through the real services), the stored
 * row equals the projection worked out afresh from the whole history.
 */
const NOW = Date.UTC(2026, 10, 24, 12);
let tmp: ReturnType<typeof tempDir>;
let opened: OpenedStore;

beforeAll(() => {
  tmp = tempDir('reservoir-projection-');
  const r = openStore(tmp.file('clinic.db'), { mustExist: false, now: () => NOW });
  if (!r.ok) throw new Error(r.message);
  opened = r.value;
  generateClinic(opened.ctx, { patients: 60, years: 8, seed: 11, asOf: calendarDate('2026-11-24'), batchSize: 20 });
});
afterAll(() => {
  opened.close();
  tmp.cleanup();
});

describe('pump_projection never drifts from the history', () => {
  it('every stored projection equals one computed afresh from the pump history', () => {
    const { record } = opened.ctx.store;
    const pumps = record.allPumps();
    expect(pumps.length).toBeGreaterThan(60);
    const refilled = pumps.filter((p) => record.refills(p.id).length > 1);
    expect(refilled.length).toBeGreaterThan(50);
    for (const pump of pumps) {
      expect(record.projection(pump.id), `pump ${pump.serial}`).toEqual(computeProjection(opened.ctx, pump.id));
    }
  });

  it('a full rebuild changes nothing', () => {
    const { record } = opened.ctx.store;
    const before = record.allPumps().map((p) => record.projection(p.id));
    opened.ctx.store.transaction(() => refreshAllProjections(opened.ctx));
    expect(record.allPumps().map((p) => record.projection(p.id))).toEqual(before);
  });
});

describe('PROJECTION_RULES_VERSION: stored projections follow the rules in force', () => {
  it('a database computed under older rules is recomputed at opening, once; signed refill rows keep their figures', () => {
    const file = tmp.file('older-rules.db');
    const first = openStore(file, { mustExist: false, now: () => NOW });
    if (!first.ok) throw new Error(first.message);
    generateClinic(first.value.ctx, { patients: 12, years: 3, seed: 5, asOf: calendarDate('2026-11-24'), batchSize: 12 });
    const { record } = first.value.ctx.store;
    expect(record.projectionRulesVersion()).toBe(PROJECTION_RULES_VERSION);
    const pumps = record.allPumps().filter((p) => record.projection(p.id)?.emptyDate != null);
    expect(pumps.length).toBeGreaterThan(3);
    const key = first.value.key;
    first.value.close();

    // As an older Reservoir left it: every empty date one day later (the first day at 0), no rules version stored.
    const raw = openDatabase(file, { key, backupBeforeMigration: false });
    if (!raw.ok || raw.state !== 'ok') throw new Error('cannot open');
    raw.db.prepare(`UPDATE pump_projection SET empty_date = date(empty_date, '+1 day') WHERE empty_date IS NOT NULL`).run();
    raw.db.prepare(`DELETE FROM settings WHERE key = ?`).run(PROJECTION_RULES_KEY);
    const refillsBefore = raw.db.prepare('SELECT id, empty_date FROM refills ORDER BY id').all();
    raw.db.close();

    const again = openStore(file, { mustExist: true, now: () => NOW });
    if (!again.ok) throw new Error(again.message);
    try {
      const store = again.value.ctx.store;
      expect(store.record.projectionRulesVersion()).toBe(PROJECTION_RULES_VERSION);
      for (const pump of store.record.allPumps()) {
        expect(store.record.projection(pump.id), `pump ${pump.serial}`).toEqual(computeProjection(again.value.ctx, pump.id));
      }
      // Already current: nothing to do.
      expect(bringProjectionsUpToDate(again.value.ctx)).toBe(0);
      // The refill rows (signed content) are untouched.
      expect(store.snapshot(() => store.record.allPumps().flatMap((p) => store.record.refills(p.id).map((r) => ({ id: r.id, empty_date: r.emptyDate }))))
        .sort((a, b) => a.id - b.id)).toEqual(refillsBefore);
    } finally {
      again.value.close();
    }
  });

  it('a database from newer rules is left as it is', () => {
    const file = tmp.file('newer-rules.db');
    const r = openStore(file, { mustExist: false, now: () => NOW });
    if (!r.ok) throw new Error(r.message);
    try {
      r.value.ctx.store.record.setProjectionRulesVersion(PROJECTION_RULES_VERSION + 1);
      expect(bringProjectionsUpToDate(r.value.ctx)).toBe(0);
      expect(r.value.ctx.store.record.projectionRulesVersion()).toBe(PROJECTION_RULES_VERSION + 1);
    } finally {
      r.value.close();
    }
  });
});
