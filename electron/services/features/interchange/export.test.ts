import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { refillInput } from '../../../../shared/contract/record';
import { recordRefill } from '../record/refills';
import { worklist } from '../record/worklist';
import { exportRecord } from './export';
import { importRecord } from './import';
import { COLUMNS, fileName, formatMass, formatThousandths, KINDS } from './format';
import { fixtureFiles, readFolder, replaceLine, rowCounts, workspace } from './test-support';

let ws: ReturnType<typeof workspace>;
beforeEach(() => {
  ws = workspace();
});
afterEach(() => ws.cleanup());

/** Imports `files` into a fresh database; answers it. */
function imported(files: Record<string, string>) {
  const db = ws.db();
  const outcome = importRecord(db.ctx, ws.folder(files));
  if (!outcome.ok) throw new Error(outcome.issues.map((i) => `${i.file}:${i.line}: ${i.column}: ${i.message}`).join('\n'));
  return db;
}

function exported(db: ReturnType<typeof ws.db>): string {
  const out = ws.path(`out-${Math.random().toString(36).slice(2)}`);
  const r = exportRecord(db.ctx, out);
  expect(r.ok).toBe(true);
  return out;
}

describe('number formatting', () => {
  it('writes thousandths with at most 3 decimals and no float noise', () => {
    expect([20000, 2500, 250, 1, 0, 4800, 19999, 100, 123456789].map(formatThousandths)).toEqual([
      '20',
      '2.5',
      '0.25',
      '0.001',
      '0',
      '4.8',
      '19.999',
      '0.1',
      '123456.789',
    ]);
  });

  it('writes a mass in its unit, or in mcg when the unit cannot hold it exactly', () => {
    expect(formatMass(3_000_000, 'mg')).toEqual({ value: '3', unit: 'mg' });
    expect(formatMass(125_000, 'mg')).toEqual({ value: '0.125', unit: 'mg' });
    expect(formatMass(500_000, 'mcg')).toEqual({ value: '500', unit: 'mcg' });
    expect(formatMass(1, 'mcg')).toEqual({ value: '0.001', unit: 'mcg' });
    expect(formatMass(1_500, 'mg')).toEqual({ value: '1.5', unit: 'mcg' });
  });
});

describe('export', () => {
  it('writes the fixture exactly as its canonical form: BOM, header, CRLF', () => {
    const db = imported(fixtureFiles());
    const files = readFolder(exported(db));
    const fixture = fixtureFiles();
    expect(Object.keys(files)).toEqual(KINDS.map(fileName).sort());
    for (const name of Object.keys(files)) {
      expect(files[name]!.toString('utf8'), name).toBe(`\uFEFF${fixture[name]!.replace(/\n/g, '\r\n')}`);
    }
  });

  it('writes all six files with their header rows from an empty database', () => {
    const db = ws.db();
    const out = exported(db);
    for (const kind of KINDS) {
      expect(fs.readFileSync(path.join(out, fileName(kind)), 'utf8')).toBe(`\uFEFF${COLUMNS[kind].join(',')}\r\n`);
    }
    // ... and importing them changes nothing.
    const again = importRecord(db.ctx, out);
    expect(again).toMatchObject({ ok: true, value: { created: { patients: 0, pumps: 0, refills: 0 } } });
  });

  it('export → import into a fresh database → export gives byte-identical files', () => {
    const files = fixtureFiles();
    // Decimals, several removal reasons, and a note spanning lines with quotes and commas.
    files['refills.csv'] = replaceLine(files['refills.csv']!, 3, 'NGV100001,2025-08-01,4.875,19.999,Baclofen,2000,mcg,500,mcg');
    files['refills.csv'] = replaceLine(files['refills.csv']!, 8, 'PRO300003,2024-01-15,,40,Hydromorphone,12.5,mg,0.125,mg');
    files['removals.csv'] = 'serial,date,reason,catheter_removed,note\nPRO300003,2024-06-01,infection;catheter_complication,no,"Explanted; ""pocket"" swab sent,\nreviewed by ID"\n';
    const first = imported(files);
    const out1 = exported(first);
    const second = imported(Object.fromEntries(Object.entries(readFolder(out1)).map(([k, v]) => [k, v.toString('utf8')])));
    const out2 = exported(second);
    expect(readFolder(out2)).toEqual(readFolder(out1));
    expect(rowCounts(second)).toEqual(rowCounts(first));
    const removal = second.store.record.removal(second.store.record.pumpBySerial('PRO300003')!.id)!;
    expect(removal).toMatchObject({ reasons: ['infection', 'catheter_complication'], catheterRemoved: false, note: 'Explanted; "pocket" swab sent,\nreviewed by ID' });
  });

  it('notes refills whose flex or bolus volume the format does not carry', () => {
    const files = fixtureFiles();
    files['refills.csv'] = files['refills.csv']!.split('\n').filter((l) => !l.startsWith('NGV100001,2025-08-01')).join('\n');
    const db = imported(files);
    const pumpId = db.store.record.pumpBySerial('NGV100001')!.id;
    const flex = recordRefill(
      db.ctx,
      refillInput.parse({
        pumpId,
        date: '2025-08-01',
        withdrawnMl: 4.8,
        addedMl: 20,
        drugs: [{ drug: 'Baclofen', concentration: { value: 2000, unit: 'mcg' }, dailyDose: { value: 500, unit: 'mcg' } }],
        mode: 'flex',
        extraMlPerDay: 0.05,
        reservoirPortConfirmed: true,
        acknowledgeDiscrepancy: true,
        note: 'checked',
      }),
      { imported: true },
    );
    expect(flex.ok).toBe(true);
    const r = exportRecord(db.ctx, ws.path('flex-out'));
    expect(r).toMatchObject({ ok: true, value: { notes: [expect.stringMatching(/^1 refill\(s\) use a flex or bolus mode/)] } });
  });

  it('importing the same files twice leaves the full export identical', () => {
    const db = ws.db();
    const dir = ws.folder(fixtureFiles());
    expect(importRecord(db.ctx, dir).ok).toBe(true);
    const once = readFolder(exported(db));
    const counts = rowCounts(db);
    expect(importRecord(db.ctx, dir).ok).toBe(true);
    expect(readFolder(exported(db))).toEqual(once);
    expect(rowCounts(db)).toEqual(counts);
  });
});

