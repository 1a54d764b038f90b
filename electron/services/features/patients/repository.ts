import type Database from 'better-sqlite3-multiple-ciphers';
import {
  FORM_HITS_SQL,
  HITS_SQL,
  HIT_CAP,
  PROBE_ROWS,
  SEARCH_CONDITION,
  SPARSE_HITS,
  SPARSE_HITS_SQL,
  birthDateReadings,
  nameReadings,
  phoneQuery,
  probeable,
  searchCondition,
  searchMode,
  searchParams,
  type DateOrder,
  type SearchCondition,
} from './search';
import { NO_CONTACTS, phoneDigits, type PatientContacts } from '../../../../shared/contract/contacts';
import type { Indication, Patient, PatientListRow, PatientStatus, Sex } from '../../../../shared/contract/patients';
import type { ParsedInputOf } from '../../../../shared/contract';

interface PatientRow {
  id: number;
  mrn: string;
  family_name: string;
  given_name: string;
  birth_date: string;
  sex: Sex;
  indications: string;
  allergies: string | null;
  clinician: string | null;
  status: PatientStatus;
  death_date: string | null;
  transfer_date: string | null;
  transferred_to: string | null;
  contacts: string | null;
}

export function toPatient(row: PatientRow): Patient {
  return {
    id: row.id,
    mrn: row.mrn,
    familyName: row.family_name,
    givenName: row.given_name,
    birthDate: row.birth_date,
    sex: row.sex,
    indications: JSON.parse(row.indications) as Indication[],
    allergies: row.allergies,
    clinician: row.clinician,
    status: row.status,
    deathDate: row.death_date,
    transferDate: row.transfer_date,
    transferredTo: row.transferred_to,
    contacts: row.contacts === null ? NO_CONTACTS : (JSON.parse(row.contacts) as PatientContacts),
  };
}

/** The patient's contacts (JSON), or NULL when none were recorded, for patients aliased `alias`. */
const contactsColumn = (alias: string) => `(SELECT pc.contacts FROM patient_contacts pc WHERE pc.patient_id = ${alias}.id) AS contacts`;

const COLUMNS = `id, mrn, family_name, given_name, birth_date, sex, indications, allergies, clinician, status, death_date, transfer_date, transferred_to, ${contactsColumn('patients')}`;

/** True when the contacts hold nothing (no row is kept for them). */
function empty(c: PatientContacts): boolean {
  return c.phones.length === 0 && !c.address && !c.emergencyContact && !c.referringPhysician && !c.familyDoctor && !c.language;
}

/** What the patients list may be narrowed by (all optional; absent means any). */
export interface PatientFilters {
  query?: string;
  status?: PatientStatus;
  indication?: Indication;
  drug?: string;
  limit: number;
  /** How the user's locale writes dates (a birth date typed so is found); absent: every reading. */
  dateOrder?: DateOrder;
}

interface FilterParams {
  q: string | null;
  hi: string | null;
  ids: string | null;
  status: string | null;
  indication: string | null;
  drug: string | null;
  limit: number;
}

/** The filters on patients `p`, each skipped when its parameter is NULL. */
const FILTERS = `(@status IS NULL OR p.status = @status)
      AND (@indication IS NULL OR EXISTS (SELECT 1 FROM json_each(p.indications) j WHERE j.value = @indication))
      AND (@drug IS NULL OR EXISTS (
            SELECT 1
            FROM pumps dp
            JOIN refills r ON r.pump_id = dp.id
            JOIN refill_drugs rd ON rd.refill_id = r.id
            JOIN drugs d ON d.id = rd.drug_id
            WHERE dp.patient_id = p.id AND dp.status <> 'explanted'
              AND r.date = (SELECT MAX(lr.date) FROM refills lr WHERE lr.pump_id = dp.id)
              AND d.name = @drug COLLATE NOCASE))`;

