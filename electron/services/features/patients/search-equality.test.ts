/**
 * The faster patient search (issue: 11.2 ms per keystroke at 50,000 patients) finds the same
 * patients in the same order as the search it replaced: the old statements and flow are kept here,
 * verbatim, as the oracle, and both answer many queries (every keystroke of names, MRNs, serials,
 * the forms people type, literal text, each with and without the filters) on a generated clinic
 * large enough that some keystrokes pass HIT_CAP (the dense walk) and others do not (the ids list).
 */
import type Database from 'better-sqlite3-multiple-ciphers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../store/database';
import { tempDir } from '../../testing/temp';
import { PatientRepository, probeSql, toPatient, type PatientFilters } from './repository';
import { HIT_CAP, PROBE_ROWS, SPARSE_HITS, birthDateReadings, nameReadings, phoneQuery, probeable, searchMode, searchParams, type SearchCondition } from './search';

// ---- The oracle: the search as of commit 55eedf6 (statements copied verbatim). ----
const OLD_HITS_SQL = {
  anywhere: `SELECT rowid FROM patient_search WHERE text LIKE @q LIMIT ${HIT_CAP + 1}`,
  prefix: `SELECT id FROM (
      SELECT id FROM patients WHERE family_name >= @q COLLATE NOCASE AND family_name < @hi COLLATE NOCASE
      UNION SELECT id FROM patients WHERE given_name >= @q COLLATE NOCASE AND given_name < @hi COLLATE NOCASE
      UNION SELECT id FROM patients WHERE mrn >= @q AND mrn < @hi
      UNION SELECT patient_id FROM pumps WHERE serial >= @q AND serial < @hi) LIMIT ${HIT_CAP + 1}`,
};
const OLD_FORM_SQL = {
  name: `SELECT id FROM patients
    WHERE family_name >= @family COLLATE NOCASE AND family_name < @familyHi COLLATE NOCASE
      AND given_name >= @given COLLATE NOCASE AND given_name < @givenHi COLLATE NOCASE LIMIT ${HIT_CAP + 1}`,
  birthDate: `SELECT id FROM patients WHERE birth_date IN (SELECT value FROM json_each(@dates)) LIMIT ${HIT_CAP + 1}`,
  phone: `SELECT patient_id FROM patient_phones WHERE digits >= @digits AND digits < @digitsHi
    UNION SELECT patient_id FROM patient_phones WHERE digits_reversed >= @reversed AND digits_reversed < @reversedHi LIMIT ${HIT_CAP + 1}`,
};
const oldFieldsLike = (pattern: string, escape: string) =>
  `(p.mrn LIKE ${pattern}${escape} OR p.family_name LIKE ${pattern}${escape} OR p.given_name LIKE ${pattern}${escape}
      OR EXISTS (SELECT 1 FROM pumps sp WHERE sp.patient_id = p.id AND sp.serial LIKE ${pattern}${escape}))`;
const OLD_CONDITION: Record<SearchCondition, string> = {
  all: '1',
  ids: 'p.id IN (SELECT value FROM json_each(@ids))',
  denseAnywhere: oldFieldsLike('@q', ''),
  densePrefix: oldFieldsLike(`@q || '%'`, ''),
  literal: oldFieldsLike('@q', ` ESCAPE '\\'`),
};
const oldFilteredSql = (condition: SearchCondition) => `
  SELECT p.id, p.mrn, p.family_name, p.given_name, p.birth_date, p.sex, p.indications, p.allergies, p.clinician, p.status,
         p.death_date, p.transfer_date, p.transferred_to, (SELECT pc.contacts FROM patient_contacts pc WHERE pc.patient_id = p.id) AS contacts,
         (SELECT ip.serial FROM pumps ip WHERE ip.patient_id = p.id AND ip.status <> 'explanted') AS pump_serial
  FROM patients p
  WHERE ${OLD_CONDITION[condition]}
    AND (@status IS NULL OR p.status = @status)
    AND (@indication IS NULL OR EXISTS (SELECT 1 FROM json_each(p.indications) j WHERE j.value = @indication))
    AND (@drug IS NULL OR EXISTS (
          SELECT 1
          FROM pumps dp
          JOIN refills r ON r.pump_id = dp.id
          JOIN refill_drugs rd ON rd.refill_id = r.id
          JOIN drugs d ON d.id = rd.drug_id
          WHERE dp.patient_id = p.id AND dp.status <> 'explanted'
            AND r.date = (SELECT MAX(lr.date) FROM refills lr WHERE lr.pump_id = dp.id)
            AND d.name = @drug COLLATE NOCASE))
  ORDER BY p.family_name COLLATE NOCASE, p.given_name COLLATE NOCASE, p.id
  LIMIT @limit`;

