/** The audit viewer's requests: list with filters, chain verification, CSV export. */
import type { AuditEntry } from '../../../shared/contract/audit';
import type { ParsedInputOf } from '../../../shared/contract';
import { fail, ok, type Result } from '../../../shared/contract/result';
import type { FeatureHandlers, HandlerContext } from '../handler-types';
import type { AuditFilter, AuditLog } from './log';
import { auditCsv } from './csv';
import { addDays, calendarDate } from '../../../shared/domain/calendar';

/** The UTC instant a calendar day starts in `timeZone`. */
export function startOfDayMs(date: string, timeZone: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const wall = Date.UTC(y, m - 1, d);
  const offset = (t: number) => {
    const parts = Object.fromEntries(
      new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
        .formatToParts(t)
        .map((p) => [p.type, p.value]),
    );
    return Date.UTC(+parts.year!, +parts.month! - 1, +parts.day!, +parts.hour!, +parts.minute!, +parts.second!) - t;
  };
  const first = wall - offset(wall);
  return wall - offset(first);
}

function filterOf(input: ParsedInputOf<'audit.list'> | ParsedInputOf<'audit.export'>, ctx: HandlerContext): Result<AuditFilter> {
  const tz = ctx.store.catalog.settings().timeZone;
  const f: AuditFilter = { limit: input.limit };
  if (input.username) f.username = input.username;
  if (input.patientId !== undefined) f.patientId = input.patientId;
  if (input.mrn !== undefined) {
    const patient = ctx.store.patients.findByMrn(input.mrn);
    if (!patient) return fail('not_found', `No patient has the MRN ${input.mrn}.`, 'mrn');
    if (f.patientId !== undefined && f.patientId !== patient.id) return fail('invalid_input', 'The MRN and the patient id name different patients.', 'mrn');
    f.patientId = patient.id;
  }
  if (input.action) f.action = input.action;
  if (input.from) f.fromMs = startOfDayMs(input.from, tz);
  if (input.to) {
    // The day after `to` (the contract keeps `to` at most 2199-12-31, so the next day is a date too).
    f.toMs = startOfDayMs(addDays(calendarDate(input.to), 1), tz);
  }
  if (f.fromMs !== undefined && f.toMs !== undefined && f.toMs <= f.fromMs) return fail('invalid_input', 'Must be on or after the start of the period.', 'to');
  return ok(f);
}

export function auditHandlers(log: AuditLog): FeatureHandlers<'audit.list' | 'audit.verify' | 'audit.export'> {
  return {
    'audit.list': (input, ctx) => {
      const f = filterOf(input, ctx);
      return f.ok ? ok<AuditEntry[]>(log.query(f.value)) : f;
    },
    'audit.verify': () => ok(log.verify()),
    'audit.export': (input, ctx) => {
      const f = filterOf(input, ctx);
      if (!f.ok) return f;
      const entries = log.query(f.value);
      return ok({ csv: auditCsv(entries), rows: entries.length });
    },
  };
}
