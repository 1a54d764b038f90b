import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importRecord, type ImportOutcome } from './import';
import { formatIssue, type ImportIssue } from './format';
import { fixtureFiles, NOW, replaceLine, rowCounts, workspace, type TestDb } from './test-support';
import { activity } from '../reports/activity';

let ws: ReturnType<typeof workspace>;
let db: TestDb;
beforeEach(() => {
  ws = workspace();
  db = ws.db();
});
afterEach(() => ws.cleanup());

const EMPTY = { patients: 0, pumps: 0, refills: 0, refill_drugs: 0, dose_changes: 0, reversals: 0, removals: 0, pump_projection: 0, events: 0 };

function issuesOf(outcome: ImportOutcome): ImportIssue[] {
  if (outcome.ok) throw new Error('expected the import to be refused');
  return outcome.issues;
}

/** The fixture with one line of one file replaced (or appended, when `line` is past the end). */
function fixtureWith(file: string, line: number, text: string): Record<string, string> {
  const files = fixtureFiles();
  const lines = files[file]!.replace(/\n$/, '').split('\n');
  if (line > lines.length) files[file] = `${files[file]}${text}\n`;
  else files[file] = replaceLine(files[file]!, line, text);
  return files;
}

describe('importing the fixture clinic', () => {
  it('imports every kind of row', () => {
    const outcome = importRecord(db.ctx, ws.folder(fixtureFiles()));
    expect(outcome).toMatchObject({
      ok: true,
      value: {
        created: { patients: 4, pumps: 4, refills: 6, dose_changes: 1, reversals: 1, removals: 1 },
        skipped: { patients: 0, pumps: 0, refills: 0, dose_changes: 0, reversals: 0, removals: 0 },
      },
    });
    expect(rowCounts(db)).toEqual({ ...EMPTY, patients: 4, pumps: 4, refills: 6, refill_drugs: 8, dose_changes: 1, reversals: 1, removals: 1, pump_projection: 4 });
    const grace = db.store.patients.findByMrn('RSV-001')!;
    expect(grace).toMatchObject({ familyName: 'Okafor', givenName: 'Grace', birthDate: '1958-03-14', sex: 'female', indications: ['spasticity'] });
    expect(db.store.patients.findByMrn('RSV-003')).toMatchObject({ familyName: 'Moreau, Jr', indications: ['failed_back_surgery_syndrome', 'arachnoiditis'] });
    const baclofen = db.store.record.pumpBySerial('NGV100001')!;
    expect(baclofen).toMatchObject({ model: 'SynchroMed II', reservoirUl: 20000, alarmUl: 2000, catheterTipLevel: 'T10', status: 'active' });
    const admixture = db.store.record.refills(db.store.record.pumpBySerial('NGV200002')!.id);
    expect(admixture[0]!.drugs.map((d) => [d.drug, d.concentrationNgPerMl, d.dailyDoseNgPerDay])).toEqual([
      ['Morphine', 10_000_000, 3_000_000],
      ['Clonidine', 1_000_000, 300_000],
    ]);
    expect(db.store.record.pumpBySerial('PRO300003')!.status).toBe('explanted');
    expect(db.store.record.removal(db.store.record.pumpBySerial('PRO300003')!.id)).toMatchObject({
      reasons: ['infection'],
      catheterRemoved: true,
      note: 'Pocket infection, explanted with the catheter',
    });
    expect(db.store.record.pumpBySerial('NGV400004')!.status).toBe('off');
  });

  it('records the importing user as the recorder of every row it writes (the command line: cli:<os user>)', () => {
    const ctx = { ...db.ctx, actor: { userId: null, username: 'cli:alice', role: null } };
    expect(importRecord(ctx, ws.folder(fixtureFiles())).ok).toBe(true);
    const cli = { userId: null, name: 'cli:alice', role: null };
    const { record } = db.store;
    for (const serial of ['NGV100001', 'NGV200002', 'PRO300003', 'NGV400004']) {
      const pump = record.pumpBySerial(serial)!;
      expect(pump.recordedBy).toEqual(cli);
      for (const r of record.refills(pump.id)) expect(r.recordedBy).toEqual(cli);
      for (const c of record.doseChanges(pump.id)) expect(c.recordedBy).toEqual(cli);
    }
    expect(record.reversal(record.pumpBySerial('NGV400004')!.id)!.recordedBy).toEqual(cli);
    expect(record.removal(record.pumpBySerial('PRO300003')!.id)!.recordedBy).toEqual(cli);
    expect(record.doseChanges(record.pumpBySerial('NGV200002')!.id)).toHaveLength(1);
  });

  it('puts the rows of a visit together wherever they are in the file and however the serial is cased', () => {
    const files = fixtureFiles();
    const lines = files['refills.csv']!.replace(/\n$/, '').split('\n');
    const clonidine = lines.splice(6, 1)[0]!; // line 7: NGV200002's second drug of 2025-06-01
    lines.push(clonidine.replace('NGV200002', 'ngv200002'));
    files['refills.csv'] = `${lines.join('\n')}\n`;
    const outcome = importRecord(db.ctx, ws.folder(files));
    expect(outcome).toMatchObject({ ok: true, value: { created: { refills: 6 } } });
    expect(rowCounts(db)).toMatchObject({ refills: 6, refill_drugs: 8 });
    const visits = db.store.record.refills(db.store.record.pumpBySerial('NGV200002')!.id);
    expect(visits.map((v) => [v.date, v.drugs.map((d) => d.drug)])).toEqual([
      ['2025-03-10', ['Morphine', 'Clonidine']],
      ['2025-06-01', ['Morphine', 'Clonidine']],
    ]);
  });

  it('accepts a BOM, CRLF line ends, quoted fields, blank and empty trailing lines, and any column order', () => {
    const files = fixtureFiles();
    const crlf: Record<string, string> = {};
    for (const [name, text] of Object.entries(files)) {
      const quoted = text
        .replace(/\n$/, '')
        .split('\n')
        .map((line) => (line.includes('"') ? line : line.split(',').map((v) => `"${v}"`).join(',')))
        .join('\r\n');
      crlf[name] = `\uFEFF${quoted}\r\n\r\n,,,\r\n\r\n`;
    }
    // Columns in another order, with spaces and capitals in the header.
    crlf['dose_changes.csv'] = '\uFEFF Dose_Unit ,daily_dose,drug,date,SERIAL\r\nmg,4,Morphine,2025-07-01,NGV200002\r\n';
    const outcome = importRecord(db.ctx, ws.folder(crlf));
    expect(outcome.ok).toBe(true);
    expect(rowCounts(db)).toMatchObject({ patients: 4, pumps: 4, refills: 6, refill_drugs: 8, dose_changes: 1, reversals: 1, removals: 1 });
  });

  it('numbers lines physically: a quoted value spanning lines counts every line', () => {
    const files = fixtureFiles();
    files['removals.csv'] = 'serial,date,reason,catheter_removed,note\nPRO300003,2024-06-01,infection,yes,"first line\nsecond line"\n\nNGV999,2024-06-01,infection,no,\n';
    const issues = issuesOf(importRecord(db.ctx, ws.folder(files)));
    expect(issues).toEqual([expect.objectContaining({ file: 'removals.csv', line: 5, column: 'serial' })]);
  });

  it('refuses an empty folder, a missing folder and a stray CSV file', () => {
    expect(issuesOf(importRecord(db.ctx, ws.folder({}, 'empty')))[0]!.message).toMatch(/none of the files/);
    expect(issuesOf(importRecord(db.ctx, ws.path('no-such-folder')))[0]!.message).toMatch(/folder not found/);
    const stray = issuesOf(importRecord(db.ctx, ws.folder({ ...fixtureFiles(), 'refill.csv': 'serial\n' })));
    expect(stray).toEqual([expect.objectContaining({ file: 'refill.csv', line: null })]);
    expect(rowCounts(db)).toEqual(EMPTY);
  });

  it('implants a replacement after the removal of the pump it replaces, whatever the row order', () => {
    const files = fixtureFiles();
    // Listed before the pump it replaces; implanted the day the old one was removed.
    files['pumps.csv'] = files['pumps.csv']!.replace('\n', '\nRSV-003,Medtronic,SynchroMed II,NGV300009,2024-06-01,40,2,T9\n');
    files['refills.csv'] += 'NGV300009,2024-06-01,,40,Hydromorphone,10,mg,1,mg\n';
    expect(importRecord(db.ctx, ws.folder(files))).toMatchObject({ ok: true, value: { created: { pumps: 5, refills: 7 } } });
    const paul = db.store.patients.findByMrn('RSV-003')!;
    expect(db.store.record.pumpsOfPatient(paul.id).map((p) => [p.serial, p.status])).toEqual([
      ['PRO300003', 'explanted'],
      ['NGV300009', 'active'],
    ]);
  });

  it('refuses a second pump for a patient whose pump is still in place, at the new pump\'s row', () => {
    const files = fixtureFiles();
    files['pumps.csv'] += 'RSV-001,Medtronic,SynchroMed II,NGV100002,2025-07-01,20,2,T10\n';
    const issues = issuesOf(importRecord(db.ctx, ws.folder(files)));
    expect(issues).toEqual([expect.objectContaining({ file: 'pumps.csv', line: 6, column: 'mrn', message: expect.stringMatching(/already has pump NGV100001 in place/) })]);
    expect(rowCounts(db)).toEqual(EMPTY);
  });

  it('refuses a pump implanted before the removal of the patient\'s earlier pump (two pumps in place at once), at its row', () => {
    const files = fixtureFiles();
    files['pumps.csv'] += 'RSV-003,Medtronic,SynchroMed II,NGV999999,2024-05-01,20,2,T10\n';
    const issues = issuesOf(importRecord(db.ctx, ws.folder(files)));
    expect(issues).toEqual([
      expect.objectContaining({ file: 'pumps.csv', line: 6, column: 'implant_date', message: expect.stringMatching(/pump PRO300003 was in place until its removal on 2024-06-01/) }),
    ]);
    expect(rowCounts(db)).toEqual(EMPTY);
  });

  it('refuses a removal dated before the pump\'s therapy reversal, at the removal\'s row', () => {
    const files = fixtureFiles();
    files['removals.csv'] += 'NGV400004,2024-12-01,therapy_no_longer_needed,no,,\n';
    const issues = issuesOf(importRecord(db.ctx, ws.folder(files)));
    expect(issues).toEqual([
      expect.objectContaining({ file: 'removals.csv', line: 3, column: 'date', message: expect.stringMatching(/reversal is dated 2025-01-10, after this removal/) }),
    ]);
    expect(rowCounts(db)).toEqual(EMPTY);
  });

  it('reports a refill or dose change dated after the pump\'s removal or reversal at its own row, not at the removal\'s', () => {
    const files = fixtureFiles();
    files['refills.csv'] += 'PRO300003,2024-09-01,10,40,Hydromorphone,10,mg,1,mg\n';
    const refillLine = files['refills.csv']!.trimEnd().split('\n').length;
    files['dose_changes.csv'] += 'NGV400004,2025-02-01,Baclofen,300,mcg\n';
    const doseLine = files['dose_changes.csv']!.trimEnd().split('\n').length;
    const issues = issuesOf(importRecord(db.ctx, ws.folder(files)));
    expect(issues).toEqual([
      { file: 'refills.csv', line: refillLine, column: 'date', message: 'is after the pump was removed (removals.csv line 2, 2024-06-01): nothing can be recorded on a pump after that' },
      { file: 'dose_changes.csv', line: doseLine, column: 'date', message: 'is after the pump was turned off (reversals.csv line 2, 2025-01-10) and not restarted: nothing can be recorded on a pump after that' },
    ]);
    expect(rowCounts(db)).toEqual(EMPTY);
  });

  it('refuses a visit of more than 4 drugs in words, at its fifth drug\'s row', () => {
    const files = fixtureFiles();
    const drugs = ['Morphine,1,mg,1,mg', 'Bupivacaine,1,mg,1,mg', 'Hydromorphone,1,mg,1,mg', 'Clonidine,1,mcg,1,mcg', 'Sufentanil,1,mcg,1,mcg'];
    const first = files['refills.csv']!.trimEnd().split('\n').length + 1;
    files['refills.csv'] += drugs.map((d) => `NGV100001,2025-08-20,4.8,20,${d}\n`).join('');
    const issues = issuesOf(importRecord(db.ctx, ws.folder(files)));
    expect(issues).toEqual([{ file: 'refills.csv', line: first + 4, column: 'drug', message: 'at most 4 drugs in one visit' }]);
    expect(rowCounts(db)).toEqual(EMPTY);
  });

  it('refuses a refill dated after today (the import runs on 2025-09-01 here) at its row, and writes nothing', () => {
    const files = fixtureFiles();
    files['refills.csv'] += 'NGV100001,2025-09-02,4.8,20,Baclofen,2000,mcg,500,mcg\n';
    const line = files['refills.csv']!.trimEnd().split('\n').length;
    const issues = issuesOf(importRecord(db.ctx, ws.folder(files)));
    expect(issues).toEqual([
      expect.objectContaining({ file: 'refills.csv', line, column: 'date', message: 'The date 2025-09-02 is after today (2025-09-01): record what has happened, on the day it happened.' }),
    ]);
    expect(rowCounts(db)).toEqual(EMPTY);
  });

  it('accepts a folder holding only some of the files, and an empty file as no rows', () => {
    const outcome = importRecord(db.ctx, ws.folder({ 'patients.csv': fixtureFiles()['patients.csv']!, 'pumps.csv': '' }));
    expect(outcome).toMatchObject({ ok: true, value: { created: { patients: 4, pumps: 0 } } });
  });
});