/**
 * One statement per search mode (see search.ts) for every combination of filters: each filter is
 * skipped when its parameter is NULL. The drug filter reads the admixture of the LAST refill (by
 * date; one refill per pump and date) of the pump in place (not explanted).
 *
 * The page is chosen first and its rows read once: the inner select keeps the matching patients'
 * ids in name order up to the page size (sorting only ids and names), and only those rows get their
 * contacts and the serial of the pump in place. Evaluating those per match before the sort cost a
 * few milliseconds per keystroke at 50,000 patients (a search of 1,800 matches read 1,800 contacts).
 */
export function filteredSql(condition: SearchCondition): string {
  return `
  SELECT p.id, p.mrn, p.family_name, p.given_name, p.birth_date, p.sex, p.indications, p.allergies, p.clinician, p.status,
         p.death_date, p.transfer_date, p.transferred_to, ${contactsColumn('p')},
         (SELECT ip.serial FROM pumps ip WHERE ip.patient_id = p.id AND ip.status <> 'explanted') AS pump_serial
  FROM patients p
  WHERE p.id IN (
    SELECT p.id
    FROM patients p
    WHERE ${SEARCH_CONDITION[condition]}
      AND ${FILTERS}
    ORDER BY p.family_name COLLATE NOCASE, p.given_name COLLATE NOCASE, p.id
    LIMIT @limit)
  ORDER BY p.family_name COLLATE NOCASE, p.given_name COLLATE NOCASE, p.id`;
}

/**
 * The probe of a dense keystroke (search.ts, `PROBE_ROWS`): among the first @scan patients by name,
 * the ids of those matching (the query and the filters), in name order, at most @limit. The walk
 * reads the name index in order (a co-routine, `patients_by_name`) and stops at @limit matches; no
 * outer ORDER BY, which would sort all @scan rows first (the co-routine already yields name order;
 * search-equality.test.ts compares every answer with the old search's).
 */
export function probeSql(condition: 'denseAnywhere' | 'densePrefix'): string {
  return `
  SELECT p.id
  FROM (SELECT id, mrn, family_name, given_name, status, indications FROM patients
        ORDER BY family_name COLLATE NOCASE, given_name COLLATE NOCASE, id LIMIT @scan) p
  WHERE ${SEARCH_CONDITION[condition]}
    AND ${FILTERS}
  LIMIT @limit`;
}

/** Patients in SQLite. Every statement is prepared once. */
export class PatientRepository {
  private readonly insertStmt;
  private readonly byIdStmt;
  private readonly byMrnStmt;
  private readonly listStmt;
  private readonly filteredStmts: Record<SearchCondition, Database.Statement<FilterParams, PatientRow & { pump_serial: string | null }>>;
  private readonly hitStmts: Record<'anywhere' | 'prefix', Database.Statement<{ q: string | null; hi: string | null }, number>>;
  private readonly updateStmt;
  private readonly contactsDeleteStmt;
  private readonly phonesDeleteStmt;
  private readonly phoneInsertStmt;
  private readonly contactsUpsertStmt;
  private readonly formStmts;
  private readonly sparseHitsStmt;
  private readonly probeStmts: Record<'denseAnywhere' | 'densePrefix', Database.Statement<Omit<FilterParams, 'ids'> & { scan: number }, number>>;

