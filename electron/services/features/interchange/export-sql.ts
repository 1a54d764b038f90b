/**
 * The full-record export's reads: read-only SQL over the store's connection, rows as arrays
 * (`raw`), no contract objects. export.ts turns them into the seven files' cells; the record
 * repository's reads (`store.record.refills`, …) give the same values as objects.
 *
 * Patients and pumps are few (one row each) and are put in the export's order in JavaScript
 * (`compareText`: JavaScript's case folding and string order, which SQLite's `lower()` and
 * BINARY collation do not match outside ASCII). Refills and dose changes are most of the rows:
 * each pump's are read in file order by one indexed statement (no sort).
 */
import type Database from 'better-sqlite3-multiple-ciphers';

/* Column positions of each statement's raw rows. */
export const PATIENT = { id: 0, mrn: 1, familyName: 2, givenName: 3, birthDate: 4, sex: 5, indications: 6, contacts: 7 } as const;
export const PUMP = { id: 0, patientId: 1, manufacturer: 2, model: 3, serial: 4, implantDate: 5, reservoirUl: 6, alarmUl: 7, catheterTipLevel: 8 } as const;
export const DRUG = { id: 0, name: 1, unit: 2 } as const;
export const REFILL = { date: 0, withdrawnUl: 1, addedUl: 2, drugId: 3, unit: 4, concentrationNgPerMl: 5, dailyDoseNgPerDay: 6, overrideReason: 7, check: 8 } as const;
export const DOSE_CHANGE = { date: 0, drugId: 1, dailyDoseNgPerDay: 2, overrideReason: 3, check: 4 } as const;
export const REVERSAL = { pumpId: 0, date: 1, kind: 2, note: 3 } as const;
export const RESTART = { pumpId: 0, date: 1 } as const;
export const REMOVAL = { pumpId: 0, date: 1, reasons: 2, catheterRemoved: 3, note: 4, replacementSerial: 5 } as const;

export const EXPORT_SQL = {
  // The contacts (JSON, patient_contacts; NULL when none were recorded).
  patients: `SELECT id, mrn, family_name, given_name, birth_date, sex, indications, (SELECT pc.contacts FROM patient_contacts pc WHERE pc.patient_id = patients.id) FROM patients`,
  // The catalog's manufacturer, model and reservoir volume: what import matches the device by.
  pumps: `SELECT p.id, p.patient_id, m.manufacturer, m.model, p.serial, p.implant_date, m.reservoir_ul, p.alarm_ul, p.catheter_tip_level
    FROM pumps p JOIN device_models m ON m.id = p.device_model_id`,
  // The drug list, for the drugs' names (and a dose change's unit, its drug's): refills and dose
  // changes name their drug by id (a foreign key), which saves a join and a string per row.
  drugs: `SELECT id, name, unit FROM drugs`,
  // One row per drug of each refill visit: visits by date (unique per pump), drugs by position.
  // Index order (refills (pump_id, date), refill_drugs (refill_id, position)): no sort.
  // The double check's state (issue 17) through its unique (entry_kind, entry_id) index; null: none needed.
  refillsOfPump: `SELECT r.date, r.withdrawn_ul, r.added_ul, rd.drug_id, rd.unit, rd.concentration_ng_per_ml, rd.daily_dose_ng_per_day, r.override_reason,
      (SELECT state FROM verifications v WHERE v.entry_kind = 'refill' AND v.entry_id = r.id)
    FROM refills r JOIN refill_drugs rd ON rd.refill_id = r.id WHERE r.pump_id = ? ORDER BY r.date, rd.position`,
  // By date, then as recorded (dose_changes_by_pump: no sort).
  doseChangesOfPump: `SELECT date, drug_id, daily_dose_ng_per_day, override_reason,
      (SELECT state FROM verifications v WHERE v.entry_kind = 'dose_change' AND v.entry_id = dose_changes.id)
    FROM dose_changes WHERE pump_id = ? ORDER BY date, id`,
  // Every reversal of every pump (a restarted pump may be reversed again): by pump, date, as recorded (reversals_by_pump).
  reversals: `SELECT pump_id, date, kind, note FROM reversals ORDER BY pump_id, date, id`,
  // Every therapy restart: its fill is the refill of the same pump and date (therapy_restarts_by_pump).
  restarts: `SELECT pump_id, date FROM therapy_restarts ORDER BY pump_id, date, id`,
  // The replacement's serial only for one implanted the same day in the same patient: the import takes no other.
  removals: `SELECT rm.pump_id, rm.date, rm.reasons, rm.catheter_removed, rm.note,
      CASE WHEN np.implant_date = rm.date AND np.patient_id = op.patient_id THEN np.serial END
    FROM removals rm JOIN pumps op ON op.id = rm.pump_id LEFT JOIN pumps np ON np.id = rm.replacement_pump_id`,
  /** Refill visits with a flex or bolus volume, which the format does not carry. */
  specialModes: `SELECT count(*) FROM refills WHERE mode <> 'simple_continuous' OR extra_volume_ul_per_day > 0`,
} as const;

/* eslint-disable @typescript-eslint/no-explicit-any */
export type RawRow = any[];

/** The export's statements on one connection, each answering raw rows. Prepare once per export. */
export class ExportReader {
  private readonly s;

  constructor(db: Database.Database) {
    const raw = (sql: string) => db.prepare<unknown[], RawRow>(sql).raw(true);
    this.s = {
      patients: raw(EXPORT_SQL.patients),
      pumps: raw(EXPORT_SQL.pumps),
      drugs: raw(EXPORT_SQL.drugs),
      refillsOfPump: raw(EXPORT_SQL.refillsOfPump),
      doseChangesOfPump: raw(EXPORT_SQL.doseChangesOfPump),
      reversals: raw(EXPORT_SQL.reversals),
      restarts: raw(EXPORT_SQL.restarts),
      removals: raw(EXPORT_SQL.removals),
      specialModes: db.prepare<[], number>(EXPORT_SQL.specialModes).pluck(),
    };
  }

  patients(): RawRow[] {
    return this.s.patients.all();
  }
  pumps(): RawRow[] {
    return this.s.pumps.all();
  }
  /** Every drug, by id. */
  drugs(): Map<number, RawRow> {
    return new Map(this.s.drugs.all().map((d) => [d[DRUG.id] as number, d]));
  }
  refillsOfPump(pumpId: number): RawRow[] {
    return this.s.refillsOfPump.all(pumpId);
  }
  doseChangesOfPump(pumpId: number): RawRow[] {
    return this.s.doseChangesOfPump.all(pumpId);
  }
  /** Each pump's reversals by date, by pump id. */
  reversals(): Map<number, RawRow[]> {
    return byPump(this.s.reversals.all(), REVERSAL.pumpId);
  }
  /** Each pump's therapy restarts by date, by pump id. */
  restarts(): Map<number, RawRow[]> {
    return byPump(this.s.restarts.all(), RESTART.pumpId);
  }
  /** Each pump's removal, by pump id. */
  removals(): Map<number, RawRow> {
    return new Map(this.s.removals.all().map((r) => [r[REMOVAL.pumpId] as number, r]));
  }
  specialModes(): number {
    return this.s.specialModes.get()!;
  }
}

/** Rows grouped by the pump id at `column`, in the order given. */
function byPump(rows: RawRow[], column: number): Map<number, RawRow[]> {
  const map = new Map<number, RawRow[]>();
  for (const r of rows) {
    const list = map.get(r[column] as number);
    if (list) list.push(r);
    else map.set(r[column] as number, [r]);
  }
  return map;
}
