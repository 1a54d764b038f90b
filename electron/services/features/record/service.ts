import { verificationRepository } from '../verifications/repository';
import type { z } from 'zod';
import { fail, ok, type Result } from '../../../../shared/contract/result';
import { mlToUl } from '../../../../shared/contract/quantities';
import type {
  ClinicalEvent,
  DoseChange,
  PatientRecord,
  Pump,
  eventInput,
  eventResolveInput,
  mriPostScanInput,
  pumpFields,
  pumpImplantInput,
  Refill,
  removalEntryInput,
  reversalEntryInput,
} from '../../../../shared/contract/record';
import type { HandlerContext } from '../../handler-types';
import type { Store } from '../../store/store';
import { refreshProjection } from './projection';
import { recorderOf } from './recorded-by';
import { pumpUrgency } from './urgency';
import { recordAttestations } from '../signatures/service';
import { checkEventDate, checkNotFuture, checkToResult } from '../../../../shared/domain/limits';
import { todayIn, type CalendarDate } from '../../../../shared/domain/calendar';
import { acceptsClinicalEntries } from '../patients/status';

type PumpFields = z.output<typeof pumpFields>;

/** A clinical date must not precede the implant nor follow a removal (the domain rule, as a Result). */
export function checkPumpDate(pump: Pump, date: string, today: CalendarDate, removalDate: string | null = null): Result<null> {
  const checked = checkToResult(checkEventDate(date as CalendarDate, pump.implantDate as CalendarDate, removalDate as CalendarDate | null, today));
  return checked.ok ? ok(null) : checked;
}

/** The clinic's today, in its time zone: no clinical entry may be dated after it. */
export function clinicToday(ctx: HandlerContext): CalendarDate {
  return todayIn(ctx.store.catalog.settings().timeZone, ctx.now());
}

/** Refused when `date` is after the clinic's today. */
function notFuture(ctx: HandlerContext, date: string, field: string): Result<null> {
  const checked = checkToResult(checkNotFuture(date as CalendarDate, clinicToday(ctx), field));
  return checked.ok ? ok(null) : checked;
}

/** The pump, if it exists and is still implanted (not explanted). */
export function implantedPumpOrError(ctx: HandlerContext, pumpId: number, field = 'pumpId'): Result<Pump> {
  return inPlace(ctx, ctx.store.record.pump(pumpId), pumpId, field);
}

/**
 * The pump in place (see implantedPumpOrError), refused when its patient is recorded as deceased or
 * transferred: only a removal may then be recorded.
 */
export function clinicalPumpOrError(ctx: HandlerContext, pumpId: number, field = 'pumpId'): Result<Pump> {
  const pump = implantedPumpOrError(ctx, pumpId, field);
  if (!pump.ok) return pump;
  const accepts = patientAccepts(ctx, pump.value.patientId, field);
  return accepts.ok ? pump : accepts;
}

/** Refused when the patient is recorded as deceased or transferred (see acceptsClinicalEntries). */
export function patientAccepts(ctx: HandlerContext, patientId: number, field: string): Result<null> {
  const patient = ctx.store.patients.get(patientId);
  return patient ? acceptsClinicalEntries(patient, field) : ok(null);
}

/** `pump` (as read, or as a caller keeps it in memory), refused when there is none or it was removed. */
export function inPlace(ctx: HandlerContext, pump: Pump | null, pumpId: number, field = 'pumpId'): Result<Pump> {
  if (!pump) return fail('not_found', `There is no pump with id ${pumpId}.`, field);
  if (pump.status === 'explanted') {
    const removal = ctx.store.record.removal(pumpId);
    return fail('refused', `Pump ${pump.serial} was removed${removal ? ` on ${removal.date}` : ''}; nothing more can be recorded on it.`, field);
  }
  return ok(pump);
}

