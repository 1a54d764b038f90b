/**
 * The values of an audit entry as rows a person reads: field | before | after, with the field's
 * label and each value formatted (dates in the reader's locale, volumes and doses with their unit,
 * Yes/No, the labels of coded values). Never JSON. Pure: the caller passes how dates, instants and
 * numbers are written (`AuditFormat`): the console in the user's locale, the CSV export in ISO.
 *
 * Entries are read defensively: the trail holds entries written by older versions, so any value
 * may have any shape. Nothing here throws on an unexpected one; it shows it as text.
 */
import { LANGUAGES } from '../contract/contacts';
import { INDICATION_LABELS, PATIENT_STATUS_LABELS } from '../contract/patients';
import { ROLE_LABELS } from '../contract/roles';
import { APPOINTMENT_STATE_LABELS } from '../contract/appointments';

/** How dates, instants and numbers are written for the reader. */
export interface AuditFormat {
  /** A `YYYY-MM-DD` calendar date. */
  date(iso: string): string;
  /** An instant (UTC milliseconds). */
  instant(ms: number): string;
  /** A number with at most `fractionDigits` decimals (exactly, when `fixed`). */
  number(value: number, fractionDigits: number, fixed?: boolean): string;
}

/** ISO dates, UTC instants, plain digits: for files (the CSV export) and tests. */
export const ISO_FORMAT: AuditFormat = {
  date: (iso) => iso,
  instant: (ms) => (Number.isFinite(ms) ? `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC` : String(ms)),
  number: (value, digits, fixed) => (fixed ? value.toFixed(digits) : String(Number(value.toFixed(digits)))),
};

/** One row of a before/after table. `before` is '—' for a value that did not exist. */
export interface ChangeRow {
  field: string;
  before: string;
  after: string;
}

export const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Fields never shown as a change: bookkeeping, not what a person changed. */
const HIDDEN = new Set(['id', 'updatedAtMs', 'createdAtMs', 'updatedBy', 'createdBy', 'recordedBy', 'version', 'patientId', 'pumpId', 'drugId', 'deviceModelId', 'sessionEpoch']);