describe('the fixture clinic on the worklist (values worked out by hand)', () => {
  it('baclofen 2000 mcg/mL at 500 mcg/day in a 20 mL SynchroMed II refilled to 20 mL on 2025-08-01', () => {
    const db = imported(fixtureFiles());
    // On 2025-09-01 the baclofen pump is on schedule: counted among the running pumps, not listed.
    // Running pumps only: PRO300003 was removed, NGV400004 turned off.
    const early = worklist(db.ctx, '2025-09-01', 14);
    expect(early.rows.map((r) => r.serial)).toEqual(['NGV200002']);
    expect(early.counts).toMatchObject({ running: 2, overdue: 1, due: 0 });
    // From 2025-09-21 its due date (10-05) is inside the 14-day window: listed, due.
    const list = worklist(db.ctx, '2025-09-21', 14);
    expect(list.rows.map((r) => r.serial)).toEqual(['NGV200002', 'NGV100001']);
    const baclofen = list.rows.find((r) => r.serial === 'NGV100001')!;
    expect(baclofen).toMatchObject({
      mrn: 'RSV-001',
      lastRefill: '2025-08-01',
      dailyVolumeMl: 0.25, // 500 mcg/day ÷ 2000 mcg/mL
      alarmDate: '2025-10-12', // (20 − 2 mL) ÷ 0.25 mL/day = 72 days after 2025-08-01
      emptyDate: '2025-10-20', // 20 mL ÷ 0.25 mL/day = 80 days after
      nextDue: '2025-10-05', // alarm − 7 days safety margin = 65 days after (baclofen: no stability limit; 180-day cap later)
      status: 'due', // 10-05 ≤ 09-21 + 14
      // expected residual 20 − 60 days × 0.25 = 5 mL; withdrawn 4.8 → −0.2 mL, under the 1 mL threshold
      discrepancyFlag: false,
      replacementDue: false,
    });
    expect(worklist(db.ctx, '2025-09-20', 14).rows.find((r) => r.serial === 'NGV100001')).toBeUndefined(); // 10-05 > 09-20 + 14
    expect(worklist(db.ctx, '2025-10-06', 14).rows.find((r) => r.serial === 'NGV100001')!.status).toBe('overdue');
  });

  it('morphine 10 mg/mL + clonidine 1000 mcg/mL admixture, dose change to 4 mg/day on 2025-07-01', () => {
    const db = imported(fixtureFiles());
    const row = worklist(db.ctx, '2025-09-01', 14).rows.find((r) => r.serial === 'NGV200002')!;
    expect(row).toMatchObject({
      mrn: 'RSV-002',
      lastRefill: '2025-06-01',
      dailyVolumeMl: 0.4, // 4 mg/day ÷ 10 mg/mL since 2025-07-01
      // 40 mL − 30 days × 0.3 = 31 mL on 2025-07-01; then (31 − 2) ÷ 0.4 = 72.5 → 72 days
      alarmDate: '2025-09-11',
      emptyDate: '2025-09-17', // 31 ÷ 0.4 = 77.5 → 78 days after 2025-07-01
      nextDue: '2025-08-30', // morphine stability 90 days after 2025-06-01 comes first
      status: 'overdue',
      discrepancyFlag: false, // expected 40 − 83 × 0.3 = 15.1 mL; withdrawn 15 → −0.1 mL
    });
  });

  it('a pump with only its first fill has no discrepancy flag', () => {
    const files = fixtureFiles();
    files['refills.csv'] = files['refills.csv']!.split('\n').filter((l) => !l.startsWith('NGV100001,2025-08-01')).join('\n');
    const db = imported(files);
    const row = worklist(db.ctx, '2025-07-23', 14).rows.find((r) => r.serial === 'NGV100001')!;
    expect(row).toMatchObject({ lastRefill: '2025-06-02', discrepancyFlag: null, nextDue: '2025-08-06', status: 'due' }); // 06-02 + 65 ≤ 07-23 + 14
  });
});
