/** `reservoir worklist --db FILE [--as-of DATE] [--days N] [--format table|csv|json]`. */
import { stringify } from 'csv-stringify/sync';
import { defuse } from '../services/features/reports/formats';
import { worklistInput, type Worklist, type WorklistRow } from '../../shared/contract/record';
import { assertNever } from '../../shared/contract/result';
import { todayIn } from '../../shared/domain/calendar';
import { worklist } from '../services/features/record/worklist';
import { formatThousandths } from '../services/features/interchange/format';
import { EXIT, line, parseCommand, stringOption, UsageError, type CliIo, type ExitCode } from './args';
import { openStore } from './database';
import { callServer, RemoteError, remoteOptions } from './remote';

export const WORKLIST_HELP = `Usage: reservoir worklist --db FILE [--as-of YYYY-MM-DD] [--days N] [--format table|csv|json]
       reservoir worklist --server https://HOST:PORT [--token-file FILE] [--fingerprint FP] [...]

The refill worklist. It lists the running pumps: implanted pumps whose therapy is running (not
turned off, drained or weaned at a therapy reversal; not explanted), of patients who are not
deceased or transferred. Of these it prints the ones that need attention (estimated empty,
alarming, a severe or life-threatening open adverse event, refill overdue or due within N days,
replacement due, last refill's discrepancy flagged, or any open adverse event), worst first
(empty, alarm, severe event, overdue, due, then the rest), then soonest due first; the title
line counts the rest as on schedule. One row per pump, with
  mrn, serial, last_refill, daily_volume_ml, alarm_date, empty_date (the day the reservoir runs dry),
  next_due, status (overdue: due before the as-of date; due: due within N days; ok),
  discrepancy_flag (of the last refill; empty/null when there is no earlier refill to compare with),
  replacement_due (the pump is within its replacement planning window),
  urgency (the worst that applies: empty: on or after the empty date; alarm: on or after the alarm
    date; overdue; due; ok),
  next_due_rule (what set the next refill date: alarm (the safety margin before the alarm date),
    stability (the drug's stability limit) or max_interval (the maximum interval)),
  days_overdue (days since the next refill date; 0 when it has not passed),
  open_adverse (the worst open adverse event, e.g. "severe overdose"; empty/null when none).
In table and csv output, yes/no stand for true/false and an empty cell (- in the table) for none.

Options:
  --db FILE        the clinic database (must exist)
  --server URL     instead of --db: the clinic server (reservoir serve), as a personal access
                   token from --token-file FILE (chmod 600) or RESERVOIR_TOKEN; --fingerprint
                   pins its self-signed certificate (see reservoir report --help)
  --as-of DATE     the day to look from (default: today in the clinic's time zone)
  --days N         the due window in days, 0-365 (default: the clinic's setting)
  --format FORMAT  table (default), csv or json
  -h, --help       show this help

Exit status: 0 printed, 1 database problem (with --server: unreachable, certificate or token refused),
2 bad usage.
`;

export const WORKLIST_COLUMNS = [
  'mrn',
  'serial',
  'last_refill',
  'daily_volume_ml',
  'alarm_date',
  'empty_date',
  'next_due',
  'status',
  'discrepancy_flag',
  'replacement_due',
  'urgency',
  'next_due_rule',
  'days_overdue',
  'open_adverse',
  // Entries of the pump awaiting an independent double check (issue 17): UNVERIFIED until a second clinician verifies them.
  'awaiting_check',
] as const;

const FORMATS = ['table', 'csv', 'json'] as const;
type Format = (typeof FORMATS)[number];
const isFormat = (s: string): s is Format => (FORMATS as readonly string[]).includes(s);

type Cell = string | number | boolean | null;
type OutRow = Record<(typeof WORKLIST_COLUMNS)[number], Cell>;

