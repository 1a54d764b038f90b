/** `reservoir appointments --db FILE --from D --to D [--format ics|csv]`: refill appointments for a calendar. */
import { appointmentListInput } from '../../shared/contract/appointments';
import { assertNever } from '../../shared/contract/result';
import { todayIn } from '../../shared/domain/calendar';
import { appointmentsToCsv, appointmentsToIcs } from '../services/features/appointments/ical';
import { appointmentRepository } from '../services/features/appointments/repository';
import { EXIT, line, parseCommand, stringOption, UsageError, type CliIo, type ExitCode } from './args';
import { openStore } from './database';

export const APPOINTMENTS_HELP = `Usage: reservoir appointments --db FILE [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--format ics|csv]

Refill appointments from --from to --to (both included; default: today in the clinic's time zone
to 30 days later), in date and time order, printed to standard output:
  ics  an iCalendar file (RFC 5545) for the clinic's calendar: one 30-minute event per appointment,
       in UTC, titled "Pump refill: MRN (initials)", with the room or home visit, the pump's serial,
       the clinician; cancelled ones as STATUS:CANCELLED
  csv  date, time, mrn, initials, serial, place, clinician, state
Neither carries the patient's name, birth date, drug or dose (docs/security.md).

Options:
  --db FILE        the clinic database (must exist)
  --from DATE      the first day (default: today)
  --to DATE        the last day (default: 30 days after --from)
  --format FORMAT  ics (default) or csv
  -h, --help       show this help

Exit status: 0 printed, 1 database problem, 2 bad usage.
`;

const FORMATS = ['ics', 'csv'] as const;
type Format = (typeof FORMATS)[number];
const isFormat = (s: string): s is Format => (FORMATS as readonly string[]).includes(s);

export function runAppointments(args: string[], io: CliIo): ExitCode {
  const parsed = parseCommand(args, { db: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, format: { type: 'string' } });
  if (parsed.help) {
    io.out(APPOINTMENTS_HELP);
    return EXIT.ok;
  }
  const db = stringOption(parsed, 'db', true);
  if (parsed.positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(parsed.positionals[0])}`);
  const format = stringOption(parsed, 'format') ?? 'ics';
  if (!isFormat(format)) throw new UsageError(`--format must be ics or csv (got ${JSON.stringify(format)})`);
  const opened = openStore(db, { mustExist: true, now: io.now, keys: parsed.keys, io });
  if (!opened.ok) {
    io.err(line(`reservoir appointments: ${opened.message}`));
    return EXIT.refused;
  }
  try {
    const { ctx } = opened.value;
    const settings = ctx.store.catalog.settings();
    const from = stringOption(parsed, 'from') ?? todayIn(settings.timeZone, io.now());
    const to = stringOption(parsed, 'to') ?? new Date(Date.parse(`${from}T00:00:00Z`) + 30 * 86_400_000).toISOString().slice(0, 10);
    const checked = appointmentListInput.safeParse({ from, to });
    if (!checked.success) {
      const issue = checked.error.issues[0];
      throw new UsageError(`--${String(issue?.path[0] ?? 'from')} ${issue?.message ?? 'is not valid'}`);
    }
    const list = appointmentRepository(ctx.store).between(from, to);
    switch (format) {
      case 'ics':
        io.out(appointmentsToIcs(list, { clinicName: settings.clinicName, timeZone: settings.timeZone, nowMs: io.now() }));
        return EXIT.ok;
      case 'csv':
        io.out(appointmentsToCsv(list));
        return EXIT.ok;
    }
    return assertNever(format, 'format');
  } finally {
    opened.value.close();
  }
}
