/**
 * CSV interchange at scale: the full-record export of a clinic and the import of that file set into
 * an empty database, each against the sqlite3 command-line tool doing the same bulk work on the same
 * data.
 *
 * Export floor: `.mode csv` of the same tables.
 *
 * Import floor: the same rows landing in the same schema. An empty database is made with the app's
 * own migrations (opened once with the store, then closed; not timed), then one timed sqlite3 run,
 * with the app's pragmas (WAL, synchronous=FULL, foreign keys on), in one transaction:
 *   - `.import --csv --skip 1` of each file into a TEMP staging table of TEXT columns (its header);
 *   - `INSERT … SELECT` into the real tables, with the conversions done in SQL: patients (the
 *     indication list as a JSON array), pumps (patient by MRN, device by manufacturer, model and
 *     reservoir, alarm in µL, status from the reversal and removal files, in implant-date order as
 *     the import writes them), one refills row per visit (the rows of a serial and date), their
 *     refill_drugs (drug by name, position in row order, ng from mg or mcg), dose_changes,
 *     reversals, removals (reasons as a JSON array), and one pump_projection row per pump;
 * so the app's indexes, UNIQUE, CHECK and foreign-key constraints, triggers (signature guards,
 * the patient-search FTS5 index) all pay their cost. The floor's rows are checked to match the
 * import's in number, table by table. What SQL cannot compute is left NULL: each refill's expected
 * residual, discrepancy, flag, alarm, empty and next-due dates (exact piecewise arithmetic over the
 * pump's history and dose changes), and the projection's daily volume, alarm, empty and next-due
 * dates and flag; the projection's replacement date uses SQLite's `+N months` (no month-end clamp).
 * Not in the floor: the import's one audit entry.
 * The row's note also gives the old floor, a bare `.import --csv` of the files into new tables.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openStore } from '../../electron/cli/database';
import { COLUMNS, FILE_NAMES, KINDS } from '../../electron/services/features/interchange';
import { sqliteScriptMs, type Figure } from './measure';
import { plainArgs } from './encryption';
import { connect } from '../../electron/services/store/connect';
import { fileKeyStore, fileState } from '../../electron/services/store/keys';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** Runs interchange-run.ts (an export or an import, timed in its own process); answers what it printed. */
function runCommand(mode: 'export' | 'import', file: string, dir: string, asOf: string): { ms: number; rows?: number } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts', 'bench', 'interchange-run.ts'), mode, file, dir, asOf], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  const out = JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '{}') as { ms?: number; rows?: number; error?: string };
  if (r.status !== 0 || out.ms === undefined) throw new Error(`${mode} failed: ${out.error ?? r.stderr.slice(0, 500)}`);
  return { ms: out.ms, rows: out.rows };
}

const TABLES = ['patients', 'pumps', 'refills', 'refill_drugs', 'dose_changes', 'events', 'reversals', 'removals'];

