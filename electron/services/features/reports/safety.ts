/**
 * Safety in a period: flagged residual discrepancies, adverse events by kind and severity (and
 * each one), pocket-fill events, MRI scans with no recorded post-scan check, and every soft-limit
 * override of the drug library (overrides.ts).
 */
import { ADVERSE_KINDS, recorderName, SEVERITIES } from '../../../../shared/contract/record';
import { adverseKindWords } from '../../../../shared/domain/urgency-words';
import { recorderFromRow } from '../record/recorded-by';
import type { ReportValue } from '../../../../shared/contract/reports';
import { daysBetween, type CalendarDate } from '../../../../shared/domain/calendar';
import { OVERRIDE_COLUMNS, overrideRows } from './overrides';
import { col, DOUBLE_CHECK, doubleChecksOf, unverifiedFilter, matches, monthPeriod, patientName, section, today, type Built, type ReportContext, type Row } from './context';

export interface SafetyParams {
  from?: string | undefined;
  to?: string | undefined;
  clinician?: string | undefined;
}

const words = (s: string | null): string | null => (s === null ? null : s.replace(/_/g, ' '));
/** Who recorded a row ("Nora Quinn (Clinician)"), null for rows recorded before Reservoir kept it. */
const recordedBy = (r: Row): string | null => recorderName(recorderFromRow(r));
/** The clinician filter matches the clinician written on the entry or who recorded it. */
const byClinician = (r: Row, clinician: string | undefined): boolean => matches(r.clinician, clinician) || (clinician !== undefined && matches(r.recorded_by_name, clinician));

/** Who recorded each entry: a `recorded_by` column in the preview, the PDF and every export. */
const RECORDED_BY = col('recorded_by', 'Recorded by', 'text');

