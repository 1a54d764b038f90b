/**
 * The FHIR R4 export: one Bundle (type `collection`) of the clinic's record, built in memory
 * (`buildFhirBundle`) or written patient by patient (`writeFhirBundle`, flat memory for any number
 * of patients). Both walk the record the same way and give the same JSON. docs/fhir.md has the mapping.
 */
import type { Patient as RecordPatient } from '../../../../../shared/contract/patients';
import type { ClinicalEvent, DeviceModel, PumpHistory } from '../../../../../shared/contract/record';
import { verificationWords } from '../../../../../shared/contract/verifications';
import { verificationRepository } from '../../verifications/repository';
import { isCalendarDate } from '../../../../../shared/domain/calendar';
import type { Store } from '../../../store/store';
import { medicationRequests, residualObservations } from './prescriptions';
import { deviceResource, implantProcedure, patientResource, removalProcedure, urn, type ExportIds } from './record-resources';
import type { Bundle, BundleEntry, Resource } from './types';
import { clinicUuids } from './uuid';

export interface FhirExportOptions {
  /** First day of the period (`YYYY-MM-DD`, inclusive); absent: no lower bound. */
  from?: string;
  /** Last day of the period (`YYYY-MM-DD`, inclusive); absent: no upper bound. */
  to?: string;
  /** Only these patients (each must exist); absent: every patient. */
  patientIds?: number[];
  /** When the export is made (UTC ms): Bundle.timestamp, and part of the Bundle's identifier. */
  generatedAtMs: number;
  /** The clinic's name: the MRN's assigner, and the namespace of every resource UUID. */
  clinicName: string;
  /** URI of the clinic's MRN namespace (Patient.identifier.system), when the hospital assigned one. */
  mrnSystem?: string;
}

export interface FhirExportSummary {
  /** Patients in the bundle. */
  patients: number;
  /** Bundle entries (resources), patients included. */
  resources: number;
}

interface Walk {
  header: Omit<Bundle, 'entry'>;
  /** The patients to look at (throws for an unknown id): call inside the export's transaction. */
  select(): RecordPatient[];
  /** Calls `emit` once per patient in the bundle with its entries, and `onProgress` after every patient looked at. */
  run(patients: RecordPatient[], emit: (entries: BundleEntry[]) => void, onProgress?: (done: number, total: number) => void): FhirExportSummary;
}

/** The whole bundle as one object (for small exports and tests; large exports use `writeFhirBundle`). */
export function buildFhirBundle(store: Store, options: FhirExportOptions): Bundle {
  const walk = prepare(store, options);
  const entries: BundleEntry[] = [];
  store.snapshot(() => walk.run(walk.select(), (patientEntries) => {
      for (const e of patientEntries) entries.push(e);
    }));
  return entries.length > 0 ? { ...walk.header, entry: entries } : { ...walk.header };
}

/**
 * Writes the same JSON as `JSON.stringify(buildFhirBundle(...))` (one entry per line) in chunks of
 * one patient each, reading the record in one transaction (a consistent snapshot). Synchronous: run
 * it off the main thread for large clinics. Throwing from `write` or `onProgress` cancels the export.
 */
export function writeFhirBundle(
  store: Store,
  options: FhirExportOptions,
  write: (chunk: string) => void,
  onProgress?: (done: number, total: number) => void,
): FhirExportSummary {
  const walk = prepare(store, options);
  return store.snapshot(() => {
    const patients = walk.select(); // refuses an unknown patient before anything is written
    write(JSON.stringify(walk.header).slice(0, -1)); // without its closing brace: "entry" follows when there is one
    let first = true;
    const summary = walk.run(
      patients,
      (entries) => {
        const lines = entries.map((e) => JSON.stringify(e)).join(',\n');
        write(first ? `,"entry":[\n${lines}` : `,\n${lines}`);
        first = false;
      },
      onProgress,
    );
    write(first ? '}\n' : '\n]}\n');
    return summary;
  });
}

