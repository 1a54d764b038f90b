import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type OpenedStore } from '../../../cli/database';
import { calendarDate } from '../../../../shared/domain/calendar';
import { generateClinic } from '../../generate/generate';
import { tempDir } from '../../testing/temp';
import { computeProjection, refreshAllProjections } from './projection';

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