/** Human labels of the fields the services keep before and after (by the field's own name). */
const LABELS: Record<string, string> = {
  // patients and contacts
  mrn: 'MRN',
  familyName: 'Family name',
  givenName: 'Given name',
  birthDate: 'Birth date',
  sex: 'Sex',
  indications: 'Indications',
  allergies: 'Allergies',
  clinician: 'Clinician',
  status: 'Status',
  deathDate: 'Date of death',
  transferDate: 'Transfer date',
  transferredTo: 'Transferred to',
  contacts: 'Contacts',
  phones: 'Phones',
  use: 'Use',
  number: 'Number',
  address: 'Address',
  lines: 'Street',
  city: 'City',
  region: 'Region',
  postalCode: 'Postal code',
  country: 'Country',
  emergencyContact: 'Emergency contact',
  relationship: 'Relationship',
  phone: 'Phone',
  referringPhysician: 'Referring physician',
  familyDoctor: 'Family doctor',
  practice: 'Practice',
  language: 'Preferred language',
  name: 'Name',
  // clinic settings
  clinicName: 'Clinic name',
  clinicPhone: 'Clinic phone',
  timeZone: 'Time zone',
  safetyMarginDays: 'Safety margin',
  maxIntervalDays: 'Longest refill interval',
  discrepancyThresholdSmallUl: 'Discrepancy threshold (small reservoirs)',
  discrepancyThresholdLargeUl: 'Discrepancy threshold (large reservoirs)',
  smallReservoirMaxUl: 'Largest small reservoir',
  dueWindowDays: 'Due window',
  doubleCheckDoseIncreases: 'Double check of opioid and ziconotide dose increases',
  doubleCheckSoftLimitOverrides: 'Double check of soft-limit overrides',
  bookingAfterAlarm: 'Booking after the alarm date',
  bookingAfterNextDue: 'Booking after the next refill date',
  sessionLockMinutes: 'Lock the console after',
  folder: 'Backup folder',
  // drug list
  unit: 'Unit',
  typicalConcNgPerMl: 'Typical concentration',
  maxConcNgPerMl: 'Maximum concentration',
  typicalDoseNgPerDay: 'Typical daily dose',
  maxDoseNgPerDay: 'Maximum daily dose',
  stabilityDays: 'Stability',
  firstFillStabilityDays: 'Stability of a first fill',
  undilutedConcNgPerMl: 'Undiluted concentration',
  undilutedStabilityDays: 'Stability undiluted',
  stabilitySource: 'Source of the stability figures',
  withdrawalWarning: 'Withdrawal warning',
  maxStepUpSoftPct: 'Step up needing a reason',
  maxStepUpHardPct: 'Largest step up',
  maxStepUpSoftNgPerDay: 'Step up needing a reason (amount)',
  maxWeekStepUpSoftNgPerDay: 'Raise over 7 days needing a reason',
  limitsSource: 'Source of the limits',
  min: 'from',
  max: 'to',
  // device catalog
  manufacturer: 'Manufacturer',
  model: 'Model',
  aliases: 'Other names',
  catalogueNumbers: 'Catalogue numbers',
  reservoirUl: 'Reservoir',
  defaultAlarmUl: 'Alarm volume',
  serviceLifeMonths: 'Service life',
  replacementLeadMonths: 'Replacement planned ahead by',
  kind: 'Kind',
  mriNotes: 'MRI notes',
  // accounts
  username: 'Username',
  displayName: 'Full name',
  role: 'Role',
  active: 'Active',
  failedLogins: 'Failed sign-ins in a row',
  lockedUntilMs: 'Locked until',
  cost: 'Password hash cost',
  // clinical entries and amendments
  date: 'Date',
  time: 'Time',
  serial: 'Serial',
  udi: 'UDI',
  implantDate: 'Implant date',
  implantingPhysician: 'Implanting physician',
  catheterModel: 'Catheter model',
  catheterTipLevel: 'Catheter tip level',
  catheterLengthMm: 'Catheter length',
  catheterVolumeUl: 'Catheter volume',
  pocketSide: 'Pocket side',
  alarmUl: 'Alarm volume',
  withdrawnUl: 'Withdrawn',
  addedUl: 'Added',
  mode: 'Infusion mode',
  extraVolumeUlPerDay: 'Extra volume',
  reservoirPortConfirmed: 'Reservoir port confirmed',
  note: 'Note',
  drugs: 'Drugs',
  drug: 'Drug',
  concentrationNgPerMl: 'Concentration',
  dailyDoseNgPerDay: 'Daily dose',
  lot: 'Lot',
  expiryDate: 'Expiry date',
  expectedResidualUl: 'Expected residual',
  discrepancyUl: 'Discrepancy',
  discrepancyPct: 'Discrepancy (%)',
  discrepancyFlag: 'Discrepancy flagged',
  alarmDate: 'Alarm date',
  emptyDate: 'Empty date',
  nextDueDate: 'Next refill date',
  overrideReason: 'Override reason',
  plan: 'Plan',
  outcome: 'Outcome',
  reason: 'Reason',
  adverseKind: 'Adverse event',
  severity: 'Severity',
  mriPreScanDone: 'MRI pre-scan check done',
  mriPostScanCheckDate: 'MRI post-scan check',
  // appointments
  room: 'Room',
  homeVisit: 'Home visit',
  state: 'State',
  lateReason: 'Reason for booking late',
  cancelReason: 'Reason for cancelling',
  callOutcome: 'Call outcome',
  calledAtMs: 'Called at',
  patientName: 'Patient',
  // verifications
  summary: 'Summary',
  reasons: 'Reasons',
  rejectReason: 'Reason for rejecting',
  decidedAtMs: 'Decided at',
  requestedAtMs: 'Requested at',
  expiresAtMs: 'Expires',
};

