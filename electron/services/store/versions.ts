/**
 * Several people at once (issue 14, item 4): the version of a record an edit was based on, and the
 * state of a pump a clinical form saw. One helper for every edited kind and every pump entry; the
 * checks run inside the write's transaction (`store.write`, BEGIN IMMEDIATE), so a check and the
 * write it guards cannot interleave with another writer.
 *
 * A record's version is the `seq` of the newest audit entry that changed it (`VERSIONED_ACTIONS`),
 * 0 when none has since the installation made it: every edit through the console writes its audit
 * entry in the same transaction, so the trail already knows who changed it last and when. The index
 * of migration 15 ("record versions") answers it without reading the trail.
 */
import type Database from 'better-sqlite3-multiple-ciphers';
import { fail, type AppError } from '../../../shared/contract/result';
import type { ConflictDetail } from '../../../shared/contract/versions';
import { PUMP_STATE } from '../../../shared/contract/versions';

/** The audit actions that change an edited record (a view, a sign-in or a lockout does not). */
export const VERSIONED_ACTIONS = ['create', 'update', 'user_create', 'user_update'] as const;
const ACTIONS_SQL = VERSIONED_ACTIONS.map((a) => `'${a}'`).join(', ');

/*
 * The index `audit_record_versions` (migration 15, store/migrations/sqlite/0015-record-versions.ts)
 * is partial on these actions: a query must name the same ones to be answered from it (versions.test.ts).
 */

/** The newest version-changing entry of one record (entity, entity id or NULL), with who made it. */
export const LATEST_VERSION_SQL = `SELECT a.seq, a.at_ms, a.username, u.display_name FROM audit_log a LEFT JOIN users u ON u.id = a.user_id
  WHERE a.entity = ? AND a.entity_id IS ? AND a.action IN (${ACTIONS_SQL}) ORDER BY a.seq DESC LIMIT 1`;

/** The kinds of record an edit carries a version for, as the audit trail names them (`entity`). */
export type VersionedEntity = 'patient' | 'settings' | 'drug' | 'device_model' | 'user' | 'access_settings' | 'backup_settings';

export interface RecordVersion {
  version: number;
  changedBy: string | null;
  changedAtMs: number | null;
}

const NEVER: RecordVersion = { version: 0, changedBy: null, changedAtMs: null };

/** The refusal of a stale clinical entry or edit: its message, and who, when and (for an edit) what is there now. */
export type Conflict = { ok: false; error: AppError & { conflict: ConflictDetail } };

