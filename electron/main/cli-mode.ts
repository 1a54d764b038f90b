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
 * Linux computer without a display). They are Chromium's, not the CLI's, so they neither make a
 * start a command line nor reach the CLI.
 */
const ENGINE_SWITCH = /^--(?:ozone-platform|disable-gpu|enable-logging|disable-dev-shm-usage)(?:=.*)?$/;

/**
 * Switches that would turn Chromium's sandbox off for the whole process (the command line's hidden
 * print window loads the console's print view; the Electron security checklist wants the sandbox on).
 * Chromium reads its switches anywhere on the command line, so they are looked for everywhere.
 */
const SANDBOX_OFF = /^--(?:no-sandbox|disable-setuid-sandbox|no-zygote-sandbox|disable-gpu-sandbox)(?:=.*)?$/;

/** The message (and exit status 2) when a command line is started with the sandbox turned off. */
export function sandboxRefusalMessage(flag: string): string {
  return `reservoir: ${flag} is refused: the command line runs with Chromium's sandbox on (docs/security.md). Run it as an ordinary account, not root (Chromium needs --no-sandbox only as root): for a service, a dedicated user such as "reservoir".\n`;
}

/** How this start of the app goes: the console, a command line, or a command line refused. */
export type CliStart = { kind: 'console' } | { kind: 'command'; args: string[] } | { kind: 'refused'; message: string; exitCode: 2 };

/**
 * `argv` is Electron's process.argv: the executable, then (development, `defaultApp`) Chromium
 * switches and the app's folder or main script, then the user's arguments. A command line is:
 * - `--cli` (after any engine switches): the arguments after it, whatever they are;
 * - a first argument that is not an option (`report`, `worklist`, `help`, a misspelt command: the
 *   console itself takes no positional arguments, so the CLI answers, with exit status 2 if wrong);
 * - `--help` or `-h`.
 * Anything else (no arguments, `--db FILE`, `--demo`, `--export-recovery-key FILE`, macOS's `-psn_…`)
 * opens the console. A command line with a switch that turns the sandbox off anywhere in `argv`
 * (a sandbox switch before the command counts as part of the command line) is refused: usage error,
 * exit status 2, nothing run.
 */
export function cliStart(argv: readonly string[], defaultApp: boolean): CliStart {
  let i = 1;
  if (defaultApp) {
    while (i < argv.length && argv[i]!.startsWith('-')) i++;
    i++; // the app's folder or main script
  }
  while (i < argv.length && (ENGINE_SWITCH.test(argv[i]!) || SANDBOX_OFF.test(argv[i]!))) i++;
  const user = argv.slice(i);
  const first = user[0];
  let args: string[] | null = null;
  if (first === CLI_MARKER) args = user.slice(1);
  else if (first !== undefined && (first === '--help' || first === '-h' || !first.startsWith('-'))) args = user;
  if (args === null) return { kind: 'console' };
  const off = argv.slice(1).find((a) => SANDBOX_OFF.test(a));
  if (off !== undefined) return { kind: 'refused', message: sandboxRefusalMessage(off.split('=')[0]!), exitCode: 2 };
  return { kind: 'command', args };
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