function insertPump(ctx: HandlerContext, patientId: number, input: PumpFields, fieldPrefix = '', projection = true): Result<Pump> {
  const model = ctx.store.catalog.deviceById(input.deviceModelId);
  if (!model) return fail('not_found', `There is no device model with id ${input.deviceModelId}.`, `${fieldPrefix}deviceModelId`);
  const bySerial = ctx.store.record.pumpBySerial(input.serial);
  if (bySerial) return fail('conflict', `A pump with serial ${input.serial} is already recorded.`, `${fieldPrefix}serial`);
  const patient = ctx.store.patients.get(patientId);
  if (!patient) return fail('not_found', `There is no patient with id ${patientId}.`, 'patientId');
  if (input.implantDate < patient.birthDate) {
    return fail('refused', `The implant date ${input.implantDate} is before the patient's birth date.`, `${fieldPrefix}implantDate`);
  }
  const implanted = notFuture(ctx, input.implantDate, `${fieldPrefix}implantDate`);
  if (!implanted.ok) return implanted;
  const alarmUl = input.alarmMl === undefined ? model.defaultAlarmUl : mlToUl(input.alarmMl);
  if (alarmUl >= model.reservoirUl) {
    return fail('refused', `The low-reservoir alarm (${alarmUl / 1000} mL) must be below the reservoir volume (${model.reservoirUl / 1000} mL).`, `${fieldPrefix}alarmMl`);
  }
  const pump = ctx.store.record.insertPump(
    {
      patientId,
      deviceModelId: model.id,
      serial: input.serial,
      udi: input.udi ?? null,
      implantDate: input.implantDate,
      implantingPhysician: input.implantingPhysician ?? null,
      catheterModel: input.catheterModel ?? null,
      catheterTipLevel: input.catheterTipLevel ?? null,
      catheterLengthMm: input.catheterLengthCm === undefined ? null : Math.round(input.catheterLengthCm * 10),
      catheterVolumeUl: input.catheterVolumeMl === undefined ? null : mlToUl(input.catheterVolumeMl),
      pocketSide: input.pocketSide ?? null,
      reservoirUl: model.reservoirUl,
      alarmUl,
      recordedBy: recorderOf(ctx),
    },
    ctx.now(),
  );
  if (projection) refreshProjection(ctx, pump.id);
  return ok(pump);
}

/**
 * Implants a pump and saves its projection. With `projection: false` the projection is left to
 * the caller, who must save it in the same transaction (the import's PumpWriter does, once it has
 * written the pump's history).
 */
export function implantPump(ctx: HandlerContext, input: z.output<typeof pumpImplantInput>, options: { projection?: boolean } = {}): Result<Pump> {
  const accepts = patientAccepts(ctx, input.patientId, 'patientId');
  if (!accepts.ok) return accepts;
  const existing = ctx.store.record.implantedPump(input.patientId);
  if (existing) {
    return fail(
      'conflict',
      `This patient already has pump ${existing.serial} in place. Record its removal (with this pump as the replacement) first.`,
      'patientId',
    );
  }
  // One pump in place at a time, in the past too: not implanted before an earlier pump's removal.
  for (const other of ctx.store.record.pumpsOfPatient(input.patientId)) {
    const removal = ctx.store.record.removal(other.id);
    if (removal && input.implantDate < removal.date) {
      return fail(
        'refused',
        `This patient's pump ${other.serial} was in place until its removal on ${removal.date}; a new pump cannot be implanted before that (${input.implantDate}).`,
        'implantDate',
      );
    }
  }
  return insertPump(ctx, input.patientId, input, '', options.projection ?? true);
}

