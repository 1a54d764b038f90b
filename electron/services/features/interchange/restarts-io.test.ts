import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PumpHistory } from '../../../../shared/contract/record';
import { pumpWriter, serviceWriter, type PumpWritesFactory } from '../record/batch';
import { computeProjection } from '../record/projection';
import { recordDoseChange, recordRefill } from '../record/refills';
import { restartTherapy } from '../record/restart';
import { patientRecord, recordReversal } from '../record/service';
import { exportRecord } from './export';
import { importRecord, importRecordWith } from './import';
import { FIXTURE_DIR, fixtureFiles, readFolder, workspace, type TestDb } from './test-support';

/**
 * The interchange carries every therapy reversal and every restart (issue 13 follow-up): a pump
 * reversed, restarted, reversed again and restarted again exports, imports into an empty database
 * and exports again to the same files, with the same record.
 *
 * The fixture's NGV400004 (20 mL SynchroMed II, implanted 2023-05-05, baclofen 500 mcg/mL at
 * 100 mcg/day) is turned off on 2025-01-10. Here it is restarted on 2025-02-01, drained on
 * 2025-03-01, restarted on 2025-04-01, refilled on 2025-06-01 and its dose raised on 2025-06-15.
 */
let ws: ReturnType<typeof workspace>;
let source: TestDb;
let exported: string;
beforeAll(() => {
  ws = workspace();
  source = ws.db('source.db');
  const imported = importRecord(source.ctx, FIXTURE_DIR);
  if (!imported.ok) throw new Error(JSON.stringify(imported.issues));
  const pumpId = source.store.record.pumpBySerial('NGV400004')!.id;
  const baclofen = (dailyMcg: number) => ({ drug: 'Baclofen', concentration: { value: 500, unit: 'mcg' as const }, dailyDose: { value: dailyMcg, unit: 'mcg' as const }, lot: undefined });
  const fill = (date: string, withdrawnMl: number | null, dailyMcg = 100) => ({
    pumpId,
    date,
    withdrawnMl,
    addedMl: 20,
    drugs: [baclofen(dailyMcg)],
    mode: 'simple_continuous' as const,
    reservoirPortConfirmed: true,
    clinician: undefined,
    note: undefined,
    overrideReason: undefined,
  });
  const { ctx, store } = source;
  /** One service call in its own transaction, as a request runs it; it must succeed. */
  const must = (call: () => { ok: true } | { ok: false; error: { message: string } }): void => {
    const r = store.write(call as never) as { ok: true } | { ok: false; error: { message: string } };
    if (!r.ok) throw new Error(r.error.message);
  };
  must(() => restartTherapy(ctx, fill('2025-02-01', 10)));
  must(() => recordReversal(ctx, { pumpId, date: '2025-03-01', kind: 'drained', note: 'Drained for surgery', plan: undefined, outcome: undefined, clinician: undefined }));
  must(() => restartTherapy(ctx, fill('2025-04-01', null, 150)));
  // Expected residual on 2025-06-01: 20 mL - 61 days (2025-04-01 to 05-31) × 150 mcg/day ÷ 500 mcg/mL (0.3 mL/day) = 20 - 18.3 = 1.7 mL.
  must(() => recordRefill(ctx, fill('2025-06-01', 1.7, 150)));
  must(() => recordDoseChange(ctx, { pumpId, date: '2025-06-15', drug: 'Baclofen', dailyDose: { value: 175, unit: 'mcg' }, clinician: undefined, note: undefined, overrideReason: undefined }));
  exported = ws.path('export');
  const out = exportRecord(ctx, exported);
  if (!out.ok) throw new Error(out.error.message);
});
afterAll(() => ws.cleanup());

const text = (dir: string, name: string) => fs.readFileSync(path.join(dir, name), 'utf8');

