import { z } from 'zod';
import { id, optionalText, periodDate } from './common';
import type { MassUnitName } from './quantities';
import type { AppError } from './result';
import type { PatientRecord } from './record';
import { serialBound } from './devices';
import { discrepancyPercentWords, discrepancyWords } from '../domain/wording';

/**
 * Reports and exports for administrators (docs/reports.md). Each report is built on the main side
 * from the record (read-only) as `ReportData`: titled sections of typed columns and rows. The same
 * data is shown in the preview, printed to PDF, and written as CSV, XLSX or JSON.
 */

export const REPORT_NAMES = ['refill-schedule', 'activity', 'safety', 'device-inventory', 'patient-summary', 'refill-worksheet', 'patient-card', 'pharmacy-preparation'] as const;
export type ReportName = (typeof REPORT_NAMES)[number];

export const REPORT_FORMATS = ['csv', 'xlsx', 'pdf', 'json', 'fhir'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export const FORMAT_EXTENSIONS: Record<ReportFormat, string> = { csv: 'csv', xlsx: 'xlsx', pdf: 'pdf', json: 'json', fhir: 'fhir.json' };

/** What each report is, and the keys of its sections (a CSV file holds one section). */
export const REPORTS: Record<ReportName, { title: string; description: string; sections: readonly string[] }> = {
  'refill-schedule': {
    title: 'Refill schedule',
    description: 'Pumps whose refill is overdue or falls due in the period, per treating clinician.',
    sections: ['due', 'by-clinician'],
  },
  activity: {
    title: 'Activity',
    description: 'Refill visits, drug volume and amount used per concentration (pharmacy), implants, replacements, removals and therapy reversals.',
    sections: ['drug-usage', 'summary', 'refills', 'implants', 'removals', 'reversals'],
  },
  safety: {
    title: 'Safety',
    description: 'Flagged residual discrepancies, adverse events by kind and severity, pocket fills, MRI scans without a post-scan check, soft-limit overrides of the drug library.',
    sections: ['discrepancies', 'summary', 'adverse-by-kind', 'adverse-events', 'pocket-fills', 'mri-unchecked', 'soft-limit-overrides'],
  },
  'device-inventory': {
    title: 'Device inventory',
    description: 'Pumps in place by model, replacements due in the next months, and recall matches.',
    sections: ['by-model', 'replacements', 'recall'],
  },
  'patient-summary': {
    title: 'Patient summary',
    description: "One patient's whole pump history with the charts and the notes, for referral letters and the paper chart.",
    sections: ['patient', 'pumps', 'refills', 'dose-changes', 'events'],
  },
  'refill-worksheet': {
    title: 'Refill worksheet',
    description: "One pump's refill visit on paper: drugs, expected residual, volume to add, blanks for the withdrawn volume, lot, expiry and two signatures.",
    sections: ['worksheet', 'drugs'],
  },
  'patient-card': {
    title: "Patient's card and letter",
    description: 'What the patient takes home after a refill: pump, drugs and doses, next refill and alarm dates, the alarm, warning signs, the clinic phone; a wallet card.',
    sections: ['card', 'drugs'],
  },
  'pharmacy-preparation': {
    title: 'Pharmacy preparation',
    description: "What the pharmacy prepares for the booked refill visits of a day or up to 31 days: per visit each drug, concentration and volume; totals per drug and concentration.",
    sections: ['preparations', 'totals'],
  },
};

/** The papers (issue 16): one-patient, one-pump PDFs printed from the record; clinicians may make them. */
export const PAPER_NAMES = ['refill-worksheet', 'patient-card'] as const satisfies readonly ReportName[];
export type PaperName = (typeof PAPER_NAMES)[number];
export const isPaper = (name: ReportName): name is PaperName => (PAPER_NAMES as readonly string[]).includes(name);

// ---- parameters -------------------------------------------------------------------------------

const period = { from: periodDate.optional(), to: periodDate.optional() };
const clinician = optionalText(100);
const drug = optionalText(60);

export const reportParams = z
  .discriminatedUnion(
    'report',
    [
      z.object({ report: z.literal('refill-schedule'), ...period, clinician, drug }).strict(),
      z.object({ report: z.literal('activity'), ...period, clinician, drug }).strict(),
      z.object({ report: z.literal('safety'), ...period, clinician }).strict(),
      z
        .object({
          report: z.literal('device-inventory'),
          /** The inventory is as of this date (default today). */
          to: periodDate.optional(),
          monthsAhead: z.number({ error: 'must be a number of months' }).int({ error: 'must be a whole number of months' }).min(1, { error: 'must be at least 1' }).max(120, { error: 'must be at most 120' }).optional(),
          deviceModelId: id.optional(),
          recallModelId: id.optional(),
          serialFrom: serialBound,
          serialTo: serialBound,
          implantedFrom: periodDate.optional(),
          implantedTo: periodDate.optional(),
        })
        .strict(),
      z.object({ report: z.literal('patient-summary'), patientId: id, ...period }).strict(),
      /** The visit date (default the clinic's today). */
      z.object({ report: z.literal('refill-worksheet'), patientId: id, pumpId: id, date: periodDate.optional() }).strict(),
      z.object({ report: z.literal('patient-card'), patientId: id, pumpId: id }).strict(),
      /** From (default the clinic's today) to (default from): at most 31 days after from. */
      z.object({ report: z.literal('pharmacy-preparation'), ...period }).strict(),
    ],
    { error: `report must be one of ${REPORT_NAMES.join(', ')}` },
  )
  .superRefine((v, ctx) => {
    if ('from' in v && v.from !== undefined && v.to !== undefined && v.from > v.to)
      ctx.addIssue({ code: 'custom', message: `must be on or after the start of the period (${v.from})`, path: ['to'] });
    if (v.report === 'pharmacy-preparation' && v.from !== undefined && v.to !== undefined && Date.parse(`${v.to}T00:00:00Z`) - Date.parse(`${v.from}T00:00:00Z`) > 31 * 86_400_000)
      ctx.addIssue({ code: 'custom', message: `must be at most 31 days after the start of the period (${v.from})`, path: ['to'] });
    if (v.report === 'device-inventory') {
      if (v.implantedFrom !== undefined && v.implantedTo !== undefined && v.implantedFrom > v.implantedTo)
        ctx.addIssue({ code: 'custom', message: `must be on or after the start of the window (${v.implantedFrom})`, path: ['implantedTo'] });
      const recallGiven = v.serialFrom !== undefined || v.serialTo !== undefined || v.implantedFrom !== undefined || v.implantedTo !== undefined;
      if (recallGiven && v.recallModelId === undefined)
        ctx.addIssue({ code: 'custom', message: 'is required for a recall look-up (serial range or implant window)', path: ['recallModelId'] });
    }
  });
export type ReportParams = z.output<typeof reportParams>;
export type ReportParamsInput = z.input<typeof reportParams>;

// ---- report data ------------------------------------------------------------------------------

/**
 * Column types. Quantities stay integers with their unit: `volume` cells are whole µL (shown in mL
 * with 3 decimals); `mass` cells carry nanograms and the unit they are shown in (`per` says whether
 * the column is an amount, a concentration per mL or a daily dose). Never a bare number for a drug.
 *
 * A residual discrepancy (withdrawn − expected) has types of its own: `discrepancy` (whole µL, signed)
 * and `discrepancy_percent` (signed, of the expected residual). The files machines read (CSV, XLSX,
 * JSON) keep the signed number, like `volume` and `percent`; what people read (the preview and
 * the PDF) says it in words: "1.10 mL less than expected" (shared/domain/wording.ts).
 */
export const CELL_TYPES = ['text', 'count', 'volume', 'mass', 'date', 'flag', 'percent', 'discrepancy', 'discrepancy_percent'] as const;
export type CellType = (typeof CELL_TYPES)[number];

export interface ReportColumn {
  /** Stable machine name, used as the CSV header and JSON key (volumes end in `_ml`). */
  key: string;
  /** Header for people (XLSX, preview, PDF), with the unit: "Added (mL)". */
  label: string;
  type: CellType;
  /** For `mass` columns: an amount (null), a concentration ('mL') or a daily dose ('day'). */
  per?: 'mL' | 'day' | null;
}

export interface MassValue {
  ng: number;
  unit: MassUnitName;
}

/** One cell: text, integer count, whole µL, MassValue, YYYY-MM-DD, boolean, percent; null for none. */
export type ReportValue = string | number | boolean | MassValue | null;

export interface ReportSection {
  key: string;
  title: string;
  columns: ReportColumn[];
  rows: ReportValue[][];
  /** Rows in the section (more than `rows.length` when a preview was cut short). */
  totalRows: number;
  /** Shown instead of the table when there are no rows: "No refill visits in this period." */
  empty: string;
}

export interface ReportData {
  report: ReportName;
  title: string;
  clinicName: string;
  /** The period as resolved (defaults filled in); null ends mean "from the start" / "to today". */
  period: { from: string | null; to: string | null };
  /** "2026-01-01 to 2026-01-31", "as of 2026-02-01", "whole history". */
  periodLabel: string;
  /** Filters and options as a person reads them. */
  filters: { label: string; value: string }[];
  generatedAtMs: number;
  timeZone: string;
  /** Distinct patients whose data the report contains (for the audit trail). */
  patientCount: number;
  sections: ReportSection[];
  /** One-patient reports and papers: who it is about, on every page's header. Null for clinic-wide reports. */
  patient?: PaperPatient | null;
  /** The papers only: what the print view lays out as a paper rather than tables. */
  paper?: Paper | null;
  /** The locale dates are written in on paper (the user's, sent with the export); absent: ISO dates. */
  locale?: string;
  /** Patient summary only: the record, for its charts in the print view. */
  patientRecord: { record: PatientRecord; today: string; thresholds: { smallUl: number; largeUl: number; smallReservoirMaxUl: number } } | null;
}

export interface PaperPatient {
  /** "Brennan, Thomas" */
  name: string;
  mrn: string;
  birthDate: string;
}

/** One drug on a paper: concentration and daily dose as text with their units ("2000 mcg/mL", "520 mcg/day"). */
export interface PaperDrug {
  drug: string;
  concentration: string;
  dailyDose: string;
}

export interface PaperPump {
  /** "Medtronic SynchroMed II" */
  model: string;
  serial: string;
  reservoirUl: number;
  alarmUl: number;
}

export type Paper =
  | {
      kind: 'refill-worksheet';
      pump: PaperPump;
      visitDate: string;
      lastFillDate: string | null;
      drugs: PaperDrug[];
      expectedResidualUl: number | null;
      estimatedEmpty: boolean;
      volumeToAddUl: number;
      alarmUl: number;
      /** "UNVERIFIED: 1 entry awaiting independent double check" (an entry on this pump), or null. */
      doubleCheck: string | null;
    }
  | {
      kind: 'patient-card';
      pump: PaperPump;
      refillDate: string | null;
      drugs: PaperDrug[];
      nextRefillDate: string | null;
      alarmDate: string | null;
      /** What the alarm sounds like, with its source; null: "ask your clinic". */
      alarm: { text: string; source: string } | null;
      withdrawal: { drug: string; warning: string }[];
      overdose: { drug: string; text: string; source: string }[];
      /** Drugs whose overdose signs have no confirmed source (left off the card). */
      overdoseMissing: string[];
      clinicName: string;
      clinicPhone: string | null;
      doubleCheck: string | null;
    };

// ---- requests ---------------------------------------------------------------------------------

export const reportPreviewInput = z
  .object({
    params: reportParams,
    /** Rows per section to send (default 200); the totals are always given. */
    rowLimit: z.number({ error: 'must be a number' }).int().min(1).max(100000).optional(),
  })
  .strict();

/**
 * CSV: every table of a report in one file — a long table whose first column, `section`, names the
 * table a row belongs to, then the columns of every table (a row fills its own table's columns).
 * The patient summary's CSV is this by default, so the file carries the history (refills, dose
 * changes, events), not only the patient's details; the other reports' default is their first table.
 */
export const ALL_TABLES = 'all';

/** The CSV tables a report offers: each of its sections, then all of them in one long table. */
export function csvSectionKeys(report: ReportName): readonly string[] {
  return [...REPORTS[report].sections, ALL_TABLES];
}

/** The CSV table written when none is chosen. */
export function defaultCsvSection(report: ReportName): string {
  return report === 'patient-summary' ? ALL_TABLES : REPORTS[report].sections[0]!;
}

export const sectionKey = z.string({ error: 'must be text' }).regex(/^[a-z-]{1,40}$/, { error: 'must be a section name such as drug-usage' });

export const exportStartInput = z
  .object({
    params: reportParams,
    format: z.enum(REPORT_FORMATS, { error: `must be one of ${REPORT_FORMATS.join(', ')}` }),
    /** CSV: start the file with a UTF-8 byte-order mark (for Excel). */
    bom: z.boolean({ error: 'must be true or false' }).optional(),
    /** CSV: which section to write, or `all` (default: defaultCsvSection). */
    section: sectionKey.optional(),
    /** PDF: the user's locale for the dates on paper ("en-US", "de-DE"). */
    locale: z.string({ error: 'must be a language tag' }).regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}$/, { error: 'must be a language tag such as en-US' }).optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.section !== undefined && !csvSectionKeys(v.params.report).includes(v.section))
      ctx.addIssue({ code: 'custom', message: `must be one of ${csvSectionKeys(v.params.report).join(', ')}`, path: ['section'] });
    if (v.format === 'fhir' && v.params.report !== 'patient-summary' && v.params.report !== 'activity')
      ctx.addIssue({ code: 'custom', message: 'fhir is available for the activity report (all patients in the period) and the patient summary', path: ['format'] });
  });

