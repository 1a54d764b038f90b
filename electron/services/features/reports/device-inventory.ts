/**
 * Device inventory as of a date: pumps in place by model (running or turned off), pumps whose
 * replacement planning window opens within the next N months, and an optional recall look-up
 * (model, serial range, implant window: the same rules as the Devices screen). It reads the record
 * as it stands (like the worklist): an earlier as-of date does not replay removals. A model without
 * a service life is never in the replacements: its pumps in place are listed on their own, as
 * "Service life not set" (issue 13, item 7), so a 2017 Prometra is not silently never due.
 */
import { serialInRange } from '../../../../shared/contract/devices';
import type { ReportValue } from '../../../../shared/contract/reports';
import { addMonths, type CalendarDate } from '../../../../shared/domain/calendar';
import { SERVICE_LIFE_NOT_SET } from '../../../../shared/domain/devices';
import { col, patientName, section, today, type Built, type ReportContext, type Row } from './context';

export interface DeviceInventoryParams {
  to?: string | undefined;
  monthsAhead?: number | undefined;
  deviceModelId?: number | undefined;
  recallModelId?: number | undefined;
  serialFrom?: string | undefined;
  serialTo?: string | undefined;
  implantedFrom?: string | undefined;
  implantedTo?: string | undefined;
}

export const DEFAULT_MONTHS_AHEAD = 12;

/** A pump in place as the report says it: running, turned off, or its patient's status. */
function pumpState(r: Row): string {
  if (r.patient_status === 'deceased') return 'patient deceased';
  if (r.patient_status === 'transferred') return 'patient transferred';
  return r.status === 'active' ? 'running' : 'turned off';
}