function outRow(r: WorklistRow): OutRow {
  return {
    mrn: r.mrn,
    serial: r.serial,
    last_refill: r.lastRefill,
    daily_volume_ml: r.dailyVolumeMl,
    alarm_date: r.alarmDate,
    empty_date: r.emptyDate,
    next_due: r.nextDue,
    status: r.status,
    discrepancy_flag: r.discrepancyFlag,
    replacement_due: r.replacementDue,
    urgency: r.urgency,
    next_due_rule: r.nextDueRule,
    days_overdue: r.daysOverdue,
    open_adverse: r.openAdverse[0] === undefined ? null : `${r.openAdverse[0].severity.replace(/_/g, '-')} ${r.openAdverse[0].kind.replace(/_/g, ' ')}`,
    awaiting_check: r.awaitingVerification,
  };
}

function text(value: Cell, column: string, none: string): string {
  if (value === null) return none;
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'number') return column === 'daily_volume_ml' ? formatThousandths(Math.round(value * 1000)) : String(value);
  return value;
}

export function renderWorklist(list: Worklist, format: Format): string {
  const rows = list.rows.map(outRow);
  switch (format) {
    case 'json':
      return `${JSON.stringify({ as_of: list.asOf, days: list.days, running: list.counts.running, awaiting_double_check: list.counts.awaitingVerification, rows }, null, 2)}\n`;
    case 'csv':
      // Text (MRN, serial) defused for spreadsheets: an MRN recorded before names were checked may begin with "-".
      return stringify(
        rows.map((r) => WORKLIST_COLUMNS.map((c) => (typeof r[c] === 'string' ? defuse(r[c]) : text(r[c], c, '')))),
        { header: true, columns: [...WORKLIST_COLUMNS] },
      );
    case 'table': {
      const c = list.counts;
      const title =
        `Worklist as of ${list.asOf} (due within ${list.days} days): ${rows.length} of ${c.running} running pump${c.running === 1 ? '' : 's'} need attention, ` +
        `${c.empty} estimated empty, ${c.alarm} alarming, ${c.severeAdverse} with a severe open adverse event, ` +
        `${c.overdue} overdue, ${c.due} due, ${c.flagged} flagged, ${c.replacementDue} replacement due; ${c.awaitingVerification} entr${c.awaitingVerification === 1 ? 'y' : 'ies'} awaiting an independent double check\n`;
      if (rows.length === 0) return `${title}${c.running === 0 ? 'No pumps in place and running.' : 'Every pump is on schedule.'}\n`;
      const cells = [[...WORKLIST_COLUMNS], ...rows.map((r) => WORKLIST_COLUMNS.map((col) => text(r[col], col, '-')))];
      const widths = WORKLIST_COLUMNS.map((_, i) => Math.max(...cells.map((row) => row[i]!.length)));
      const body = cells.map((row) => row.map((v, i) => (i === row.length - 1 ? v : v.padEnd(widths[i]!))).join('  ').trimEnd());
      return `${title}${body.join('\n')}\n`;
    }
  }
  return assertNever(format, 'format');
}

interface WorklistArgs {
  help: boolean;
  db: string | undefined;
  remote: { server: string; tokenFile: string | undefined; fingerprint: string | undefined } | null;
  format: Format;
  asOf: string | undefined;
  days: number | undefined;
  keys: ReturnType<typeof parseCommand>['keys'];
}