/** `floorFile`: the unencrypted clinic the sqlite3 floor exports (the same file unless the run is encrypted). */
export function interchangeFigures(clinicFile: string, patients: number, asOf: string, log: (line: string) => void, floorFile = clinicFile): Figure[] {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'reservoir-bench-csv-'));
  const now = () => Date.parse(`${asOf}T12:00:00Z`);
  const label = `${(patients / 1000).toFixed(0)}k patients`;
  try {
    // Export: the services' full-record export (in its own process, as `reservoir export` runs),
    // then sqlite3 writing the same tables as CSV.
    const outDir = path.join(work, 'export');
    const exported = runCommand('export', clinicFile, outDir, asOf);
    const exportMs = exported.ms;
    const rows = exported.rows ?? 0;
    log(`  exported ${rows} rows in ${(exportMs / 1000).toFixed(1)} s`);
    const rawDir = path.join(work, 'raw');
    fs.mkdirSync(rawDir);
    const exportFloor = sqliteScriptMs(
      floorFile,
      ['.headers on', '.mode csv', ...TABLES.flatMap((table) => [`.once ${path.join(rawDir, `${table}.csv`)}`, `SELECT * FROM ${table};`])].join('\n'),
    );

    // Import: the services' all-or-nothing import (every row validated, every refill's arithmetic
    // checked, projections computed), then the floors: sqlite3 putting the same rows into the same
    // schema (see the file comment), and the old bare .import of the files into new tables.
    const target = path.join(work, 'imported.db');
    const importMs = runCommand('import', target, outDir, asOf).ms;
    log(`  imported in ${(importMs / 1000).toFixed(1)} s`);
    // The whole command as a user runs it (Node start and TypeScript compile included), for the note.
    const commandDb = path.join(work, 'command.db');
    const t = process.hrtime.bigint();
    const command = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'reservoir.mjs'), 'import', '--db', commandDb, ...plainArgs(), outDir], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 28 });
    const commandMs = Number(process.hrtime.bigint() - t) / 1e6;
    if (command.status !== 0) throw new Error(`reservoir import failed (${command.status ?? command.error?.message}): ${command.stderr.slice(-500)}`);
    const bareDb = path.join(work, 'bare.db');
    const bareFloor = sqliteScriptMs(
      bareDb,
      ['PRAGMA journal_mode = WAL;', 'PRAGMA synchronous = FULL;', 'BEGIN;', ...FILE_NAMES.map((f) => `.import --csv ${path.join(outDir, f)} ${f.replace(/\.csv$/, '')}`), 'COMMIT;'].join('\n'),
    );
    const floorDb = path.join(work, 'floor.db');
    const schema = openStore(floorDb, { mustExist: false, now, keys: { plain: true } }); // sqlite3 writes it
    if (!schema.ok) throw new Error(schema.message);
    schema.value.close();
    const importFloor = sqliteScriptMs(floorDb, importFloorScript(outDir, now()));
    const counts = (file: string) => (fileState(file) === 'encrypted' ? driverCounts(file, [...IMPORTED_TABLES]) : sqliteCounts(file, [...IMPORTED_TABLES]));
    const [want, got, viaCommand] = [counts(target), counts(floorDb), counts(commandDb)];
    if (JSON.stringify(want) !== JSON.stringify(got)) throw new Error(`the import floor wrote ${JSON.stringify(got)}, the import ${JSON.stringify(want)}`);
    if (JSON.stringify(want) !== JSON.stringify(viaCommand)) throw new Error(`reservoir import wrote ${JSON.stringify(viaCommand)}, the import ${JSON.stringify(want)}`);

    return [
      {
        name: `full-record CSV export (${label}, ${rows} rows)`,
        value: exportMs,
        unit: 'ms',
        floor: exportFloor,
        maxRatio: 2,
        note: 'in its own process, as reservoir export runs; floor: sqlite3 .mode csv of the same tables',
      },
      {
        name: `CSV import into an empty database (${label})`,
        value: importMs,
        unit: 'ms',
        floor: importFloor,
        maxRatio: 2,
        note:
          `in its own process, as reservoir import runs (the whole command, Node start and TypeScript compile included: ${commandMs.toFixed(0)} ms); ` +
          `floor: sqlite3 .import into staging tables, then INSERT … SELECT into the app's schema (its indexes, constraints, triggers, FTS; computed refill figures left NULL); ` +
          `bare .import --csv into new tables: ${bareFloor.toFixed(0)} ms`,
      },
    ];
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** The tables the import writes (besides its one audit entry and the search index its triggers keep). */
const IMPORTED_TABLES = ['patients', 'pumps', 'refills', 'refill_drugs', 'dose_changes', 'reversals', 'removals', 'pump_projection', 'patient_search'] as const;