describe('a bad row: nothing is imported, the row is reported at its file, line and column', () => {
  // [what, file, line to replace (header = 1), new text, expected file, line, column, message]
  const cases: [string, string, number, string, string, number, string, RegExp][] = [
    ['bad date', 'patients.csv', 2, 'RSV-001,Okafor,Grace,14/03/1958,female,spasticity', 'patients.csv', 2, 'birth_date', /real date.*"14\/03\/1958"/],
    ['impossible date', 'pumps.csv', 2, 'RSV-001,Medtronic,SynchroMed II,NGV100001,2025-02-29,20,2,T10', 'pumps.csv', 2, 'implant_date', /real date/],
    ['bad sex', 'patients.csv', 3, 'RSV-002,Lindqvist,Erik,1949-11-02,M,cancer_pain', 'patients.csv', 3, 'sex', /one of female, male/],
    ['bad indication', 'patients.csv', 3, 'RSV-002,Lindqvist,Erik,1949-11-02,male,cancer_pain;back pain', 'patients.csv', 3, 'indication', /one of cancer_pain/],
    ['missing required value', 'patients.csv', 3, 'RSV-002,,Erik,1949-11-02,male,cancer_pain', 'patients.csv', 3, 'family_name', /is required/],
    ['unknown column', 'patients.csv', 1, 'mrn,family_name,given_name,birth_date,sex,indication,allergies', 'patients.csv', 1, 'allergies', /not a column/],
    ['missing column', 'patients.csv', 1, 'mrn,family_name,given_name,birth_date,indication', 'patients.csv', 1, 'sex', /missing from the header/],
    ['wrong header', 'pumps.csv', 1, 'patient,make,type,number,implanted,volume,alarm,tip', 'pumps.csv', 1, '(header)', /first line must be the header mrn,manufacturer/],
    ['semicolon-separated', 'reversals.csv', 1, 'serial;date;kind;note', 'reversals.csv', 1, '(header)', /separated by ";"/],
    ['extra value in a row', 'patients.csv', 3, 'RSV-002,Lindqvist,Erik,1949-11-02,male,cancer_pain,extra', 'patients.csv', 3, '(row)', /7 values but the header has 6/],
    ['missing value in a row', 'patients.csv', 3, 'RSV-002,Lindqvist,Erik,1949-11-02,male', 'patients.csv', 3, 'indication', /is missing/],
    ['missing unit', 'refills.csv', 2, 'NGV100001,2025-06-02,,20,Baclofen,2000,,500,mcg', 'refills.csv', 2, 'concentration_unit', /needs a unit: mg or mcg/],
    ['unit not mg/mcg', 'refills.csv', 2, 'NGV100001,2025-06-02,,20,Baclofen,2000,mcg,500,ug', 'refills.csv', 2, 'dose_unit', /mg or mcg.*"ug"/],
    ['unit not the drug\'s', 'refills.csv', 2, 'NGV100001,2025-06-02,,20,Baclofen,2,mg,500,mcg', 'refills.csv', 2, 'concentration_unit', /dosed in mcg/],
    ['negative volume', 'refills.csv', 3, 'NGV100001,2025-08-01,-4.8,20,Baclofen,2000,mcg,500,mcg', 'refills.csv', 3, 'withdrawn_ml', /cannot be negative/],
    ['non-numeric volume', 'refills.csv', 2, 'NGV100001,2025-06-02,,twenty,Baclofen,2000,mcg,500,mcg', 'refills.csv', 2, 'added_ml', /must be a number of mL/],
    ['decimal comma', 'pumps.csv', 2, 'RSV-001,Medtronic,SynchroMed II,NGV100001,2025-06-02,20,"2,5",T10', 'pumps.csv', 2, 'alarm_ml', /must be a number of mL/],
    ['more than 3 decimals', 'refills.csv', 3, 'NGV100001,2025-08-01,4.8001,20,Baclofen,2000,mcg,500,mcg', 'refills.csv', 3, 'withdrawn_ml', /at most 3 decimals/],
    ['dose with more than 3 decimals', 'dose_changes.csv', 2, 'NGV200002,2025-07-01,Morphine,4.0005,mg', 'dose_changes.csv', 2, 'daily_dose', /at most 3 decimals/],
    ['unknown drug', 'refills.csv', 9, 'NGV400004,2023-05-05,,20,Baclofne,500,mcg,100,mcg', 'refills.csv', 9, 'drug', /not in the drug list/],
    ['unknown drug in a dose change', 'dose_changes.csv', 2, 'NGV200002,2025-07-01,Morfine,4,mg', 'dose_changes.csv', 2, 'drug', /not in the drug list/],
    ['unknown device', 'pumps.csv', 2, 'RSV-001,Medtronic,SynchroMed III,NGV100001,2025-06-02,20,2,T10', 'pumps.csv', 2, 'model', /"SynchroMed III" is not a model name, alias or catalogue number of Medtronic/],
    ['reservoir the device does not have', 'pumps.csv', 2, 'RSV-001,Medtronic,SynchroMed II,NGV100001,2025-06-02,30,2,T10', 'pumps.csv', 2, 'reservoir_ml', /no 30 mL reservoir/],
    ['unknown MRN in pumps.csv', 'pumps.csv', 2, 'RSV-999,Medtronic,SynchroMed II,NGV100001,2025-06-02,20,2,T10', 'pumps.csv', 2, 'mrn', /unknown MRN/],
    ['unknown serial in refills.csv', 'refills.csv', 9, 'NGV999999,2023-05-05,,20,Baclofen,500,mcg,100,mcg', 'refills.csv', 9, 'serial', /unknown pump serial/],
    ['unknown serial in removals.csv', 'removals.csv', 2, 'XYZ-1,2024-06-01,infection,yes,,', 'removals.csv', 2, 'serial', /unknown pump serial/],
    ['duplicate MRN within the file', 'patients.csv', 6, 'rsv-002,Other,Person,1950-01-01,male,other', 'patients.csv', 6, 'mrn', /already on line 3/],
    ['duplicate serial within the file', 'pumps.csv', 6, 'RSV-004,Medtronic,SynchroMed II,NGV100001,2023-05-05,20,2,T11', 'pumps.csv', 6, 'serial', /already on line 2/],
    ['visit rows disagree', 'refills.csv', 7, 'NGV200002,2025-06-01,14,40,Clonidine,1000,mcg,300,mcg', 'refills.csv', 7, 'withdrawn_ml', /differs from line 6 of the same visit/],
    ['drug twice in a visit', 'refills.csv', 7, 'NGV200002,2025-06-01,15,40,morphine,10,mg,3,mg', 'refills.csv', 7, 'drug', /already listed on line 6/],
    ['catheter_removed not yes/no', 'removals.csv', 2, 'PRO300003,2024-06-01,infection,true,,', 'removals.csv', 2, 'catheter_removed', /yes or no/],
    ['bad reason', 'removals.csv', 2, 'PRO300003,2024-06-01,infection;worn out,yes,,', 'removals.csv', 2, 'reason', /one of battery_end_of_life/],
    ['bad reversal kind', 'reversals.csv', 2, 'NGV400004,2025-01-10,paused,', 'reversals.csv', 2, 'kind', /one of turned_off, drained, weaned/],
    ['bad serial characters', 'pumps.csv', 6, 'RSV-003,Medtronic,SynchroMed II,NGV 9,2025-01-01,20,2,', 'pumps.csv', 6, 'serial', /letters, digits and hyphens/],
    ['unclosed quote', 'reversals.csv', 2, 'NGV400004,2025-01-10,turned_off,"Weaned', 'reversals.csv', 2, '(row)', /never closed/],
    ['stray quote', 'reversals.csv', 2, 'NGV400004,2025-01-10,turned_off,Weaned "slowly"', 'reversals.csv', 2, '(row)', /stray quote/],
    // Clinical rules refuse these when the rows are applied (the services decide, not the import):
    ['volume added larger than the reservoir', 'refills.csv', 2, 'NGV100001,2025-06-02,,25,Baclofen,2000,mcg,500,mcg', 'refills.csv', 2, 'added_ml', /more than the reservoir holds/],
    ['refill before the implant', 'refills.csv', 8, 'PRO300003,2024-01-14,,40,Hydromorphone,10,mg,1,mg', 'refills.csv', 8, 'date', /before the pump was implanted/],
    ['admixture rates that disagree', 'refills.csv', 5, 'NGV200002,2025-03-10,,40,Clonidine,1000,mcg,600,mcg', 'refills.csv', 5, 'daily_dose', /must agree within 1 %/],
    ['second refill without a residual', 'refills.csv', 3, 'NGV100001,2025-08-01,,20,Baclofen,2000,mcg,500,mcg', 'refills.csv', 3, 'withdrawn_ml', /withdrawn residual/],
    ['removal before the implant', 'removals.csv', 2, 'PRO300003,2024-01-10,infection,yes,,', 'removals.csv', 2, 'date', /before the pump was implanted/],
    ['dose change of a drug not in the pump', 'dose_changes.csv', 2, 'NGV200002,2025-07-01,Baclofen,100,mcg', 'dose_changes.csv', 2, 'drug', /./],
  ];

  it.each(cases)('%s', (_what, file, line, text, expFile, expLine, column, message) => {
    const before = rowCounts(db);
    const issues = issuesOf(importRecord(db.ctx, ws.folder(fixtureWith(file, line, text))));
    expect(issues).toContainEqual(expect.objectContaining({ file: expFile, line: expLine, column }));
    const issue = issues.find((i) => i.file === expFile && i.line === expLine && i.column === column)!;
    expect(issue.message).toMatch(message);
    // No knock-on errors for the rows that refer to it: the rows of its pump that depend on it (or
    // on a row that depends on it) are only said to be not checked, and no other pump's row is reported.
    const others = issues.filter((i) => i !== issue);
    for (const other of others) expect(other.message).toMatch(/^not checked: depends on the refused (patient|pump|visit|dose change|reversal|removal) in ([a-z_]+\.csv )?row \d+$/);
    expect(rowCounts(db)).toEqual(before);
    expect(before).toEqual(EMPTY);
  });

  it('reports every bad row of every file at once, in file and line order', () => {
    const files = fixtureWith('patients.csv', 2, 'RSV-001,Okafor,Grace,1958-02-30,female,spasticity');
    files['refills.csv'] = replaceLine(files['refills.csv']!, 3, 'NGV100001,2025-08-01,4.8,20,Baclofen,2000,mcg,500,ug');
    files['refills.csv'] = replaceLine(files['refills.csv']!, 9, 'NGV400004,2023-05-05,,abc,Baclofen,500,,100,mcg');
    files['removals.csv'] = replaceLine(files['removals.csv']!, 2, 'PRO300003,2024-06-01,infection,perhaps,,');
    const issues = issuesOf(importRecord(db.ctx, ws.folder(files)));
    // The rows that depend on a bad row (its pump, that pump's later rows) are said to be not checked.
    expect(issues.map(formatIssue)).toEqual([
      'patients.csv:2: birth_date: must be a real date written YYYY-MM-DD (got "1958-02-30")',
      'pumps.csv:2: mrn: not checked: depends on the refused patient in patients.csv row 2',
      'refills.csv:2: date: not checked: depends on the refused pump in pumps.csv row 2',
      'refills.csv:3: dose_unit: unit must be mg or mcg (got "ug")',
      'refills.csv:9: added_ml: must be a number of mL (got "abc")',
      'refills.csv:9: concentration_unit: needs a unit: mg or mcg',
      'reversals.csv:2: date: not checked: depends on the refused visit in refills.csv row 9',
      'removals.csv:2: catheter_removed: must be yes or no (got "perhaps")',
    ]);
    expect(rowCounts(db)).toEqual(EMPTY);
  });

  it('reports both a refusal of an earlier pump and a bad value in a later pump\'s visit, and writes nothing', () => {
    // Pumps are written in implant order (NGV400004 first, NGV100001 last) and each pump's visits are
    // parsed at its turn: the refusal of NGV400004's refill stops that pump only (its reversal is not
    // checked), and the bad unit of NGV100001's visit is answered as well.
    const files = fixtureWith('refills.csv', 9, 'NGV400004,2023-05-05,,25,Baclofen,500,mcg,100,mcg');
    files['refills.csv'] = replaceLine(files['refills.csv']!, 3, 'NGV100001,2025-08-01,4.8,20,Baclofen,2000,mcg,500,ug');
    const issues = issuesOf(importRecord(db.ctx, ws.folder(files)));
    expect(issues.map(formatIssue)).toEqual([
      'refills.csv:3: dose_unit: unit must be mg or mcg (got "ug")',
      'refills.csv:9: added_ml: The volume added (25.000 mL) is more than the reservoir holds (20.000 mL).',
      'reversals.csv:2: date: not checked: depends on the refused visit in refills.csv row 9',
    ]);
    expect(rowCounts(db)).toEqual(EMPTY);
    // The refusal alone is answered at its row, and nothing is written either.
    const refused = issuesOf(importRecord(db.ctx, ws.folder(fixtureWith('refills.csv', 9, 'NGV400004,2023-05-05,,25,Baclofen,500,mcg,100,mcg'))));
    expect(refused).toEqual([
      expect.objectContaining({ file: 'refills.csv', line: 9, column: 'added_ml' }),
      expect.objectContaining({ file: 'reversals.csv', line: 2, column: 'date', message: 'not checked: depends on the refused visit in refills.csv row 9' }),
    ]);
    expect(rowCounts(db)).toEqual(EMPTY);
  });

  it('refuses a binary file, a non-UTF-8 file and a UTF-16 file with a clear message', () => {
    const files: Record<string, string | Uint8Array> = { ...fixtureFiles() };
    files['pumps.csv'] = Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00, 0x08, 0x00]); // a zip (xlsx) header
    files['patients.csv'] = Buffer.concat([
      Buffer.from('mrn,family_name,given_name,birth_date,sex,indication\nRSV-001,Okafor,Grace,1958-03-14,female,spasticity\n'),
      Buffer.from('RSV-002,M\xfcller,Erik,1949-11-02,male,cancer_pain\n', 'latin1'),
    ]);
    files['reversals.csv'] = Buffer.from('\uFEFFserial,date,kind,note\n', 'utf16le');
    const issues = issuesOf(importRecord(db.ctx, ws.folder(files)));
    expect(issues).toEqual([
      { file: 'patients.csv', line: 3, column: '(file)', message: expect.stringMatching(/not UTF-8/) },
      { file: 'pumps.csv', line: 1, column: '(file)', message: expect.stringMatching(/binary data/) },
      { file: 'reversals.csv', line: 1, column: '(file)', message: expect.stringMatching(/UTF-16/) },
    ]);
    expect(rowCounts(db)).toEqual(EMPTY);
  });
});