/** A pump's record without ids and recording times (an import writes new ids in its own order). */
function history(db: TestDb, serial: string) {
  const pump = db.store.record.pumpBySerial(serial)!;
  const rec = patientRecord(db.ctx, pump.patientId);
  if (!rec.ok) throw new Error(rec.error.message);
  const h: PumpHistory = rec.value.pumps.find((p) => p.pump.serial === serial)!;
  const refillDate = new Map(h.refills.map((r) => [r.id, r.date]));
  const reversalDate = new Map(h.reversals.map((r) => [r.id, r.date]));
  return {
    status: h.pump.status,
    projection: { ...h.projection, pumpId: 0 },
    refills: h.refills.map(({ id: _id, pumpId: _p, recordedBy: _r, ...rest }) => rest),
    doseChanges: h.doseChanges.map((d) => [d.date, d.drug, d.dailyDoseNgPerDay]),
    reversals: h.reversals.map((r) => [r.date, r.kind, r.note]),
    restarts: h.restarts.map((r) => [r.date, reversalDate.get(r.reversalId), refillDate.get(r.refillId)]),
  };
}

describe('reversals.csv and restarts.csv carry every reversal and restart', () => {
  it('exports every reversal of a pump by date, and its restarts', () => {
    expect(text(exported, 'reversals.csv')).toBe(
      '\uFEFFserial,date,kind,note\r\nNGV400004,2025-01-10,turned_off,Weaned to oral baclofen\r\nNGV400004,2025-03-01,drained,Drained for surgery\r\n',
    );
    expect(text(exported, 'restarts.csv')).toBe('\uFEFFserial,date\r\nNGV400004,2025-02-01\r\nNGV400004,2025-04-01\r\n');
  });

  it('export → import into an empty database → export gives identical files, and the same record', () => {
    const target = ws.db();
    const imported = importRecord(target.ctx, exported);
    if (!imported.ok) throw new Error(JSON.stringify(imported.issues));
    expect(imported.value.created).toMatchObject({ reversals: 2, restarts: 2 });
    const again = ws.path('again');
    const out = exportRecord(target.ctx, again);
    if (!out.ok) throw new Error(out.error.message);
    expect(readFolder(again)).toEqual(readFolder(exported));
    for (const serial of ['NGV100001', 'NGV200002', 'NGV400004']) expect(history(target, serial)).toEqual(history(source, serial));
    const h = history(target, 'NGV400004');
    expect(h.status).toBe('active');
    // Each restart ends the reversal before it, and its fill is the refill of its date.
    expect(h.restarts).toEqual([
      ['2025-02-01', '2025-01-10', '2025-02-01'],
      ['2025-04-01', '2025-03-01', '2025-04-01'],
    ]);
    // The restart's fill is a new fill period: no expected residual, no discrepancy (restartTherapy's rule).
    const restartFill = h.refills.find((r) => r.date === '2025-04-01')!;
    expect([restartFill.expectedResidualUl, restartFill.discrepancyFlag]).toEqual([null, null]);
    const pumpId = target.store.record.pumpBySerial('NGV400004')!.id;
    expect(target.store.record.projection(pumpId)).toEqual(computeProjection(target.ctx, pumpId));
    // Importing the same files again changes nothing.
    const twice = importRecord(target.ctx, exported);
    if (!twice.ok) throw new Error(JSON.stringify(twice.issues));
    expect(twice.value.created).toMatchObject({ refills: 0, reversals: 0, restarts: 0 });
    expect(twice.value.skipped).toMatchObject({ reversals: 2, restarts: 2 });
  });

  it('the in-memory writer stores what the request services store (restarts included)', () => {
    const dump = (db: TestDb) =>
      Object.fromEntries(
        ['refills', 'refill_drugs', 'dose_changes', 'reversals', 'therapy_restarts', 'pumps', 'pump_projection'].map((t) => [
          t,
          db.store.db.prepare(`SELECT * FROM ${t} ORDER BY rowid`).all(),
        ]),
      );
    const run = (writer: PumpWritesFactory) => {
      const db = ws.db();
      const outcome = importRecordWith(db.ctx, exported, writer);
      return { outcome, rows: dump(db) };
    };
    const memory = run(pumpWriter);
    const services = run(serviceWriter);
    expect(memory.outcome.ok).toBe(true);
    expect(memory.outcome).toEqual(services.outcome);
    expect(memory.rows).toEqual(services.rows);
  });

  it('an older export without restarts.csv still imports (one reversal a pump)', () => {
    const files = fixtureFiles();
    expect(Object.keys(files)).not.toContain('restarts.csv');
    const db = ws.db();
    const imported = importRecord(db.ctx, FIXTURE_DIR);
    expect(imported.ok).toBe(true);
    expect(db.store.record.pumpBySerial('NGV400004')!.status).toBe('off');
  });
});

