import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calendarDate } from '../../../../shared/domain/calendar';
import { generateClinic } from '../../generate/generate';
import { pumpWriter, serviceWriter, type PumpWritesFactory } from '../record/batch';
import { computeProjection } from '../record/projection';
import { exportRecord } from './export';
import { importRecordWith, type ImportOutcome } from './import';
import { FIXTURE_DIR, fixtureFiles, replaceLine, workspace, type TestDb } from './test-support';

/**
 * The import writes each pump's rows with `pumpWriter` (the pump's history kept in memory, one
 * projection per pump). It must store exactly what the request services store one row at a time
 * (`serviceWriter`: recordRefill, recordDoseChange, recordReversal, recordRemoval, each reading
 * the history and saving the projection): every column of every clinical table, the search index,
 * and the same answer (counts, warnings, refusals at their rows).
 */
let ws: ReturnType<typeof workspace>;
let clinic: string;
beforeAll(() => {
  ws = workspace();
  const source = ws.db('generated.db');
  generateClinic(source.ctx, { patients: 50, years: 9, seed: 7, asOf: calendarDate('2025-08-31'), batchSize: 25 });
  clinic = ws.path('generated-export');
  const exported = exportRecord(source.ctx, clinic);
  if (!exported.ok) throw new Error(exported.error.message);
});
afterAll(() => ws.cleanup());

const TABLES = ['patients', 'pumps', 'refills', 'refill_drugs', 'dose_changes', 'reversals', 'removals', 'pump_projection', 'events'];

/** Every row of every table the import writes, every column, in rowid order. */
function dump(db: TestDb): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const t of TABLES) out[t] = db.store.db.prepare(`SELECT * FROM ${t} ORDER BY rowid`).all();
  out.patient_search = db.store.db.prepare('SELECT rowid, text FROM patient_search ORDER BY rowid').all();
  return out;
}

/** Imports the folders in turn into a fresh database with `writer`; answers the outcomes and the database. */
function importAll(writer: PumpWritesFactory, dirs: string[]): { outcomes: ImportOutcome[]; db: TestDb } {
  const db = ws.db();
  return { outcomes: dirs.map((dir) => importRecordWith(db.ctx, dir, writer)), db };
}

function bothWays(dirs: string[]) {
  const memory = importAll(pumpWriter, dirs);
  const services = importAll(serviceWriter, dirs);
  expect(memory.outcomes).toEqual(services.outcomes);
  expect(dump(memory.db)).toEqual(dump(services.db));
  return memory;
}

/** The folder's files with `edit` applied to their texts (name → text), written to a new folder. */
function edited(dir: string, edit: (files: Record<string, string>) => void): string {
  const files: Record<string, string> = {};
  for (const name of fs.readdirSync(dir)) files[name] = fs.readFileSync(path.join(dir, name), 'utf8');
  edit(files);
  return ws.folder(files);
}

describe('the import stores what the request services store, row by row', () => {
  it('a generated clinic (admixtures, dose changes, reversals, removals, replacements)', () => {
    const { outcomes, db } = bothWays([clinic]);
    const first = outcomes[0]!;
    if (!first.ok) throw new Error(JSON.stringify(first.issues.slice(0, 3)));
    expect(first.value.created.refills).toBeGreaterThan(1000);
    expect(first.value.created.dose_changes).toBeGreaterThan(20);
    expect(first.value.created.removals).toBeGreaterThan(0);
    expect(first.value.warnings.length).toBeGreaterThan(0);
    // And every stored projection is the one worked out afresh from the whole history.
    for (const pump of db.store.record.allPumps()) expect(db.store.record.projection(pump.id)).toEqual(computeProjection(db.ctx, pump.id));
  });

  it('a clinic imported in two parts: the second adds to pumps already recorded', () => {
    // Part one: the pumps still running get their refills and dose changes up to half-way through
    // their history; everything else is complete. Part two is the whole clinic.
    const firstHalf = edited(clinic, (files) => {
      const lines = (name: string) => files[name]!.replace(/\r\n$/, '').split('\r\n');
      const ended = new Set([...lines('reversals.csv').slice(1), ...lines('removals.csv').slice(1)].map((l) => l.split(',')[0]));
      const [header, ...rows] = lines('refills.csv');
      const cut = new Map<string, string>();
      for (const serial of new Set(rows.map((r) => r.split(',')[0]!))) {
        const dates = [...new Set(rows.filter((r) => r.split(',')[0] === serial).map((r) => r.split(',')[1]!))];
        if (!ended.has(serial) && dates.length > 1) cut.set(serial, dates[Math.floor(dates.length / 2)]!);
      }
      const before = (row: string) => {
        const [serial, date] = row.split(',');
        const until = cut.get(serial!);
        return until === undefined || date! < until;
      };
      files['refills.csv'] = [header, ...rows.filter(before)].join('\r\n') + '\r\n';
      const [doseHeader, ...doses] = lines('dose_changes.csv');
      files['dose_changes.csv'] = [doseHeader, ...doses.filter(before)].join('\r\n') + '\r\n';
    });
    const { outcomes } = bothWays([firstHalf, clinic]);
    for (const o of outcomes) if (!o.ok) throw new Error(JSON.stringify(o.issues.slice(0, 3)));
    expect(outcomes[1]).toMatchObject({ ok: true, value: { created: { patients: 0, pumps: 0 } } });
    const second = outcomes[1] as Extract<ImportOutcome, { ok: true }>;
    expect(second.value.created.refills).toBeGreaterThan(100);
    expect(second.value.skipped.refills).toBeGreaterThan(100);
  });

  it('a dose change added to a pump whose history already has one', () => {
    const files = fixtureFiles();
    files['dose_changes.csv'] = 'serial,date,drug,daily_dose,dose_unit\nNGV200002,2025-04-01,Morphine,4,mg\n';
    const first = ws.folder(files);
    files['dose_changes.csv'] += 'NGV200002,2025-07-01,Clonidine,500,mcg\nNGV200002,2025-07-02,Morphine,5,mg\n';
    const { outcomes } = bothWays([first, ws.folder(files)]);
    expect(outcomes[1]).toMatchObject({ ok: true, value: { created: { dose_changes: 2 }, skipped: { dose_changes: 1, refills: 6 } } });
  });

  it('the same refusal at the same row, and nothing written', () => {
    const cases: [string, number, string][] = [
      ['refills.csv', 2, 'NGV100001,2025-06-02,,25,Baclofen,2000,mcg,500,mcg'],
      ['refills.csv', 3, 'NGV100001,2025-08-01,,20,Baclofen,2000,mcg,500,mcg'],
      ['refills.csv', 5, 'NGV200002,2025-03-10,,40,Clonidine,1000,mcg,600,mcg'],
      ['dose_changes.csv', 2, 'NGV200002,2025-07-01,Baclofen,100,mcg'],
      ['dose_changes.csv', 2, 'NGV200002,2025-01-01,Morphine,4,mg'],
      ['removals.csv', 2, 'PRO300003,2024-01-10,infection,yes,'],
      ['reversals.csv', 2, 'NGV400004,2022-01-10,turned_off,'],
    ];
    for (const [file, line, text] of cases) {
      const files = fixtureFiles();
      files[file] = replaceLine(files[file]!, line, text);
      const { outcomes } = bothWays([ws.folder(files)]);
      expect(outcomes[0]!.ok, `${file}:${line}`).toBe(false);
    }
  });
});

