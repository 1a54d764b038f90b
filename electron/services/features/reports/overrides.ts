/**
 * The safety report's soft-limit overrides (issue 17, item 1): every refill, restart fill and dose
 * change in the period recorded beyond a soft limit of the drug library with the clinician's
 * override reason. Each row names the entry, its drugs and doses, the limit(s) crossed with their
 * value and source as the library stood when the entry was recorded (`override_limits_json`), the
 * reason typed and who recorded it. Entries recorded before Reservoir kept the limits crossed say so.
 */
import type { MassUnitName } from '../../../../shared/contract/quantities';
import type { ReportColumn, ReportValue } from '../../../../shared/contract/reports';
import type { SoftLimitCrossed } from '../../../../shared/domain/limits';
import { formatConcentration, formatDailyDose, type NgPerDay, type NgPerMl } from '../../../../shared/domain/units';
import { col, patientName, type ReportContext, type Row } from './context';

/** The words the report uses for an entry whose limits crossed were not kept (recorded before migration 13). */
export const LIMITS_NOT_KEPT = 'not kept: recorded before Reservoir kept the limits crossed';

export const OVERRIDE_COLUMNS = (recordedBy: ReportColumn): ReportColumn[] => [
  col('date', 'Date', 'date'),
  col('patient', 'Patient', 'text'),
  col('mrn', 'MRN', 'text'),
  col('serial', 'Pump serial', 'text'),
  col('entry', 'Entry', 'text'),
  col('drugs', 'Drugs and doses', 'text'),
  col('limit', 'Soft limit exceeded', 'text'),
  col('source', 'Source of the limit', 'text'),
  col('reason', 'Override reason', 'text'),
  col('clinician', 'Clinician', 'text'),
  recordedBy,
];

/** "Morphine daily dose soft maximum 20 mg/day; Morphine step up soft maximum 50 % per change". */
function limitsText(limits: readonly SoftLimitCrossed[] | null): { limit: string; source: string | null } {
  if (limits === null || limits.length === 0) return { limit: LIMITS_NOT_KEPT, source: null };
  const sources = [...new Set(limits.map((l) => (l.source === null ? `${l.drug}: no source named` : `${l.drug}: ${l.source}`)))];
  return { limit: limits.map((l) => `${l.drug} ${l.limit} ${l.value}`).join('; '), source: sources.join('; ') };
}

function parseLimits(json: string | null): SoftLimitCrossed[] | null {
  if (json === null) return null;
  try {
    const v = JSON.parse(json) as unknown;
    return Array.isArray(v) ? (v as SoftLimitCrossed[]) : null;
  } catch {
    return null; // the column's CHECK keeps it valid JSON; a shape we cannot read says "not kept"
  }
}

/**
 * The overrides dated from `from` to `to` (inclusive), in date order (on one date: refills, then
 * dose changes, as SAME_DATE_RULE applies them), each as a row of OVERRIDE_COLUMNS. `keep` filters
 * rows (the report's clinician filter); `patient` is told of every patient listed.
 */
export function overrideRows(ctx: ReportContext, from: string, to: string, keep: (r: Row) => boolean, recordedBy: (r: Row) => string | null, patient: (id: number) => void): ReportValue[][] {
  const db = ctx.db;
  const refills = db
    .prepare<[string, string], Row>(
      `SELECT r.*, p.serial, p.patient_id, pt.mrn, pt.family_name, pt.given_name, tr.id AS restart_id
         FROM refills r JOIN pumps p ON p.id = r.pump_id JOIN patients pt ON pt.id = p.patient_id
         LEFT JOIN therapy_restarts tr ON tr.refill_id = r.id
        WHERE r.override_reason IS NOT NULL AND r.date BETWEEN ? AND ? ORDER BY r.date, r.id`,
    )
    .all(from, to)
    .filter(keep);
  const drugs = new Map<number, string>();
  if (refills.length > 0) {
    const stmt = db.prepare<[string], Row>(
      `SELECT rd.refill_id, rd.unit, rd.concentration_ng_per_ml, rd.daily_dose_ng_per_day, d.name FROM refill_drugs rd JOIN drugs d ON d.id = rd.drug_id
        WHERE rd.refill_id IN (SELECT value FROM json_each(?)) ORDER BY rd.refill_id, rd.position`,
    );
    for (const d of stmt.iterate(JSON.stringify(refills.map((r) => r.id)))) {
      const unit = d.unit as MassUnitName;
      const text = `${d.name} ${formatConcentration(d.concentration_ng_per_ml as NgPerMl, unit)}, ${formatDailyDose(d.daily_dose_ng_per_day as NgPerDay, unit)}`;
      const prev = drugs.get(d.refill_id);
      drugs.set(d.refill_id, prev === undefined ? text : `${prev} + ${text}`);
    }
  }
  const changes = db
    .prepare<[string, string], Row>(
      `SELECT c.*, d.name AS drug, d.unit, p.serial, p.patient_id, pt.mrn, pt.family_name, pt.given_name
         FROM dose_changes c JOIN drugs d ON d.id = c.drug_id JOIN pumps p ON p.id = c.pump_id JOIN patients pt ON pt.id = p.patient_id
        WHERE c.override_reason IS NOT NULL AND c.date BETWEEN ? AND ? ORDER BY c.date, c.id`,
    )
    .all(from, to)
    .filter(keep);

  const row = (r: Row, entry: string, drugText: string | null): { date: string; rank: number; id: number; cells: ReportValue[] } => {
    patient(r.patient_id);
    const { limit, source } = limitsText(parseLimits(r.override_limits_json));
    return {
      date: r.date,
      rank: entry === 'Dose change' ? 1 : 0,
      id: r.id,
      cells: [r.date, patientName(r), r.mrn, r.serial, entry, drugText, limit, source, r.override_reason, r.clinician, recordedBy(r)],
    };
  };
  const all = [
    ...refills.map((r) => row(r, r.restart_id === null ? 'Refill' : 'Restart (first fill)', drugs.get(r.id) ?? null)),
    ...changes.map((c) => row(c, 'Dose change', `${c.drug} ${formatDailyDose(c.daily_dose_ng_per_day as NgPerDay, c.unit as MassUnitName)}`)),
  ];
  all.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.rank - b.rank || a.id - b.id));
  return all.map((x) => x.cells);
}