describe('every bad row in one run (issue 13): a bad row holds its own pump only', () => {
  const PATIENTS = 'mrn,family_name,given_name,birth_date,sex,indication\nRSV-101,Quinn,Ada,1960-01-01,female,spasticity\nRSV-102,Ruiz,Ben,1955-05-05,male,cancer_pain\nRSV-103,Sato,Cleo,1970-07-07,female,crps\n';
  const PUMPS =
    'mrn,manufacturer,model,serial,implant_date,reservoir_ml,alarm_ml,catheter_tip_level\n' +
    'RSV-101,Medtronic,SynchroMed II,NGV-A,2025-01-10,20,2,T10\n' +
    'RSV-102,Medtronic,SynchroMed II,NGV-B,2025-02-03,40,2,T8\n' +
    'RSV-103,Flowonix,Prometra II,PRO-C,2025-03-04,40,3,T9\n';
  const REFILLS_HEADER = 'serial,date,withdrawn_ml,added_ml,drug,concentration,concentration_unit,daily_dose,dose_unit\n';

  it('reports the three bad rows of three pumps (overfilled 20 mL pump, refill before the implant, missing unit), each at its row and column, and writes nothing', () => {
    const refills =
      REFILLS_HEADER +
      'NGV-A,2025-01-10,,25,Baclofen,2000,mcg,500,mcg\n' + // 25 mL into a 20 mL reservoir
      'NGV-B,2025-02-01,,40,Morphine,10,mg,3,mg\n' + // 2025-02-01 is before NGV-B's implant on 2025-02-03
      'PRO-C,2025-03-04,,40,Hydromorphone,10,,1,mg\n'; // no concentration unit
    const issues = issuesOf(importRecord(db.ctx, ws.folder({ 'patients.csv': PATIENTS, 'pumps.csv': PUMPS, 'refills.csv': refills })));
    expect(issues).toEqual([
      { file: 'refills.csv', line: 2, column: 'added_ml', message: 'The volume added (25.000 mL) is more than the reservoir holds (20.000 mL).' },
      { file: 'refills.csv', line: 3, column: 'date', message: expect.stringMatching(/before the pump was implanted/) },
      { file: 'refills.csv', line: 4, column: 'concentration_unit', message: 'needs a unit: mg or mcg' },
    ]);
    expect(rowCounts(db)).toEqual(EMPTY);
  });

  it('a bad visit early and a good one later on the same pump: the later one is not checked, and says which row it waits for; another pump is still checked', () => {
    const refills =
      REFILLS_HEADER +
      'NGV-A,2025-01-10,,25,Baclofen,2000,mcg,500,mcg\n' + // line 2: refused (25 mL into 20 mL)
      'NGV-B,2025-02-03,,40,Morphine,10,mg,3,mg\n' + // line 3: good
      'NGV-B,2025-03-03,,40,Morphine,10,mg,3,mg\n' + // line 4: a second refill without the withdrawn residual: refused
      'NGV-A,2025-02-10,10,20,Baclofen,2000,mcg,500,mcg\n'; // line 5: good in itself, but its expected residual needs line 2
    const doseChanges = 'serial,date,drug,daily_dose,dose_unit\nNGV-A,2025-03-01,Baclofen,400,mcg\n';
    const issues = issuesOf(
      importRecord(db.ctx, ws.folder({ 'patients.csv': PATIENTS, 'pumps.csv': PUMPS, 'refills.csv': refills, 'dose_changes.csv': doseChanges })),
    );
    expect(issues.map(formatIssue)).toEqual([
      'refills.csv:2: added_ml: The volume added (25.000 mL) is more than the reservoir holds (20.000 mL).',
      expect.stringMatching(/^refills\.csv:4: withdrawn_ml: .*withdrawn residual/),
      'refills.csv:5: date: not checked: depends on the refused visit in row 2',
      'dose_changes.csv:2: date: not checked: depends on the refused visit in refills.csv row 2',
    ]);
    expect(rowCounts(db)).toEqual(EMPTY);
  });

  it('a bad visit late on a pump does not stop the checks of that pump\'s earlier visits', () => {
    const refills =
      REFILLS_HEADER +
      'NGV-A,2025-01-10,,25,Baclofen,2000,mcg,500,mcg\n' + // line 2: refused (25 mL into 20 mL)
      'NGV-A,2025-02-10,10,20,Baclofen,2000,mcg,500,ug\n'; // line 3: a bad unit, found as well
    const issues = issuesOf(importRecord(db.ctx, ws.folder({ 'patients.csv': PATIENTS, 'pumps.csv': PUMPS, 'refills.csv': refills })));
    expect(issues.map(formatIssue)).toEqual([
      'refills.csv:2: added_ml: The volume added (25.000 mL) is more than the reservoir holds (20.000 mL).',
      'refills.csv:3: dose_unit: unit must be mg or mcg (got "ug")',
    ]);
  });
});