/** The options of `reservoir worklist`, checked (usage errors thrown). */
export function parseWorklistArgs(args: string[]): WorklistArgs {
  const parsed = parseCommand(args, {
    db: { type: 'string' },
    server: { type: 'string' },
    'token-file': { type: 'string' },
    fingerprint: { type: 'string' },
    'as-of': { type: 'string' },
    days: { type: 'string' },
    format: { type: 'string' },
  });
  const server = stringOption(parsed, 'server');
  const tokenFile = stringOption(parsed, 'token-file');
  const fingerprint = stringOption(parsed, 'fingerprint');
  if (parsed.help) return { help: true, db: undefined, remote: null, format: 'table', asOf: undefined, days: undefined, keys: parsed.keys };
  if (server === undefined && (tokenFile !== undefined || fingerprint !== undefined)) throw new UsageError('--token-file and --fingerprint go with --server');
  if (server !== undefined && stringOption(parsed, 'db') !== undefined) throw new UsageError('--db and --server exclude each other: the database file here, or the clinic server');
  const db = server === undefined ? stringOption(parsed, 'db', true) : undefined;
  if (parsed.positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(parsed.positionals[0])}`);
  const format = stringOption(parsed, 'format') ?? 'table';
  if (!isFormat(format)) throw new UsageError(`--format must be table, csv or json (got ${JSON.stringify(format)})`);
  const asOfRaw = stringOption(parsed, 'as-of');
  const daysRaw = stringOption(parsed, 'days');
  if (daysRaw !== undefined && !/^\d+$/.test(daysRaw)) throw new UsageError(`--days must be a whole number of days (got ${JSON.stringify(daysRaw)})`);
  const checked = worklistInput.safeParse({ asOf: asOfRaw, days: daysRaw === undefined ? undefined : Number(daysRaw) });
  if (!checked.success) {
    const issue = checked.error.issues[0];
    const option = issue?.path[0] === 'days' ? '--days' : '--as-of';
    throw new UsageError(`${option} ${issue?.message ?? 'is not valid'} (got ${JSON.stringify(option === '--days' ? daysRaw : asOfRaw)})`);
  }
  return { help: false, db, remote: server === undefined ? null : { server, tokenFile, fingerprint }, format, asOf: checked.data.asOf, days: checked.data.days, keys: parsed.keys };
}

export function runWorklist(args: string[], io: CliIo): ExitCode {
  const a = parseWorklistArgs(args);
  if (a.help) {
    io.out(WORKLIST_HELP);
    return EXIT.ok;
  }
  if (a.remote !== null) {
    io.err(line('reservoir worklist --server runs asynchronously: call mainAsync (bin/reservoir.mjs does).'));
    return EXIT.usage;
  }
  const opened = openStore(a.db!, { mustExist: true, now: io.now, keys: a.keys, io });
  if (!opened.ok) {
    io.err(line(`reservoir worklist: ${opened.message}`));
    return EXIT.refused;
  }
  try {
    const { ctx } = opened.value;
    const settings = ctx.store.catalog.settings();
    const asOf = a.asOf ?? todayIn(settings.timeZone, io.now());
    const days = a.days ?? settings.dueWindowDays;
    io.out(renderWorklist(worklist(ctx, asOf, days, { limit: null }), a.format));
    return EXIT.ok;
  } finally {
    opened.value.close();
  }
}

/** `reservoir worklist --server URL`: the worklist from the clinic server, as a personal access token (every page of it). */
export async function runRemoteWorklist(args: string[], io: CliIo): Promise<ExitCode> {
  const a = parseWorklistArgs(args);
  if (a.help || a.remote === null) return runWorklist(args, io);
  try {
    const remote = remoteOptions(a.remote, io);
    const input = { ...(a.asOf !== undefined ? { asOf: a.asOf } : {}), ...(a.days !== undefined ? { days: a.days } : {}), limit: 500 };
    let list = await callServer<Worklist>(remote, 'worklist.get', { ...input, offset: 0 });
    const rows = [...list.rows];
    while (rows.length < list.total && list.rows.length > 0) {
      list = await callServer<Worklist>(remote, 'worklist.get', { ...input, asOf: list.asOf, days: list.days, offset: rows.length });
      rows.push(...list.rows);
    }
    io.out(renderWorklist({ ...list, rows, offset: 0 }, a.format));
    return EXIT.ok;
  } catch (e) {
    if (e instanceof UsageError) throw e;
    io.err(line(`reservoir worklist: ${e instanceof RemoteError ? e.message : (e as Error).message}`));
    return EXIT.refused;
  }
}