function prepare(store: Store, options: FhirExportOptions): Walk {
  for (const [name, value] of [['from', options.from], ['to', options.to]] as const) {
    if (value !== undefined && !isCalendarDate(value)) throw new RangeError(`FHIR export: ${name} must be a date written YYYY-MM-DD, got ${value}`);
  }
  if (!Number.isFinite(options.generatedAtMs)) throw new RangeError('FHIR export: generatedAtMs must be a time in milliseconds');
  const uuid = clinicUuids(options.clinicName);
  // Ids repeat within a patient (every resource references the patient and its pump): memoised per
  // patient, and forgotten after each so memory stays flat.
  const memo = new Map<string, string>();
  const ids: ExportIds = {
    uuid(key) {
      let id = memo.get(key);
      if (id === undefined) memo.set(key, (id = uuid(key)));
      return id;
    },
  };
  const selection = options.patientIds ? [...new Set(options.patientIds)].sort((a, b) => a - b).join(',') : '*';
  const bundleId = uuid(`Bundle/${options.generatedAtMs}/${options.from ?? ''}/${options.to ?? ''}/${selection}`);
  const header: Omit<Bundle, 'entry'> = {
    resourceType: 'Bundle',
    id: bundleId,
    identifier: { system: 'urn:ietf:rfc:3986', value: urn(bundleId) },
    type: 'collection',
    timestamp: new Date(options.generatedAtMs).toISOString(),
  };
  return {
    header,
    select: () => selectPatients(store, options.patientIds),
    run(patients, emit, onProgress) {
      const models = new Map<number, DeviceModel>(store.catalog.devices().map((d) => [d.id, d]));
      const summary: FhirExportSummary = { patients: 0, resources: 0 };
      patients.forEach((patient, index) => {
        const record = readRecord(store, patient, options.from !== undefined || options.to !== undefined);
        if (hasActivity(record, options.from, options.to)) {
          const entries = patientResources(ids, record, models, options).map((resource) => ({ fullUrl: urn(resource.id), resource }));
          summary.patients += 1;
          summary.resources += entries.length;
          emit(entries);
        }
        memo.clear();
        onProgress?.(index + 1, patients.length);
      });
      return summary;
    },
  };
}

/** The patients to look at, in a stable order: by MRN (case-insensitive, then exact), then id. */
function selectPatients(store: Store, patientIds: number[] | undefined): RecordPatient[] {
  const patients = patientIds
    ? [...new Set(patientIds)].map((id) => {
        const p = store.patients.get(id);
        if (!p) throw new RangeError(`FHIR export: there is no patient with id ${id}`);
        return p;
      })
    : store.patients.list(Number.MAX_SAFE_INTEGER);
  return patients.sort((a, b) => compareText(a.mrn, b.mrn) || a.id - b.id);
}

export interface PatientHistory {
  patient: RecordPatient;
  pumps: Omit<PumpHistory, 'projection'>[];
  events: ClinicalEvent[];
  /** The independent double check of refills and dose changes that needed one, in words, by `refill:<id>` / `dose_change:<id>`. */
  checks?: ReadonlyMap<string, string>;
}

function readRecord(store: Store, patient: RecordPatient, withEvents: boolean): PatientHistory {
  const r = store.record;
  const pumps = r.pumpsOfPatient(patient.id).map((pump) => r.history(pump));
  const checks = new Map(verificationRepository(store).ofPumps(pumps.map((h) => h.pump.id)).map((v) => [`${v.kind}:${v.entryId}`, verificationWords(v)]));
  return {
    patient,
    pumps,
    events: withEvents ? r.eventsOfPatient(patient.id) : [],
    checks,
  };
}

/**
 * The period rule: with no period every patient is exported; with a period, a patient is exported
 * (whole record) when anything is dated within it: an implant, a refill, a dose change, a therapy
 * reversal, a removal or a clinical event (adverse event, MRI, interrogation, note).
 */
export function hasActivity(record: PatientHistory, from: string | undefined, to: string | undefined): boolean {
  if (from === undefined && to === undefined) return true;
  const within = (date: string) => (from === undefined || date >= from) && (to === undefined || date <= to);
  return (
    record.events.some((e) => within(e.date)) ||
    record.pumps.some(
      (h) =>
        within(h.pump.implantDate) ||
        h.refills.some((x) => within(x.date)) ||
        h.doseChanges.some((x) => within(x.date)) ||
        h.reversals.some((x) => within(x.date)) || // a restart's fill is a refill, above
        (h.removal !== null && within(h.removal.date)),
    )
  );
}

/** Patient; then per pump (by implant date): Device, implant, prescriptions, residuals, removal. */
function patientResources(ids: ExportIds, record: PatientHistory, models: Map<number, DeviceModel>, options: FhirExportOptions): Resource[] {
  const { patient } = record;
  const out: Resource[] = [patientResource(ids, patient, { clinicName: options.clinicName, ...(options.mrnSystem ? { mrnSystem: options.mrnSystem } : {}) })];
  const pumpById = new Map(record.pumps.map((h) => [h.pump.id, h.pump]));
  for (const history of record.pumps) {
    const { pump, removal } = history;
    const replaced = record.pumps.find((h) => h.removal?.replacementPumpId === pump.id)?.pump ?? null;
    out.push(deviceResource(ids, pump, models.get(pump.deviceModelId) ?? null, patient));
    out.push(implantProcedure(ids, pump, patient, replaced));
    out.push(...medicationRequests(ids, history, patient, record.checks));
    out.push(...residualObservations(ids, history, patient));
    if (removal) {
      const replacement = removal.replacementPumpId === null ? null : (pumpById.get(removal.replacementPumpId) ?? null);
      out.push(removalProcedure(ids, pump, removal, patient, replacement));
    }
  }
  return out;
}

/** Text order that does not depend on the locale: case-insensitive, then exact. */
function compareText(a: string, b: string): number {
  const la = a.toLowerCase();
  const lb = b.toLowerCase();
  return la < lb ? -1 : la > lb ? 1 : a < b ? -1 : a > b ? 1 : 0;
}