export function recordEvent(ctx: HandlerContext, input: z.output<typeof eventInput>): Result<ClinicalEvent> {
  const patient = ctx.store.patients.get(input.patientId);
  if (!patient) return fail('not_found', `There is no patient with id ${input.patientId}.`, 'patientId');
  const accepts = acceptsClinicalEntries(patient, 'patientId');
  if (!accepts.ok) return accepts;
  if (input.pumpId !== undefined) {
    const pump = ctx.store.record.pump(input.pumpId);
    if (!pump || pump.patientId !== patient.id) return fail('not_found', `This patient has no pump with id ${input.pumpId}.`, 'pumpId');
    const removal = ctx.store.record.removal(pump.id);
    const dated = checkPumpDate(pump, input.date, clinicToday(ctx), removal?.date ?? null);
    if (!dated.ok) return dated;
  } else {
    const dated = notFuture(ctx, input.date, 'date');
    if (!dated.ok) return dated;
  }
  if (input.date < patient.birthDate) return fail('refused', 'The date is before the patient was born.', 'date');
  const base = {
    recordedBy: recorderOf(ctx),
    patientId: input.patientId,
    pumpId: input.pumpId ?? null,
    date: input.date,
    note: input.note ?? null,
    clinician: input.clinician ?? null,
    adverseKind: null,
    severity: null,
    status: null,
    mriPreScanDone: null,
    mriPostScanCheckDate: null,
  } as const;
  let event: ClinicalEvent;
  switch (input.kind) {
    case 'adverse':
      event = ctx.store.record.insertEvent({ ...base, kind: 'adverse', adverseKind: input.adverseKind, severity: input.severity, status: input.status }, ctx.now());
      break;
    case 'mri':
      if (input.postScanCheckDate !== undefined && input.postScanCheckDate < input.date) {
        return fail('refused', 'The post-scan check cannot be before the scan.', 'postScanCheckDate');
      }
      if (input.postScanCheckDate !== undefined) {
        const checkedOn = notFuture(ctx, input.postScanCheckDate, 'postScanCheckDate');
        if (!checkedOn.ok) return checkedOn;
      }
      event = ctx.store.record.insertEvent(
        { ...base, kind: 'mri', mriPreScanDone: input.preScanDone, mriPostScanCheckDate: input.postScanCheckDate ?? null },
        ctx.now(),
      );
      break;
    case 'interrogation':
      event = ctx.store.record.insertEvent({ ...base, kind: 'interrogation' }, ctx.now());
      break;
    case 'note':
      event = ctx.store.record.insertEvent({ ...base, kind: 'note' }, ctx.now());
      break;
  }
  if (event.pumpId !== null) refreshProjection(ctx, event.pumpId);
  return ok(event);
}

export function resolveEvent(ctx: HandlerContext, input: z.output<typeof eventResolveInput>): Result<ClinicalEvent> {
  const event = ctx.store.record.event(input.eventId);
  if (!event) return fail('not_found', `There is no event with id ${input.eventId}.`, 'eventId');
  if (event.kind !== 'adverse') return fail('refused', 'Only adverse events are resolved.', 'eventId');
  if (event.status === 'resolved') return fail('conflict', 'This adverse event is already resolved.', 'eventId');
  ctx.store.record.resolveEvent(event.id, input.note ?? null);
  return ok(ctx.store.record.event(event.id)!);
}

export function recordMriPostScan(ctx: HandlerContext, input: z.output<typeof mriPostScanInput>): Result<ClinicalEvent> {
  const event = ctx.store.record.event(input.eventId);
  if (!event || event.kind !== 'mri') return fail('not_found', `There is no MRI scan with id ${input.eventId}.`, 'eventId');
  if (input.date < event.date) return fail('refused', 'The post-scan check cannot be before the scan.', 'date');
  const checkedOn = notFuture(ctx, input.date, 'date');
  if (!checkedOn.ok) return checkedOn;
  ctx.store.record.setPostScanCheck(event.id, input.date);
  return ok(ctx.store.record.event(event.id)!);
}

export function recordReversal(ctx: HandlerContext, input: z.output<typeof reversalEntryInput>): Result<Pump> {
  const pump = clinicalPumpOrError(ctx, input.pumpId);
  if (!pump.ok) return pump;
  const checked = checkReversal(pump.value, ctx.store.record.refills(pump.value.id), input, clinicToday(ctx));
  if (!checked.ok) return checked;
  writeReversal(ctx, pump.value, input);
  refreshProjection(ctx, pump.value.id);
  return ok(ctx.store.record.pump(pump.value.id)!);
}

/** The reversal rules on a pump in place with these refills (by date; only the last one is read). */
export function checkReversal(pump: Pump, refills: readonly Refill[], input: z.output<typeof reversalEntryInput>, today: CalendarDate): Result<null> {
  if (pump.status === 'off') return fail('conflict', `Pump ${pump.serial} is already off.`, 'pumpId');
  const dated = checkPumpDate(pump, input.date, today);
  if (!dated.ok) return dated;
  const lastRefill = refills.at(-1);
  if (lastRefill && input.date < lastRefill.date) {
    return fail('refused', `The reversal date is before the last refill (${lastRefill.date}).`, 'date');
  }
  return ok(null);
}

/** Saves a checked reversal and turns the pump off (its projection is the caller's to refresh). */
export function writeReversal(ctx: HandlerContext, pump: Pump, input: z.output<typeof reversalEntryInput>): void {
  ctx.store.record.insertReversal(
    {
      recordedBy: recorderOf(ctx),
      pumpId: pump.id,
      date: input.date,
      kind: input.kind,
      plan: input.plan ?? null,
      outcome: input.outcome ?? null,
      note: input.note ?? null,
      clinician: input.clinician ?? null,
    },
    ctx.now(),
  );
  ctx.store.record.setPumpStatus(pump.id, 'off');
}

