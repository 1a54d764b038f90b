import Database from 'better-sqlite3-multiple-ciphers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type OpenedStore } from '../../cli/database';
import { exportRows } from '../features/interchange/export';
import { worklist } from '../features/record/worklist';
import { tempDir } from '../testing/temp';
import { calendarDate } from '../../../shared/domain/calendar';
import { generateClinic, isEmptyClinic, type GenerateCounts, type GenerateOptions } from './generate';
import { mulberry32 } from './random';

const AS_OF = calendarDate('2025-09-01');
const NOW = Date.UTC(2025, 8, 1, 12);

let tmp: ReturnType<typeof tempDir>;
const opened: OpenedStore[] = [];

function generated(name: string, options: Partial<GenerateOptions> = {}): { store: OpenedStore; counts: GenerateCounts } {
  const r = openStore(tmp.file(name), { mustExist: false, now: () => NOW, keys: { plain: true } }); // unencrypted: the tests read the file directly
  if (!r.ok) throw new Error(r.message);
  opened.push(r.value);
  const counts = generateClinic(r.value.ctx, { patients: 20, years: 5, seed: 7, asOf: AS_OF, batchSize: 8, ...options });
  return { store: r.value, counts };
}

let a: ReturnType<typeof generated>;
let b: ReturnType<typeof generated>;
let c: ReturnType<typeof generated>;

beforeAll(() => {
  tmp = tempDir('reservoir-generate-');
  a = generated('a.db');
  b = generated('b.db');
  c = generated('c.db', { seed: 8 });
});
afterAll(() => {
  for (const o of opened) o.close();
  tmp.cleanup();
});

describe('mulberry32', () => {
  it('is deterministic and uniform-looking', () => {
    const x = mulberry32(42);
    const y = mulberry32(42);
    const xs = Array.from({ length: 1000 }, () => x.next());
    expect(xs).toEqual(Array.from({ length: 1000 }, () => y.next()));
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    expect(xs.reduce((s, v) => s + v, 0) / xs.length).toBeCloseTo(0.5, 1);
    const z = mulberry32(1);
    for (let i = 0; i < 200; i++) expect([3, 4, 5]).toContain(z.int(3, 5));
  });
});

describe('generateClinic', () => {
  it('generates 20 patients over 5 years through the services without a refusal', () => {
    expect(a.counts.patients).toBe(20);
    expect(a.counts.pumps).toBeGreaterThanOrEqual(20);
    expect(a.counts.refills).toBeGreaterThan(20 * 4);
    expect(a.counts.doseChanges).toBeGreaterThan(0);
    const rows = exportRows(a.store.ctx).rows;
    expect(rows.patients.length).toBe(20);
    expect(rows.pumps.length).toBe(a.counts.pumps);
    expect(rows.refills.length).toBeGreaterThanOrEqual(a.counts.refills);
  });

  it('is deterministic: the same seed gives the same record, another seed a different one', () => {
    expect(b.counts).toEqual(a.counts);
    expect(exportRows(b.store.ctx)).toEqual(exportRows(a.store.ctx));
    expect(worklist(b.store.ctx, AS_OF, 14)).toEqual(worklist(a.store.ctx, AS_OF, 14));
    expect(exportRows(c.store.ctx)).not.toEqual(exportRows(a.store.ctx));
  });

  it('leaves a worklist with rows, none due before the pump was last refilled', () => {
    const list = worklist(a.store.ctx, AS_OF, 14);
    expect(list.rows.length).toBeGreaterThan(0);
    for (const row of list.rows) expect(row.lastRefill! <= AS_OF).toBe(true);
  });

  it('gives every flagged refill a note, and never lets a pump run below its alarm before the next refill', () => {
    for (const { store } of [a, c]) {
      for (const pump of store.ctx.store.record.allPumps()) {
        const refills = store.ctx.store.record.refills(pump.id);
        const changes = store.ctx.store.record.doseChanges(pump.id);
        for (const [i, r] of refills.entries()) {
          if (r.discrepancyFlag) expect(r.note).toBeTruthy();
          const next = refills[i + 1];
          // (A dose change between two refills moves the alarm; the generator follows the new one.)
          const changed = next !== undefined && changes.some((d) => d.date > r.date && d.date < next.date);
          if (next && r.alarmDate && !changed) expect(next.date <= r.alarmDate).toBe(true);
        }
      }
    }
  });

  it('exercises the flag path with a bigger clinic', () => {
    const big = generated('big.db', { patients: 60, years: 6, seed: 3 });
    expect(big.counts.flaggedRefills).toBeGreaterThan(0);
    expect(big.counts.removals + big.counts.reversals + big.counts.events).toBeGreaterThan(0);
  });

  it('removes pumps early at the asked rate: out for infection or lack of efficacy, or replaced the same day after a failure', () => {
    const early = generated('early.db', { patients: 16, years: 6, seed: 11, mrnPrefix: 'EARLY-', rates: { removal: 1, reversal: 0, missedLastVisit: 0 } });
    const { store } = early.store.ctx;
    const patients = store.patients.list(100);
    expect(patients.map((p) => p.mrn)).toContain('EARLY-000016');
    const removals = store.record.allPumps().flatMap((p) => {
      const r = store.record.removal(p.id);
      return r === null ? [] : [{ pump: p, removal: r }];
    });
    const earlyOnes = removals.filter(({ removal }) => !removal.reasons.includes('battery_end_of_life'));
    expect(earlyOnes.length).toBeGreaterThan(4);
    expect(early.counts.reversals).toBe(0);
    for (const { pump, removal } of earlyOnes) {
      expect(removal.note).toBeTruthy();
      if (removal.reasons.includes('other')) {
        // A failed pump is replaced by the same model the same day, and the new one is filled that day.
        const replacement = store.record.pump(removal.replacementPumpId!)!;
        expect(replacement).toMatchObject({ deviceModelId: pump.deviceModelId, implantDate: removal.date });
        expect(store.record.refills(replacement.id)[0]?.date).toBe(removal.date);
      } else {
        expect(removal.replacementPumpId).toBeNull();
        if (removal.reasons.includes('infection')) expect(removal.catheterRemoved).toBe(true);
        // Nothing is recorded on a pump after it came out.
        expect(store.record.refills(pump.id).every((r) => r.date <= removal.date)).toBe(true);
      }
    }
    expect(earlyOnes.some(({ removal }) => removal.replacementPumpId === null)).toBe(true);
    expect(earlyOnes.some(({ removal }) => removal.replacementPumpId !== null)).toBe(true);
  });

  it('says in the audit trail, once, that the clinic is synthetic and what it holds', () => {
    const db = new Database(tmp.file('a.db'), { readonly: true });
    try {
      const entries = db.prepare(`SELECT username, action, entity, detail_json FROM audit_log ORDER BY seq`).all() as { username: string; action: string; entity: string; detail_json: string }[];
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({ username: expect.stringMatching(/^cli:/), action: 'create', entity: 'synthetic_clinic' });
      expect(JSON.parse(entries[0]!.detail_json)).toEqual({ seed: 7, years: 5, asOf: AS_OF, mrnPrefix: 'GEN-', created: a.counts });
    } finally {
      db.close();
    }
  });

  it('knows an empty clinic from one with data', () => {
    const r = openStore(tmp.file('empty.db'), { mustExist: false, now: () => NOW });
    if (!r.ok) throw new Error(r.message);
    opened.push(r.value);
    expect(isEmptyClinic(r.value.ctx)).toBe(true);
    expect(isEmptyClinic(a.store.ctx)).toBe(false);
  });
});
