/**
 * CSV interchange at scale: the full-record export of a clinic and the import of that file set into
 * an empty database, each against the sqlite3 command-line tool doing the bulk part alone on the same
 * data (`.mode csv` of the same tables; `.import --csv` of the same files).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openStore } from '../../electron/cli/database';
import { exportRecord, FILE_NAMES, importRecord } from '../../electron/services/features/interchange';
import { sqliteScriptMs, type Figure } from './measure';

const TABLES = ['patients', 'pumps', 'refills', 'refill_drugs', 'dose_changes', 'events', 'reversals', 'removals'];

export function interchangeFigures(clinicFile: string, patients: number, asOf: string, log: (line: string) => void): Figure[] {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'reservoir-bench-csv-'));
  const now = () => Date.parse(`${asOf}T12:00:00Z`);
  const label = `${(patients / 1000).toFixed(0)}k patients`;
  try {
    // Export: the services' full-record export, then sqlite3 writing the same tables as CSV.
    const src = openStore(clinicFile, { mustExist: true, now });
    if (!src.ok) throw new Error(src.message);
    const outDir = path.join(work, 'export');
    let t = process.hrtime.bigint();
    const exported = exportRecord(src.value.ctx, outDir);
    const exportMs = Number(process.hrtime.bigint() - t) / 1e6;
    src.value.close();
    if (!exported.ok) throw new Error(exported.error.message);
    const rows = Object.values(exported.value.rows).reduce((a, b) => a + b, 0);
    log(`  exported ${rows} rows in ${(exportMs / 1000).toFixed(1)} s`);
    const rawDir = path.join(work, 'raw');
    fs.mkdirSync(rawDir);
    const exportFloor = sqliteScriptMs(
      clinicFile,
      ['.headers on', '.mode csv', ...TABLES.flatMap((table) => [`.once ${path.join(rawDir, `${table}.csv`)}`, `SELECT * FROM ${table};`])].join('\n'),
    );

    // Import: the services' all-or-nothing import (every row validated, every refill's arithmetic
    // checked, projections computed), then sqlite3 .import of the same files into new tables.
    const target = path.join(work, 'imported.db');
    const dst = openStore(target, { mustExist: false, now });
    if (!dst.ok) throw new Error(dst.message);
    t = process.hrtime.bigint();
    const imported = importRecord(dst.value.ctx, outDir);
    const importMs = Number(process.hrtime.bigint() - t) / 1e6;
    dst.value.close();
    if (!imported.ok) throw new Error(`import failed: ${JSON.stringify(imported.issues.slice(0, 3))}`);
    log(`  imported in ${(importMs / 1000).toFixed(1)} s`);
    const floorDb = path.join(work, 'floor.db');
    const importFloor = sqliteScriptMs(
      floorDb,
      ['PRAGMA journal_mode = WAL;', 'PRAGMA synchronous = FULL;', 'BEGIN;', ...FILE_NAMES.map((f) => `.import --csv ${path.join(outDir, f)} ${f.replace(/\.csv$/, '')}`), 'COMMIT;'].join('\n'),
    );

    return [
      { name: `full-record CSV export (${label}, ${rows} rows)`, value: exportMs, unit: 'ms', floor: exportFloor, maxRatio: 2, note: 'floor: sqlite3 .mode csv of the same tables' },
      { name: `CSV import into an empty database (${label})`, value: importMs, unit: 'ms', floor: importFloor, maxRatio: 2, note: 'floor: sqlite3 .import --csv of the same files' },
    ];
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