  constructor(private readonly db: Database.Database) {
    this.insertStmt = db.prepare(
      `INSERT INTO patients (mrn, family_name, given_name, birth_date, sex, indications, allergies, clinician, status, created_at_ms, updated_at_ms)
       VALUES (@mrn, @familyName, @givenName, @birthDate, @sex, @indications, @allergies, @clinician, 'active', @now, @now)`,
    );
    this.updateStmt = db.prepare(
      `UPDATE patients SET mrn = @mrn, family_name = @familyName, given_name = @givenName, birth_date = @birthDate, sex = @sex,
         indications = @indications, allergies = @allergies, clinician = @clinician, status = @status,
         death_date = @deathDate, transfer_date = @transferDate, transferred_to = @transferredTo, updated_at_ms = @now
       WHERE id = @id`,
    );
    this.contactsDeleteStmt = db.prepare<[number]>('DELETE FROM patient_contacts WHERE patient_id = ?');
    this.phonesDeleteStmt = db.prepare<[number]>('DELETE FROM patient_phones WHERE patient_id = ?');
    this.phoneInsertStmt = db.prepare<[number, string, string]>('INSERT INTO patient_phones (patient_id, digits, digits_reversed) VALUES (?, ?, ?)');
    this.contactsUpsertStmt = db.prepare<[number, string, number]>(
      `INSERT INTO patient_contacts (patient_id, contacts, updated_at_ms) VALUES (?, ?, ?)
       ON CONFLICT (patient_id) DO UPDATE SET contacts = excluded.contacts, updated_at_ms = excluded.updated_at_ms`,
    );
    this.formStmts = {
      name: db.prepare<{ family: string; familyHi: string; given: string; givenHi: string }, number>(FORM_HITS_SQL.name).pluck(),
      birthDate: db.prepare<{ dates: string }, number>(FORM_HITS_SQL.birthDate).pluck(),
      phone: db.prepare<{ digits: string; digitsHi: string; reversed: string; reversedHi: string }, number>(FORM_HITS_SQL.phone).pluck(),
    };
    this.byIdStmt = db.prepare<[number], PatientRow>(`SELECT ${COLUMNS} FROM patients WHERE id = ?`);
    this.byMrnStmt = db.prepare<[string], PatientRow>(`SELECT ${COLUMNS} FROM patients WHERE mrn = ?`);
    this.listStmt = db.prepare<[number], PatientRow>(
      `SELECT ${COLUMNS} FROM patients ORDER BY family_name COLLATE NOCASE, given_name COLLATE NOCASE, id LIMIT ?`,
    );
    const prepare = (c: SearchCondition) => db.prepare<FilterParams, PatientRow & { pump_serial: string | null }>(filteredSql(c));
    this.filteredStmts = {
      all: prepare('all'),
      ids: prepare('ids'),
      denseAnywhere: prepare('denseAnywhere'),
      densePrefix: prepare('densePrefix'),
      literal: prepare('literal'),
    };
    this.hitStmts = {
      anywhere: db.prepare<{ q: string | null; hi: string | null }, number>(HITS_SQL.anywhere).pluck(),
      prefix: db.prepare<{ q: string | null; hi: string | null }, number>(HITS_SQL.prefix).pluck(),
    };
    this.sparseHitsStmt = db.prepare<{ q: string | null; hi: string | null }, number>(SPARSE_HITS_SQL).pluck();
    const probe = (c: 'denseAnywhere' | 'densePrefix') => db.prepare<Omit<FilterParams, 'ids'> & { scan: number }, number>(probeSql(c)).pluck();
    this.probeStmts = { denseAnywhere: probe('denseAnywhere'), densePrefix: probe('densePrefix') };
  }

  /** The patients list with its filters, each row carrying the serial of the pump in place. */
  search(filters: PatientFilters): PatientListRow[] {
    const mode = searchMode(filters.query);
    const params = searchParams(filters.query);
    const filterParams = { status: filters.status ?? null, indication: filters.indication ?? null, drug: filters.drug || null, limit: filters.limit };
    let hits: number[] | null = null;
    if (mode === 'anywhere' || mode === 'prefix') {
      // A sparse query: the index's few matches are all of them (search.ts, SPARSE_HITS).
      if (mode === 'anywhere') {
        const few = this.sparseHitsStmt.all(params);
        if (few.length <= SPARSE_HITS) hits = few;
      }
      // A dense one: a full page among the first patients by name is the answer (search.ts, PROBE_ROWS).
      if (hits === null && probeable(filters.query, filters.dateOrder, filters.limit)) {
        const page = this.probeStmts[mode === 'anywhere' ? 'denseAnywhere' : 'densePrefix'].all({ ...params, ...filterParams, scan: PROBE_ROWS });
        if (page.length >= filters.limit) return this.page('ids', { ...params, ...filterParams, ids: JSON.stringify(page) });
      }
      hits ??= this.hitStmts[mode].all(params);
    }
    // Names, birth dates and phone numbers as people type them, added to what the text matched
    // (unless that is already more than a page of the clinic: then the dense walk answers).
    if (filters.query && hits !== null && hits.length <= HIT_CAP) {
      const more = this.formHits(filters.query, filters.dateOrder);
      if (more.length > 0) {
        hits = [...new Set([...hits, ...more])].slice(0, HIT_CAP + 1);
      }
    }
    const condition = searchCondition(mode, hits);
    return this.page(condition, { ...params, ...filterParams, ids: condition === 'ids' ? JSON.stringify(hits) : null });
  }