describe('removals.csv replacement_serial: a same-day exchange', () => {
  const REMOVALS_HEADER = 'serial,date,reason,catheter_removed,note,replacement_serial\n';
  /** The fixture with PRO300003 (RSV-003, removed 2024-06-01) exchanged for `pump` on `date`. */
  const exchange = (replacementSerial: string, extraPump = 'RSV-003,Medtronic,SynchroMed II,NGV500005,2024-06-01,20,2,T9') => {
    const files = fixtureFiles();
    files['pumps.csv'] += `${extraPump}\n`;
    files['removals.csv'] = `${REMOVALS_HEADER}PRO300003,2024-06-01,infection,yes,"Pocket infection, explanted with the catheter",${replacementSerial}\n`;
    return files;
  };

  it('links the removal to the pump implanted the same day in the same patient (the activity report and the timeline count it as a replacement)', () => {
    expect(importRecord(db.ctx, ws.folder(exchange('NGV500005')))).toMatchObject({ ok: true, value: { created: { pumps: 5, removals: 1 } } });
    const removed = db.store.record.pumpBySerial('PRO300003')!;
    const replacement = db.store.record.pumpBySerial('NGV500005')!;
    expect(db.store.record.removal(removed.id)!.replacementPumpId).toBe(replacement.id);
    // The activity report marks the implant as a replacement and the removal names it.
    const report = activity({ db: db.store.db, store: db.store, nowMs: NOW }, { from: '2024-06-01', to: '2024-06-30' });
    const implants = report.sections.find((x) => x.key === 'implants')!;
    const removals = report.sections.find((x) => x.key === 'removals')!;
    const replacementCol = implants.columns.length - 1; // the last column: replacement (flag)
    expect(implants.rows.map((r) => [r[4], r[replacementCol]])).toEqual([['NGV500005', true]]);
    expect(removals.rows.map((r) => [r[4], r[8]])).toEqual([['PRO300003', 'NGV500005']]);
    // Importing the same files again changes nothing; an export writes the serial back.
    expect(importRecord(db.ctx, ws.folder(exchange('NGV500005')))).toMatchObject({ ok: true, value: { skipped: { removals: 1 } } });
  });

  it('reads a removals.csv written before the column existed (no replacement_serial in the header): no replacement', () => {
    const files = fixtureFiles();
    files['removals.csv'] = 'serial,date,reason,catheter_removed,note\nPRO300003,2024-06-01,infection,yes,\n';
    expect(importRecord(db.ctx, ws.folder(files))).toMatchObject({ ok: true, value: { created: { removals: 1 } } });
    expect(db.store.record.removal(db.store.record.pumpBySerial('PRO300003')!.id)!.replacementPumpId).toBeNull();
  });

  it('reports a recorded removal whose replacement differs as a conflict', () => {
    expect(importRecord(db.ctx, ws.folder(exchange('NGV500005')))).toMatchObject({ ok: true });
    const issues = issuesOf(importRecord(db.ctx, ws.folder(exchange(''))));
    expect(issues).toEqual([expect.objectContaining({ file: 'removals.csv', line: 2, column: 'replacement_serial', message: expect.stringMatching(/differs in replacement_serial/) })]);
  });

  it.each([
    ['an unknown serial', 'NGV-NOPE', undefined, /^unknown pump serial "NGV-NOPE": not in pumps.csv nor in the database$/],
    ['the removed pump itself', 'PRO300003', undefined, /is the serial of the pump removed/],
    ['a pump of another patient', 'NGV100001', undefined, /^pump NGV100001 belongs to another patient \(MRN "RSV-001"\)/],
    ['a pump implanted on another day', 'NGV500005', 'RSV-003,Medtronic,SynchroMed II,NGV500005,2024-06-03,20,2,T9', /^pump NGV500005 was implanted on 2024-06-03, not on the removal date 2024-06-01/],
  ])('refuses %s at replacement_serial and writes nothing', (_what, serial, pump, message) => {
    // (Each case adds the pump NGV500005 of RSV-003 on line 6 of pumps.csv.)
    const issues = issuesOf(importRecord(db.ctx, ws.folder(exchange(serial, pump))));
    expect(issues).toContainEqual(expect.objectContaining({ file: 'removals.csv', line: 2, column: 'replacement_serial', message: expect.stringMatching(message) }));
    // The replacement pump itself waits for the removal (its patient's earlier pump is still in place).
    expect(issues.filter((i) => i.file !== 'removals.csv')).toEqual([
      { file: 'pumps.csv', line: 6, column: 'implant_date', message: 'not checked: depends on the refused removal in removals.csv row 2' },
    ]);
    expect(rowCounts(db)).toEqual(EMPTY);
  });
});

