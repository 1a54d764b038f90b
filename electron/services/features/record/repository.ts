import type Database from 'better-sqlite3-multiple-ciphers';
import { ReadCache } from '../../store/read-cache';
import { WORKLIST_COUNTS_SQL, worklistPageSql, worklistTopCountSql, type WorklistPart } from './worklist-sql';
import { recorderFromRow, recorderParams } from './recorded-by';
import type { SoftLimitCrossed } from '../../../../shared/domain/limits';
import type {
  ClinicalEvent,
  DoseChange,
  Pump,
  PumpHistory,
  PumpProjection,
  PumpStatus,
  Refill,
  Removal,
  Reversal,
  TherapyRestart,
  WorklistCategory,
} from '../../../../shared/contract/record';

/* Row shapes are the tables' columns; the mappers turn them into the contract's types. */
/* eslint-disable @typescript-eslint/no-explicit-any */
type Row = Record<string, any>;

const bool = (v: number | null): boolean | null => (v === null ? null : v === 1);

function toPump(r: Row): Pump {
  return {
    id: r.id,
    recordedBy: recorderFromRow(r),
    patientId: r.patient_id,
    deviceModelId: r.device_model_id,
    manufacturer: r.manufacturer,
    model: r.model,
    kind: r.kind,
    serial: r.serial,
    udi: r.udi,
    implantDate: r.implant_date,
    implantingPhysician: r.implanting_physician,
    catheterModel: r.catheter_model,
    catheterTipLevel: r.catheter_tip_level,
    catheterLengthMm: r.catheter_length_mm,
    catheterVolumeUl: r.catheter_volume_ul,
    pocketSide: r.pocket_side,
    reservoirUl: r.reservoir_ul,
    alarmUl: r.alarm_ul,
    status: r.status,
  };
}

function toRefillDrug(d: Row): Refill['drugs'][number] {
  return {
    drugId: d.drug_id,
    drug: d.drug,
    unit: d.unit,
    concentrationNgPerMl: d.concentration_ng_per_ml,
    dailyDoseNgPerDay: d.daily_dose_ng_per_day,
    lot: d.lot,
    expiryDate: d.expiry_date,
  };
}

function toRefill(r: Row, drugs: Refill['drugs']): Refill {
  return {
    id: r.id,
    recordedBy: recorderFromRow(r),
    pumpId: r.pump_id,
    date: r.date,
    withdrawnUl: r.withdrawn_ul,
    addedUl: r.added_ul,
    mode: r.mode,
    extraVolumeUlPerDay: r.extra_volume_ul_per_day,
    reservoirPortConfirmed: r.reservoir_port_confirmed === 1,
    clinician: r.clinician,
    note: r.note,
    drugs,
    expectedResidualUl: r.expected_residual_ul,
    discrepancyUl: r.discrepancy_ul,
    discrepancyPct: r.discrepancy_pct,
    discrepancyFlag: bool(r.discrepancy_flag),
    alarmDate: r.alarm_date,
    emptyDate: r.empty_date,
    nextDueDate: r.next_due_date,
    nextDueRule: r.next_due_rule,
    overrideReason: r.override_reason ?? null,
  };
}

function toEvent(r: Row): ClinicalEvent {
  return {
    id: r.id,
    recordedBy: recorderFromRow(r),
    patientId: r.patient_id,
    pumpId: r.pump_id,
    date: r.date,
    kind: r.kind,
    adverseKind: r.adverse_kind,
    severity: r.severity,
    status: r.status,
    mriPreScanDone: bool(r.mri_pre_scan_done),
    mriPostScanCheckDate: r.mri_post_scan_check_date,
    note: r.note,
    clinician: r.clinician,
  };
}

function toProjection(r: Row): PumpProjection {
  return {
    pumpId: r.pump_id,
    inWorklist: r.in_worklist === 1,
    lastRefillDate: r.last_refill_date,
    dailyVolumeUl: r.daily_volume_ul,
    alarmDate: r.alarm_date,
    emptyDate: r.empty_date,
    nextDueDate: r.next_due_date,
    nextDueRule: r.next_due_rule,
    discrepancyFlag: bool(r.discrepancy_flag),
    replacementFromDate: r.replacement_from_date,
  };
}

