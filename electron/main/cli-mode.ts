/**
 * The installed app as a command line (no Node.js on an administrator's computer, and the RunAsNode
 * fuse off): `Reservoir report …`, `reservoir worklist …` (the launchers in build/bin/), or
 * `Reservoir --cli …`. This module decides from the process's arguments whether this start is a
 * command line, and runs the bundled CLI (dist-electron/cli.cjs) with the exit code passed through.
 * Pure: main.ts gives it Electron's parts.
 */
import type { CliIo } from '../cli/args';
import type { PdfRenderer } from '../services/features/reports/jobs';

/** Marks a command line explicitly; everything after it goes to the CLI. */
export const CLI_MARKER = '--cli';

/**
 * Engine switches a launcher may put before the command (build/bin/reservoir adds the first two on a
 * Linux computer without a display; root in a container needs --no-sandbox). They are Chromium's,
 * not the CLI's, so they neither make a start a command line nor reach the CLI.
 */
const ENGINE_SWITCH = /^--(?:ozone-platform|disable-gpu|no-sandbox|enable-logging|disable-dev-shm-usage)(?:=.*)?$/;

/**
 * The CLI's arguments when this start of the app is a command line, else null (open the console).
 * `argv` is Electron's process.argv: the executable, then (development, `defaultApp`) Chromium
 * switches and the app's folder or main script, then the user's arguments. A command line is:
 * - `--cli` (after any engine switches): the arguments after it, whatever they are;
 * - a first argument that is not an option (`report`, `worklist`, `help`, a misspelt command: the
 *   console itself takes no positional arguments, so the CLI answers, with exit status 2 if wrong);
 * - `--help` or `-h`.
 * Anything else (no arguments, `--db FILE`, `--demo`, `--export-recovery-key FILE`, macOS's `-psn_…`)
 * opens the console.
 */
export function cliArguments(argv: readonly string[], defaultApp: boolean): string[] | null {
  let i = 1;
  if (defaultApp) {
    while (i < argv.length && argv[i]!.startsWith('-')) i++;
    i++; // the app's folder or main script
  }
  while (i < argv.length && ENGINE_SWITCH.test(argv[i]!)) i++;
  const user = argv.slice(i);
  const first = user[0];
  if (first === undefined) return null;
  if (first === CLI_MARKER) return user.slice(1);
  if (first === '--help' || first === '-h' || !first.startsWith('-')) return user;
  return null;
}

/** What dist-electron/cli.cjs exports (electron/cli/entry.ts). */
export interface CliBundle {
  mainAsync(argv: readonly string[], io?: CliIo): Promise<number>;
  restrictUmask(): void;
  /** Sets the database driver's native build for the whole process (electron/services/store/connect.ts). */
  useNativeBinding(file: string | undefined): void;
  processIo: CliIo;
}

export interface CliModeDeps {
  /** Loads dist-electron/cli.cjs (beside main.cjs). */
  load(): CliBundle;
  /** Electron's printToPDF renderer (a hidden window on the console's print view). */
  pdf: PdfRenderer;
  /** Electron's own build of the database driver in development (.electron-native/); undefined when packaged (electron-builder rebuilt node_modules' one). */
  nativeBinding: string | undefined;
  /** Resolves once stdout and stderr have written everything. */
  flush(): Promise<void>;
  /** app.exit(code). */
  exit(code: number): void;
  /** Writes to stderr. */
  err(text: string): void;
}

/** Runs the command line, then exits with its exit code (0 done, 1 refused, 2 bad usage); 1 when the CLI itself cannot start. */
export async function runCommandLine(args: readonly string[], deps: CliModeDeps): Promise<number> {
  let code: number;
  try {
    const cli = deps.load();
    cli.restrictUmask(); // everything a command writes is owner-only (docs/security.md)
    cli.useNativeBinding(deps.nativeBinding);
    code = await cli.mainAsync(args, { ...cli.processIo, pdf: deps.pdf });
  } catch (e) {
    deps.err(`reservoir: the command line could not start: ${(e as Error).message}\n`);
    code = 1;
  }
  try {
    await deps.flush();
  } finally {
    deps.exit(code);
  }
  return code;
}
