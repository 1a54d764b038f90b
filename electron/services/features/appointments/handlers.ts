import type { FeatureHandlers } from '../../handler-types';
import { bookAppointment, clinicDay, exportAppointments, listAppointments, markAppointment, recordCall, rescheduleAppointment } from './service';

/**
 * Refill appointments (issue 16, item 1). The writes audit themselves (REQUEST_POLICY `handler`):
 * the change and its audit entry in one `store.write`.
 */
export const appointmentHandlers: FeatureHandlers<'appointments.book' | 'appointments.list' | 'appointments.mark' | 'appointments.call' | 'appointments.day' | 'appointments.export' | 'appointments.reschedule'> = {
  'appointments.book': (input, ctx) => bookAppointment(ctx, input),
  'appointments.list': (input, ctx) => listAppointments(ctx, input),
  'appointments.mark': (input, ctx) => markAppointment(ctx, input),
  'appointments.reschedule': (input, ctx) => rescheduleAppointment(ctx, input),
  'appointments.call': (input, ctx) => recordCall(ctx, input),
  'appointments.day': (input, ctx) => clinicDay(ctx, input),
  'appointments.export': (input, ctx) => exportAppointments(ctx, input),
};