export const jobId = z.string({ error: 'must be an export job id' }).regex(/^[a-f0-9]{32}$/, { error: 'must be an export job id' });
export const exportJobInput = z.object({ jobId }).strict();

export const EXPORT_STATES = ['running', 'done', 'failed', 'cancelled'] as const;
export type ExportState = (typeof EXPORT_STATES)[number];

export interface ExportJobStatus {
  jobId: string;
  state: ExportState;
  /** 0..1 */
  progress: number;
  /** The name the file is offered under: reservoir-activity-2026-01-01-to-2026-01-31.csv */
  fileName: string;
  format: ReportFormat;
  bytes: number | null;
  patientCount: number | null;
  error: AppError | null;
}

export type ExportSaveResult =
  | { kind: 'saved'; path: string }
  | { kind: 'download'; url: string }
  | { kind: 'cancelled' };

// ---- cell text (preview, PDF, CSV) -------------------------------------------------------------

const NG_PER: Record<MassUnitName, number> = { mg: 1_000_000, mcg: 1_000 };

/** An integer over a power of ten, exactly, trailing zeros dropped: exactDecimal(2500, 1000) → "2.5". */
function exactDecimal(n: number, scale: number, minDigits = 0): string {
  const sign = n < 0 ? '-' : '';
  const abs = Math.abs(Math.round(n));
  const digits = String(scale).length - 1;
  let frac = String(abs % scale).padStart(digits, '0');
  while (frac.length > minDigits && frac.endsWith('0')) frac = frac.slice(0, -1);
  return `${sign}${Math.floor(abs / scale)}${frac ? `.${frac}` : ''}`;
}

