/**
 * Refill appointments (issue 16, item 1): booking (the clinic's rule for a date after the pump's
 * next refill or alarm date; never on or after its empty date), marking the outcome, the call list
 * of missed ones, and a day's (or period's) clinic with each patient's drugs, expected residual and
 * volume to prepare, and the pharmacy's totals. Every change is audited in the same transaction.
 */
import type { z } from 'zod';
import type { Appointment, AppointmentExport, appointmentExportInput, appointmentBookInput, appointmentCallInput, appointmentDayInput, appointmentListInput, appointmentMarkInput, appointmentRescheduleInput, ClinicDay, RescheduledAppointment } from '../../../../shared/contract/appointments';
import { fail, ok, type Result } from '../../../../shared/contract/result';
import { bookingVerdict } from '../../../../shared/domain/appointments';
import { addDays, compareDates, type CalendarDate } from '../../../../shared/domain/calendar';
import type { HandlerContext } from '../../handler-types';
import { recorderOf } from '../record/recorded-by';
import { clinicalPumpOrError, clinicToday } from '../record/service';
import { appointmentsToCsv, appointmentsToIcs } from './ical';
import { appointmentRepository } from './repository';
import { clinicVisits, pharmacyPreparation } from './visits';

const byName = (ctx: HandlerContext): string => recorderOf(ctx)?.name ?? 'unknown';

/** What a booking needs, whether a new one or the new half of a reschedule. */
interface Booking {
  pumpId: number;
  date: string;
  time: string;
  clinician: string | null;
  room: string | null;
  homeVisit: boolean;
  lateReason: string | undefined;
}

/**
 * Checks the booking rule and inserts the appointment; call inside `store.write`. The caller audits.
 * The same checks for a new booking and a reschedule's new date: one rule, not two.
 */
function insertBooking(ctx: HandlerContext, input: Booking): Result<Appointment> {
  const pump = clinicalPumpOrError(ctx, input.pumpId);
  if (!pump.ok) return pump;
  if (pump.value.status === 'off') return fail('refused', `Pump ${pump.value.serial} is off (therapy reversed): restart it before booking a refill.`, 'pumpId');
  const today = clinicToday(ctx);
  if (compareDates(input.date as CalendarDate, today) < 0) return fail('invalid_input', `must be today (${today}) or later: an appointment is booked ahead.`, 'date');
  const settings = ctx.store.catalog.settings();
  const projection = ctx.store.record.projection(pump.value.id);
  const verdict = bookingVerdict(
    input.date as CalendarDate,
    { nextDue: projection?.nextDueDate ?? null, alarmDate: projection?.alarmDate ?? null, emptyDate: projection?.emptyDate ?? null },
    settings,
    today,
  );
  if (verdict.kind === 'refused') return fail('refused', verdict.message, 'date');
  if (verdict.kind === 'needs_reason' && input.lateReason === undefined) return fail('invalid_input', verdict.message, 'lateReason');
  const lateReason = verdict.kind === 'needs_reason' ? (input.lateReason ?? '').trim() : null;
  return ok(
    appointmentRepository(ctx.store).insert({
      pumpId: pump.value.id,
      date: input.date,
      time: input.time,
      clinician: input.clinician,
      room: input.homeVisit ? null : input.room,
      homeVisit: input.homeVisit,
      lateReason,
      by: byName(ctx),
      atMs: ctx.now(),
    }),
  );
}

/** Books a refill appointment of a running pump. */
export function bookAppointment(ctx: HandlerContext, input: z.output<typeof appointmentBookInput>): Result<Appointment> {
  return ctx.store.write(() => {
    const booked = insertBooking(ctx, { ...input, clinician: input.clinician ?? null, room: input.room ?? null });
    if (!booked.ok) return booked;
    const appointment = booked.value;
    ctx.audit.record({ action: 'create', entity: 'appointment', entityId: appointment.id, patientId: appointment.patientId, after: appointment });
    return ok(appointment);
  });
}

/** "Rescheduled to 2026-03-02 08:00": the cancelled appointment's reason. */
export const rescheduleReason = (date: string, time: string): string => `Rescheduled to ${date} ${time}`;

/**
 * Moves a booked appointment: cancels it with the reason "Rescheduled to DATE TIME" and books the
 * new date and time under the booking rule, in ONE transaction — a refused new date leaves the old
 * booking as it was. Clinician, room and home visit stay as they were unless given. Both audited.
 */
export function rescheduleAppointment(ctx: HandlerContext, input: z.output<typeof appointmentRescheduleInput>): Result<RescheduledAppointment> {
  return ctx.store.write(() => {
    const repo = appointmentRepository(ctx.store);
    const before = repo.get(input.id);
    if (!before) return fail('not_found', `There is no appointment with id ${input.id}.`, 'id');
    if (before.state !== 'booked') return fail('conflict', `This appointment is already marked ${before.state.replaceAll('_', ' ')} (by ${before.updatedBy}): only a booked one can be rescheduled.`, 'id');
    // A booked day already past is a visit that happened or was missed: record which (a missed one
    // goes on the call list), then book again. Rescheduling it would hide a missed refill.
    if (compareDates(before.date as CalendarDate, clinicToday(ctx)) < 0)
      return fail('refused', `This appointment was on ${before.date}, before today: mark it attended or did not attend, then book the next refill.`, 'id');
    if (before.date === input.date && before.time === input.time) return fail('invalid_input', `is the appointment's date and time already (${before.date} ${before.time}): choose another.`, 'date');
    const homeVisit = input.homeVisit ?? before.homeVisit;
    const room = homeVisit ? null : (input.room ?? before.room);
    if (!homeVisit && room === null) return fail('invalid_input', 'is required: name the room, or choose a home visit.', 'room');
    const booked = insertBooking(ctx, {
      pumpId: before.pumpId,
      date: input.date,
      time: input.time,
      clinician: input.clinician ?? before.clinician,
      room,
      homeVisit,
      lateReason: input.lateReason,
    });
    if (!booked.ok) return booked;
    if (!repo.mark(before.id, 'cancelled', rescheduleReason(input.date, input.time), byName(ctx), ctx.now())) return fail('conflict', 'This appointment was changed meanwhile: reload.', 'id');
    const cancelled = repo.get(before.id)!;
    ctx.audit.record({ action: 'update', entity: 'appointment', entityId: cancelled.id, patientId: cancelled.patientId, before, after: cancelled, detail: { rescheduledTo: booked.value.id } });
    ctx.audit.record({ action: 'create', entity: 'appointment', entityId: booked.value.id, patientId: booked.value.patientId, after: booked.value, detail: { rescheduledFrom: cancelled.id } });
    return ok({ cancelled, booked: booked.value, patientId: booked.value.patientId, pumpId: booked.value.pumpId });
  });
}

