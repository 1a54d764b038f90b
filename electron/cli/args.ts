/**
 * What every command shares: the output streams, exit codes, usage errors and option parsing.
 */
import { parseArgs } from 'node:util';

/** Exit codes: 0 success, 1 refused data (import errors, database problems), 2 bad usage. */
export const EXIT = { ok: 0, refused: 1, usage: 2 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** Where a command writes, and its clock; tests pass their own. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  now(): number;
}

export const processIo: CliIo = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
  now: Date.now,
};

/** Bad usage: reported with a pointer to `--help`, exit code 2. */
export class UsageError extends Error {}

export type OptionSpec = Record<string, { type: 'string' | 'boolean'; short?: string }>;

export interface Parsed {
  help: boolean;
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

/** Parses a command's arguments strictly (unknown options are usage errors); `-h`/`--help` always allowed. */
export function parseCommand(args: string[], options: OptionSpec): Parsed {
  try {
    const { values, positionals } = parseArgs({
      args,
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
    const { help, ...rest } = values as Record<string, string | boolean | undefined>;
    return { help: help === true, values: rest, positionals };
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
