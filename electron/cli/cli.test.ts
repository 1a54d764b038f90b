import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../services/testing/temp';
import { FIXTURE_DIR, fixtureFiles, openTestDb, replaceLine } from '../services/features/interchange/test-support';
import { main } from './main';
import type { CliIo } from './args';
import { recordReversal } from '../services/features/record/service';
import { updatePatient } from '../services/features/patients/handlers';
import { reversalEntryInput } from '../../shared/contract/record';
import { patientUpdateEntryInput } from '../../shared/contract/patients';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = path.join(ROOT, 'bin', 'reservoir.mjs');
const CSV_HEADER = 'mrn,serial,last_refill,daily_volume_ml,alarm_date,empty_date,next_due,status,discrepancy_flag,replacement_due,urgency,next_due_rule,days_overdue,open_adverse,awaiting_check';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir('reservoir-cli-');
});
afterEach(() => tmp.cleanup());

/** Runs `main` with captured output. */
function run(args: string[], now = Date.UTC(2025, 8, 1, 12)): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const io: CliIo = { out: (t) => void (out += t), err: (t) => void (err += t), now: () => now };
  const code = main(args, io);
  return { code, out, err };
}

/** Runs the real `reservoir` executable under Node. */
function bin(args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function importedDb(): string {
  const db = tmp.file('clinic.db');
  // --plain: unencrypted, so the tests can open it directly (keys.test.ts covers encrypted ones).
  expect(run(['import', '--db', db, '--plain', FIXTURE_DIR]).code).toBe(0);
  return db;
}

function folder(files: Record<string, string>): string {
  const dir = tmp.file(`in-${Math.random().toString(36).slice(2)}`);
  fs.mkdirSync(dir);
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

describe('reservoir: help and usage', () => {
  it('prints help for the program and every command, exit 0', () => {
    const top = run(['--help']);
    expect(top).toMatchObject({ code: 0, err: '' });
    expect(top.out).toMatch(/^Usage: reservoir <command>/);
    for (const command of ['import', 'export', 'worklist']) {
      const r = run([command, '--help']);
      expect(r.code).toBe(0);
      expect(r.out).toMatch(new RegExp(`^Usage: reservoir ${command} --db FILE`));
      expect(run(['help', command]).out).toBe(r.out);
      expect(run([command, '-h']).out).toBe(r.out);
    }
  });

  it.each([
    [[], /Usage: reservoir <command>/],
    [['frobnicate'], /unknown command "frobnicate"/],
    [['import', 'dir'], /--db is required/],
    [['import', '--db', 'x.db'], /give the folder to import/],
    [['import', '--db', 'x.db', 'a', 'b'], /exactly one folder/],
    [['export', '--db', 'x.db'], /--out is required/],
    [['worklist', '--db', 'x.db', '--format', 'xml'], /--format must be table, csv or json/],
    [['worklist', '--db', 'x.db', '--as-of', '2025-02-29'], /--as-of must be a real date/],
    [['worklist', '--db', 'x.db', '--days', 'ten'], /--days must be a whole number/],
    [['worklist', '--db', 'x.db', '--days', '400'], /--days .*365/],
    [['worklist', '--db', 'x.db', '--verbose'], /Unknown option '--verbose'/],
  ])('refuses bad usage %j with exit 2', (args, message) => {
    const r = run(args);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatch(message);
    expect(fs.existsSync('x.db')).toBe(false);
  });
});

describe('reservoir import', () => {
  it('imports a folder (exit 0), then again with nothing new (exit 0)', () => {
    const db = tmp.file('clinic.db');
    const first = run(['import', '--db', db, FIXTURE_DIR]);
    expect(first).toMatchObject({ code: 0 });
    expect(first.out).toMatch(/4 patients, 4 pumps, 6 refill visits, 1 dose change, 1 reversal, 1 removal/);
    const second = run(['import', '--db', db, FIXTURE_DIR]);
    expect(second.code).toBe(0);
    expect(second.out).toMatch(/Nothing new to import/);
    expect(second.out).toMatch(/skipped: 4 patients/);
  });

  it('lists every bad row as file:line: column: reason, exit 1, and leaves no new database behind', () => {
    const files = fixtureFiles();
    files['pumps.csv'] = replaceLine(files['pumps.csv']!, 3, 'RSV-002,Medtronic,SynchroMed II,NGV200002,2025-03-10,40,2.0001,T8');
    files['refills.csv'] = replaceLine(files['refills.csv']!, 2, 'NGV100001,2025-06-02,,20,Baclofen,2000,mcg,500,');
    const db = tmp.file('new.db');
    const r = run(['import', '--db', db, folder(files)]);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err.split('\n')).toEqual([
      expect.stringMatching(/^reservoir import: nothing was imported from .*: 3 problems$/),
      'pumps.csv:3: alarm_ml: may have at most 3 decimals (mL) (got "2.0001")',
      'refills.csv:2: dose_unit: needs a unit: mg or mcg',
      // The pump's next visit needs the refused one (its expected residual): not checked, and said so.
      'refills.csv:3: date: not checked: depends on the refused visit in row 2',
      '',
    ]);
    expect(fs.existsSync(db)).toBe(false);
  });

  it('reports the three bad rows of three pumps in one run (issue 13): an overfilled 20 mL pump, a refill before its implant, a missing unit', () => {
    const files = {
      'patients.csv': 'mrn,family_name,given_name,birth_date,sex,indication\nP1,Quinn,Ada,1960-01-01,female,spasticity\nP2,Ruiz,Ben,1955-05-05,male,cancer_pain\nP3,Sato,Cleo,1970-07-07,female,crps\n',
      'pumps.csv':
        'mrn,manufacturer,model,serial,implant_date,reservoir_ml,alarm_ml,catheter_tip_level\n' +
        'P1,Medtronic,SynchroMed II,S-1,2025-01-10,20,2,T10\nP2,Medtronic,SynchroMed II,S-2,2025-02-03,40,2,T8\nP3,Flowonix,Prometra II,S-3,2025-03-04,40,3,T9\n',
      'refills.csv':
        'serial,date,withdrawn_ml,added_ml,drug,concentration,concentration_unit,daily_dose,dose_unit\n' +
        'S-1,2025-01-10,,25,Baclofen,2000,mcg,500,mcg\nS-2,2025-02-01,,40,Morphine,10,mg,3,mg\nS-3,2025-03-04,,40,Hydromorphone,10,,1,mg\n',
    };
    const db = tmp.file('three.db');
    const r = run(['import', '--db', db, folder(files)]);
    expect(r.code).toBe(1);
    expect(r.err.split('\n')).toEqual([
      expect.stringMatching(/: 3 problems$/),
      'refills.csv:2: added_ml: The volume added (25.000 mL) is more than the reservoir holds (20.000 mL).',
      expect.stringMatching(/^refills\.csv:3: date: .*before the pump was implanted/),
      'refills.csv:4: concentration_unit: needs a unit: mg or mcg',
      '',
    ]);
    expect(fs.existsSync(db)).toBe(false);
  });

  it('keeps an existing database unchanged when the import is refused', () => {
    const db = importedDb();
    const files = {
      ...fixtureFiles(),
      'patients.csv': 'mrn,family_name,given_name,birth_date,sex,indication\nRSV-005,New,Patient,1980-01-01,female,other\n',
      'pumps.csv': 'mrn,manufacturer,model,serial,implant_date,reservoir_ml,alarm_ml,catheter_tip_level\nRSV-005,Medtronic,SynchroMed II,NGV500005,2025-01-01,20,,\n',
      'refills.csv': 'serial,date,withdrawn_ml,added_ml,drug,concentration,concentration_unit,daily_dose,dose_unit\nNGV500005,2025-01-01,,25,Baclofen,2000,mcg,500,mcg\n',
    };
    const r = run(['import', '--db', db, folder(files)]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/\nrefills\.csv:2: added_ml: The volume added .* is more than the reservoir holds/);
    const check = openTestDb(db);
    expect(check.store.patients.findByMrn('RSV-005')).toBeNull();
    check.close();
  });

  it('lists at most the first 1000 problems, and says how many more there are', () => {
    const files = fixtureFiles();
    files['refills.csv'] += Array.from({ length: 1500 }, (_, i) => `NGV100001,2025-08-${String((i % 28) + 1).padStart(2, '0')},x${i},20,Baclofen,2000,mcg,500,mcg\n`).join('');
    const r = run(['import', '--db', tmp.file('flood.db'), folder(files)]);
    expect(r.code).toBe(1);
    const lines = r.err.trimEnd().split('\n');
    const n = Number(/: (\d+) problems$/.exec(lines[0]!)?.[1]);
    expect(n).toBeGreaterThan(1000);
    expect(lines).toHaveLength(1 + 1000 + 1);
    expect(lines.at(-1)).toBe(`… and ${n - 1000} more problems, not listed: correct these first (later rows often repeat the same mistake) and import again.`);
  });

  it('refuses a missing folder with exit 1', () => {
    const r = run(['import', '--db', tmp.file('c.db'), tmp.file('nowhere')]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/nowhere: folder not found/);
  });
});

describe('reservoir export', () => {
  it('writes the seven files (exit 0)', () => {
    const db = importedDb();
    const out = tmp.file('out');
    const r = run(['export', '--db', db, '--out', out]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/4 patients, 4 pumps, 8 refill rows, 1 dose change, 1 reversal, 0 restarts, 1 removal/);
    expect(fs.readdirSync(out).sort()).toEqual(['dose_changes.csv', 'patients.csv', 'pumps.csv', 'refills.csv', 'removals.csv', 'restarts.csv', 'reversals.csv']);
  });

  it('refuses a missing database (exit 1) without creating one', () => {
    const db = tmp.file('missing.db');
    const r = run(['export', '--db', db, '--out', tmp.file('out')]);
    expect(r).toMatchObject({ code: 1, out: '' });
    expect(r.err).toMatch(/no database at/);
    expect(fs.existsSync(db)).toBe(false);
  });

  it('refuses an empty file without making it a database, and a database path it cannot create, in words (exit 1)', () => {
    const empty = tmp.file('empty.db');
    fs.writeFileSync(empty, '');
    for (const command of [['export', '--db', empty, '--out', tmp.file('o0')], ['worklist', '--db', empty]]) {
      expect(run(command)).toMatchObject({ code: 1, err: expect.stringMatching(/is an empty file, not a Reservoir database/) });
    }
    expect(fs.statSync(empty).size).toBe(0);
    fs.writeFileSync(tmp.file('a-file'), 'x');
    const r = run(['import', '--db', path.join(tmp.file('a-file'), 'clinic.db'), FIXTURE_DIR]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/cannot be opened or created/);
    expect(r.err).not.toMatch(/internal error/);
  });

  it('says a busy database is in use by another program, not an internal error (exit 1)', () => {
    const db = importedDb();
    const other = new Database(db);
    other.exec('BEGIN IMMEDIATE');
    try {
      const r = bin(['import', '--db', db, FIXTURE_DIR]);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/in use by another program .*Nothing was saved or changed/);
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
  });

  it('reservoir worklist --format csv defuses an MRN that begins like a formula (recorded before names were checked)', () => {
    const db = importedDb();
    const raw = new Database(db);
    raw.prepare("UPDATE patients SET mrn = '-1+1' WHERE mrn = 'RSV-001'").run();
    raw.close();
    const r = run(['worklist', '--db', db, '--format', 'csv', '--days', '365']);
    expect(r.code).toBe(0);
    const rows = r.out.trim().split(/\r?\n/);
    expect(rows.some((row) => row.startsWith("'-1+1,NGV100001,"))).toBe(true);
    expect(rows.some((row) => /^[=+\-@]/.test(row))).toBe(false);
  });

  it('reservoir export on a full disk says so, not an internal error (exit 1)', () => {
    const db = importedDb();
    const out = tmp.file('full-disk');
    fs.mkdirSync(out);
    fs.symlinkSync('/dev/full', path.join(out, 'patients.csv.tmp')); // every write to it fails with ENOSPC
    const r = run(['export', '--db', db, '--out', out]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/The disk is full: nothing was saved\. Free some space and try again\./);
    expect(r.err).not.toMatch(/internal/);
    expect(fs.readdirSync(out)).toEqual([]);
  });

  it('refuses a file that is not a database, and a database from a newer Reservoir (exit 1)', () => {
    const junk = tmp.file('junk.db');
    fs.writeFileSync(junk, 'this is not a database, just text '.repeat(200));
    expect(run(['export', '--db', junk, '--out', tmp.file('o1')])).toMatchObject({ code: 1, err: expect.stringMatching(/damaged/) });
    const newer = importedDb();
    const raw = new Database(newer);
    raw.pragma('user_version = 999');
    raw.close();
    expect(run(['worklist', '--db', newer])).toMatchObject({ code: 1, err: expect.stringMatching(/newer version of Reservoir/) });
  });
});

describe('reservoir worklist', () => {
  it('prints a table', () => {
    const r = run(['worklist', '--db', importedDb(), '--as-of', '2025-09-01']);
    expect(r.code).toBe(0);
    const lines = r.out.trimEnd().split('\n');
    // NGV100001 (due 2025-10-05) is on schedule that day: counted, not listed.
    expect(lines[0]).toBe('Worklist as of 2025-09-01 (due within 14 days): 1 of 2 running pumps need attention, 0 estimated empty, 0 alarming, 0 with a severe open adverse event, 1 overdue, 0 due, 0 flagged, 0 replacement due; 0 entries awaiting an independent double check');
    expect(lines[1]!.split(/\s+/)).toEqual(CSV_HEADER.split(','));
    expect(lines[2]!.split(/\s+/)).toEqual(['RSV-002', 'NGV200002', '2025-06-01', '0.4', '2025-09-11', '2025-09-16', '2025-08-30', 'overdue', 'no', 'no', 'overdue', 'stability', '2', '-', '0']); // morphine's 90 days; Aug 30 → Sep 1
    expect(lines).toHaveLength(3);
  });

  it('prints csv with the exact header', () => {
    const r = run(['worklist', '--db', importedDb(), '--as-of', '2025-09-25', '--days', '14', '--format', 'csv']);
    expect(r.code).toBe(0);
    expect(r.out).toBe(
      `${CSV_HEADER}\n` +
        // As of 09-25 RSV-002 is past its empty date (09-16): urgency empty, status still overdue, 26 days after 08-30.
        // An import asks for no double check (it carries history): 0 awaiting.
        'RSV-002,NGV200002,2025-06-01,0.4,2025-09-11,2025-09-16,2025-08-30,overdue,no,no,empty,stability,26,,0\n' +
        'RSV-001,NGV100001,2025-08-01,0.25,2025-10-12,2025-10-20,2025-10-05,due,no,no,due,alarm,0,,0\n',
    );
  });

  it('prints json with nulls and booleans', () => {
    const files = fixtureFiles();
    files['refills.csv'] = files['refills.csv']!.split('\n').filter((l) => !l.startsWith('NGV100001,2025-08-01')).join('\n');
    const db = tmp.file('first-fill.db');
    expect(run(['import', '--db', db, folder(files)]).code).toBe(0);
    const r = run(['worklist', '--db', db, '--as-of', '2025-07-23', '--format', 'json']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out);
    expect(json).toMatchObject({ as_of: '2025-07-23', days: 14, running: 2 });
    expect(json.rows.find((row: { serial: string }) => row.serial === 'NGV100001')).toEqual({
      mrn: 'RSV-001',
      serial: 'NGV100001',
      last_refill: '2025-06-02',
      daily_volume_ml: 0.25,
      alarm_date: '2025-08-13', // 06-02 + 72
      empty_date: '2025-08-21', // 06-02 + 80
      next_due: '2025-08-06', // 06-02 + 65
      status: 'due', // 08-06 ≤ 07-23 + 14
      discrepancy_flag: null, // no earlier refill to compare with
      replacement_due: false,
      urgency: 'due',
      next_due_rule: 'alarm', // the alarm date − the 7-day safety margin
      days_overdue: 0,
      open_adverse: null,
      awaiting_check: 0,
    });
  });

  it("defaults to today in the clinic's time zone and the clinic's due window", () => {
    const db = importedDb();
    const settings = openTestDb(db);
    settings.store.catalog.updateSettings({ timeZone: 'Pacific/Auckland', dueWindowDays: 30 });
    settings.close();
    // 13:00 UTC on 1 September is 01:00 on 2 September in Auckland (UTC+12).
    const r = run(['worklist', '--db', db, '--format', 'json'], Date.UTC(2025, 8, 1, 13));
    expect(JSON.parse(r.out)).toMatchObject({ as_of: '2025-09-02', days: 30 });
  });

  it('lists and counts neither a pump turned off at a therapy reversal nor the pump of a deceased patient (issue 13)', () => {
    const db = importedDb();
    const opened = openTestDb(db); // today 2025-09-01
    const { ctx } = opened;
    const pump = ctx.store.record.pumpBySerial('NGV200002')!;
    const reversed = recordReversal(ctx, reversalEntryInput.parse({ pumpId: pump.id, date: '2025-08-31', kind: 'turned_off' }));
    expect(reversed.ok).toBe(true);
    const okafor = ctx.store.patients.findByMrn('RSV-001')!;
    expect(updatePatient(ctx, patientUpdateEntryInput.parse({ id: okafor.id, status: 'deceased', deathDate: '2025-08-20' })).ok).toBe(true);
    opened.close();
    const r = run(['worklist', '--db', db, '--as-of', '2025-09-25', '--format', 'json']);
    expect(r.code).toBe(0);
    // Both were listed before (see 'prints csv with the exact header').
    expect(JSON.parse(r.out)).toMatchObject({ as_of: '2025-09-25', running: 0, rows: [] });
  });

  it('refuses a missing database (exit 1) without creating one', () => {
    const db = tmp.file('missing.db');
    expect(run(['worklist', '--db', db])).toMatchObject({ code: 1, err: expect.stringMatching(/no database at/) });
    expect(fs.existsSync(db)).toBe(false);
  });
});

describe('the real bin/reservoir.mjs under Node', () => {
  it('--help exits 0; bad usage exits 2', () => {
    const help = bin(['--help']);
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/^Usage: reservoir <command>/);
    expect(bin(['worklist', '--format', 'csv']).code).toBe(2);
  });

  it('imports (0), prints the worklist as csv (0), and refuses bad rows (1)', () => {
    const db = tmp.file('bin.db');
    const imported = bin(['import', '--db', db, FIXTURE_DIR]);
    expect(imported).toMatchObject({ code: 0, err: '' });
    const list = bin(['worklist', '--db', db, '--as-of', '2025-09-01', '--format', 'csv']);
    expect(list.code).toBe(0);
    expect(list.out.split('\n')[0]).toBe(CSV_HEADER);
    const bad = folder({ 'patients.csv': 'mrn,family_name,given_name,birth_date,sex,indication\nRSV-9,A,B,2025-02-29,female,crps\n' });
    const refused = bin(['import', '--db', db, bad]);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/^patients\.csv:2: birth_date: must be a real date/m);
  });

  it('refuses a refill row above a drug-library hard limit at its line, naming the limit and its source, and imports nothing (issue 17)', () => {
    // Baclofen 20,000 mcg/day: ten times the seeded hard maximum (2000 mcg/day, 2 × the label's 1000).
    const files = fixtureFiles();
    files['refills.csv'] = replaceLine(files['refills.csv']!, 3, 'NGV100001,2025-08-01,4.875,19.999,Baclofen,2000,mcg,20000,mcg');
    const db = tmp.file('hard-limit.db');
    const r = bin(['import', '--db', db, folder(files)]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^refills\.csv:3: daily_dose: Baclofen daily dose 20000 mcg\/day is above the hard maximum of 2000 mcg\/day \(.*Lioresal Intrathecal label/m);
    expect(r.err).toMatch(/^reservoir import: nothing was imported/m);
    expect(fs.existsSync(db)).toBe(false);
  });
});