describe('a refill and a dose change on the same date, imported in either order (issue 13, item 6)', () => {
  // NGV100001: 20 mL SynchroMed II (alarm 2 mL), baclofen 2000 mcg/mL at 500 mcg/day = 0.25 mL/day,
  // filled with 20 mL on 2025-06-02; refilled on 2025-08-01 (day 60) with 4.8 mL withdrawn, and
  // reprogrammed to 600 mcg/day (0.3 mL/day) the same day.
  //   expected residual = 20 − 60 × 0.25 = 5.000 mL; discrepancy 4.8 − 5.0 = −0.200 mL
  //   the refill's own dates (0.25 mL/day): alarm +72 days = 2025-10-12, empty +80 = 2025-10-20, due 2025-10-05
  //   the projection (0.3 mL/day from 2025-08-01): alarm + floor(18 / 0.3) = +60 = 2025-09-30,
  //   empty + ceil(20 / 0.3) = +67 = 2025-10-07, due 2025-09-30 − 7 = 2025-09-23
  const change = 'NGV100001,2025-08-01,Baclofen,600,mcg';
  const withChange = (files: Record<string, string>) => (files['dose_changes.csv'] += `${change}\n`);
  const withoutRefill = (files: Record<string, string>) => (files['refills.csv'] = files['refills.csv']!.replace('NGV100001,2025-08-01,4.8,20,Baclofen,2000,mcg,500,mcg\n', ''));

  /** The pump's refills and projection, without row ids and times. */
  function pumpState(db: TestDb) {
    const pump = db.store.record.allPumps().find((p) => p.serial === 'NGV100001')!;
    const refills = db.store.record.refills(pump.id).map(({ id: _i, drugs, ...r }) => ({ ...r, drugs: drugs.map(({ drugId: _d, ...d }) => d) }));
    return { refills, projection: db.store.record.projection(pump.id) };
  }

  it('in one spreadsheet, dose change first in a first import, or refill first in a first import: the same refill and projection', () => {
    const files = fixtureFiles();
    expect(files['refills.csv']).toContain('NGV100001,2025-08-01,4.8,20,Baclofen,2000,mcg,500,mcg\n');
    const whole = edited(FIXTURE_DIR, withChange);
    const changeOnly = edited(FIXTURE_DIR, (f) => {
      withChange(f);
      withoutRefill(f);
    });
    const refillOnly = FIXTURE_DIR;

    const results = [bothWays([whole]), bothWays([changeOnly, whole]), bothWays([refillOnly, whole])];
    for (const { outcomes } of results) for (const o of outcomes) expect(o.ok, JSON.stringify(o.ok ? null : o.issues)).toBe(true);
    const [together, changeFirst, refillFirst] = results.map(({ db }) => pumpState(db)) as [ReturnType<typeof pumpState>, ReturnType<typeof pumpState>, ReturnType<typeof pumpState>];
    expect(together.refills[1]).toMatchObject({
      date: '2025-08-01',
      expectedResidualUl: 5000,
      discrepancyUl: -200,
      alarmDate: '2025-10-12',
      emptyDate: '2025-10-20',
      nextDueDate: '2025-10-05',
    });
    expect(together.projection).toMatchObject({ dailyVolumeUl: 300, alarmDate: '2025-09-30', emptyDate: '2025-10-06', nextDueDate: '2025-09-23' }); // empty: floor(20 / 0.3) = 66 days
    expect(changeFirst).toEqual(together);
    expect(refillFirst).toEqual(together);
  });
});