describe('importing into a database that already holds the record', () => {
  it('changes nothing the second time', () => {
    const dir = ws.folder(fixtureFiles());
    expect(importRecord(db.ctx, dir).ok).toBe(true);
    const before = rowCounts(db);
    const again = importRecord(db.ctx, dir);
    expect(again).toMatchObject({
      ok: true,
      value: {
        created: { patients: 0, pumps: 0, refills: 0, dose_changes: 0, reversals: 0, removals: 0 },
        skipped: { patients: 4, pumps: 4, refills: 6, dose_changes: 1, reversals: 1, removals: 1 },
      },
    });
    expect(rowCounts(db)).toEqual(before);
  });

  it('adds only the new rows (a later refill of a recorded pump)', () => {
    expect(importRecord(db.ctx, ws.folder(fixtureFiles())).ok).toBe(true);
    const later = ws.folder({
      'refills.csv': 'serial,date,withdrawn_ml,added_ml,drug,concentration,concentration_unit,daily_dose,dose_unit\n' +
        'NGV100001,2025-08-01,4.8,20,Baclofen,2000,mcg,500,mcg\n' +
        'NGV100001,2025-08-29,14.2,20,Baclofen,2000,mcg,500,mcg\n',
    });
    expect(importRecord(db.ctx, later)).toMatchObject({ ok: true, value: { created: { refills: 1 }, skipped: { refills: 1 } } });
    expect(db.store.record.refills(db.store.record.pumpBySerial('NGV100001')!.id).map((r) => r.date)).toEqual(['2025-06-02', '2025-08-01', '2025-08-29']);
  });

  it.each([
    ['a patient recorded differently', 'patients.csv', 2, 'RSV-001,Okafor,Gracie,1958-03-14,female,spasticity', 'given_name', /already recorded with given_name "Grace"/],
    ['a pump on another patient', 'pumps.csv', 2, 'RSV-002,Medtronic,SynchroMed II,NGV100001,2025-06-02,20,2,T10', 'mrn', /already recorded with mrn "RSV-001"/],
    ['a pump with another alarm volume', 'pumps.csv', 2, 'RSV-001,Medtronic,SynchroMed II,NGV100001,2025-06-02,20,3,T10', 'alarm_ml', /alarm_ml/],
    ['a refill recorded with other volumes', 'refills.csv', 3, 'NGV100001,2025-08-01,4.9,20,Baclofen,2000,mcg,500,mcg', 'withdrawn_ml', /already has a refill on 2025-08-01/],
    ['a dose change recorded with another dose', 'dose_changes.csv', 2, 'NGV200002,2025-07-01,Morphine,5,mg', 'daily_dose', /different daily dose/],
    ['a removal recorded differently', 'removals.csv', 2, 'PRO300003,2024-06-01,infection,no,"Pocket infection, explanted with the catheter",', 'catheter_removed', /differs in catheter_removed/],
    ['a reversal recorded differently', 'reversals.csv', 2, 'NGV400004,2025-01-11,turned_off,Weaned to oral baclofen', 'date', /differs in date/],
  ])('reports %s as a conflict and writes nothing', (_what, file, line, text, column, message) => {
    expect(importRecord(db.ctx, ws.folder(fixtureFiles())).ok).toBe(true);
    const before = rowCounts(db);
    const issues = issuesOf(importRecord(db.ctx, ws.folder(fixtureWith(file, line, text))));
    expect(issues).toEqual([expect.objectContaining({ file, line, column, message: expect.stringMatching(message) })]);
    expect(rowCounts(db)).toEqual(before);
  });
});

