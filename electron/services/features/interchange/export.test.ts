import { saveDoubleCheck } from '../verifications/request';
import { verificationRepository } from '../verifications/repository';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { refillEntryInput } from '../../../../shared/contract/record';
import fc from 'fast-check';
import { stringify } from 'csv-stringify/sync';
import type { HandlerContext } from '../../handler-types';
import { calendarDate } from '../../../../shared/domain/calendar';
import { generateClinic } from '../../generate/generate';
import { recordRefill } from '../record/refills';
import { worklist } from '../record/worklist';
import { exportRecord, exportRows, toCsv } from './export';
import { importRecord } from './import';
import { CONTACT_COLUMNS, contactCells } from './contacts';
import { COLUMNS, csvCell, csvRecord, defuseCell, fileName, formatMass, formatMl, formatThousandths, KINDS, LIST_SEPARATOR, type Kind } from './format';
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

  it('worked examples: 0.5 mL, 20 mL, 1 mcg, 1.5 mg', () => {
    expect(formatMl(500)).toBe('0.5');
    expect(formatMl(20_000)).toBe('20');
    expect(formatMass(1_000, 'mcg')).toEqual({ value: '1', unit: 'mcg' });
    expect(formatMass(1_500_000, 'mg')).toEqual({ value: '1.5', unit: 'mg' });
  });
});

describe('CSV quoting (RFC 4180)', () => {
  it('quotes a cell only when it holds a comma, a quote or a line break, doubling the quotes', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('')).toBe('');
    expect(csvCell('  leading and trailing spaces  ')).toBe('  leading and trailing spaces  '); // kept, not quoted
    expect(csvCell('Moreau, Jr')).toBe('"Moreau, Jr"');
    expect(csvCell('Anne "Annie"')).toBe('"Anne ""Annie"""');
    expect(csvCell('"')).toBe('""""');
    expect(csvCell('line one\r\nline two')).toBe('"line one\r\nline two"');
    expect(csvCell('line one\nline two')).toBe('"line one\nline two"');
    expect(csvCell('line one\rline two')).toBe('"line one\rline two"');
    expect(csvCell('Explanted; "pocket" swab sent,\nreviewed by ID')).toBe('"Explanted; ""pocket"" swab sent,\nreviewed by ID"');
    expect(csvCell('Ångström; 0.5 mL')).toBe('Ångström; 0.5 mL');
  });

  it('writes a record as its cells, comma-separated, ended by CRLF; a file with BOM and header', () => {
    expect(csvRecord(['NGV100001', '2025-08-01', '', '20', 'Baclofen'])).toBe('NGV100001,2025-08-01,,20,Baclofen\r\n');
    expect(csvRecord(['a,b', ' c ', 'd"e'])).toBe('"a,b", c ,"d""e"\r\n');
    expect(toCsv('reversals', [['S1', '2025-01-10', 'turned_off', 'two\nlines']])).toBe(
      '\uFEFFserial,date,kind,note\r\nS1,2025-01-10,turned_off,"two\nlines"\r\n',
    );
    expect(toCsv('reversals', [])).toBe('\uFEFFserial,date,kind,note\r\n');
  });

  // Since issue 18 the cells are defused first (a value beginning like a formula gets an apostrophe: defuse.test.ts).
  it('writes what csv-stringify writes of the defused cells, with CRLF records and every line break quoted', () => {
    const cell = fc.oneof(fc.string(), fc.string({ unit: fc.constantFrom('a', ' ', ',', '"', '\r', '\n', 'é', ';', '=', "'") }));
    fc.assert(
      fc.property(fc.array(cell, { minLength: 1, maxLength: 6 }), (cells) => {
        const csv = csvRecord(cells);
        const defused = cells.map(defuseCell);
        expect(csv).toBe(stringify([defused], { record_delimiter: '\r\n', quote_record_delimiter: true }));
        // Without a lone CR or LF, it is also what csv-stringify writes by default (the export's earlier writer).
        if (defused.every((c) => !/[\r\n]/.test(c.replaceAll('\r\n', '')))) expect(csv).toBe(stringify([defused], { record_delimiter: '\r\n' }));
      }),
      { numRuns: 500 },
    );
  });
});

