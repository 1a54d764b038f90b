/**
 * Refill appointments (issue 16, item 1): booking a pump's next refill, today's clinic, the call
 * list of missed appointments and the pharmacy's preparation list. Dates are calendar dates
 * (YYYY-MM-DD); times are the clinic's local time (HH:MM in the clinic's time zone, settings).
 */
import { z } from 'zod';
import { calendarDate, id, optionalText, text } from './common';
import type { PreparationTotal } from '../domain/appointments';

export const APPOINTMENT_STATES = ['booked', 'attended', 'did_not_attend', 'cancelled'] as const;
export type AppointmentState = (typeof APPOINTMENT_STATES)[number];

export const APPOINTMENT_STATE_LABELS: Record<AppointmentState, string> = {
  booked: 'Booked',
  attended: 'Attended',
  did_not_attend: 'Did not attend',
  cancelled: 'Cancelled',
};

export interface Appointment {
  id: number;
  patientId: number;
  pumpId: number;
  mrn: string;
  patientName: string;
  serial: string;
  /** YYYY-MM-DD and HH:MM, the clinic's local time. */
  date: string;
  time: string;
  clinician: string | null;
  /** A room's name, or null for a home visit. */
  room: string | null;
  homeVisit: boolean;
  state: AppointmentState;
  /** Why it was booked after the next refill or alarm date (the clinic's setting 'warn'). */
  lateReason: string | null;
  cancelReason: string | null;
  /** A missed appointment's call: what came of it, and when (null: not called yet). */
  callOutcome: string | null;
  calledAtMs: number | null;
  createdBy: string;
  createdAtMs: number;
  updatedBy: string;
  updatedAtMs: number;
}

const clockTime = z
  .string({ error: 'is required: a time HH:MM' })
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: 'must be a time HH:MM (00:00 to 23:59)' });

export const appointmentBookInput = z
  .object({
    pumpId: id,
    date: calendarDate,
    time: clockTime,
    clinician: optionalText(100, 'name'),
    /** A room's name; absent for a home visit. */
    room: optionalText(60, 'name'),
    homeVisit: z.boolean({ error: 'must be true or false' }),
    /** Required when the date is after the next refill date or alarm date and the clinic warns. */
    lateReason: optionalText(1000, 'multiline'),
  })
  .strict()
  .refine((v) => v.homeVisit || v.room !== undefined, { error: 'is required: name the room, or choose a home visit', path: ['room'] });

/** From `from` (default: the clinic's today) to `to` (default: 30 days after `from`), both included. */
export const appointmentListInput = z
  .object({ from: calendarDate.optional(), to: calendarDate.optional(), pumpId: id.optional() })
  .strict()
  .refine((v) => v.from === undefined || v.to === undefined || v.from <= v.to, { error: 'must be on or after the start date', path: ['to'] });

export const appointmentMarkInput = z
  .object({
    id,
    state: z.enum(['attended', 'did_not_attend', 'cancelled'], { error: 'must be attended, did_not_attend or cancelled' }),
    /** Required to cancel. */
    reason: optionalText(1000, 'multiline'),
  })
  .strict()
  .refine((v) => v.state !== 'cancelled' || v.reason !== undefined, { error: 'is required: say why the appointment is cancelled', path: ['reason'] });

/**
 * Moves a booked appointment to another date and time: the old one is cancelled with the reason
 * "Rescheduled to DATE TIME" and the new one booked, in one transaction, under the same booking
 * rule as a new booking (a date after the next refill or alarm date needs a reason or is refused;
 * never on or after the empty date). Clinician, room and home visit stay as they were unless given.
 */
export const appointmentRescheduleInput = z
  .object({
    id,
    date: calendarDate,
    time: clockTime,
    clinician: optionalText(100, 'name'),
    room: optionalText(60, 'name'),
    homeVisit: z.boolean({ error: 'must be true or false' }).optional(),
    lateReason: optionalText(1000, 'multiline'),
  })
  .strict();

/** What a reschedule answers: the old appointment (now cancelled) and the new one (booked). */
export interface RescheduledAppointment {
  cancelled: Appointment;
  booked: Appointment;
  /** The new appointment's patient and pump (the live change notice names them). */
  patientId: number;
  pumpId: number;
}

/** The calendar (iCalendar, RFC 5545) or CSV of a period's appointments: MRN and initials only (docs/security.md). */
export const appointmentExportInput = z
  .object({ from: calendarDate, to: calendarDate, format: z.enum(['ics', 'csv'], { error: 'must be ics or csv' }) })
  .strict()
  .refine((v) => v.from <= v.to, { error: 'must be on or after the start date', path: ['to'] });

export interface AppointmentExport {
  fileName: string;
  mimeType: string;
  content: string;
  rows: number;
}

export const appointmentCallInput = z.object({ id, outcome: text(1000, 'multiline') }).strict();

export const appointmentDayInput = z
  .object({ from: calendarDate.optional(), to: calendarDate.optional() })
  .strict()
  .refine((v) => v.from === undefined || v.to === undefined || v.from <= v.to, { error: 'must be on or after the start date', path: ['to'] })
  .refine((v) => v.from === undefined || v.to === undefined || daySpan(v.from, v.to) <= 31, { error: 'must be at most 31 days after the start date', path: ['to'] });

function daySpan(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** One drug of a pump's current prescription, for the clinic and the pharmacy. */
export interface ClinicDrug {
  drug: string;
  unit: string;
  concentrationNgPerMl: number;
  dailyDoseNgPerDay: number;
}

/** An appointment on today's clinic: with the patient's drugs, expected residual and volume to prepare. */
export interface ClinicVisit extends Appointment {
  drugs: ClinicDrug[];
  /** The level the projection expects on the appointment's date (the refill preview's expected residual), µL; null: never filled. */
  expectedResidualUl: number | null;
  /** What the pharmacy prepares: the reservoir volume (the usual fill), µL. */
  volumeToPrepareUl: number;
  reservoirUl: number;
  nextDue: string | null;
  alarmDate: string | null;
  emptyDate: string | null;
}

/** Today's clinic (or a period's): visits in date and time order, the call list, and the pharmacy's totals. */
export interface ClinicDay {
  from: string;
  to: string;
  /** The clinic's today (its time zone). */
  today: string;
  visits: ClinicVisit[];
  /** Missed appointments not rebooked and not called yet, oldest first. */
  callList: Appointment[];
  pharmacy: PreparationTotal[];
}
