/**
 * The full-record export: the six interchange files, written exactly as import reads them, so
 * export → import into an empty database → export gives the same bytes.
 */
import fs from 'node:fs';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { fail, ok, type Result } from '../../../../shared/contract/result';
import type { Pump } from '../../../../shared/contract/record';
import type { Patient } from '../../../../shared/contract/patients';
import type { HandlerContext } from '../../handler-types';
import { COLUMNS, EXPORT_BOM, EXPORT_EOL, fileName, formatMass, formatMl, KINDS, LIST_SEPARATOR, type Kind } from './format';

export interface ExportSummary {
  /** The files written (full paths), in KINDS order. */
  files: string[];
  /** Data rows written per file (refills count drug rows). */
  rows: Record<Kind, number>;
  /** Things recorded that the format does not carry, worth knowing before a round trip. */
  notes: string[];
}

type Rows = { [K in Kind]: string[][] };

/** Reads the whole record as the six files' rows, in a stable order (by MRN, implant date, serial, date). */
export function exportRows(ctx: HandlerContext): { rows: Rows; notes: string[] } {
  const { store } = ctx;
  const rows: Rows = { patients: [], pumps: [], refills: [], dose_changes: [], reversals: [], removals: [] };
  let specialModes = 0;

  const patients = store.patients.list(Number.MAX_SAFE_INTEGER).sort((a, b) => compareText(a.mrn, b.mrn) || a.id - b.id);
  const byId = new Map<number, Patient>(patients.map((p) => [p.id, p]));
  for (const p of patients) {
    rows.patients.push([p.mrn, p.familyName, p.givenName, p.birthDate, p.sex, p.indications.join(LIST_SEPARATOR)]);
  }

  const mrnOf = (pump: Pump) => byId.get(pump.patientId)?.mrn ?? '';
  const pumps = store.record
    .allPumps()
    .sort((a, b) => compareText(mrnOf(a), mrnOf(b)) || compareText(a.implantDate, b.implantDate) || compareText(a.serial, b.serial) || a.id - b.id);
  for (const pump of pumps) {
    // The catalog's reservoir volume is what import matches the device by.
    const device = store.catalog.deviceById(pump.deviceModelId);
    rows.pumps.push([
      mrnOf(pump),
      device?.manufacturer ?? pump.manufacturer,
      device?.model ?? pump.model,
      pump.serial,
      pump.implantDate,
      formatMl(device?.reservoirUl ?? pump.reservoirUl),
      formatMl(pump.alarmUl),
      pump.catheterTipLevel ?? '',
    ]);
  }

  for (const pump of pumps) {
    for (const refill of store.record.refills(pump.id)) {
      if (refill.mode !== 'simple_continuous' || refill.extraVolumeUlPerDay > 0) specialModes++;
      for (const d of refill.drugs) {
        const concentration = formatMass(d.concentrationNgPerMl, d.unit);
        const dose = formatMass(d.dailyDoseNgPerDay, d.unit);
        rows.refills.push([
          pump.serial,
          refill.date,
          refill.withdrawnUl === null ? '' : formatMl(refill.withdrawnUl),
          formatMl(refill.addedUl),
          d.drug,
          concentration.value,
          concentration.unit,
          dose.value,
          dose.unit,
        ]);
      }
    }
  }
  for (const pump of pumps) {
    for (const change of store.record.doseChanges(pump.id)) {
      const dose = formatMass(change.dailyDoseNgPerDay, change.unit);
      rows.dose_changes.push([pump.serial, change.date, change.drug, dose.value, dose.unit]);
    }
  }
  for (const pump of pumps) {
    const reversal = store.record.reversal(pump.id);
    if (reversal) rows.reversals.push([pump.serial, reversal.date, reversal.kind, reversal.note ?? '']);
  }
  for (const pump of pumps) {
    const removal = store.record.removal(pump.id);
    if (removal) {
      rows.removals.push([pump.serial, removal.date, removal.reasons.join(LIST_SEPARATOR), removal.catheterRemoved ? 'yes' : 'no', removal.note ?? '']);
    }
  }

  const notes: string[] = [];
  if (specialModes > 0) {
    notes.push(
      `${specialModes} refill(s) use a flex or bolus mode; the format carries only the continuous prescription, so an import of these files recomputes them as simple continuous.`,
    );
  }
  return { rows, notes };
}

/** The text of one file: BOM, header, rows, CRLF line ends. */
export function toCsv(kind: Kind, rows: string[][]): string {
  return EXPORT_BOM + stringify(rows, { header: true, columns: [...COLUMNS[kind]], record_delimiter: EXPORT_EOL });
}

/**
 * Writes the six files into `dir` (created if needed; existing files of the same names are
 * replaced). Every file is written with its header row, even when it has no rows.
 */
export function exportRecord(ctx: HandlerContext, dir: string): Result<ExportSummary> {
  const exported = ctx.store.transaction(() => exportRows(ctx)); // one consistent snapshot
  const files: string[] = [];
  const counts = {} as Record<Kind, number>;
  try {
    fs.mkdirSync(dir, { recursive: true });
    for (const kind of KINDS) {
      const file = path.join(dir, fileName(kind));
      const tmp = `${file}.tmp`;
      fs.writeFileSync(tmp, toCsv(kind, exported.rows[kind]));
      fs.renameSync(tmp, file);
      files.push(file);
      counts[kind] = exported.rows[kind].length;
    }
  } catch (e) {
    return fail('internal', `The export could not be written to ${dir} (${(e as Error).message}).`);
  }
  ctx.audit.record({ action: 'export', entity: 'record', entityId: null, detail: { folder: dir, rows: counts } });
  return ok({ files, rows: counts, notes: exported.notes });
}

/** Text order that does not depend on the locale: case-insensitive, then exact. */
function compareText(a: string, b: string): number {
  const la = a.toLowerCase();
  const lb = b.toLowerCase();
  return la < lb ? -1 : la > lb ? 1 : a < b ? -1 : a > b ? 1 : 0;
}