/** The same counts on an encrypted database (sqlite3 cannot read it), through the driver with the bench key. */
function driverCounts(file: string, tables: string[]): Record<string, number> {
  const key = fileKeyStore({ keyFile: process.env.RESERVOIR_KEY_FILE }).read(file);
  if (!key.ok || key.value === null) throw new Error(`no bench key for ${file}`);
  const db = connect(file, { key: key.value }, { readonly: true });
  try {
    return Object.fromEntries(tables.map((t) => [t, (db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n]));
  } finally {
    db.close();
  }
}

function sqliteCounts(file: string, tables: string[]): Record<string, number> {
  const r = spawnSync('sqlite3', ['-readonly', file, tables.map((t) => `SELECT count(*) FROM ${t};`).join(' ')], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`sqlite3 failed: ${r.stderr}`);
  const n = r.stdout.trim().split('\n').map(Number);
  return Object.fromEntries(tables.map((t, i) => [t, n[i] ?? -1]));
}

/** SQL: a number of mL (text) as whole µL; a mass (text) in `unit` as whole ng (as the import rounds them). */
const ul = (ml: string) => `CAST(round(${ml} * 1000) AS INTEGER)`;
const ng = (value: string, unit: string) => `CAST(round(${value} * 1000) AS INTEGER) * (CASE ${unit} WHEN 'mg' THEN 1000 ELSE 1 END)`;
const jsonList = (cell: string) => `'["' || replace(${cell}, ';', '","') || '"]'`;

/** The import floor's sqlite3 script (see the file comment). */
function importFloorScript(dir: string, nowMs: number): string {
  return [
    'PRAGMA journal_mode = WAL;',
    'PRAGMA synchronous = FULL;',
    'PRAGMA foreign_keys = ON;',
    'BEGIN;',
    ...KINDS.flatMap((kind) => [
      `CREATE TEMP TABLE s_${kind} (${COLUMNS[kind].map((c) => `${c} TEXT`).join(', ')});`,
      `.import --csv --skip 1 --schema temp ${path.join(dir, `${kind}.csv`)} s_${kind}`,
    ]),
    `INSERT INTO patients (mrn, family_name, given_name, birth_date, sex, indications, created_at_ms, updated_at_ms)
      SELECT mrn, family_name, given_name, birth_date, lower(sex), ${jsonList('indication')}, ${nowMs}, ${nowMs} FROM s_patients ORDER BY rowid;`,
    `INSERT INTO pumps (patient_id, device_model_id, serial, implant_date, catheter_tip_level, reservoir_ul, alarm_ul, status, created_at_ms)
      SELECT pt.id, m.id, s.serial, s.implant_date, nullif(s.catheter_tip_level, ''), m.reservoir_ul,
        coalesce(${ul("nullif(s.alarm_ml, '')")}, m.default_alarm_ul),
        CASE WHEN s.serial IN (SELECT serial FROM s_removals) THEN 'explanted' WHEN s.serial IN (SELECT serial FROM s_reversals) THEN 'off' ELSE 'active' END,
        ${nowMs}
      FROM s_pumps s JOIN patients pt ON pt.mrn = s.mrn
      JOIN device_models m ON m.manufacturer = s.manufacturer AND m.model = s.model AND m.reservoir_ul = ${ul('s.reservoir_ml')}
      ORDER BY s.implant_date, s.rowid;`,
    `INSERT INTO refills (pump_id, date, withdrawn_ul, added_ul, mode, reservoir_port_confirmed, created_at_ms)
      SELECT p.id, v.date, ${ul("nullif(v.withdrawn_ml, '')")}, ${ul('v.added_ml')}, 'simple_continuous', 1, ${nowMs}
      FROM (SELECT serial, date, withdrawn_ml, added_ml FROM s_refills GROUP BY serial, date) v JOIN pumps p ON p.serial = v.serial
      ORDER BY p.id, v.date;`,
    `INSERT INTO refill_drugs (refill_id, position, drug_id, unit, concentration_ng_per_ml, daily_dose_ng_per_day)
      SELECT r.id, row_number() OVER (PARTITION BY s.serial, s.date ORDER BY s.rowid) - 1, d.id, d.unit,
        ${ng('s.concentration', 's.concentration_unit')}, ${ng('s.daily_dose', 's.dose_unit')}
      FROM s_refills s JOIN pumps p ON p.serial = s.serial JOIN refills r ON r.pump_id = p.id AND r.date = s.date JOIN drugs d ON d.name = s.drug
      ORDER BY r.id, s.rowid;`,
    `INSERT INTO dose_changes (pump_id, date, drug_id, daily_dose_ng_per_day, created_at_ms)
      SELECT p.id, s.date, d.id, ${ng('s.daily_dose', 's.dose_unit')}, ${nowMs}
      FROM s_dose_changes s JOIN pumps p ON p.serial = s.serial JOIN drugs d ON d.name = s.drug ORDER BY p.id, s.date, s.rowid;`,
    `INSERT INTO reversals (pump_id, date, kind, note, created_at_ms)
      SELECT p.id, s.date, lower(s.kind), nullif(s.note, ''), ${nowMs} FROM s_reversals s JOIN pumps p ON p.serial = s.serial ORDER BY p.id;`,
    `INSERT INTO removals (pump_id, date, reasons, catheter_removed, note, created_at_ms)
      SELECT p.id, s.date, ${jsonList('s.reason')}, lower(s.catheter_removed) = 'yes', nullif(s.note, ''), ${nowMs}
      FROM s_removals s JOIN pumps p ON p.serial = s.serial ORDER BY p.id;`,
    `INSERT INTO pump_projection (pump_id, in_worklist, last_refill_date, next_due_date, replacement_from_date)
      SELECT p.id, p.status = 'active', last.date, CASE WHEN last.date IS NULL THEN p.implant_date END,
        CASE WHEN m.service_life_months IS NOT NULL THEN date(p.implant_date, '+' || (m.service_life_months - m.replacement_lead_months) || ' months') END
      FROM pumps p JOIN device_models m ON m.id = p.device_model_id
      LEFT JOIN (SELECT pump_id, max(date) AS date FROM refills GROUP BY pump_id) last ON last.pump_id = p.id ORDER BY p.id;`,
    'COMMIT;',
  ].join('\n');
}