  /** The page's rows, read once (see filteredSql). */
  private page(condition: SearchCondition, params: FilterParams): PatientListRow[] {
    return this.filteredStmts[condition].all(params).map((row) => ({ ...toPatient(row), pumpSerial: row.pump_serial }));
  }

  /** The patients a query names as "First Last", "Last, First", a birth date or a phone number (each from an index). */
  private formHits(query: string, dateOrder: DateOrder | undefined): number[] {
    const out: number[] = [];
    for (const r of nameReadings(query)) {
      out.push(...this.formStmts.name.all({ family: r.family, familyHi: `${r.family}\u{10FFFF}`, given: r.given, givenHi: `${r.given}\u{10FFFF}` }));
    }
    const dates = birthDateReadings(query, dateOrder);
    if (dates.length > 0) out.push(...this.formStmts.birthDate.all({ dates: JSON.stringify(dates) }));
    const digits = phoneQuery(query);
    if (digits !== null) {
      const reversed = [...digits].reverse().join('');
      out.push(...this.formStmts.phone.all({ digits, digitsHi: `${digits}\u{10FFFF}`, reversed, reversedHi: `${reversed}\u{10FFFF}` }));
    }
    return out;
  }

  /** Writes the patient's contacts whole (none: no row) and their phone digits (the caller's transaction holds both). */
  private writeContacts(patientId: number, contacts: PatientContacts, nowMs: number): void {
    if (empty(contacts)) this.contactsDeleteStmt.run(patientId);
    else this.contactsUpsertStmt.run(patientId, JSON.stringify(contacts), nowMs);
    this.phonesDeleteStmt.run(patientId);
    for (const phone of contacts.phones) {
      const digits = phoneDigits(phone.number);
      this.phoneInsertStmt.run(patientId, digits, [...digits].reverse().join(''));
    }
  }

  /** Writes the patient's details as given (the caller merges the changes). */
  update(patient: Patient, nowMs: number): Patient {
    this.updateStmt.run({
      id: patient.id,
      mrn: patient.mrn,
      familyName: patient.familyName,
      givenName: patient.givenName,
      birthDate: patient.birthDate,
      sex: patient.sex,
      indications: JSON.stringify(patient.indications),
      allergies: patient.allergies,
      clinician: patient.clinician,
      status: patient.status,
      deathDate: patient.deathDate,
      transferDate: patient.transferDate,
      transferredTo: patient.transferredTo,
      now: nowMs,
    });
    this.writeContacts(patient.id, patient.contacts, nowMs);
    return this.get(patient.id)!;
  }

  create(input: ParsedInputOf<'patients.create'>, nowMs: number): Patient {
    return this.get(this.insert(input, nowMs))!;
  }

  /** Writes the patient as `create` does and answers only its id (the CSV import, which never reads it back). */
  insert(input: ParsedInputOf<'patients.create'>, nowMs: number): number {
    const info = this.insertStmt.run({
      mrn: input.mrn,
      familyName: input.familyName,
      givenName: input.givenName,
      birthDate: input.birthDate,
      sex: input.sex,
      indications: JSON.stringify(input.indications),
      allergies: input.allergies ?? null,
      clinician: input.clinician ?? null,
      now: nowMs,
    });
    const id = Number(info.lastInsertRowid);
    if (input.contacts) this.writeContacts(id, input.contacts, nowMs);
    return id;
  }

  get(id: number): Patient | null {
    const row = this.byIdStmt.get(id);
    return row ? toPatient(row) : null;
  }

  findByMrn(mrn: string): Patient | null {
    const row = this.byMrnStmt.get(mrn);
    return row ? toPatient(row) : null;
  }

  /** Every patient by name, at most `limit` (export, emptiness checks); the screen uses `search`. */
  list(limit: number): Patient[] {
    return this.listStmt.all(limit).map(toPatient);
  }
}