function oracle(db: Database.Database, filters: PatientFilters) {
  const mode = searchMode(filters.query);
  const params = searchParams(filters.query);
  let hits = mode === 'anywhere' || mode === 'prefix' ? (db.prepare(OLD_HITS_SQL[mode]).pluck().all(params) as number[]) : null;
  if (filters.query && hits !== null && hits.length <= HIT_CAP) {
    const more: number[] = [];
    for (const r of nameReadings(filters.query)) {
      more.push(...(db.prepare(OLD_FORM_SQL.name).pluck().all({ family: r.family, familyHi: `${r.family}\u{10FFFF}`, given: r.given, givenHi: `${r.given}\u{10FFFF}` }) as number[]));
    }
    const dates = birthDateReadings(filters.query, filters.dateOrder);
    if (dates.length > 0) more.push(...(db.prepare(OLD_FORM_SQL.birthDate).pluck().all({ dates: JSON.stringify(dates) }) as number[]));
    const digits = phoneQuery(filters.query);
    if (digits !== null) {
      const reversed = [...digits].reverse().join('');
      more.push(...(db.prepare(OLD_FORM_SQL.phone).pluck().all({ digits, digitsHi: `${digits}\u{10FFFF}`, reversed, reversedHi: `${reversed}\u{10FFFF}` }) as number[]));
    }
    if (more.length > 0) hits = [...new Set([...hits, ...more])].slice(0, HIT_CAP + 1);
  }
  const condition: SearchCondition =
    mode === 'all' || mode === 'literal' ? mode : hits !== null && hits.length <= HIT_CAP ? 'ids' : mode === 'anywhere' ? 'denseAnywhere' : 'densePrefix';
  type Row = Parameters<typeof toPatient>[0] & { pump_serial: string | null };
  return (db.prepare(oldFilteredSql(condition)).all({
    ...params,
    ids: condition === 'ids' ? JSON.stringify(hits) : null,
    status: filters.status ?? null,
    indication: filters.indication ?? null,
    drug: filters.drug || null,
    limit: filters.limit,
  }) as Row[]).map((row) => ({ ...toPatient(row), pumpSerial: row.pump_serial }));
}

// ---- A generated clinic: few names (dense keystrokes), many MRNs and serials sharing digits. ----
const FAMILY = ['Adeyemi', 'Adams', 'Okafor', 'Brennan', 'Abrams', 'Nguyen', 'Garcia', 'Smith', "O'Neil", 'de la Cruz', 'Müller', 'Ngata'];
const GIVEN = ['Ada', 'Grace', 'Thomas', 'Nora', 'Brigid', 'Ngozi', 'Luis', 'Mary Ann', 'Jean', 'Ana'];
const PATIENTS = 9000;

let tmp: ReturnType<typeof tempDir>;
let db: Database.Database;
let repo: PatientRepository;

beforeAll(() => {
  tmp = tempDir();
  const opened = openDatabase(tmp.file('clinic.db'), { backupBeforeMigration: false });
  if (!opened.ok || opened.state !== 'ok') throw new Error('could not open the test clinic');
  db = opened.db;
  const model = db.prepare('SELECT id FROM device_models ORDER BY id LIMIT 1').pluck().get() as number;
  const patient = db.prepare(
    `INSERT INTO patients (mrn, family_name, given_name, birth_date, sex, indications, status, created_at_ms, updated_at_ms)
     VALUES (?, ?, ?, ?, ?, ?, ?, 0, 0)`,
  );
  const pump = db.prepare(
    `INSERT INTO pumps (patient_id, device_model_id, serial, implant_date, reservoir_ul, alarm_ul, status, created_at_ms) VALUES (?, ?, ?, '2020-01-01', 20000, 2000, ?, 0)`,
  );
  const contacts = db.prepare('INSERT INTO patient_contacts (patient_id, contacts, updated_at_ms) VALUES (?, ?, 0)');
  const phone = db.prepare('INSERT INTO patient_phones (patient_id, digits, digits_reversed) VALUES (?, ?, ?)');
  db.transaction(() => {
    for (let i = 0; i < PATIENTS; i++) {
      const family = FAMILY[(i * 7) % FAMILY.length]!;
      const given = GIVEN[(i * 3) % GIVEN.length]!;
      const birth = `19${String(40 + (i % 50)).padStart(2, '0')}-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`;
      const indications = JSON.stringify(i % 3 === 0 ? ['spasticity'] : ['chronic_pain']);
      const id = Number(
        patient.run(`GEN-${String(i).padStart(6, '0')}`, family, given, birth, i % 2 ? 'female' : 'male', indications, i % 5 === 0 ? 'therapy_stopped' : 'active').lastInsertRowid,
      );
      if (i % 4 !== 3) pump.run(id, model, `NGP${String(400000000 + i * 3)}H`, i % 9 === 0 ? 'off' : 'active');
      if (i % 11 === 0) pump.run(id, model, `NGP${String(100000000 + i)}X`, 'explanted');
      if (i % 6 === 0) {
        const number = `(312) 555-${String(i % 800).padStart(4, '0')}`;
        contacts.run(id, JSON.stringify({ phones: [{ use: 'mobile', number }], address: null, emergencyContact: null, referringPhysician: null, familyDoctor: null, language: null }));
        const digits = number.replace(/\D/g, '');
        phone.run(id, digits, [...digits].reverse().join(''));
      }
    }
  })();
  repo = new PatientRepository(db);
});
afterAll(() => {
  db.close();
  tmp.cleanup();
});

