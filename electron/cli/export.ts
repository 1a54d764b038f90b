/** `reservoir export --db FILE --out DIR`: the full record as interchange files. */
import { exportRecord } from '../services/features/interchange/export';
import { EXIT, line, parseCommand, stringOption, UsageError, type CliIo, type ExitCode } from './args';
import { openStore } from './database';
import { describeCounts } from './import';

export const EXPORT_HELP = `Usage: reservoir export --db FILE --out DIR

Write the whole record of the clinic database FILE as the seven interchange files
(patients.csv, pumps.csv, refills.csv, dose_changes.csv, reversals.csv, removals.csv) into the
folder DIR, in exactly the format import reads (docs/import-format.md). The folder is created if
needed; files of those names already in it are replaced. Every file has its header row, even
when it has no rows.

Options:
  --db FILE    the clinic database (must exist)
  --out DIR    the folder to write to
  -h, --help   show this help

Exit status: 0 written, 1 database or file problem, 2 bad usage.
`;

export function runExport(args: string[], io: CliIo): ExitCode {
  const parsed = parseCommand(args, { db: { type: 'string' }, out: { type: 'string' } });
  if (parsed.help) {
    io.out(EXPORT_HELP);
    return EXIT.ok;
  }
  const db = stringOption(parsed, 'db', true);
  const out = stringOption(parsed, 'out', true);
  if (parsed.positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(parsed.positionals[0])}`);

  const opened = openStore(db, { mustExist: true, now: io.now, keys: parsed.keys, io });
  if (!opened.ok) {
    io.err(line(`reservoir export: ${opened.message}`));
    return EXIT.refused;
  }
  let result: ReturnType<typeof exportRecord>;
  try {
    result = exportRecord(opened.value.ctx, out);
  } finally {
    opened.value.close();
  }
  if (!result.ok) {
    io.err(line(`reservoir export: ${result.error.message}`));
    return EXIT.refused;
  }
  io.out(line(`Exported ${db} to ${out}: ${describeCounts(result.value.rows, ['refill row', 'refill rows'], true)}.`));
  for (const note of result.value.notes) io.err(line(`note: ${note}`));
  return EXIT.ok;
}