export function safety(ctx: ReportContext, p: SafetyParams): Built {
  const settings = ctx.store.catalog.settings();
  const todayDate = today(ctx, settings);
  const { from, to } = monthPeriod(p.from, p.to, todayDate);
  const db = ctx.db;
  const patientIds = new Set<number>();

  const flagged = db
    .prepare<[string, string], Row>(
      `SELECT r.*, p.serial, p.patient_id, pt.mrn, pt.family_name, pt.given_name
         FROM refills r JOIN pumps p ON p.id = r.pump_id JOIN patients pt ON pt.id = p.patient_id
        WHERE r.discrepancy_flag = 1 AND r.date BETWEEN ? AND ? ORDER BY r.date, r.id`,
    )
    .all(from, to)
    .filter((r) => byClinician(r, p.clinician));
  const flaggedChecks = doubleChecksOf(db, 'refill', flagged.map((r) => r.id));
  const discrepancyRows: ReportValue[][] = flagged.map((r) => {
    patientIds.add(r.patient_id);
    return [
      r.date,
      patientName(r),
      r.mrn,
      r.serial,
      r.withdrawn_ul,
      r.expected_residual_ul,
      r.discrepancy_ul,
      r.discrepancy_pct === null ? null : Math.round(r.discrepancy_pct * 10) / 10,
      r.clinician,
      recordedBy(r),
      flaggedChecks.get(r.id) ?? null,
      r.note,
    ];
  });

  // Independent double checks (issue 17): every entry still awaiting one, whatever its date, and
  // every one verified or rejected of an entry dated in the period.
  const checks = db
    .prepare<[string, string], Row>(
      `SELECT v.*, p.serial, p.patient_id, pt.mrn, pt.family_name, pt.given_name, e.date AS entry_date, e.clinician
         FROM verifications v JOIN pumps p ON p.id = v.pump_id JOIN patients pt ON pt.id = p.patient_id
         JOIN (SELECT 'refill' AS kind, id, date, clinician, recorded_by_name FROM refills
               UNION ALL SELECT 'dose_change', id, date, clinician, recorded_by_name FROM dose_changes) e ON e.kind = v.entry_kind AND e.id = v.entry_id
        WHERE v.state = 'awaiting' OR e.date BETWEEN ? AND ? ORDER BY e.date, v.id`,
    )
    .all(from, to)
    .filter((r) => byClinician({ clinician: r.clinician, recorded_by_name: r.requested_by_name }, p.clinician));
  const checkWords = [...doubleChecksOf(db, 'refill', checks.filter((c) => c.entry_kind === 'refill').map((c) => c.entry_id)).entries()].map(([id, w]) => [`refill:${id}`, w] as const);
  const changeWords = [...doubleChecksOf(db, 'dose_change', checks.filter((c) => c.entry_kind === 'dose_change').map((c) => c.entry_id)).entries()].map(([id, w]) => [`dose_change:${id}`, w] as const);
  const wordsOf = new Map<string, string>([...checkWords, ...changeWords]);
  const checkRows: ReportValue[][] = checks.map((c) => {
    patientIds.add(c.patient_id);
    const requestedBy = `${c.requested_by_name}${c.requested_by_role ? ` (${c.requested_by_role})` : ''}`;
    return [
      c.entry_date,
      patientName(c),
      c.mrn,
      c.serial,
      c.entry_kind === 'refill' ? 'refill' : 'dose change',
      c.summary,
      (JSON.parse(c.reasons) as string[]).map((x) => x.replaceAll('_', ' ')).join(', '),
      requestedBy,
      wordsOf.get(`${c.entry_kind}:${c.entry_id}`) ?? null,
    ];
  });

  const events = db
    .prepare<[string, string], Row>(
      `SELECT e.*, p.serial, m.model, pt.mrn, pt.family_name, pt.given_name
         FROM events e JOIN patients pt ON pt.id = e.patient_id
         LEFT JOIN pumps p ON p.id = e.pump_id LEFT JOIN device_models m ON m.id = p.device_model_id
        WHERE e.kind IN ('adverse', 'mri') AND e.date BETWEEN ? AND ? ORDER BY e.date, e.id`,
    )
    .all(from, to)
    .filter((e) => byClinician(e, p.clinician));
  const adverse = events.filter((e) => e.kind === 'adverse');
  const adverseRows: ReportValue[][] = adverse.map((e) => {
    patientIds.add(e.patient_id);
    return [e.date, patientName(e), e.mrn, e.serial, adverseKindWords(e.adverse_kind), words(e.severity), e.status, e.clinician, recordedBy(e), e.note];
  });
  const byKind: ReportValue[][] = [];
  for (const kind of ADVERSE_KINDS)
    for (const severity of SEVERITIES) {
      const these = adverse.filter((e) => e.adverse_kind === kind && e.severity === severity);
      if (these.length === 0) continue;
      const open = these.filter((e) => e.status === 'open').length;
      byKind.push([adverseKindWords(kind), words(severity), these.length, open, these.length - open]);
    }
  const pocketRows: ReportValue[][] = adverse
    .filter((e) => e.adverse_kind === 'pocket_fill')
    .map((e) => [e.date, patientName(e), e.mrn, e.serial, words(e.severity), e.status, e.clinician, recordedBy(e), e.note]);

  const unchecked = events.filter((e) => e.kind === 'mri' && e.mri_post_scan_check_date === null);
  const mriRows: ReportValue[][] = unchecked.map((e) => {
    patientIds.add(e.patient_id);
    return [
      e.date,
      patientName(e),
      e.mrn,
      e.serial,
      e.model,
      e.mri_pre_scan_done === null ? null : e.mri_pre_scan_done === 1,
      daysBetween(e.date as CalendarDate, todayDate),
      recordedBy(e),
      e.note,
    ];
  });

  const overrides = overrideRows(ctx, from, to, (r) => byClinician(r, p.clinician), recordedBy, (id) => patientIds.add(id));

  const summary: ReportValue[][] = [
    ['Flagged discrepancies', discrepancyRows.length],
    ['Adverse events', adverseRows.length],
    ['Adverse events still open', adverse.filter((e) => e.status === 'open').length],
    ['Pocket fills', pocketRows.length],
    ['MRI scans without a post-scan check', mriRows.length],
    ['Soft-limit overrides', overrides.length],
    ['Entries awaiting an independent double check (UNVERIFIED)', checks.filter((c) => c.state === 'awaiting').length],
    ['Entries rejected at the double check', checks.filter((c) => c.state === 'rejected').length],
  ];
  const patient = [col('date', 'Date', 'date'), col('patient', 'Patient', 'text'), col('mrn', 'MRN', 'text'), col('serial', 'Pump serial', 'text')];

  return {
    period: { from, to },
    periodLabel: `${from} to ${to}`,
    filters: [...(p.clinician ? [{ label: 'Clinician', value: p.clinician }] : []), ...unverifiedFilter(wordsOf.values())],
    patientIds,
    sections: [
      section(
        'discrepancies',
        'Flagged residual discrepancies',
        [
          ...patient,
          col('withdrawn_ml', 'Withdrawn (mL)', 'volume'),
          col('expected_ml', 'Expected (mL)', 'volume'),
          col('discrepancy_ml', 'Discrepancy (mL, withdrawn − expected)', 'discrepancy'),
          col('discrepancy_pct', 'Discrepancy (% of expected)', 'discrepancy_percent'),
          col('clinician', 'Clinician', 'text'),
          RECORDED_BY,
          DOUBLE_CHECK,
          col('note', 'Note', 'text'),
        ],
        discrepancyRows,
        'No flagged discrepancies in this period.',
      ),
      section('summary', 'Summary', [col('measure', 'Measure', 'text'), col('count', 'Count', 'count')], summary, ''),
      section(
        'adverse-by-kind',
        'Adverse events by kind and severity',
        [col('kind', 'Kind', 'text'), col('severity', 'Severity', 'text'), col('events', 'Events', 'count'), col('open', 'Open', 'count'), col('resolved', 'Resolved', 'count')],
        byKind,
        'No adverse events in this period.',
      ),
      section(
        'adverse-events',
        'Adverse events',
        [...patient, col('kind', 'Kind', 'text'), col('severity', 'Severity', 'text'), col('status', 'Status', 'text'), col('clinician', 'Clinician', 'text'), RECORDED_BY, col('note', 'Note', 'text')],
        adverseRows,
        'No adverse events in this period.',
      ),
      section(
        'pocket-fills',
        'Pocket-fill events',
        [...patient, col('severity', 'Severity', 'text'), col('status', 'Status', 'text'), col('clinician', 'Clinician', 'text'), RECORDED_BY, col('note', 'Note', 'text')],
        pocketRows,
        'No pocket-fill events in this period.',
      ),
      section(
        'double-checks',
        'Independent double checks: entries awaiting one, and those decided in the period',
        [...patient, col('entry', 'Entry', 'text'), col('summary', 'What it did', 'text'), col('reasons', 'Why checked', 'text'), RECORDED_BY, DOUBLE_CHECK],
        checkRows,
        'No entry awaits an independent double check, and none was decided in this period.',
      ),
      section(
        'mri-unchecked',
        'MRI scans without a recorded post-scan check',
        [...patient, col('model', 'Model', 'text'), col('pre_scan_done', 'Pre-scan done', 'flag'), col('days_since', `Days since (to ${todayDate})`, 'count'), RECORDED_BY, col('note', 'Note', 'text')],
        mriRows,
        'Every MRI scan in this period has its post-scan check recorded.',
      ),
      section('soft-limit-overrides', 'Soft-limit overrides', OVERRIDE_COLUMNS(RECORDED_BY), overrides, 'No entry in this period was recorded beyond a soft limit.'),
    ],
  };
}