export type NewPump = Omit<Pump, 'id' | 'manufacturer' | 'model' | 'kind' | 'status'>;

/**
 * The soft limits an override crossed (stored as `override_limits_json` with the override reason,
 * for the safety report; not part of the entry the record answers). Absent or null: none.
 */
export interface OverrideLimits {
  overrideLimits?: readonly SoftLimitCrossed[] | null;
}
export type NewRefill = Omit<Refill, 'id'> & OverrideLimits;
export type NewDoseChange = Omit<DoseChange, 'id' | 'drug' | 'unit'> & OverrideLimits;

/** The column value of `overrideLimits`: JSON, or null when there are none. */
const overrideLimitsJson = (e: OverrideLimits): string | null => (e.overrideLimits && e.overrideLimits.length > 0 ? JSON.stringify(e.overrideLimits) : null);
export type NewEvent = Omit<ClinicalEvent, 'id'>;
export type NewReversal = Omit<Reversal, 'id'>;
export type NewRemoval = Omit<Removal, 'id'>;

type Param = string | number | null;

/** An entry's own columns, without its recorder (bound as three columns: `recorderParams`). */
function withoutRecorder<T extends { recordedBy: unknown }>(entry: T): Omit<T, 'recordedBy'> {
  const { recordedBy: _recorder, ...rest } = entry;
  return rest;
}
type RefillParams = [number, string, ...Param[]];
type RefillDrugParams = [number, number, number, string, number, number, string | null, string | null];

/** Appends a refill row's columns (after its id), in `REFILL_COLUMNS` order, to `out`. */
function pushRefillParams(out: Param[], r: NewRefill, nowMs: number): void {
  out.push(
    r.pumpId,
    r.date,
    r.withdrawnUl,
    r.addedUl,
    r.mode,
    r.extraVolumeUlPerDay,
    r.reservoirPortConfirmed ? 1 : 0,
    r.clinician,
    r.note,
    r.expectedResidualUl,
    r.discrepancyUl,
    r.discrepancyPct,
    r.discrepancyFlag === null ? null : r.discrepancyFlag ? 1 : 0,
    r.alarmDate,
    r.emptyDate,
    r.nextDueDate,
    r.nextDueRule,
    nowMs,
    r.recordedBy?.userId ?? null,
    r.recordedBy?.name ?? null,
    r.recordedBy?.role ?? null,
    r.overrideReason,
    overrideLimitsJson(r),
  );
}

const REFILL_COLUMNS = `pump_id, date, withdrawn_ul, added_ul, mode, extra_volume_ul_per_day, reservoir_port_confirmed,
  clinician, note, expected_residual_ul, discrepancy_ul, discrepancy_pct, discrepancy_flag, alarm_date, empty_date,
  next_due_date, next_due_rule, created_at_ms, recorded_by_user_id, recorded_by_name, recorded_by_role, override_reason, override_limits_json`;
/** Who recorded an entry (record/recorded-by.ts): the columns and their named parameters. */
const RECORDED_BY_COLUMNS = 'recorded_by_user_id, recorded_by_name, recorded_by_role';
const RECORDED_BY_PARAMS = '@recordedByUserId, @recordedByName, @recordedByRole';
const REFILL_DRUG_COLUMNS = 'refill_id, position, drug_id, unit, concentration_ng_per_ml, daily_dose_ng_per_day, lot, expiry_date';

/** The most rows a `RefillBatch` statement writes. */
const BATCH_ROWS = 16;

/** A batch's INSERT statements by their number of rows (1 to BATCH_ROWS), prepared when first used. */
class BatchStatements {
  private readonly refills = new Map<number, Database.Statement<Param[]>>();
  private readonly drugs = new Map<number, Database.Statement<Param[]>>();
  readonly maxRefillId: Database.Statement<[], { id: number }>;
  constructor(private readonly db: Database.Database) {
    this.maxRefillId = db.prepare<[], { id: number }>('SELECT coalesce(max(id), 0) AS id FROM refills');
  }

