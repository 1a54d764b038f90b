/**
 * What every report builder reads: a (read-only) connection, the store's repositories on it, the
 * clinic settings and the clock. Builders only SELECT; they never write.
 */
import type Database from 'better-sqlite3-multiple-ciphers';
import type { ClinicSettings } from '../../../../shared/contract/record';
import type { ReportColumn, ReportData, ReportSection, ReportValue } from '../../../../shared/contract/reports';
import type { MassUnitName } from '../../../../shared/contract/quantities';
import { todayIn, type CalendarDate } from '../../../../shared/domain/calendar';
import { formatConcentration } from '../../../../shared/domain/units';
import type { NgPerMl } from '../../../../shared/domain/units';
import type { Store } from '../../store/store';
import { verificationWords, type VerifiedEntryKind } from '../../../../shared/contract/verifications';

export interface ReportContext {
  db: Database.Database;
  store: Store;
  nowMs: number;
}

/* eslint-disable @typescript-eslint/no-explicit-any */
export type Row = Record<string, any>;

export interface Built {
  sections: ReportSection[];
  period: ReportData['period'];
  periodLabel: string;
  filters: ReportData['filters'];
  patientIds: Set<number>;
  patientRecord?: ReportData['patientRecord'];
  /** The papers (papers.ts): their layout and the patient on every page. */
  paper?: ReportData['paper'];
  patient?: ReportData['patient'];
}

export const today = (ctx: ReportContext, settings: ClinicSettings): CalendarDate => todayIn(settings.timeZone, ctx.nowMs);

/** The first day of the month of `date`. */
export const monthStart = (date: string): string => `${date.slice(0, 8)}01`;

/** An inclusive period with defaults: to = today, from = the first day of to's month. */
export function monthPeriod(from: string | undefined, to: string | undefined, todayDate: string): { from: string; to: string } {
  const end = to ?? todayDate;
  return { from: from ?? monthStart(end), to: end };
}

export const periodText = (from: string | null, to: string | null): string =>
  from === null && to === null ? 'whole history' : from === null ? `up to ${to}` : to === null ? `from ${from}` : `${from} to ${to}`;

/** Builds a section; `empty` is the sentence shown when it has no rows. */
export function section(key: string, title: string, columns: ReportColumn[], rows: ReportValue[][], empty: string): ReportSection {
  return { key, title, columns, rows, totalRows: rows.length, empty };
}

export const col = (key: string, label: string, type: ReportColumn['type'], per?: ReportColumn['per']): ReportColumn =>
  per === undefined ? { key, label, type } : { key, label, type, per };

export const patientName = (r: Row): string => `${r.family_name}, ${r.given_name}`;
export const yesNo = (v: number | null): boolean | null => (v === null ? null : v === 1);

/** "Baclofen 2000 mcg/mL + Clonidine 500 mcg/mL": the drugs of refill visits, by refill id. */
export function drugsByRefill(db: Database.Database, refillIds: number[]): Map<number, string> {
  const out = new Map<number, string>();
  if (refillIds.length === 0) return out;
  const stmt = db.prepare<[string], Row>(
    `SELECT rd.refill_id, rd.unit, rd.concentration_ng_per_ml, d.name FROM refill_drugs rd JOIN drugs d ON d.id = rd.drug_id
     WHERE rd.refill_id IN (SELECT value FROM json_each(?)) ORDER BY rd.refill_id, rd.position`,
  );
  for (const r of stmt.iterate(JSON.stringify(refillIds))) {
    const text = `${r.name} ${formatConcentration(r.concentration_ng_per_ml as NgPerMl, r.unit as MassUnitName)}`;
    const prev = out.get(r.refill_id);
    out.set(r.refill_id, prev === undefined ? text : `${prev} + ${text}`);
  }
  return out;
}

/** A case-insensitive filter on an optional text column; undefined matches everything. */
export const matches = (value: string | null, filter: string | undefined): boolean =>
  filter === undefined || (value !== null && value.toLocaleLowerCase() === filter.toLocaleLowerCase());

/** The "Double check" column of refills and dose changes: empty when the entry needed none. */
export const DOUBLE_CHECK = col('double_check', 'Double check', 'text');

/**
 * The independent double check of refills or dose changes, in words, by entry id ("UNVERIFIED:
 * awaiting independent double check", "Verified by …", "REJECTED by …: reason"); absent: the entry
 * needed none. Every report and export that lists these entries shows it (issue 17, item 3).
 */
export function doubleChecksOf(db: Database.Database, kind: VerifiedEntryKind, entryIds: readonly number[]): Map<number, string> {
  const out = new Map<number, string>();
  if (entryIds.length === 0) return out;
  const rows = db
    .prepare<[string, string], Row>(
      `SELECT entry_id, state, decided_by_user_id, decided_by_name, decided_by_role, reject_reason FROM verifications
        WHERE entry_kind = ? AND entry_id IN (SELECT value FROM json_each(?))`,
    )
    .all(kind, JSON.stringify(entryIds));
  for (const r of rows) {
    const decidedBy = r.decided_by_name === null ? null : { userId: r.decided_by_user_id, name: r.decided_by_name, role: r.decided_by_role };
    out.set(r.entry_id, verificationWords({ state: r.state, decidedBy, rejectReason: r.reject_reason }));
  }
  return out;
}

/** A filter line for a report whose entries include unverified ones (shown in the PDF's header and every export's heading). */
export function unverifiedFilter(checks: Iterable<string>): ReportData['filters'] {
  let n = 0;
  for (const c of checks) if (c.startsWith('UNVERIFIED')) n++;
  return n === 0 ? [] : [{ label: 'Independent double check', value: `${n} entr${n === 1 ? 'y is' : 'ies are'} UNVERIFIED (awaiting a second clinician)` }];
}
