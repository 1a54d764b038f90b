/** `reservoir generate --db FILE --patients N --years Y [--seed S] [--as-of DATE]`: a synthetic clinic. */
import { parseCalendarDate, todayIn, type CalendarDate } from '../../shared/domain/calendar';
import { generateClinic, isEmptyClinic } from '../services/generate/generate';
import { EXIT, line, parseCommand, stringOption, UsageError, type CliIo, type ExitCode } from './args';
import { openStore, removeCreated } from './database';

export const GENERATE_HELP = `Usage: reservoir generate --db FILE --patients N --years Y [--seed S] [--as-of YYYY-MM-DD]

Fill a new, empty clinic database FILE with a deterministic synthetic clinic: N patients followed
over Y years ending at the as-of date, with pumps (SynchroMed II 20/40 mL, Prometra II 20 mL), drugs
and admixtures, refills before the low-reservoir alarm, dose changes, adverse events, MRI scans,
therapy reversals and end-of-service replacements. Everything passes the same checks as real
entries. The same seed and as-of date always give the same database. For testing and demos only:
a database that already holds patients or pumps is refused.

Options:
  --db FILE         the database to create (or an existing empty one)
  --patients N      how many patients, 1-100000
  --years Y         how many years of history, 1-40
  --seed S          the random seed, a whole number 0-4294967295 (default 1)
  --as-of DATE      the last day of the history (default: today, UTC)
  -h, --help        show this help

Progress goes to stderr; the counts and the time taken to stdout.
Exit status: 0 generated, 1 refused (database not empty, database problem), 2 bad usage.
`;

function wholeNumber(raw: string | undefined, name: string, min: number, max: number, fallback?: number): number {
  if (raw === undefined) {
    if (fallback === undefined) throw new UsageError(`--${name} is required`);
    return fallback;
  }
  const n = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new UsageError(`--${name} must be a whole number from ${min} to ${max} (got ${JSON.stringify(raw)})`);
  return n;
}

export function runGenerate(args: string[], io: CliIo): ExitCode {
  const parsed = parseCommand(args, {
    db: { type: 'string' },
    patients: { type: 'string' },
    years: { type: 'string' },
    seed: { type: 'string' },
    'as-of': { type: 'string' },
  });
  if (parsed.help) {
    io.out(GENERATE_HELP);
    return EXIT.ok;
  }
  const db = stringOption(parsed, 'db', true);
  if (parsed.positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(parsed.positionals[0])}`);
  const patients = wholeNumber(stringOption(parsed, 'patients'), 'patients', 1, 100_000);
  const years = wholeNumber(stringOption(parsed, 'years'), 'years', 1, 40);
  const seed = wholeNumber(stringOption(parsed, 'seed'), 'seed', 0, 0xffffffff, 1);
  const asOfRaw = stringOption(parsed, 'as-of');
  let asOf: CalendarDate;
  if (asOfRaw === undefined) asOf = todayIn('UTC', io.now());
  else {
    const checked = parseCalendarDate(asOfRaw, 'asOf');
    if (!checked.ok) throw new UsageError(`--as-of must be a real date YYYY-MM-DD (got ${JSON.stringify(asOfRaw)})`);
    asOf = checked.value;
  }

  const started = io.now();
  const opened = openStore(db, { mustExist: false, now: io.now, keys: parsed.keys, io });
  if (!opened.ok) {
    io.err(line(`reservoir generate: ${opened.message}`));
    return EXIT.refused;
  }
  const { ctx, created } = opened.value;
  if (!isEmptyClinic(ctx)) {
    opened.value.close();
    io.err(line(`reservoir generate: ${db} already holds patients or pumps; synthetic data is only written into a new, empty database.`));
    return EXIT.refused;
  }
  let counts: ReturnType<typeof generateClinic>;
  try {
    counts = generateClinic(ctx, { patients, years, seed, asOf, onProgress: (done, total) => io.err(line(`generated ${done}/${total} patients`)) });
  } catch (e) {
    opened.value.close();
    if (created) removeCreated(db);
    io.err(line(`reservoir generate: ${(e as Error).message}`));
    return EXIT.refused;
  }
  opened.value.close();
  const seconds = ((io.now() - started) / 1000).toFixed(1);
  io.out(
    line(
      `Generated ${db} (seed ${seed}, ${years} years to ${asOf}): ${counts.patients} patients, ${counts.pumps} pumps, ${counts.refills} refills ` +
        `(${counts.flaggedRefills} flagged), ${counts.doseChanges} dose changes, ${counts.events} events, ${counts.reversals} reversals, ` +
        `${counts.removals} removals in ${seconds} s.`,
    ),
  );
  return EXIT.ok;
}