  refillRows(n: number): Database.Statement<Param[]> {
    return this.statement(this.refills, n, `INSERT INTO refills (id, ${REFILL_COLUMNS}) VALUES `, 24);
  }
  drugRows(n: number): Database.Statement<Param[]> {
    return this.statement(this.drugs, n, `INSERT INTO refill_drugs (${REFILL_DRUG_COLUMNS}) VALUES `, 8);
  }
  private statement(cache: Map<number, Database.Statement<Param[]>>, n: number, head: string, columns: number): Database.Statement<Param[]> {
    let s = cache.get(n);
    if (s === undefined) {
      const row = `(${Array.from({ length: columns }, () => '?').join(', ')})`;
      cache.set(n, (s = this.db.prepare<Param[]>(head + Array.from({ length: n }, () => row).join(', '))));
    }
    return s;
  }
}

/**
 * Refill visits (with their drugs) written up to BATCH_ROWS to an INSERT statement, for the
 * import: running a statement costs about as much as the row it writes, so this saves about a
 * third of the import's writing. `add` answers the visit's id at once: the next rowid, as SQLite
 * gives it (the largest id + 1), given explicitly so its drug rows can name it. The rows are in
 * the database only once `flush` has run: the caller flushes before anything reads the pump's
 * refills and before its transaction ends (record/batch.ts does; the import-equivalence test
 * checks every stored row and id against the one-row-at-a-time services).
 * If anything else wrote a refill meanwhile, an id is taken twice and the flush throws: nothing
 * is written over.
 */
export class RefillBatch {
  private nextId: number | null = null;
  private readonly refills: Param[] = [];
  private readonly drugs: Param[] = [];
  private refillCount = 0;
  private drugCount = 0;
  /** The pumps of the queued visits, whose memoised histories are dropped again once written. */
  private readonly pumps = new Set<number>();

  constructor(
    private readonly statements: BatchStatements,
    private readonly forget: (pumpId: number) => void,
  ) {}

  /** Queues a visit and its drugs; answers its id. Drops the pump's memoised history (and again when written). */
  add(r: NewRefill, nowMs: number): number {
    this.forget(r.pumpId);
    this.pumps.add(r.pumpId);
    if (this.nextId === null) this.nextId = this.statements.maxRefillId.get()!.id + 1;
    const id = this.nextId++;
    this.refills.push(id);
    pushRefillParams(this.refills, r, nowMs);
    this.refillCount++;
    for (let position = 0; position < r.drugs.length; position++) {
      const d = r.drugs[position]!;
      this.drugs.push(id, position, d.drugId, d.unit, d.concentrationNgPerMl, d.dailyDoseNgPerDay, d.lot, d.expiryDate);
      this.drugCount++;
    }
    if (this.refillCount === BATCH_ROWS) this.flush();
    return id;
  }

  /** Writes every queued row. */
  flush(): void {
    if (this.refillCount === 0) return;
    this.statements.refillRows(this.refillCount).run(...this.refills);
    for (let from = 0; from < this.drugCount; from += BATCH_ROWS) {
      const n = Math.min(BATCH_ROWS, this.drugCount - from);
      this.statements.drugRows(n).run(...this.drugs.slice(from * 8, (from + n) * 8));
    }
    this.refills.length = 0;
    this.drugs.length = 0;
    this.refillCount = 0;
    this.drugCount = 0;
    this.nextId = null; // read again at the next add: the table may have changed in between
    // A history read while the visits were queued lacks them.
    for (const pumpId of this.pumps) this.forget(pumpId);
    this.pumps.clear();
  }
}

const PUMP_SELECT = `SELECT p.*, m.manufacturer, m.model, m.kind FROM pumps p JOIN device_models m ON m.id = p.device_model_id`;

/** Pumps and everything recorded about them. All statements prepared once. */
/** The `settings` row holding the version of the rules `pump_projection` was computed with (record/projection.ts). */
export const PROJECTION_RULES_KEY = 'projectionRulesVersion';

export class RecordRepository {
  private readonly s;

  /** Each pump's refills and dose changes, memoised: every refill visit reads the pump's whole history. */
  private readonly refillHistory: Map<number, Refill[]>;
  private readonly doseHistory: Map<number, DoseChange[]>;
  private readonly worklistPages = new Map<string, Database.Statement>();
  private readonly batchStatements: BatchStatements;