export function recordRemoval(
  ctx: HandlerContext,
  input: z.output<typeof removalEntryInput>,
): Result<{ removed: Pump; replacement: Pump | null }> {
  const pump = implantedPumpOrError(ctx, input.pumpId);
  if (!pump.ok) return pump;
  const record = ctx.store.record;
  const history = { refills: record.refills(pump.value.id), doseChanges: record.doseChanges(pump.value.id), reversalDate: record.reversal(pump.value.id)?.date ?? null };
  const checked = checkRemoval(pump.value, history, input, clinicToday(ctx));
  if (!checked.ok) return checked;
  record.setPumpStatus(pump.value.id, 'explanted');
  let replacement: Pump | null = null;
  if (input.replacement) {
    if (input.replacement.implantDate < input.date) {
      return fail('refused', 'The replacement cannot be implanted before the old pump was removed.', 'replacement.implantDate');
    }
    const r = insertPump(ctx, pump.value.patientId, input.replacement, 'replacement.');
    if (!r.ok) return r;
    replacement = r.value;
  }
  insertRemovalRow(ctx, pump.value, input, replacement);
  refreshProjection(ctx, pump.value.id);
  return ok({ removed: record.pump(pump.value.id)!, replacement });
}

/** The removal rules on a pump in place with this whole history (nothing may be recorded after the removal date). */
export function checkRemoval(
  pump: Pump,
  history: { refills: readonly Refill[]; doseChanges: readonly DoseChange[]; reversalDate: string | null },
  input: z.output<typeof removalEntryInput>,
  today: CalendarDate,
): Result<null> {
  const dated = checkPumpDate(pump, input.date, today);
  if (!dated.ok) return dated;
  if (history.reversalDate !== null && history.reversalDate > input.date) {
    return fail('refused', `The pump's therapy reversal is dated ${history.reversalDate}, after this removal; the removal cannot precede it.`, 'date');
  }
  const refill = history.refills.find((r) => r.date > input.date);
  const change = history.doseChanges.find((c) => c.date > input.date);
  const later = refill ? `a refill on ${refill.date}` : change ? `a dose change on ${change.date}` : null;
  if (later) return fail('refused', `Something is recorded on this pump after ${input.date} (${later}); the removal cannot precede it.`, 'date');
  return ok(null);
}

/** Saves the removal row of a checked removal (the pump's status is set by the caller). */
export function insertRemovalRow(ctx: HandlerContext, pump: Pump, input: z.output<typeof removalEntryInput>, replacement: Pump | null): void {
  ctx.store.record.insertRemoval(
    {
      recordedBy: recorderOf(ctx),
      pumpId: pump.id,
      date: input.date,
      reasons: input.reasons,
      catheterRemoved: input.catheterRemoved,
      disposition: input.disposition ?? null,
      replacementPumpId: replacement?.id ?? null,
      note: input.note ?? null,
      clinician: input.clinician ?? null,
    },
    ctx.now(),
  );
}

/** A patient's whole record (without signatures), or null when there is no such patient. */
export function readPatientRecord(store: Store, patientId: number): PatientRecord | null {
  const patient = store.patients.get(patientId);
  if (!patient) return null;
  const { record } = store;
  return { patient, pumps: record.pumpsOfPatient(patientId).map((pump) => record.history(pump)), events: record.eventsOfPatient(patientId) };
}

export function patientRecord(ctx: HandlerContext, patientId: number): Result<PatientRecord> {
  const read = readPatientRecord(ctx.store, patientId);
  if (!read) return fail('not_found', `There is no patient with id ${patientId}.`, 'id');
  const today = clinicToday(ctx);
  // The versions a form sends back (several people at once: store/versions.ts).
  const pumps = read.pumps.map((h) => ({ ...h, urgency: pumpUrgency(ctx, h, today), state: ctx.store.versions.pumpState(h.pump.id) }));
  const verifications = verificationRepository(ctx.store).ofPumps(read.pumps.map((h) => h.pump.id));
  return ok({ ...read, pumps, patientVersion: ctx.store.versions.of('patient', patientId).version, attestations: recordAttestations(ctx, read.pumps), verifications });
}