const keystrokes = (word: string) => Array.from({ length: word.length }, (_, i) => word.slice(0, i + 1));

describe('the faster search finds the same patients in the same order as the old one', () => {
  const words = ['adeyemi', 'ADAMS', 'ngozi', 'o\'neil', 'de la cruz', 'müller', 'GEN-0002', 'GEN-000244', 'gen-008999', 'NGP400000306H', 'NGP4000', 'ngp1000', '0002', '4000', 'ana', 'zzz'];
  const forms = [
    'Grace Adeyemi', 'Adeyemi Grace', 'Adeyemi, Grace', 'Mary Ann Smith', 'Smith, Mary Ann', 'a b', 'Ng Ng',
    '1945-06-06', '06/06/1945', '6.6.1945', '1961-02-30', '(312) 555-0042', '3125550042', '555-0042', '0042', '000000',
    '50%', 'a_b', 'GEN\\', '%', ' ', 'ad ', ' ad',
  ];
  const queries = [...new Set([...words.flatMap(keystrokes), ...forms])];
  const filterSets: Omit<PatientFilters, 'query'>[] = [
    { limit: 200 },
    { limit: 5 },
    { limit: 1000 },
    { limit: 200, status: 'therapy_stopped' },
    { limit: 200, indication: 'spasticity' },
    { limit: 200, drug: 'Morphine' },
    { limit: 200, dateOrder: 'dmy' },
  ];

  it(`over ${queries.length} queries × ${filterSets.length} filter sets, crossing HIT_CAP both ways`, () => {
    let dense = 0;
    let sparse = 0;
    let fewHits = 0;
    let probeFull = 0;
    let probeShort = 0;
    for (const query of queries) {
      for (const f of filterSets) {
        const filters = { ...f, query };
        const want = oracle(db, filters);
        expect(repo.search(filters), JSON.stringify(filters)).toEqual(want);
      }
      const mode = searchMode(query);
      if (mode === 'anywhere' || mode === 'prefix') {
        const n = (db.prepare(OLD_HITS_SQL[mode]).pluck().all(searchParams(query)) as number[]).length;
        if (n > HIT_CAP) dense++;
        else if (n > 0) sparse++;
        if (mode === 'anywhere' && n > 0 && n <= SPARSE_HITS) fewHits++;
        if (probeable(query, undefined, 200) && !(mode === 'anywhere' && n <= SPARSE_HITS)) {
          const probe = db.prepare(probeSql(mode === 'anywhere' ? 'denseAnywhere' : 'densePrefix')).pluck();
          const page = probe.all({ ...searchParams(query), status: null, indication: null, drug: null, limit: 200, scan: PROBE_ROWS });
          if (page.length >= 200) probeFull++;
          else probeShort++;
        }
      }
    }
    // The clinic exercises both the dense walk and the ids list.
    expect(dense).toBeGreaterThan(5);
    expect(sparse).toBeGreaterThan(5);
    // …and each of the new paths: the few hits listed, the probe answering, the probe falling back.
    expect(fewHits).toBeGreaterThan(5);
    expect(probeFull).toBeGreaterThan(5);
    expect(probeShort).toBeGreaterThan(0);
  });

  it('with no query: the first page of the clinic by name', () => {
    expect(repo.search({ limit: 300 })).toEqual(oracle(db, { limit: 300 }));
    expect(repo.search({ limit: 300, status: 'active' })).toEqual(oracle(db, { limit: 300, status: 'active' }));
  });
});

describe('what a dense keystroke runs', () => {
  it('the probe walks the name index in order and stops at a page: no sort of the rows it scans', () => {
    for (const c of ['denseAnywhere', 'densePrefix'] as const) {
      const plan = (db.prepare(`EXPLAIN QUERY PLAN ${probeSql(c)}`).all({ q: 'a', hi: null, status: null, indication: null, drug: null, limit: 200, scan: PROBE_ROWS }) as { detail: string }[])
        .map((r) => r.detail)
        .join(' | ');
      expect(plan).toContain('SCAN patients USING INDEX patients_by_name');
      expect(plan).not.toContain('TEMP B-TREE');
    }
  });
});