/** Coded values shown by their label (by the field's name). */
const CODES: Record<string, Record<string, string>> = {
  role: ROLE_LABELS,
  status: { ...PATIENT_STATUS_LABELS, open: 'Open', resolved: 'Resolved', awaiting: 'Awaiting', verified: 'Verified', rejected: 'Rejected', active: 'Active', removed: 'Removed', off: 'Off' },
  state: { ...APPOINTMENT_STATE_LABELS, awaiting: 'Awaiting', verified: 'Verified', rejected: 'Rejected' },
  indications: INDICATION_LABELS,
  sex: { female: 'Female', male: 'Male', other: 'Other', unknown: 'Unknown' },
  use: { mobile: 'Mobile', home: 'Home', work: 'Work' },
  bookingAfterAlarm: { refuse: 'Refused', warn: 'Warned, with a reason' },
  bookingAfterNextDue: { refuse: 'Refused', warn: 'Warned, with a reason' },
};

/** "catheterTipLevel" → "Catheter tip level" for a field no label names. */
export function humanize(key: string): string {
  const words = key
    .replace(/_/g, ' ')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export const fieldLabel = (key: string): string => LABELS[key] ?? humanize(key);

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const DASH = '—';

/** A mass in ng in the drug's unit (mg or mcg; mcg when the unit is not known). */
function mass(ng: number, unit: string | null, fmt: AuditFormat): string {
  const u = unit === 'mg' ? 'mg' : 'mcg';
  return `${fmt.number(ng / (u === 'mg' ? 1_000_000 : 1_000), 4)} ${u}`;
}

/** One value, for a field named `key`, in words. `unit` is the drug's mass unit where one is in scope. */
export function formatValue(key: string, value: unknown, fmt: AuditFormat, unit: string | null = null): string {
  if (value === null || value === undefined || value === '') return DASH;
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return String(value);
    if (/AtMs$|UntilMs$/.test(key)) return fmt.instant(value);
    if (/UlPerDay$/.test(key)) return `${fmt.number(value / 1000, 3, true)} mL/day`;
    if (/Ul$/.test(key)) return `${fmt.number(value / 1000, value % 10 === 0 ? 2 : 3, true)} mL`;
    if (/NgPerMl$/.test(key)) return `${mass(value, unit, fmt)}/mL`;
    if (/NgPerDay$/.test(key)) return `${mass(value, unit, fmt)}/day`;
    if (/Days$/.test(key)) return `${fmt.number(value, 0)} day${value === 1 ? '' : 's'}`;
    if (/Months$/.test(key)) return `${fmt.number(value, 0)} month${value === 1 ? '' : 's'}`;
    if (/Minutes$/.test(key)) return `${fmt.number(value, 0)} minute${value === 1 ? '' : 's'}`;
    if (/Pct$/.test(key)) return `${fmt.number(value, 1)} %`;
    if (/Mm$/.test(key)) return `${fmt.number(value, 0)} mm`;
    return fmt.number(value, 3);
  }
  if (typeof value === 'string') {
    const coded = CODES[key]?.[value];
    if (coded !== undefined) return coded;
    if (key === 'language') return LANGUAGES.find((l) => l.tag.toLowerCase() === value.toLowerCase())?.name ?? value;
    if (ISO_DATE.test(value)) return fmt.date(value);
    return value;
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return DASH;
    const item = key === 'lines' ? key : singular(key);
    return value.map((v) => formatValue(item === key ? key : item, v, fmt, unit)).join(key === 'lines' ? ', ' : '; ');
  }
  if (isRecord(value)) {
    // A phone: "Mobile: +1 555 0101".
    if (typeof value.number === 'string' && typeof value.use === 'string' && Object.keys(value).length === 2) return `${formatValue('use', value.use, fmt)}: ${value.number}`;
    const inner = typeof value.unit === 'string' ? value.unit : unit;
    // A range { min, max } in the field's unit: "1 mg/day to 5 mg/day".
    if (Object.keys(value).length === 2 && 'min' in value && 'max' in value) return `${formatValue(key, value.min, fmt, inner)} to ${formatValue(key, value.max, fmt, inner)}`;
    const parts = Object.entries(value)
      .filter(([k, v]) => !HIDDEN.has(k) && k !== 'unit' && v !== null && v !== undefined && v !== '')
      .map(([k, v]) => `${fieldLabel(k)}: ${formatValue(k, v, fmt, inner)}`);
    return parts.length === 0 ? DASH : parts.join(', ');
  }
  return String(value);
}