describe('restarts added to a record already in the database', () => {
  const REFILLS = 'serial,date,withdrawn_ml,added_ml,drug,concentration,concentration_unit,daily_dose,dose_unit\n';
  it('restarts a pump recorded as off, and reverses and restarts a running pump on one date (reversal first)', () => {
    const db = ws.db();
    expect(importRecord(db.ctx, FIXTURE_DIR).ok).toBe(true);
    const later = ws.folder({
      // NGV400004 is recorded as turned off on 2025-01-10: restarted on 2025-02-01 (baclofen 500 mcg/mL, 100 mcg/day).
      // NGV100001 runs (last refill 2025-08-01): drained and restarted on 2025-08-10 at 2000 mcg/mL, 400 mcg/day.
      'refills.csv': `${REFILLS}NGV400004,2025-02-01,,20,Baclofen,500,mcg,100,mcg\nNGV100001,2025-08-10,,20,Baclofen,2000,mcg,400,mcg\n`,
      'reversals.csv': 'serial,date,kind,note\nNGV400004,2025-01-10,turned_off,Weaned to oral baclofen\nNGV100001,2025-08-10,drained,\n',
      'restarts.csv': 'serial,date\nNGV100001,2025-08-10\nNGV400004,2025-02-01\n',
    });
    const outcome = importRecord(db.ctx, later);
    if (!outcome.ok) throw new Error(JSON.stringify(outcome.issues));
    expect(outcome.value.created).toMatchObject({ refills: 2, reversals: 1, restarts: 2 });
    expect(outcome.value.skipped).toMatchObject({ reversals: 1 });
    const off = history(db, 'NGV400004');
    expect(off.status).toBe('active');
    expect(off.restarts).toEqual([['2025-02-01', '2025-01-10', '2025-02-01']]);
    const same = history(db, 'NGV100001');
    expect(same.status).toBe('active');
    expect(same.restarts).toEqual([['2025-08-10', '2025-08-10', '2025-08-10']]);
    // 400 mcg/day ÷ 2000 mcg/mL = 0.2 mL/day from a 20 mL fill on 2025-08-10.
    expect(same.projection).toMatchObject({ lastRefillDate: '2025-08-10', dailyVolumeUl: 200 });
    for (const serial of ['NGV400004', 'NGV100001']) {
      const id = db.store.record.pumpBySerial(serial)!.id;
      expect(db.store.record.projection(id)).toEqual(computeProjection(db.ctx, id));
    }
  });
});