describe('device models as clinics write them (issue 13, item 7: shared/domain/device-match.ts)', () => {
  /** The fixture plus patients RSV-005.. with one pump each, written as `pumps` says. */
  function withPumps(pumps: string[]): Record<string, string> {
    const files = fixtureFiles();
    pumps.forEach((row, i) => {
      files['patients.csv'] += `RSV-00${5 + i},Prometra,Patient ${i},1970-01-01,female,cancer_pain\n`;
      files['pumps.csv'] += `RSV-00${5 + i},${row}\n`;
    });
    return files;
  }

  it('imports "Flowonix, Prometra II, 20 mL" and catalogue number "13827" as the Prometra II 13827 (20 mL)', () => {
    const outcome = importRecord(db.ctx, ws.folder(withPumps(['Flowonix,Prometra II,PRO500005,2025-01-10,20,3,T10', ' flowonix , 13827 ,PRO600006,2025-02-10,20,,T10', 'FLOWONIX,prometra ii,PRO700007,2025-03-10,40,,T10'])));
    expect(outcome).toMatchObject({ ok: true, value: { created: { pumps: 7 } } });
    const model = (serial: string) => {
      const pump = db.store.record.pumpBySerial(serial)!;
      const m = db.store.catalog.deviceById(pump.deviceModelId)!;
      return [m.model, m.reservoirUl, m.catalogueNumbers, pump.alarmUl];
    };
    expect(model('PRO500005')).toEqual(['Prometra II', 20000, ['13827'], 3000]);
    expect(model('PRO600006')).toEqual(['Prometra II', 20000, ['13827'], 3000]); // the model's 3 mL default alarm
    expect(model('PRO700007')).toEqual(['Prometra II', 40000, ['16827'], 3000]);
    // The existing 40 mL Prometra II of the fixture is still the 16827.
    expect(model('PRO300003')).toEqual(['Prometra II', 40000, ['16827'], 3000]);
  });

  it('a catalogue number with the wrong volume is refused at reservoir_ml, naming the size it is; nothing is imported', () => {
    const issues = issuesOf(importRecord(db.ctx, ws.folder(withPumps(['Flowonix,13827,PRO500005,2025-01-10,40,3,T10']))));
    expect(issues.map(formatIssue)).toEqual(['pumps.csv:6: reservoir_ml: catalogue number 13827 is Flowonix Prometra II 20 mL (13827), not 40 mL']);
    expect(rowCounts(db)).toEqual(EMPTY);
  });

  it('a model name of the wrong volume lists the sizes the catalog has', () => {
    const issues = issuesOf(importRecord(db.ctx, ws.folder(withPumps(['Flowonix,Prometra II,PRO500005,2025-01-10,30,3,T10']))));
    expect(issues.map(formatIssue)).toEqual(['pumps.csv:6: reservoir_ml: Flowonix Prometra II has no 30 mL reservoir in the device catalog (it has 20 mL, 40 mL)']);
  });

  it('two catalog models matching the same words is refused with both named', () => {
    // A clinic's own row that also answers to "Prometra II" at 20 mL (written past the catalog's check).
    db.store.db.prepare(`INSERT INTO device_models (manufacturer, model, catalogue_numbers, aliases, reservoir_ul, default_alarm_ul, kind) VALUES ('Flowonix', 'Prometra II (clinic)', '[]', '["Prometra II"]', 20000, 3000, 'programmable')`).run();
    db.store.catalog.saveDevice(db.store.catalog.devices()[0]!); // drops the memoised catalog
    const issues = issuesOf(importRecord(db.ctx, ws.folder(withPumps(['Flowonix,Prometra II,PRO500005,2025-01-10,20,3,T10']))));
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ file: 'pumps.csv', line: 6, column: 'model' });
    expect(issues[0]!.message).toMatch(/^"Prometra II" 20 mL matches 2 device models: Flowonix Prometra II 20 mL \(13827\); Flowonix Prometra II \(clinic\) 20 mL\./);
  });
});