/** "2026-12-07 14:05" in the clinic's time zone (the clinic reads its own clock). */
export function clinicTime(ms: number, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(ms);
  const v = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${v('year')}-${v('month')}-${v('day')} ${v('hour')}:${v('minute')}`;
}

export interface PumpEntry {
  kind: 'refill' | 'dose_change' | 'reversal' | 'removal';
  date: string;
  createdAtMs: number;
  recordedBy: string | null;
  /** What it was, in a few words ("12 mL added, Morphine 10 mg/day"). */
  summary: string;
}

export class VersionRepository {
  private readonly latestStmt;
  private readonly allStmt;
  private readonly stateStmt;

  constructor(private readonly db: Database.Database) {
    this.latestStmt = db.prepare<[string, string | null], { seq: number; at_ms: number; username: string; display_name: string | null }>(LATEST_VERSION_SQL);
    this.allStmt = db.prepare<[string], { entity_id: string; seq: number }>(
      `SELECT entity_id, max(seq) AS seq FROM audit_log WHERE entity = ? AND action IN (${ACTIONS_SQL}) AND entity_id IS NOT NULL GROUP BY entity_id`,
    );
    this.stateStmt = db.prepare<[number, number, number, number], { r: number; d: number; v: number; x: number }>(
      `SELECT coalesce((SELECT max(id) FROM refills WHERE pump_id = ?), 0) AS r,
              coalesce((SELECT max(id) FROM dose_changes WHERE pump_id = ?), 0) AS d,
              coalesce((SELECT max(id) FROM reversals WHERE pump_id = ?), 0) AS v,
              coalesce((SELECT max(id) FROM removals WHERE pump_id = ?), 0) AS x`,
    );
  }

  /** The version of one record (null id: a one-row record such as the clinic settings). */
  of(entity: VersionedEntity, id: number | null): RecordVersion {
    const r = this.latestStmt.get(entity, id === null ? null : String(id));
    if (!r) return NEVER;
    return { version: r.seq, changedBy: r.display_name ?? r.username, changedAtMs: r.at_ms };
  }

  /** The version of every record of a kind that has one (absent: 0), for a list. */
  all(entity: VersionedEntity): Map<number, number> {
    return new Map(this.allStmt.all(entity).map((r) => [Number(r.entity_id), r.seq]));
  }

  /**
   * Null when `basedOn` is the record's version now (absent only for `drugs.save`/`devices.save` of a
   * new item: the contract requires it from clients for every edit, contract version 2);
   * otherwise the refusal, with who changed it, when, and `current()` (the values now). The clinic's
   * time zone words the time.
   */
  check(entity: VersionedEntity, id: number | null, basedOn: number | undefined, timeZone: string, current: () => unknown): Conflict | null {
    if (basedOn === undefined) return null;
    const now = this.of(entity, id);
    if (now.version === basedOn) return null;
    const who = now.changedBy ?? 'someone';
    const when = now.changedAtMs === null ? '' : ` at ${clinicTime(now.changedAtMs, timeZone)}`;
    const message = `Changed by ${who}${when} — review the current values and make your change again.`;
    return { ok: false, error: { ...fail('conflict', message).error, conflict: { version: now.version, changedBy: now.changedBy, changedAtMs: now.changedAtMs, current: current() } } };
  }

  /** A pump's state now: its newest refill, dose change, reversal and removal (`shared/contract/versions.ts`). */
  pumpState(pumpId: number): string {
    const s = this.stateStmt.get(pumpId, pumpId, pumpId, pumpId)!;
    return `r${s.r}.d${s.d}.v${s.v}.x${s.x}`;
  }

  /**
   * Null when the pump is as the form saw it (no state: never from a client, whose entries must
   * carry it; the internal path of the import, generator and demo calls the services directly);
   * otherwise the refusal naming the newest entry recorded since, who recorded it and when.
   */
  checkPump(pumpId: number, seen: string | undefined, timeZone: string): Conflict | null {
    if (seen === undefined) return null;
    const now = this.pumpState(pumpId);
    if (now === seen) return null;
    const m = PUMP_STATE.exec(seen) === null ? null : seen.match(/\d+/g)!.map(Number);
    const [r, d, v, x] = m ?? [0, 0, 0, 0];
    const entry = this.newestSince(pumpId, { r: r!, d: d!, v: v!, x: x! });
    const who = entry?.recordedBy ?? 'someone';
    const when = entry ? clinicTime(entry.createdAtMs, timeZone) : '';
    const what: Record<PumpEntry['kind'], string> = { refill: 'A refill', dose_change: 'A dose change', reversal: 'A therapy reversal', removal: 'A removal' };
    const message = entry
      ? `${what[entry.kind]} of this pump was recorded at ${when} by ${who} (${entry.summary}) after you opened this form; review it before recording another.`
      : 'This pump’s record changed after you opened this form; review it before recording another.';
    return {
      ok: false,
      error: { ...fail('conflict', message).error, conflict: { version: 0, changedBy: entry?.recordedBy ?? null, changedAtMs: entry?.createdAtMs ?? null, current: { pumpState: now } } },
    };
  }

  /** The newest entry of the pump recorded after the state `seen` (by the time it was recorded). */
  private newestSince(pumpId: number, seen: { r: number; d: number; v: number; x: number }): PumpEntry | null {
    const found: PumpEntry[] = [];
    const refill = this.db
      .prepare<[number, number], { id: number; date: string; created_at_ms: number; recorded_by_name: string | null; added_ul: number }>(
        'SELECT id, date, created_at_ms, recorded_by_name, added_ul FROM refills WHERE pump_id = ? AND id > ? ORDER BY id DESC LIMIT 1',
      )
      .get(pumpId, seen.r);
    if (refill) {
      const drugs = this.db
        .prepare<[number], { name: string; unit: string; conc: number; dose: number }>(
          `SELECT d.name, d.unit, rd.concentration_ng_per_ml AS conc, rd.daily_dose_ng_per_day AS dose
           FROM refill_drugs rd JOIN drugs d ON d.id = rd.drug_id WHERE rd.refill_id = ? ORDER BY rd.rowid`,
        )
        .all(refill.id);
      const words = drugs.map((g) => `${g.name} ${massText(g.dose, g.unit)}/day`).join(' + ');
      found.push({ kind: 'refill', date: refill.date, createdAtMs: refill.created_at_ms, recordedBy: refill.recorded_by_name, summary: `${volumeMlText(refill.added_ul)} added on ${refill.date}${words ? `, ${words}` : ''}` });
    }
    const dose = this.db
      .prepare<[number, number], { date: string; created_at_ms: number; recorded_by_name: string | null; name: string; unit: string; dose: number }>(
        `SELECT c.date, c.created_at_ms, c.recorded_by_name, d.name, d.unit, c.daily_dose_ng_per_day AS dose
         FROM dose_changes c JOIN drugs d ON d.id = c.drug_id WHERE c.pump_id = ? AND c.id > ? ORDER BY c.id DESC LIMIT 1`,
      )
      .get(pumpId, seen.d);
    if (dose) found.push({ kind: 'dose_change', date: dose.date, createdAtMs: dose.created_at_ms, recordedBy: dose.recorded_by_name, summary: `${dose.name} ${massText(dose.dose, dose.unit)}/day from ${dose.date}` });
    const reversal = this.db
      .prepare<[number, number], { date: string; created_at_ms: number; recorded_by_name: string | null; kind: string }>(
        'SELECT date, created_at_ms, recorded_by_name, kind FROM reversals WHERE pump_id = ? AND id > ? ORDER BY id DESC LIMIT 1',
      )
      .get(pumpId, seen.v);
    if (reversal) found.push({ kind: 'reversal', date: reversal.date, createdAtMs: reversal.created_at_ms, recordedBy: reversal.recorded_by_name, summary: `${reversal.kind.replace(/_/g, ' ')} on ${reversal.date}` });
    const removal = this.db
      .prepare<[number, number], { date: string; created_at_ms: number; recorded_by_name: string | null }>(
        'SELECT date, created_at_ms, recorded_by_name FROM removals WHERE pump_id = ? AND id > ? ORDER BY id DESC LIMIT 1',
      )
      .get(pumpId, seen.x);
    if (removal) found.push({ kind: 'removal', date: removal.date, createdAtMs: removal.created_at_ms, recordedBy: removal.recorded_by_name, summary: `removed on ${removal.date}` });
    found.sort((a, b) => b.createdAtMs - a.createdAtMs);
    return found[0] ?? null;
  }
}

/** "12 mL", "0.5 mL": a volume in µL (to 3 decimals at most). */
function volumeMlText(ul: number): string {
  return `${Number((ul / 1000).toFixed(3))} mL`;
}

/** A mass in ng in the drug's unit, to 3 decimals at most ("10 mg", "0.5 mcg"). */
function massText(ng: number, unit: string): string {
  const per = unit === 'mg' ? 1_000_000 : 1_000;
  return `${Number((ng / per).toFixed(3))} ${unit}`;
}