export function deviceInventory(ctx: ReportContext, p: DeviceInventoryParams): Built {
  const settings = ctx.store.catalog.settings();
  const asOf = p.to ?? today(ctx, settings);
  const months = p.monthsAhead ?? DEFAULT_MONTHS_AHEAD;
  const horizon = addMonths(asOf as CalendarDate, months);
  const patientIds = new Set<number>();

  const pumps = ctx.db
    .prepare<[], Row>(
      `SELECT p.*, m.manufacturer, m.model, m.reservoir_ul AS model_reservoir_ul, m.service_life_months, pp.replacement_from_date,
              pt.mrn, pt.family_name, pt.given_name, pt.status AS patient_status
         FROM pumps p JOIN device_models m ON m.id = p.device_model_id JOIN patients pt ON pt.id = p.patient_id
         LEFT JOIN pump_projection pp ON pp.pump_id = p.id
        ORDER BY m.manufacturer, m.model, m.reservoir_ul, p.serial`,
    )
    .all();
  const inPlace = pumps.filter((r) => r.status !== 'explanted' && (p.deviceModelId === undefined || r.device_model_id === p.deviceModelId));

  const models = new Map<number, { name: string; reservoirUl: number; serviceLife: string; active: number; off: number; left: number }>();
  for (const r of inPlace) {
    patientIds.add(r.patient_id);
    const serviceLife = r.service_life_months === null ? SERVICE_LIFE_NOT_SET : `${r.service_life_months} months`;
    const m = models.get(r.device_model_id) ?? { name: `${r.manufacturer} ${r.model}`, reservoirUl: r.model_reservoir_ul, serviceLife, active: 0, off: 0, left: 0 };
    // A deceased or transferred patient's pump is not counted as running (nor as turned off).
    if (r.patient_status === 'deceased' || r.patient_status === 'transferred') m.left += 1;
    else if (r.status === 'active') m.active += 1;
    else m.off += 1;
    models.set(r.device_model_id, m);
  }
  const byModel: ReportValue[][] = [...models.values()].map((m) => [m.name, m.reservoirUl, m.serviceLife, m.active, m.off, m.left, m.active + m.off + m.left]);
  const noServiceLife: ReportValue[][] = inPlace
    .filter((r) => r.service_life_months === null)
    .sort((a, b) => (a.implant_date as string).localeCompare(b.implant_date) || a.id - b.id)
    .map((r) => [patientName(r), r.mrn, `${r.manufacturer} ${r.model}`, r.serial, r.implant_date, r.status === 'active' ? 'running' : 'turned off']);

  const replacements: ReportValue[][] = inPlace
    .filter((r) => r.replacement_from_date !== null && r.replacement_from_date <= horizon)
    .sort((a, b) => (a.replacement_from_date as string).localeCompare(b.replacement_from_date) || a.id - b.id)
    .map((r) => [
      r.replacement_from_date,
      r.replacement_from_date <= asOf ? 'due now' : 'upcoming',
      patientName(r),
      r.mrn,
      `${r.manufacturer} ${r.model}`,
      r.serial,
      r.implant_date,
      pumpState(r),
    ]);

  const filters: Built['filters'] = [{ label: 'Replacements within', value: `${months} month${months === 1 ? '' : 's'} (to ${horizon})` }];
  if (p.deviceModelId !== undefined) {
    const m = ctx.store.catalog.deviceById(p.deviceModelId);
    filters.push({ label: 'Model', value: m ? `${m.manufacturer} ${m.model} (${m.reservoirUl / 1000} mL)` : `id ${p.deviceModelId}` });
  }

  let recallRows: ReportValue[][] = [];
  let recallEmpty = 'No recall look-up was asked for.';
  if (p.recallModelId !== undefined) {
    const m = ctx.store.catalog.deviceById(p.recallModelId);
    const matching = pumps.filter(
      (r) =>
        r.device_model_id === p.recallModelId &&
        serialInRange(r.serial, p.serialFrom, p.serialTo) &&
        (p.implantedFrom === undefined || r.implant_date >= p.implantedFrom) &&
        (p.implantedTo === undefined || r.implant_date <= p.implantedTo),
    );
    const still = matching.filter((r) => r.status !== 'explanted');
    for (const r of still) patientIds.add(r.patient_id);
    recallRows = still.map((r) => [patientName(r), r.mrn, r.serial, r.implant_date, pumpState(r)]);
    recallEmpty = 'No pump still in place matches the recall.';
    const serials = p.serialFrom === undefined && p.serialTo === undefined ? 'any serial' : `serials ${p.serialFrom ?? '…'} to ${p.serialTo ?? '…'}`;
    const window = p.implantedFrom === undefined && p.implantedTo === undefined ? 'any implant date' : `implanted ${p.implantedFrom ?? '…'} to ${p.implantedTo ?? '…'}`;
    filters.push({ label: 'Recall', value: `${m ? `${m.manufacturer} ${m.model}` : `model ${p.recallModelId}`}, ${serials}, ${window}` });
    filters.push({ label: 'Recall: matching pumps already removed', value: String(matching.length - still.length) });
  }

  return {
    period: { from: null, to: asOf },
    periodLabel: `as of ${asOf}`,
    filters,
    patientIds,
    sections: [
      section(
        'by-model',
        'Pumps in place by model',
        [col('model', 'Model', 'text'), col('reservoir_ml', 'Reservoir (mL)', 'volume'), col('service_life', 'Service life', 'text'), col('running', 'Running', 'count'), col('turned_off', 'Turned off', 'count'),
          col('patient_left', 'Patient deceased or transferred', 'count'),
          col('in_place', 'In place', 'count'),
        ],
        byModel,
        'No pumps are in place.',
      ),
      section(
        'replacements',
        `Replacements due within ${months} month${months === 1 ? '' : 's'}`,
        [
          col('replacement_from', 'Replacement from', 'date'),
          col('status', 'Status', 'text'),
          col('patient', 'Patient', 'text'),
          col('mrn', 'MRN', 'text'),
          col('model', 'Model', 'text'),
          col('serial', 'Serial', 'text'),
          col('implant_date', 'Implant date', 'date'),
          col('pump_status', 'Pump', 'text'),
        ],
        replacements,
        'No replacement falls due in this window.',
      ),
      section(
        'no-service-life',
        `${SERVICE_LIFE_NOT_SET}: pumps in place never flagged for replacement (set the model's service life in Settings > Device catalog)`,
        [
          col('patient', 'Patient', 'text'),
          col('mrn', 'MRN', 'text'),
          col('model', 'Model', 'text'),
          col('serial', 'Serial', 'text'),
          col('implant_date', 'Implant date', 'date'),
          col('pump_status', 'Pump', 'text'),
        ],
        noServiceLife,
        'Every pump in place has a model with a service life.',
      ),
      section(
        'recall',
        'Recall matches still in place',
        [col('patient', 'Patient', 'text'), col('mrn', 'MRN', 'text'), col('serial', 'Serial', 'text'), col('implant_date', 'Implant date', 'date'), col('pump_status', 'Pump', 'text')],
        recallRows,
        recallEmpty,
      ),
    ],
  };
}
