/**
 * Appointments as iCalendar (RFC 5545) for the clinic's calendar, and as CSV.
 *
 * Written here rather than with `ical-generator`: its current major (11) requires Node 22 or later
 * (this project runs on Node 20) and its time-zone support goes through optional peer libraries.
 * The subset needed is small: VCALENDAR with one VEVENT per appointment; CRLF line ends; lines
 * folded at 75 octets; TEXT values escaped (\\ ; , newline); start and end as UTC date-times (the
 * clinic's local time converted with its IANA time zone, so no VTIMEZONE is needed).
 *
 * Privacy (docs/security.md): a calendar leaves the record (phones, shared mail servers), so an
 * event carries only what a clinic calendar needs — the MRN and the patient's initials, the pump's
 * serial, room or home visit, clinician and state. Never the name, birth date, drug or dose.
 */
import { stringify } from 'csv-stringify/sync';
import type { Appointment } from '../../../../shared/contract/appointments';
import { defuse } from '../reports/formats';

/** How long a refill visit is booked for in the calendar. */
export const VISIT_MINUTES = 30;

/** "Okafor, Ada" → "A.O.". */
export function initials(patientName: string): string {
  const [family = '', given = ''] = patientName.split(',').map((s) => s.trim());
  const first = (s: string) => (s ? `${[...s][0]!.toUpperCase()}.` : '');
  return `${first(given)}${first(family)}`;
}

/** The UTC instant of a local date and time in an IANA time zone (the later one in a DST overlap, the shifted one in a gap). */
export function zonedToUtcMs(date: string, time: string, timeZone: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const [hh, mm] = time.split(':').map(Number) as [number, number];
  const wall = Date.UTC(y, m - 1, d, hh, mm);
  const offsetAt = (ms: number) => {
    const parts = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }).formatToParts(ms);
    const get = (t: string) => Number(parts.find((p) => p.type === t)!.value);
    return Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute')) - Math.floor(ms / 60_000) * 60_000;
  };
  let utc = wall - offsetAt(wall);
  utc = wall - offsetAt(utc);
  return utc;
}

const stamp = (ms: number) => new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');

/** TEXT escaping (RFC 5545 3.3.11). */
export const escapeText = (s: string) => s.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');

/** Folds a content line at 75 octets (RFC 5545 3.1), never inside a UTF-8 character. */
export function fold(line: string): string {
  const out: string[] = [];
  let current = '';
  let octets = 0;
  for (const ch of line) {
    const n = Buffer.byteLength(ch, 'utf8');
    if (octets + n > (out.length === 0 ? 75 : 74)) {
      out.push(current);
      current = '';
      octets = 0;
    }
    current += ch;
    octets += n;
  }
  out.push(current);
  return out.join('\r\n ');
}

export function appointmentsToIcs(list: readonly Appointment[], opts: { clinicName: string; timeZone: string; nowMs: number; host?: string }): string {
  const host = opts.host ?? 'reservoir.local';
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Reservoir//Refill appointments//EN', 'CALSCALE:GREGORIAN', 'METHOD:PUBLISH', `X-WR-CALNAME:${escapeText(`${opts.clinicName}: refills`)}`];
  for (const a of list) {
    const start = zonedToUtcMs(a.date, a.time, opts.timeZone);
    const place = a.homeVisit ? 'Home visit' : (a.room ?? '');
    lines.push(
      'BEGIN:VEVENT',
      `UID:appointment-${a.id}@${host}`,
      `DTSTAMP:${stamp(opts.nowMs)}`,
      `LAST-MODIFIED:${stamp(a.updatedAtMs)}`,
      `DTSTART:${stamp(start)}`,
      `DTEND:${stamp(start + VISIT_MINUTES * 60_000)}`,
      `SUMMARY:${escapeText(`Pump refill: ${a.mrn} (${initials(a.patientName)})`)}`,
      `LOCATION:${escapeText(place)}`,
      `DESCRIPTION:${escapeText([`Pump ${a.serial}`, a.clinician ? `Clinician: ${a.clinician}` : null, a.state === 'booked' ? null : `State: ${a.state.replaceAll('_', ' ')}`].filter(Boolean).join('\n'))}`,
      `STATUS:${a.state === 'cancelled' ? 'CANCELLED' : 'CONFIRMED'}`,
      'END:VEVENT',
    );
  }
  lines.push('END:VCALENDAR');
  return `${lines.map(fold).join('\r\n')}\r\n`;
}

export const APPOINTMENT_CSV_COLUMNS = ['date', 'time', 'mrn', 'initials', 'serial', 'place', 'clinician', 'state'] as const;

/** The same subset as the calendar, as CSV (text defused for spreadsheets). */
export function appointmentsToCsv(list: readonly Appointment[]): string {
  return stringify(
    list.map((a) => [a.date, a.time, defuse(a.mrn), initials(a.patientName), defuse(a.serial), defuse(a.homeVisit ? 'Home visit' : (a.room ?? '')), defuse(a.clinician ?? ''), a.state]),
    { header: true, columns: [...APPOINTMENT_CSV_COLUMNS] },
  );
}