/** The unit a mass column's cell is written in: "mg", "mcg/mL", "mg/day". */
export const massUnitText = (v: MassValue, column: ReportColumn): string => (column.per ? `${v.unit}/${column.per}` : v.unit);
/** The number of a mass cell in its unit, exactly: 2000000 ng in mcg → "2000". */
export const massNumberText = (v: MassValue): string => exactDecimal(v.ng, NG_PER[v.unit]);
/** Whole µL as mL with 3 decimals: 4800 → "4.800". */
export const volumeText = (ul: number): string => exactDecimal(ul, 1000, 3);

const isMass = (v: ReportValue): v is MassValue => typeof v === 'object' && v !== null;

/** A cell as a person reads it (preview, PDF): mass cells carry their unit; none is "". */
export function cellText(value: ReportValue, column: ReportColumn): string {
  if (value === null) return '';
  switch (column.type) {
    case 'text':
    case 'date':
      return String(value);
    case 'count':
      return String(value);
    case 'volume':
      return typeof value === 'number' ? volumeText(value) : String(value);
    case 'percent':
      return typeof value === 'number' ? value.toFixed(1) : String(value);
    case 'discrepancy':
      return typeof value === 'number' ? discrepancyWords(value) : String(value);
    case 'discrepancy_percent':
      return typeof value === 'number' ? discrepancyPercentWords(value) : String(value);
    case 'flag':
      return value === true ? 'yes' : value === false ? 'no' : String(value);
    case 'mass':
      return isMass(value) ? `${massNumberText(value)} ${massUnitText(value, column)}` : String(value);
  }
}