  constructor(
    private readonly db: Database.Database,
    private readonly cache: ReadCache = new ReadCache(db),
  ) {
    // The pumps being worked on (a clinic day, an import batch); long reads (exports) stay flat.
    this.refillHistory = cache.map(256);
    this.doseHistory = cache.map(256);
    this.batchStatements = new BatchStatements(db);
    const p = <T extends unknown[] = unknown[]>(sql: string) => db.prepare<T, Row>(sql);
    this.s = {
      insertPump: p(`INSERT INTO pumps (patient_id, device_model_id, serial, udi, implant_date, implanting_physician, catheter_model,
          catheter_tip_level, catheter_length_mm, catheter_volume_ul, pocket_side, reservoir_ul, alarm_ul, status, created_at_ms,
          ${RECORDED_BY_COLUMNS})
        VALUES (@patientId, @deviceModelId, @serial, @udi, @implantDate, @implantingPhysician, @catheterModel, @catheterTipLevel,
          @catheterLengthMm, @catheterVolumeUl, @pocketSide, @reservoirUl, @alarmUl, 'active', @now, ${RECORDED_BY_PARAMS})`),
      pumpById: p<[number]>(`${PUMP_SELECT} WHERE p.id = ?`),
      pumpBySerial: p<[string]>(`${PUMP_SELECT} WHERE p.serial = ? COLLATE NOCASE`),
      pumpsByPatient: p<[number]>(`${PUMP_SELECT} WHERE p.patient_id = ? ORDER BY p.implant_date, p.id`),
      implantedPump: p<[number]>(`${PUMP_SELECT} WHERE p.patient_id = ? AND p.status <> 'explanted'`),
      allPumps: p(`${PUMP_SELECT} ORDER BY p.id`),
      setPumpStatus: p<[string, number]>(`UPDATE pumps SET status = ? WHERE id = ?`),
      linkReplacement: p<[number, number]>(`UPDATE removals SET replacement_pump_id = ? WHERE pump_id = ? AND replacement_pump_id IS NULL`),
      // Positional parameters: binding 18 named ones costs more than the insert itself (an import writes 300,000).
      insertRefill: p<RefillParams>(`INSERT INTO refills (${REFILL_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      insertRefillDrug: p<RefillDrugParams>(`INSERT INTO refill_drugs (${REFILL_DRUG_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
      refillsByPump: p<[number]>(`SELECT * FROM refills WHERE pump_id = ? ORDER BY date`),
      refillDrugsByPump: p<[number]>(`SELECT rd.*, d.name AS drug FROM refill_drugs rd JOIN refills r ON r.id = rd.refill_id
        JOIN drugs d ON d.id = rd.drug_id WHERE r.pump_id = ? ORDER BY rd.refill_id, rd.position`),
      refillByPumpDate: p<[number, string]>(`SELECT * FROM refills WHERE pump_id = ? AND date = ?`),
      refillById: p<[number]>(`SELECT * FROM refills WHERE id = ?`),
      refillDrugsByRefill: p<[number]>(`SELECT rd.*, d.name AS drug FROM refill_drugs rd JOIN drugs d ON d.id = rd.drug_id
        WHERE rd.refill_id = ? ORDER BY rd.position`),
      insertDoseChange: p<[number, string, number, number, string | null, string | null, number, number | null, string | null, string | null, string | null, string | null]>(`INSERT INTO dose_changes (pump_id, date, drug_id,
          daily_dose_ng_per_day, clinician, note, created_at_ms, ${RECORDED_BY_COLUMNS}, override_reason, override_limits_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      refillOverrideLimits: p<[number]>(`SELECT override_limits_json FROM refills WHERE id = ?`),
      doseChangeOverrideLimits: p<[number]>(`SELECT override_limits_json FROM dose_changes WHERE id = ?`),
      doseChangesByPump: p<[number]>(`SELECT dc.*, d.name AS drug, d.unit AS unit FROM dose_changes dc JOIN drugs d ON d.id = dc.drug_id
        WHERE dc.pump_id = ? ORDER BY dc.date, dc.id`),
      insertEvent: p(`INSERT INTO events (patient_id, pump_id, date, kind, adverse_kind, severity, status, mri_pre_scan_done,
          mri_post_scan_check_date, note, clinician, created_at_ms, ${RECORDED_BY_COLUMNS})
        VALUES (@patientId, @pumpId, @date, @kind, @adverseKind, @severity, @status, @mriPreScanDone, @mriPostScanCheckDate,
          @note, @clinician, @now, ${RECORDED_BY_PARAMS})`),
      eventById: p<[number]>(`SELECT * FROM events WHERE id = ?`),
      eventsByPatient: p<[number]>(`SELECT * FROM events WHERE patient_id = ? ORDER BY date, id`),
      resolveEvent: p<[string | null, number]>(`UPDATE events SET status = 'resolved', note = coalesce(?, note) WHERE id = ?`),
      setPostScan: p<[string, number]>(`UPDATE events SET mri_post_scan_check_date = ? WHERE id = ?`),
      openAdverseByPump: p<[number]>(`SELECT count(*) AS n FROM events WHERE pump_id = ? AND kind = 'adverse' AND status = 'open'`),
      insertReversal: p(`INSERT INTO reversals (pump_id, date, kind, plan, outcome, note, clinician, created_at_ms, ${RECORDED_BY_COLUMNS})
        VALUES (@pumpId, @date, @kind, @plan, @outcome, @note, @clinician, @now, ${RECORDED_BY_PARAMS})`),
      reversalsByPump: p<[number]>(`SELECT * FROM reversals WHERE pump_id = ? ORDER BY date, id`),
      reversalById: p<[number]>(`SELECT * FROM reversals WHERE id = ?`),
      insertRestart: p<[number, string, number, number, number]>(`INSERT INTO therapy_restarts (pump_id, date, reversal_id, refill_id, created_at_ms)
        VALUES (?, ?, ?, ?, ?)`),
      restartsByPump: p<[number]>(`SELECT * FROM therapy_restarts WHERE pump_id = ? ORDER BY date, id`),
      insertRemoval: p(`INSERT INTO removals (pump_id, date, reasons, catheter_removed, disposition, replacement_pump_id, note, clinician, created_at_ms,
          ${RECORDED_BY_COLUMNS})
        VALUES (@pumpId, @date, @reasons, @catheterRemoved, @disposition, @replacementPumpId, @note, @clinician, @now, ${RECORDED_BY_PARAMS})`),
      removalByPump: p<[number]>(`SELECT * FROM removals WHERE pump_id = ?`),
      upsertProjection: p(`INSERT INTO pump_projection (pump_id, in_worklist, last_refill_date, daily_volume_ul, alarm_date, empty_date,
          next_due_date, next_due_rule, discrepancy_flag, replacement_from_date)
        VALUES (@pumpId, @inWorklist, @lastRefillDate, @dailyVolumeUl, @alarmDate, @emptyDate, @nextDueDate, @nextDueRule,
          @discrepancyFlag, @replacementFromDate)
        ON CONFLICT (pump_id) DO UPDATE SET in_worklist = excluded.in_worklist, last_refill_date = excluded.last_refill_date,
          daily_volume_ul = excluded.daily_volume_ul, alarm_date = excluded.alarm_date, empty_date = excluded.empty_date,
          next_due_date = excluded.next_due_date, next_due_rule = excluded.next_due_rule,
          discrepancy_flag = excluded.discrepancy_flag, replacement_from_date = excluded.replacement_from_date`),
      projectionByPump: p<[number]>(`SELECT * FROM pump_projection WHERE pump_id = ?`),
      projectionRulesVersion: p(`SELECT value FROM settings WHERE key = '${PROJECTION_RULES_KEY}'`),
      setProjectionRulesVersion: p<[string]>(`INSERT INTO settings (key, value) VALUES ('${PROJECTION_RULES_KEY}', ?)
        ON CONFLICT (key) DO UPDATE SET value = excluded.value`),
      worklistCounts: p<[{ asOf: string; until: string }]>(WORKLIST_COUNTS_SQL),
    };
  }

  insertPump(pump: NewPump, nowMs: number): Pump {
    const { recordedBy, ...row } = pump;
    const id = Number(this.s.insertPump.run({ ...row, ...recorderParams(recordedBy), now: nowMs }).lastInsertRowid);
    return this.pump(id)!;
  }
  pump(id: number): Pump | null {
    const r = this.s.pumpById.get(id);
    return r ? toPump(r) : null;
  }
  pumpBySerial(serial: string): Pump | null {
    const r = this.s.pumpBySerial.get(serial);
    return r ? toPump(r) : null;
  }
  pumpsOfPatient(patientId: number): Pump[] {
    return this.s.pumpsByPatient.all(patientId).map(toPump);
  }
  /** A pump with everything recorded on it: the record screen, reports and exports read this. */
  history(pump: Pump): PumpHistory {
    return {
      pump,
      projection: this.projection(pump.id),
      refills: this.refills(pump.id),
      doseChanges: this.doseChanges(pump.id),
      ...this.reversalHistory(pump.id),
      removal: this.removal(pump.id),
    };
  }
  implantedPump(patientId: number): Pump | null {
    const r = this.s.implantedPump.get(patientId);
    return r ? toPump(r) : null;
  }
  allPumps(): Pump[] {
    return this.s.allPumps.all().map(toPump);
  }
  setPumpStatus(pumpId: number, status: PumpStatus): void {
    this.s.setPumpStatus.run(status, pumpId);
  }

  /** Inserts a refill visit with its drugs and answers it as stored. */
  insertRefill(refill: NewRefill, nowMs: number): Refill {
    const id = this.writeRefill(refill, nowMs);
    // Keep the memoised history when the new visit is the latest (the services only add later ones).
    const added = this.refill(id)!;
    const history = this.refillHistory.get(refill.pumpId);
    if (history && (history.length === 0 || history.at(-1)!.date < added.date)) history.push(added);
    else this.refillHistory.delete(refill.pumpId);
    return added;
  }
  /**
   * Refill visits written many to a statement, for a caller that keeps the pump's history itself
   * (the import): see `RefillBatch`.
   */
  refillBatch(): RefillBatch {
    return new RefillBatch(this.batchStatements, (pumpId) => this.refillHistory.delete(pumpId));
  }
  private writeRefill(r: NewRefill, nowMs: number): number {
    const params: Param[] = [];
    pushRefillParams(params, r, nowMs);
    const id = Number(this.s.insertRefill.run(...(params as RefillParams)).lastInsertRowid);
    r.drugs.forEach((d, position) =>
      this.s.insertRefillDrug.run(id, position, d.drugId, d.unit, d.concentrationNgPerMl, d.dailyDoseNgPerDay, d.lot, d.expiryDate),
    );
    return id;
  }
  /** The pump's refill visits by date, each with its drugs. */
  refills(pumpId: number): Refill[] {
    this.cache.check();
    let history = this.refillHistory.get(pumpId);
    if (!history) {
      const drugs = new Map<number, Refill['drugs']>();
      for (const d of this.s.refillDrugsByPump.all(pumpId)) {
        const list = drugs.get(d.refill_id) ?? [];
        list.push(toRefillDrug(d));
        drugs.set(d.refill_id, list);
      }
      history = this.s.refillsByPump.all(pumpId).map((r) => toRefill(r, drugs.get(r.id) ?? []));
      this.refillHistory.set(pumpId, history);
    }
    return history.slice();
  }
  /** One refill visit with its drugs (without reading the pump's whole history). */
  refill(id: number): Refill | null {
    const row = this.s.refillById.get(id);
    return row ? toRefill(row, this.s.refillDrugsByRefill.all(id).map(toRefillDrug)) : null;
  }
  hasRefillOn(pumpId: number, date: string): boolean {
    return this.s.refillByPumpDate.get(pumpId, date) !== undefined;
  }

  /** The soft limits an entry's override reason is for (see OverrideLimits); null: none kept. */
  overrideLimits(entry: 'refill' | 'dose_change', id: number): SoftLimitCrossed[] | null {
    const row = (entry === 'refill' ? this.s.refillOverrideLimits : this.s.doseChangeOverrideLimits).get(id);
    return typeof row?.override_limits_json === 'string' ? (JSON.parse(row.override_limits_json) as SoftLimitCrossed[]) : null;
  }

  insertDoseChange(change: NewDoseChange, nowMs: number): number {
    this.doseHistory.delete(change.pumpId);
    const c = change;
    const by = recorderParams(c.recordedBy);
    return Number(
      this.s.insertDoseChange.run(c.pumpId, c.date, c.drugId, c.dailyDoseNgPerDay, c.clinician, c.note, nowMs, by.recordedByUserId, by.recordedByName, by.recordedByRole, c.overrideReason, overrideLimitsJson(c))
        .lastInsertRowid,
    );
  }
  /** The pump's dose changes by date. */
  doseChanges(pumpId: number): DoseChange[] {
    this.cache.check();
    let history = this.doseHistory.get(pumpId);
    if (!history) this.doseHistory.set(pumpId, (history = this.readDoseChanges(pumpId)));
    return history.slice();
  }
  private readDoseChanges(pumpId: number): DoseChange[] {
    return this.s.doseChangesByPump.all(pumpId).map((r) => ({
      id: r.id,
      recordedBy: recorderFromRow(r),
      pumpId: r.pump_id,
      date: r.date,
      drugId: r.drug_id,
      drug: r.drug,
      unit: r.unit,
      dailyDoseNgPerDay: r.daily_dose_ng_per_day,
      clinician: r.clinician,
      note: r.note,
      overrideReason: r.override_reason ?? null,
    }));
  }

  insertEvent(event: NewEvent, nowMs: number): ClinicalEvent {
    const id = Number(
      this.s.insertEvent.run({
        ...withoutRecorder(event),
        ...recorderParams(event.recordedBy),
        mriPreScanDone: event.mriPreScanDone === null ? null : event.mriPreScanDone ? 1 : 0,
        now: nowMs,
      }).lastInsertRowid,
    );
    return this.event(id)!;
  }
  event(id: number): ClinicalEvent | null {
    const r = this.s.eventById.get(id);
    return r ? toEvent(r) : null;
  }
  eventsOfPatient(patientId: number): ClinicalEvent[] {
    return this.s.eventsByPatient.all(patientId).map(toEvent);
  }
  resolveEvent(id: number, note: string | null): void {
    this.s.resolveEvent.run(note, id);
  }
  setPostScanCheck(id: number, date: string): void {
    this.s.setPostScan.run(date, id);
  }
  openAdverseEvents(pumpId: number): number {
    return (this.s.openAdverseByPump.get(pumpId) as { n: number }).n;
  }

  insertReversal(r: NewReversal, nowMs: number): void {
    this.s.insertReversal.run({ ...withoutRecorder(r), ...recorderParams(r.recordedBy), now: nowMs });
  }
  /** The pump's latest therapy reversal (a pump restarted after one may be reversed again), or null. */
  reversal(pumpId: number): Reversal | null {
    return this.reversals(pumpId).at(-1) ?? null;
  }
  /** Every therapy reversal of the pump, by date. */
  reversals(pumpId: number): Reversal[] {
    return this.s.reversalsByPump.all(pumpId).map(toReversal);
  }
  reversalById(id: number): Reversal | null {
    const r = this.s.reversalById.get(id);
    return r ? toReversal(r) : null;
  }
  /** The reversals and restarts of a pump, as `PumpHistory` holds them. */
  reversalHistory(pumpId: number): Pick<PumpHistory, 'reversal' | 'reversals' | 'restarts'> {
    const reversals = this.reversals(pumpId);
    return { reversal: reversals.at(-1) ?? null, reversals, restarts: this.restarts(pumpId) };
  }

  insertRestart(r: { pumpId: number; date: string; reversalId: number; refillId: number }, nowMs: number): TherapyRestart {
    const id = Number(this.s.insertRestart.run(r.pumpId, r.date, r.reversalId, r.refillId, nowMs).lastInsertRowid);
    return { id, ...r };
  }
  /** The pump's therapy restarts, by date. */
  restarts(pumpId: number): TherapyRestart[] {
    return this.s.restartsByPump.all(pumpId).map((r) => ({ id: r.id, pumpId: r.pump_id, date: r.date, reversalId: r.reversal_id, refillId: r.refill_id }));
  }

  /**
   * Names the pump implanted in place of a removed one (the import links a removal to its
   * replacement once both are written, in the removal's own transaction: the row is not signed yet).
   */
  linkReplacement(removedPumpId: number, replacementPumpId: number): void {
    this.s.linkReplacement.run(replacementPumpId, removedPumpId);
  }

  insertRemoval(r: NewRemoval, nowMs: number): void {
    this.s.insertRemoval.run({ ...withoutRecorder(r), ...recorderParams(r.recordedBy), reasons: JSON.stringify(r.reasons), catheterRemoved: r.catheterRemoved ? 1 : 0, now: nowMs });
  }
  removal(pumpId: number): Removal | null {
    const r = this.s.removalByPump.get(pumpId);
    return r
      ? {
          id: r.id,
          recordedBy: recorderFromRow(r),
          pumpId: r.pump_id,
          date: r.date,
          reasons: JSON.parse(r.reasons),
          catheterRemoved: r.catheter_removed === 1,
          disposition: r.disposition,
          replacementPumpId: r.replacement_pump_id,
          note: r.note,
          clinician: r.clinician,
        }
      : null;
  }

  saveProjection(p: PumpProjection): void {
    this.s.upsertProjection.run({
      ...p,
      inWorklist: p.inWorklist ? 1 : 0,
      discrepancyFlag: p.discrepancyFlag === null ? null : p.discrepancyFlag ? 1 : 0,
    });
  }
  /** The version of the rules the stored projections were computed with (0: before versions were stored). */
  projectionRulesVersion(): number {
    const r = this.s.projectionRulesVersion.get() as { value: string } | undefined;
    const v = r === undefined ? 0 : Number(JSON.parse(r.value));
    return Number.isSafeInteger(v) ? v : 0;
  }
  setProjectionRulesVersion(version: number): void {
    this.s.setProjectionRulesVersion.run(JSON.stringify(version));
  }
  projection(pumpId: number): PumpProjection | null {
    const r = this.s.projectionByPump.get(pumpId);
    return r ? toProjection(r) : null;
  }

  /**
   * One page of a worklist category as of a date (see worklist-sql.ts), with each pump's patient,
   * worst first: the pumps ranked 0 to 2 (estimated empty, alarming, a severe open adverse event),
   * then the rest in due order, each part read from its indexes.
   */
  /**
   * One page of a list: first its pumps ranked 0 to 2 (`top` of them: `worklistTopCount`, which
   * the caller may have cached), then the rest in due order.
   */
  worklistPage(category: WorklistCategory, params: { asOf: string; until: string; limit: number; offset: number; top: number }): Row[] {
    const { top, ...query } = params;
    const part = (p: WorklistPart, limit: number, offset: number) => this.worklistStatement(`${category}:${p}`, () => worklistPageSql(category, p)).all({ ...query, limit, offset }) as Row[];
    const all = params.limit < 0;
    if (params.offset >= top) return part('rest', params.limit, params.offset - top);
    const first = part('top', params.limit, params.offset);
    const left = all ? -1 : params.limit - first.length;
    return left === 0 ? first : [...first, ...part('rest', left, 0)];
  }
  /** How many pumps of a list are ranked 0 to 2 as of a date (the 'top' part of its pages). */
  worklistTopCount(category: WorklistCategory, asOf: string, until: string): number {
    return (this.worklistStatement(`${category}:count`, () => worklistTopCountSql(category)).get({ asOf, until }) as { n: number }).n;
  }
  private worklistStatement(key: string, sql: () => string): Database.Statement {
    let s = this.worklistPages.get(key);
    if (!s) this.worklistPages.set(key, (s = this.db.prepare(sql())));
    return s;
  }
  /** The worklist's counts as of a date. */
  worklistCounts(asOf: string, until: string): Row {
    return this.s.worklistCounts.get({ asOf, until })!;
  }
}
export { toProjection };

function toReversal(r: Row): Reversal {
  return { id: r.id, recordedBy: recorderFromRow(r), pumpId: r.pump_id, date: r.date, kind: r.kind, plan: r.plan, outcome: r.outcome, note: r.note, clinician: r.clinician };
}
