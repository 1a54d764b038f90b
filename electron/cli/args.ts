/**
 * What every command shares: the output streams, exit codes, usage errors and option parsing.
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import type { PdfRenderer } from '../services/features/reports/jobs';

/** Exit codes: 0 success, 1 refused data (import errors, database problems), 2 bad usage. */
export const EXIT = { ok: 0, refused: 1, usage: 2 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** Where a command writes, and its clock; tests pass their own. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  now(): number;
  /** Standard input as text (`reservoir key import` reads the recovery key there); tests pass their own. */
  input?: () => string;
  /** Environment variables (RESERVOIR_KEY_FILE); default process.env. */
  env?: NodeJS.ProcessEnv;
  /**
   * Electron's PDF printer, when the command runs inside the desktop app (electron/main/cli-mode.ts);
   * absent under Node, where `report` prints with headless Chromium (cli/pdf-printer.ts).
   */
  pdf?: PdfRenderer;
}

export const processIo: CliIo = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
  now: Date.now,
  input: () => fs.readFileSync(0, 'utf8'),
};

/** Bad usage: reported with a pointer to `--help`, exit code 2. */
export class UsageError extends Error {}

export type OptionSpec = Record<string, { type: 'string' | 'boolean'; short?: string }>;

export interface Parsed {
  help: boolean;
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
  /** `--key-file FILE` and `--plain`, which every command accepts (electron/cli/keys.ts). */
  keys: KeyOptions;
}

export interface KeyOptions {
  keyFile?: string;
  /** A new database is created unencrypted (tests, the bench's sqlite3 comparisons). */
  plain: boolean;
}

/** Parses a command's arguments strictly (unknown options are usage errors); `-h`/`--help` always allowed. */
export function parseCommand(args: string[], options: OptionSpec): Parsed {
  try {
    const { values, positionals } = parseArgs({
      args,
      options: { ...options, help: { type: 'boolean', short: 'h' }, 'key-file': { type: 'string' }, plain: { type: 'boolean' } },
      allowPositionals: true,
      strict: true,
    });
    const { help, 'key-file': keyFile, plain, ...rest } = values as Record<string, string | boolean | undefined>;
    if (keyFile === '') throw new UsageError('--key-file needs a file name');
    return { help: help === true, values: rest, positionals, keys: { ...(typeof keyFile === 'string' ? { keyFile } : {}), plain: plain === true } };
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

/** A string option's value, or a usage error when it is required and missing. */
export function stringOption(parsed: Parsed, name: string, required: true): string;
export function stringOption(parsed: Parsed, name: string, required?: false): string | undefined;
export function stringOption(parsed: Parsed, name: string, required = false): string | undefined {
  const value = parsed.values[name];
  if (typeof value === 'string' && value !== '') return value;
  if (required) throw new UsageError(`--${name} is required`);
  return undefined;
}

export const line = (text: string): string => (text.endsWith('\n') ? text : `${text}\n`);