/** Marks a booked appointment attended, did not attend (onto the call list) or cancelled (with a reason). */
export function markAppointment(ctx: HandlerContext, input: z.output<typeof appointmentMarkInput>): Result<Appointment> {
  return ctx.store.write(() => {
    const repo = appointmentRepository(ctx.store);
    const before = repo.get(input.id);
    if (!before) return fail('not_found', `There is no appointment with id ${input.id}.`, 'id');
    if (before.state !== 'booked') return fail('conflict', `This appointment is already marked ${before.state.replaceAll('_', ' ')} (by ${before.updatedBy}).`, 'id');
    if (input.state !== 'cancelled' && compareDates(before.date as CalendarDate, clinicToday(ctx)) > 0) {
      return fail('refused', `This appointment is on ${before.date}, after today: it can only be cancelled until then.`, 'state');
    }
    const reason = input.state === 'cancelled' ? (input.reason ?? '').trim() : null;
    if (!repo.mark(input.id, input.state, reason, byName(ctx), ctx.now())) return fail('conflict', 'This appointment was changed meanwhile: reload.', 'id');
    const after = repo.get(input.id)!;
    ctx.audit.record({ action: 'update', entity: 'appointment', entityId: after.id, patientId: after.patientId, before, after });
    return ok(after);
  });
}

/** Records the call made about a missed appointment: it leaves the call list. */
export function recordCall(ctx: HandlerContext, input: z.output<typeof appointmentCallInput>): Result<Appointment> {
  return ctx.store.write(() => {
    const repo = appointmentRepository(ctx.store);
    const before = repo.get(input.id);
    if (!before) return fail('not_found', `There is no appointment with id ${input.id}.`, 'id');
    if (before.state !== 'did_not_attend') return fail('refused', 'Only a missed appointment (did not attend) has a call to record.', 'id');
    if (before.callOutcome !== null) return fail('conflict', `The call was already recorded by ${before.updatedBy}: ${before.callOutcome}`, 'id');
    if (!repo.recordCall(input.id, input.outcome.trim(), byName(ctx), ctx.now())) return fail('conflict', 'This appointment was changed meanwhile: reload.', 'id');
    const after = repo.get(input.id)!;
    ctx.audit.record({ action: 'update', entity: 'appointment', entityId: after.id, patientId: after.patientId, before, after, detail: { call: after.callOutcome } });
    return ok(after);
  });
}

export function listAppointments(ctx: HandlerContext, input: z.output<typeof appointmentListInput>): Result<Appointment[]> {
  const repo = appointmentRepository(ctx.store);
  const from = input.from ?? clinicToday(ctx);
  const to = input.to ?? addDays(from as CalendarDate, 30);
  if (to < from) return fail('invalid_input', 'must be on or after the start date', 'to');
  if (input.pumpId !== undefined) return ok(repo.ofPump(input.pumpId).filter((a) => a.date >= from && a.date <= to));
  return ok(repo.between(from, to));
}

/** A day's (or a period's) clinic: booked and past visits in time order, the call list and the pharmacy's totals. */
export function clinicDay(ctx: HandlerContext, input: z.output<typeof appointmentDayInput>): Result<ClinicDay> {
  const today = clinicToday(ctx);
  const from = input.from ?? today;
  const to = input.to ?? from;
  if (to < from) return fail('invalid_input', 'must be on or after the start date', 'to');
  if (to > addDays(from as CalendarDate, 31)) return fail('invalid_input', 'must be at most 31 days after the start date', 'to');
  const visits = clinicVisits(ctx.store, from, to);
  return ok({ from, to, today, visits, callList: appointmentRepository(ctx.store).toCall(), pharmacy: pharmacyPreparation(visits).totals });
}

/** A period's appointments as a calendar file or CSV for the clinic (recorded in the audit trail as an export). */
export function exportAppointments(ctx: HandlerContext, input: z.output<typeof appointmentExportInput>): Result<AppointmentExport> {
  const settings = ctx.store.catalog.settings();
  const list = appointmentRepository(ctx.store).between(input.from, input.to);
  const content = input.format === 'ics' ? appointmentsToIcs(list, { clinicName: settings.clinicName, timeZone: settings.timeZone, nowMs: ctx.now() }) : appointmentsToCsv(list);
  ctx.audit.record({ action: 'export', entity: 'appointments', entityId: null, detail: { from: input.from, to: input.to, format: input.format, rows: list.length } });
  return ok({
    fileName: `appointments-${input.from}-to-${input.to}.${input.format}`,
    mimeType: input.format === 'ics' ? 'text/calendar' : 'text/csv',
    content,
    rows: list.length,
  });
}
