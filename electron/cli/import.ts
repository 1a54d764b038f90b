/** `reservoir import --db FILE DIR`: spreadsheet import, all or nothing. */
import { importRecord } from '../services/features/interchange/import';
import { formatIssue, KINDS, type Kind } from '../services/features/interchange/format';
import type { ImportCounts } from '../services/features/interchange/plan';
import { EXIT, line, parseCommand, stringOption, UsageError, type CliIo, type ExitCode } from './args';
import { openStore, removeCreated } from './database';

export const IMPORT_HELP = `Usage: reservoir import --db FILE DIR

Import the spreadsheet files in the folder DIR into the clinic database FILE.

DIR holds one file per kind of record, each optional: patients.csv, pumps.csv, refills.csv,
dose_changes.csv, reversals.csv, removals.csv (the format: docs/import-format.md).

All or nothing: if any row is wrong, nothing is imported and every bad row is listed as
  file:line: column: reason
Rows already recorded identically are skipped, so importing the same files twice changes nothing.

Options:
  --db FILE    the clinic database (created if it does not exist)
  -h, --help   show this help

Exit status: 0 imported, 1 refused (bad rows, or a database problem), 2 bad usage.
`;

/** The most problems listed (a file with the same mistake on every row would print one a row). */
export const SHOWN_ISSUES = 1000;

const LABELS: Record<Kind, [string, string]> = {
  patients: ['patient', 'patients'],
  pumps: ['pump', 'pumps'],
  refills: ['refill visit', 'refill visits'],
  dose_changes: ['dose change', 'dose changes'],
  reversals: ['reversal', 'reversals'],
  restarts: ['restart', 'restarts'],
  removals: ['removal', 'removals'],
};

/** `4 patients, 1 pump, 6 refill visits` (kinds with no rows left out; refills labelled as given). */
export function describeCounts(counts: ImportCounts, refillLabel: [string, string] = LABELS.refills, all = false): string {
  const parts = KINDS.filter((k) => all || counts[k] > 0).map((k) => {
    const [one, many] = k === 'refills' ? refillLabel : LABELS[k];
    return `${counts[k]} ${counts[k] === 1 ? one : many}`;
  });
  return parts.length === 0 ? 'nothing' : parts.join(', ');
}

export function runImport(args: string[], io: CliIo): ExitCode {
  const parsed = parseCommand(args, { db: { type: 'string' } });
  if (parsed.help) {
    io.out(IMPORT_HELP);
    return EXIT.ok;
  }
  const db = stringOption(parsed, 'db', true);
  if (parsed.positionals.length !== 1) throw new UsageError(parsed.positionals.length === 0 ? 'give the folder to import (DIR)' : 'give exactly one folder to import');
  const dir = parsed.positionals[0]!;

  const opened = openStore(db, { mustExist: false, now: io.now, fullCheck: true, keys: parsed.keys, io });
  if (!opened.ok) {
    io.err(line(`reservoir import: ${opened.message}`));
    return EXIT.refused;
  }
  const { ctx, created } = opened.value;
  let outcome: ReturnType<typeof importRecord>;
  try {
    outcome = importRecord(ctx, dir);
  } finally {
    opened.value.close();
  }
  if (!outcome.ok) {
    if (created) removeCreated(db);
    const n = outcome.issues.length;
    io.err(line(`reservoir import: nothing was imported from ${dir}: ${n} problem${n === 1 ? '' : 's'}`));
    for (const issue of outcome.issues.slice(0, SHOWN_ISSUES)) io.err(line(formatIssue(issue)));
    if (n > SHOWN_ISSUES) io.err(line(`… and ${n - SHOWN_ISSUES} more problems, not listed: correct these first (later rows often repeat the same mistake) and import again.`));
    return EXIT.refused;
  }
  const { created: made, skipped, warnings } = outcome.value;
  io.out(
    line(
      KINDS.some((k) => made[k] > 0)
        ? `Imported from ${dir} into ${db}: ${describeCounts(made)}.`
        : `Nothing new to import from ${dir}: ${db} already holds all of it.`,
    ),
  );
  if (KINDS.some((k) => skipped[k] > 0)) io.out(line(`Already recorded, skipped: ${describeCounts(skipped)}.`));
  for (const w of warnings) io.err(line(`warning: ${formatIssue(w)}`));
  return EXIT.ok;
}