describe('bad reversal and restart rows: a clear error at the row, nothing imported', () => {
  /** The export with `edit` applied to its texts, imported into an empty database: the issues as lines. */
  function importEdited(edit: (files: Record<string, string>) => void): { lines: string[]; db: TestDb } {
    const files: Record<string, string> = {};
    for (const name of fs.readdirSync(exported)) files[name] = text(exported, name);
    edit(files);
    const db = ws.db();
    const outcome = importRecord(db.ctx, ws.folder(files));
    if (outcome.ok) throw new Error('expected the import to be refused');
    return { lines: outcome.issues.map((i) => `${i.file}:${i.line}: ${i.column}: ${i.message}`), db };
  }
  const nothingWritten = (db: TestDb) => expect(db.store.db.prepare('SELECT count(*) AS n FROM patients').get()).toEqual({ n: 0 });

  // The export's refills.csv: NGV400004 (RSV-004, the last patient) on lines 9-12: 2023-05-05, 2025-02-01, 2025-04-01, 2025-06-01.
  it('a restart with no refill that day', () => {
    const { lines, db } = importEdited((f) => {
      f['refills.csv'] = f['refills.csv']!.replace(/NGV400004,2025-04-01,[^\r]*\r\n/, '');
    });
    expect(lines).toContain(
      "restarts.csv:3: date: pump NGV400004 has no refill on 2025-04-01 in refills.csv: a restart's first fill is the refills.csv row(s) of the same serial and date",
    );
    // The pump's later rows depend on it.
    expect(lines).toContain('refills.csv:11: date: not checked: depends on the refused restart in restarts.csv row 3');
    nothingWritten(db);
  });

  it('a restart on a pump not turned off at that date', () => {
    const { lines, db } = importEdited((f) => {
      // The second reversal taken out: the pump is running on 2025-04-01.
      f['reversals.csv'] = f['reversals.csv']!.replace('NGV400004,2025-03-01,drained,Drained for surgery\r\n', '');
    });
    expect(lines).toEqual([
      'refills.csv:12: date: not checked: depends on the refused restart in restarts.csv row 3',
      'dose_changes.csv:3: date: not checked: depends on the refused restart in restarts.csv row 3',
      "restarts.csv:3: date: pump NGV400004 is running on 2025-04-01, not turned off: a restart ends the pump's latest therapy reversal (reversals.csv or recorded), which must be dated on or before it",
    ]);
    nothingWritten(db);
  });

  it('a reversal on a pump already off', () => {
    const { lines, db } = importEdited((f) => {
      // A second reversal while the pump is off (turned off on 2025-01-10, restarted on 2025-02-01).
      f['reversals.csv'] = f['reversals.csv']!.replace('NGV400004,2025-03-01', 'NGV400004,2025-01-20,weaned,\r\nNGV400004,2025-03-01');
    });
    expect(lines).toContain('reversals.csv:3: serial: Pump NGV400004 is already off.');
    expect(lines).toContain('restarts.csv:2: date: not checked: depends on the refused reversal in reversals.csv row 3');
    nothingWritten(db);
  });

  it('a fill while the pump is off (its restart missing) is reported at its row', () => {
    const { lines, db } = importEdited((f) => {
      f['restarts.csv'] = f['restarts.csv']!.replace('NGV400004,2025-02-01\r\n', '');
    });
    expect(lines[0]).toBe(
      'refills.csv:10: date: is after the pump was turned off (reversals.csv line 2, 2025-01-10) and not restarted: nothing can be recorded on a pump after that',
    );
    expect(lines).toContain('reversals.csv:3: date: not checked: depends on the refused visit in refills.csv row 10');
    nothingWritten(db);
  });

  it('a restart dated before the reversal it would end', () => {
    const { lines, db } = importEdited((f) => {
      // The second reversal moved after the second restart's date.
      f['reversals.csv'] = f['reversals.csv']!.replace('NGV400004,2025-03-01,drained', 'NGV400004,2025-04-15,drained');
    });
    // On 2025-04-01 the pump is running (restarted on 2025-02-01, reversed again only on 2025-04-15): refused at its row.
    expect(lines).toContain(
      "restarts.csv:3: date: pump NGV400004 is running on 2025-04-01, not turned off: a restart ends the pump's latest therapy reversal (reversals.csv or recorded), which must be dated on or before it",
    );
    nothingWritten(db);
  });

  it('the same reversal or restart twice', () => {
    const { lines } = importEdited((f) => {
      f['restarts.csv'] += 'NGV400004,2025-02-01\r\n';
      f['reversals.csv'] += 'NGV400004,2025-03-01,drained,\r\n';
    });
    expect(lines).toContain('restarts.csv:4: date: pump NGV400004 already has a restart on 2025-02-01 on line 2');
    expect(lines).toContain('reversals.csv:4: date: pump NGV400004 already has a reversal on 2025-03-01 on line 3');
  });
});