/** The name of one item of a list field, for its label ("phones" → "phone"); the field itself for a list of codes. */
function singular(key: string): string {
  if (key in CODES) return key;
  if (key === 'drugs') return 'drug';
  if (key === 'phones') return 'phone';
  if (key.endsWith('s') && !key.endsWith('ss')) return key.slice(0, -1);
  return key;
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** Groups whose fields are labelled on their own. */
const TRANSPARENT = new Set(['contacts']);

/** A dotted path of an amendment ("drugs.0.lot") or a nested field as a label: "Drug 1 lot". */
function pathLabel(path: string[]): string {
  const words: string[] = [];
  for (let i = 0; i < path.length; i++) {
    const part = path[i]!;
    // The patient's contacts are read as the patient's own fields: "Phones", not "Contacts phones".
    if (TRANSPARENT.has(part) && i < path.length - 1) continue;
    if (/^\d+$/.test(part)) {
      const list = path[i - 1] ?? '';
      words.pop();
      words.push(`${fieldLabel(singular(list))} ${Number(part) + 1}`);
    } else words.push(words.length === 0 ? fieldLabel(part) : fieldLabel(part).toLowerCase());
  }
  return words.join(' ') || 'Value';
}

/**
 * The rows of what changed between `before` and `after`: only fields that differ (a nested object
 * such as the address by its own fields), bookkeeping fields left out. A value only after (a record
 * created) has '—' before; keys with dots ("drugs.0.lot", an amendment) are labelled by their path.
 */
export function changeRows(before: unknown, after: unknown, fmt: AuditFormat): ChangeRow[] {
  const rows: ChangeRow[] = [];
  walk([], before, after, null, fmt, rows);
  return rows;
}

function walk(path: string[], before: unknown, after: unknown, unit: string | null, fmt: AuditFormat, rows: ChangeRow[]): void {
  const b = isRecord(before) ? before : null;
  const a = isRecord(after) ? after : null;
  if (path.length === 0 && b === null && a === null) {
    if (!same(before, after)) rows.push({ field: 'Value', before: formatValue('', before, fmt), after: formatValue('', after, fmt) });
    return;
  }
  // Both objects, or an object on one side and nothing on the other: field by field.
  const objects = (b !== null || before === null || before === undefined) && (a !== null || after === null || after === undefined);
  const isRange = (v: Record<string, unknown> | null) => v !== null && Object.keys(v).length === 2 && 'min' in v && 'max' in v;
  if (objects && !isRange(b) && !isRange(a)) {
    const scopeUnit = (typeof a?.unit === 'string' ? a.unit : typeof b?.unit === 'string' ? b.unit : unit) as string | null;
    const keys = [...new Set([...Object.keys(b ?? {}), ...Object.keys(a ?? {})])];
    for (const key of keys) {
      if (HIDDEN.has(key)) continue;
      const bv = b?.[key];
      const av = a?.[key];
      if (same(bv, av)) continue;
      const sub = key.includes('.') ? key.split('.') : [key];
      const nested = (isRecord(bv) || isRecord(av)) && !isRange(isRecord(bv) ? bv : null) && !isRange(isRecord(av) ? av : null) && path.length < 3;
      if (nested && (isRecord(bv) || bv === null || bv === undefined) && (isRecord(av) || av === null || av === undefined)) walk([...path, ...sub], bv, av, scopeUnit, fmt, rows);
      else {
        const leaf = sub[sub.length - 1]!;
        const name = /^\d+$/.test(leaf) ? singular(sub[sub.length - 2] ?? leaf) : leaf;
        rows.push({ field: pathLabel([...path, ...sub]), before: formatValue(name, bv, fmt, scopeUnit), after: formatValue(name, av, fmt, scopeUnit) });
      }
    }
    return;
  }
  const leaf = path[path.length - 1] ?? '';
  rows.push({ field: pathLabel(path), before: formatValue(leaf, before, fmt, unit), after: formatValue(leaf, after, fmt, unit) });
}