describe('the drug library limits at import (issue 17)', () => {
  it('refuses a refill row above a hard limit at its line, naming the limit and its source; nothing is imported', () => {
    // line 3: baclofen 20,000 mcg/day, above the hard 2000 mcg/day (2 × the label's 1000)
    const files = fixtureWith('refills.csv', 3, 'NGV100001,2025-08-01,4.8,20,Baclofen,2000,mcg,20000,mcg');
    const issues = issuesOf(importRecord(db.ctx, ws.folder(files)));
    expect(issues).toContainEqual(
      expect.objectContaining({ file: 'refills.csv', line: 3, message: expect.stringMatching(/^Baclofen daily dose 20000 mcg\/day is above the hard maximum of 2000 mcg\/day \(/) }),
    );
    expect(rowCounts(db)).toEqual(EMPTY);
  });

  it('imports a row above a soft limit, with a warning at its line and no override reason', () => {
    // line 3: baclofen 1100 mcg/day, above the soft 1000 mcg/day, below the hard 2000
    const files = fixtureWith('refills.csv', 3, 'NGV100001,2025-08-01,4.8,20,Baclofen,2000,mcg,1100,mcg');
    const outcome = importRecord(db.ctx, ws.folder(files));
    if (!outcome.ok) throw new Error(outcome.issues.map(formatIssue).join('\n'));
    expect(outcome.value.warnings).toContainEqual(
      expect.objectContaining({ file: 'refills.csv', line: 3, message: 'Baclofen daily dose 1100 mcg/day is outside the typical range 90 mcg/day to 1000 mcg/day.' }),
    );
  });
});