describe('export', () => {
  it('writes the fixture exactly as its canonical form: BOM, header, CRLF', () => {
    const db = imported(fixtureFiles());
    const files = readFolder(exported(db));
    const fixture = fixtureFiles();
    expect(Object.keys(files)).toEqual(KINDS.map(fileName).sort());
    for (const name of Object.keys(files)) {
      // The fixture predates restarts.csv (an older export): the export writes it with its header only.
      // It also predates the override_reason and double_check columns (issue 17): the export writes
      // them, empty here (an import asks for no double check).
      const withNew = (text: string) => text.replace(/\n(?=.)/g, ',,\n').replace(/^([^\n]*),,\n/, '$1,override_reason,double_check\n').replace(/\n$/, ',,\n');
      // And it predates the patients' contact columns (issue 16): written empty for patients without contacts.
      const withContacts = (text: string) =>
        text
          .split('\n')
          .map((line, i) => (line === '' ? line : i === 0 ? `${line},${CONTACT_COLUMNS.join(',')}` : `${line}${','.repeat(CONTACT_COLUMNS.length)}`))
          .join('\n');
      const canonical =
        name === 'refills.csv' || name === 'dose_changes.csv'
          ? withNew(fixture[name]!)
          : name === 'patients.csv'
            ? withContacts(fixture[name]!)
            : (fixture[name] ?? (name === 'restarts.csv' ? 'serial,date\n' : undefined));
      expect(files[name]!.toString('utf8'), name).toBe(`\uFEFF${canonical!.replace(/\n/g, '\r\n')}`);
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
      refillEntryInput.parse({
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

  it('marks an entry awaiting its independent double check unverified, and one decided verified (issue 17); the file imports again', () => {
    const db = imported(fixtureFiles());
    const pump = db.store.record.pumpBySerial('NGV100001')!;
    const [first, second] = db.store.record.refills(pump.id);
    const baclofen = (ng: number) => [{ drug: 'Baclofen', unit: 'mcg' as const, dailyDoseNgPerDay: ng }];
    const nurse = { userId: 7, name: 'Nurse A', role: 'clinician' as const };
    // Checked as overrides (baclofen is not an opioid): the rule is not what this test is about.
    const a = saveDoubleCheck(db.ctx, { kind: 'refill', entryId: first!.id, pumpId: pump.id, before: [], after: baclofen(500_000), overrideReason: 'x' }, nurse)!;
    saveDoubleCheck(db.ctx, { kind: 'refill', entryId: second!.id, pumpId: pump.id, before: baclofen(500_000), after: baclofen(500_000), overrideReason: 'y' }, nurse);
    verificationRepository(db.store).decide(a.id, { state: 'verified', by: { userId: 8, name: 'Nurse B', role: 'clinician' }, atMs: 1, rejectReason: null });
    const out = exported(db);
    const refills = readFolder(out)['refills.csv']!.toString('utf8').split('\r\n');
    expect(refills[0]).toBe('\uFEFFserial,date,withdrawn_ml,added_ml,drug,concentration,concentration_unit,daily_dose,dose_unit,override_reason,double_check');
    expect(refills).toContain('NGV100001,2025-06-02,,20,Baclofen,2000,mcg,500,mcg,,verified');
    expect(refills).toContain('NGV100001,2025-08-01,4.8,20,Baclofen,2000,mcg,500,mcg,,unverified');
    // Imported again into an empty database: the column is read as information, the rows recorded as history.
    const again = ws.db();
    expect(importRecord(again.ctx, out)).toMatchObject({ ok: true });
    expect(again.store.record.refills(again.store.record.pumpBySerial('NGV100001')!.id)).toHaveLength(2);
  });

  it('writes quantities as entered: 0.5 mL withdrawn, 20 mL added, 1.5 mg/mL, 1 mcg/day', () => {
    const files = fixtureFiles();
    files['refills.csv'] = replaceLine(files['refills.csv']!, 3, 'NGV100001,2025-08-01,0.5,20,Baclofen,2000,mcg,1,mcg');
    files['refills.csv'] = replaceLine(files['refills.csv']!, 8, 'PRO300003,2024-01-15,,40,Hydromorphone,1.5,mg,0.5,mg');
    const refills = readFolder(exported(imported(files)))['refills.csv']!.toString('utf8').split('\r\n');
    // (The last two columns, override_reason and double_check, are empty: an import asks for no check.)
    expect(refills).toContain('NGV100001,2025-08-01,0.5,20,Baclofen,2000,mcg,1,mcg,,');
    expect(refills).toContain('PRO300003,2024-01-15,,40,Hydromorphone,1.5,mg,0.5,mg,,');
  });

  it('quotes names and notes with commas, quotes and line breaks (CRLF, LF alone, CR alone), and reads them back', () => {
    const files = fixtureFiles();
    files['patients.csv'] = replaceLine(files['patients.csv']!, 5, 'RSV-004,"O\'Hara, ""Tanaka""",Yuki,1970-01-30,female,crps');
    files['removals.csv'] = `serial,date,reason,catheter_removed,note\nPRO300003,2024-06-01,infection,yes,"Explanted,\nswab sent"\n`;
    const first = imported(files);
    expect(first.store.record.removal(first.store.record.pumpBySerial('PRO300003')!.id)!.note).toBe('Explanted,\nswab sent');
    // Recorded through the app, a note may hold any line break (a textarea gives LF; pasted text CRLF or CR).
    first.store.db.prepare(`UPDATE reversals SET note = ?`).run('Turned off\nweaned to oral baclofen');
    first.store.db.prepare(`UPDATE removals SET note = ?`).run('Explanted\r\nswab sent\rto the lab');
    const out1 = exported(first);
    const text = readFolder(out1);
    expect(text['patients.csv']!.toString('utf8')).toContain(`\r\nRSV-004,"O'Hara, ""Tanaka""",Yuki,1970-01-30,female,crps${','.repeat(CONTACT_COLUMNS.length)}\r\n`);
    expect(text['removals.csv']!.toString('utf8')).toContain(',"Explanted\r\nswab sent\rto the lab",\r\n');
    expect(text['reversals.csv']!.toString('utf8')).toContain(',turned_off,"Turned off\nweaned to oral baclofen"\r\n');

    const second = ws.db();
    const again = importRecord(second.ctx, out1);
    expect(again.ok).toBe(true);
    const out2 = readFolder(exported(second));
    for (const name of ['patients.csv', 'pumps.csv', 'refills.csv', 'dose_changes.csv', 'reversals.csv']) expect(out2[name], name).toEqual(text[name]);
    expect(second.store.patients.findByMrn('RSV-004')).toMatchObject({ familyName: 'O\'Hara, "Tanaka"' });
    const pumpId = (serial: string) => second.store.record.pumpBySerial(serial)!.id;
    // One note with the same lines (how import writes a line break inside a note is import's choice).
    expect(second.store.record.removal(pumpId('PRO300003'))!.note!.split(/\r\n|\r|\n/)).toEqual(['Explanted', 'swab sent', 'to the lab']);
    expect(second.store.record.reversal(pumpId('NGV400004'))!.note).toBe('Turned off\nweaned to oral baclofen');
  });

  it('answers a failure value when the files cannot be written, and leaves no partial files', () => {
    const db = imported(fixtureFiles());
    const notAFolder = ws.path('a-file');
    fs.writeFileSync(notAFolder, 'x');
    expect(exportRecord(db.ctx, notAFolder)).toMatchObject({ ok: false, error: { code: 'internal' } });

    // A folder where a file goes, in a folder holding an earlier export: nothing of it is replaced.
    const out = ws.path('blocked');
    expect(exportRecord(db.ctx, out).ok).toBe(true);
    const earlier = readFolder(out);
    fs.rmSync(path.join(out, 'refills.csv'));
    fs.mkdirSync(path.join(out, 'refills.csv'));
    db.store.db.exec(`UPDATE patients SET family_name = 'Changed'`);
    expect(exportRecord(db.ctx, out)).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', message: `The export was not written: ${path.join(out, 'refills.csv')} is a folder, not a file. Nothing in ${out} was changed.` },
    });
    const after = Object.fromEntries(fs.readdirSync(out).filter((f) => f !== 'refills.csv').map((f) => [f, fs.readFileSync(path.join(out, f))]));
    expect(Object.keys(after).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    for (const name of Object.keys(earlier)) if (name !== 'refills.csv') expect(after[name], name).toEqual(earlier[name]);
  });

  it('a full disk answers disk_full, not internal, and leaves no partial files', () => {
    const db = imported(fixtureFiles());
    const out = ws.path('full-disk');
    fs.mkdirSync(out);
    // The temporary file of refills.csv is /dev/full: every write to it fails with ENOSPC, as on a full disk.
    fs.symlinkSync('/dev/full', path.join(out, 'refills.csv.tmp'));
    const r = exportRecord(db.ctx, out);
    expect(r).toEqual({
      ok: false,
      error: { code: 'disk_full', message: `The export could not be written to ${out}: The disk is full: nothing was saved. Free some space and try again.` },
    });
    expect(fs.readdirSync(out)).toEqual([]);
  });

  it('reads the same rows as the record repositories do, in the same order (a generated clinic, edited to be awkward)', () => {
    const generated = ws.db();
    generateClinic(generated.ctx, { patients: 40, years: 6, seed: 11, asOf: calendarDate('2025-09-01'), rates: { reversal: 0.3, removal: 0.3 } });
    const sql = generated.store.db;
    // MRNs that sort differently by case, accents and JavaScript's string order; notes and names to quote.
    const ids = sql.prepare(`SELECT id FROM patients ORDER BY id`).pluck().all() as number[];
    const mrns = ['gen-a', 'GEN-B', 'Éclair-1', 'éclair-1', 'zeta', 'Zeta-0', '\u{1F600}-x', '\uFF21-y'];
    mrns.forEach((mrn, i) => sql.prepare(`UPDATE patients SET mrn = ?, family_name = ? WHERE id = ?`).run(mrn, `Family, "${i}"`, ids[i + 5]));
    sql.prepare(`UPDATE removals SET note = 'first line\nsecond, "quoted"' WHERE id IN (SELECT id FROM removals LIMIT 2)`).run();
    sql.prepare(`UPDATE refills SET mode = 'flex', extra_volume_ul_per_day = 50 WHERE id IN (SELECT id FROM refills WHERE pump_id = (SELECT min(id) FROM pumps) LIMIT 3)`).run();
    const db = ws.db(path.basename(generated.file)); // a new connection: nothing memoised from before the edits

    const expected = repositoryRows(db.ctx);
    const actual = exportRows(db.ctx);
    for (const kind of KINDS) expect(actual.rows[kind], kind).toEqual(expected.rows[kind]);
    expect(actual.notes).toEqual(expected.notes);
    expect(actual.notes[0]).toMatch(/^3 refill\(s\) use a flex or bolus mode/);
    expect(actual.rows.reversals.length).toBeGreaterThan(0);
    expect(actual.rows.removals.length).toBeGreaterThan(0);
    expect(actual.rows.dose_changes.length).toBeGreaterThan(0);

    // ... and the files are those rows.
    const out = exportRecord(db.ctx, ws.path('generated-out'));
    if (!out.ok) throw new Error(out.error.message);
    for (const kind of KINDS) {
      expect(fs.readFileSync(path.join(ws.path('generated-out'), fileName(kind)), 'utf8'), kind).toBe(toCsv(kind, expected.rows[kind]));
      expect(out.value.rows[kind]).toBe(expected.rows[kind].length);
    }
  });
});

/**
 * The export's rows as the record repositories read them (contract objects, one pump at a time):
 * the export before it read with its own SQL, kept here as the reference it must agree with.
 */
function repositoryRows(ctx: HandlerContext): { rows: Record<Kind, string[][]>; notes: string[] } {
  const { store } = ctx;
  const rows: Record<Kind, string[][]> = { patients: [], pumps: [], refills: [], dose_changes: [], reversals: [], restarts: [], removals: [] };
  const compareText = (a: string, b: string) => {
    const la = a.toLowerCase();
    const lb = b.toLowerCase();
    return la < lb ? -1 : la > lb ? 1 : a < b ? -1 : a > b ? 1 : 0;
  };
  const patients = store.patients.list(Number.MAX_SAFE_INTEGER).sort((a, b) => compareText(a.mrn, b.mrn) || a.id - b.id);
  const mrnOf = new Map(patients.map((p) => [p.id, p.mrn]));
  for (const p of patients) rows.patients.push([p.mrn, p.familyName, p.givenName, p.birthDate, p.sex, p.indications.join(LIST_SEPARATOR), ...contactCells(p.contacts)]);
  const pumps = store.record
    .allPumps()
    .sort(
      (a, b) =>
        compareText(mrnOf.get(a.patientId)!, mrnOf.get(b.patientId)!) ||
        compareText(a.implantDate, b.implantDate) ||
        compareText(a.serial, b.serial) ||
        a.id - b.id,
    );
  let specialModes = 0;
  for (const pump of pumps) {
    const device = store.catalog.deviceById(pump.deviceModelId)!;
    const row = [mrnOf.get(pump.patientId)!, device.manufacturer, device.model, pump.serial, pump.implantDate];
    rows.pumps.push([...row, formatMl(device.reservoirUl), formatMl(pump.alarmUl), pump.catheterTipLevel ?? '']);
  }
  // The double check's state of each entry, from its repository: `unverified` while awaiting (issue 17).
  const checkOf = (kind: string, id: number, pumpId: number): string => {
    const v = verificationRepository(store).ofPumps([pumpId]).find((x) => x.kind === kind && x.entryId === id);
    return v === undefined ? '' : v.state === 'awaiting' ? 'unverified' : v.state;
  };
  for (const pump of pumps) {
    for (const refill of store.record.refills(pump.id)) {
      if (refill.mode !== 'simple_continuous' || refill.extraVolumeUlPerDay > 0) specialModes++;
      for (const d of refill.drugs) {
        const c = formatMass(d.concentrationNgPerMl, d.unit);
        const dose = formatMass(d.dailyDoseNgPerDay, d.unit);
        const withdrawn = refill.withdrawnUl === null ? '' : formatMl(refill.withdrawnUl);
        rows.refills.push([pump.serial, refill.date, withdrawn, formatMl(refill.addedUl), d.drug, c.value, c.unit, dose.value, dose.unit, refill.overrideReason ?? '', checkOf('refill', refill.id, pump.id)]);
      }
    }
  }
  for (const pump of pumps) {
    for (const change of store.record.doseChanges(pump.id)) {
      const dose = formatMass(change.dailyDoseNgPerDay, change.unit);
      rows.dose_changes.push([pump.serial, change.date, change.drug, dose.value, dose.unit, change.overrideReason ?? '', checkOf('dose_change', change.id, pump.id)]);
    }
  }
  for (const pump of pumps) {
    for (const r of store.record.reversals(pump.id)) rows.reversals.push([pump.serial, r.date, r.kind, r.note ?? '']);
  }
  for (const pump of pumps) {
    for (const r of store.record.restarts(pump.id)) rows.restarts.push([pump.serial, r.date]);
  }
  for (const pump of pumps) {
    const r = store.record.removal(pump.id);
    // The replacement's serial when it was implanted the same day in the same patient (the import takes no other).
    const next = r?.replacementPumpId ? store.record.pump(r.replacementPumpId) : null;
    const replacement = next && r && next.implantDate === r.date && next.patientId === pump.patientId ? next.serial : '';
    if (r) rows.removals.push([pump.serial, r.date, r.reasons.join(LIST_SEPARATOR), r.catheterRemoved ? 'yes' : 'no', r.note ?? '', replacement]);
  }
  const notes =
    specialModes > 0
      ? [`${specialModes} refill(s) use a flex or bolus mode; the format carries only the continuous prescription, so an import of these files recomputes them as simple continuous.`]
      : [];
  return { rows, notes };
}

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
      emptyDate: '2025-09-16', // 31 ÷ 0.4 = 77.5 → floor 77 days after 2025-07-01 (0.2 mL that morning, dry during the day)
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
