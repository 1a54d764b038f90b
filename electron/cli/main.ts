/**
 * The `reservoir` command line: the clinic record under plain Node, on the same store and domain
 * code as the app (no Electron). `bin/reservoir.mjs` runs `main(process.argv.slice(2))`.
 */
import { assertNever } from '../../shared/contract/result';
import { EXIT, line, processIo, UsageError, type CliIo, type ExitCode } from './args';
import { runExport } from './export';
import { runGenerate } from './generate';
import { runImport } from './import';
import { runWorklist } from './worklist';
import { runAppointments } from './appointments';
import { runAudit } from './audit';
import { runBackup, runRestore } from './backup';
import { storageError } from '../services/storage-errors';
import { runEncrypt, runKey } from './keys';

export const COMMANDS = ['import', 'export', 'worklist', 'generate', 'audit', 'backup', 'restore', 'encrypt', 'key', 'appointments'] as const;
export type Command = (typeof COMMANDS)[number];
const isCommand = (s: string): s is Command => (COMMANDS as readonly string[]).includes(s);

export const MAIN_HELP = `Usage: reservoir <command> [options]

The Reservoir clinic record from the command line (no window needed).

Commands:
  import    --db FILE DIR                      import spreadsheet files (CSV), all or nothing
  export    --db FILE --out DIR                write the whole record as the same CSV files
  worklist  --db FILE [--as-of D] [--days N] [--format table|csv|json]
                                               the refill worklist (or --server URL: from the clinic server)
  appointments --db FILE [--from D] [--to D] [--format ics|csv]
                                               refill appointments for the clinic's calendar
  generate  --db FILE --patients N --years Y [--seed S] [--as-of D]
                                               a synthetic clinic in a new, empty database
  audit verify --db FILE                       check the audit trail's hash chain (read-only)
  backup    --db FILE [--to DIR]               a consistent copy, named with its time and schema
  restore   --db FILE --from BACKUP            verify a backup and put it in place (old one kept)
  encrypt   --db FILE [--remove-plain-copies]  encrypt an unencrypted database (all or nothing)
  key       export|import --db FILE            show the recovery key / keep one on this computer
  report    NAME --db FILE [--from D] [--to D] --format csv|xlsx|pdf|json|fhir --out FILE
                                               a report or export (reservoir report --help lists them)
  serve     --db FILE [--host ADDR] [--port N] [--tls-cert F --tls-key F]
                                               the clinic server for every workstation (docs/deployment.md)

Encrypted databases: every command opens FILE with the key kept for it on this computer; give
another with --key-file KEYFILE (or RESERVOIR_KEY_FILE). New databases are encrypted unless --plain.

Run 'reservoir <command> --help' for a command's options.
Exit status: 0 success, 1 refused (bad data, database problem), 2 bad usage.
`;

function run(command: Command, args: string[], io: CliIo): ExitCode {
  switch (command) {
    case 'import':
      return runImport(args, io);
    case 'export':
      return runExport(args, io);
    case 'worklist':
      return runWorklist(args, io);
    case 'generate':
      return runGenerate(args, io);
    case 'audit':
      return runAudit(args, io);
    case 'backup':
      return runBackup(args, io);
    case 'restore':
      return runRestore(args, io);
    case 'encrypt':
      return runEncrypt(args, io);
    case 'key':
      return runKey(args, io);
    case 'appointments':
      return runAppointments(args, io);
  }
  return assertNever(command, 'command');
}

/**
 * Runs one command line, the asynchronous commands (`report`) included; answers the exit code.
 * Never throws. `bin/reservoir.mjs` uses this one.
 */
export async function mainAsync(argv: readonly string[], io: CliIo = processIo): Promise<ExitCode> {
  const [first, ...rest] = argv;
  if (first === 'help' && (rest[0] === 'report' || rest[0] === 'serve')) return mainAsync([rest[0], '--help'], io);
  if (first === 'serve') return serve(rest, io);
  if (first === 'worklist' && rest.some((a) => a === '--server' || a.startsWith('--server='))) return remoteWorklist(rest, io);
  if (first !== 'report') return main(argv, io);
  try {
    // Loaded only for reports: their PDF (playwright-core) and XLSX (exceljs) writers take about
    // 0.3 s to load, which every other command would otherwise pay at start.
    const { runReport } = await import('./report');
    return await runReport(rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(line(`reservoir report: ${e.message}`));
      io.err(line(`Run 'reservoir report --help' for usage.`));
      return EXIT.usage;
    }
    io.err(line(`reservoir report: ${failure(e)}`));
    return EXIT.refused;
  }
}

/** `reservoir serve`: runs until SIGTERM or Ctrl+C; loaded only for it. */
async function serve(args: string[], io: CliIo): Promise<ExitCode> {
  try {
    const { runServe } = await import('./serve');
    return await runServe(args, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(line(`reservoir serve: ${e.message}`));
      io.err(line(`Run 'reservoir serve --help' for usage.`));
      return EXIT.usage;
    }
    io.err(line(`reservoir serve: ${failure(e)}`));
    return EXIT.refused;
  }
}

/** `reservoir worklist --server`: asynchronous (the network); loaded only for it. */
async function remoteWorklist(args: string[], io: CliIo): Promise<ExitCode> {
  try {
    const { runRemoteWorklist } = await import('./worklist');
    return await runRemoteWorklist(args, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(line(`reservoir worklist: ${e.message}`));
      io.err(line(`Run 'reservoir worklist --help' for usage.`));
      return EXIT.usage;
    }
    io.err(line(`reservoir worklist: ${failure(e)}`));
    return EXIT.refused;
  }
}

/** What a command that threw says: a full disk, a read-only file or a busy database in words (`storageError`), else an internal error. */
function failure(e: unknown): string {
  const storage = storageError(e);
  if (storage !== null) return storage.message;
  return `internal error: ${(e as Error).message}`;
}

/** Runs one command line of a synchronous command; answers the exit code. Never throws. */
export function main(argv: readonly string[], io: CliIo = processIo): ExitCode {
  const [first, ...rest] = argv;
  if (first === 'report' || first === 'serve' || (first === 'help' && (rest[0] === 'report' || rest[0] === 'serve'))) {
    io.err(line(`reservoir ${first === 'help' ? rest[0] : first} runs asynchronously: call mainAsync (bin/reservoir.mjs does).`));
    return EXIT.usage;
  }
  if (first === '--help' || first === '-h' || first === 'help') {
    const topic = rest[0];
    if (first === 'help' && topic !== undefined && isCommand(topic)) return main([topic, '--help'], io);
    io.out(MAIN_HELP);
    return EXIT.ok;
  }
  if (first === undefined) {
    io.err(MAIN_HELP);
    return EXIT.usage;
  }
  if (!isCommand(first)) {
    io.err(line(`reservoir: unknown command ${JSON.stringify(first)}. Run 'reservoir --help' for the commands.`));
    return EXIT.usage;
  }
  try {
    return run(first, rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(line(`reservoir ${first}: ${e.message}`));
      io.err(line(`Run 'reservoir ${first} --help' for usage.`));
      return EXIT.usage;
    }
    io.err(line(`reservoir ${first}: ${failure(e)}`));
    return EXIT.refused;
  }
}
