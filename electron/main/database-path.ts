/**
 * Where the desktop app keeps its data, from its command line and environment:
 * database file = `--db FILE` (or `--db=FILE`), else `$RESERVOIR_DB`, else `<userData>/reservoir.db`;
 * `--demo` loads the demo clinic into an empty database;
 * `--export-recovery-key FILE` writes the database's recovery key to FILE and quits (key-store.ts);
 * `$RESERVOIR_USER_DATA` moves userData (window state, default database, single-instance lock), for
 * end-to-end tests that must not touch a person's own profile.
 */
import path from 'node:path';
import { fail, ok, type Result } from '../../shared/contract/result';

export const DEFAULT_DATABASE_FILE = 'reservoir.db';

export interface LaunchArgs {
  /** `--db FILE` as given, or null. */
  db: string | null;
  demo: boolean;
  /** `--export-recovery-key FILE`: write the database's recovery key there, then quit. */
  exportRecoveryKey?: string;
}

/**
 * Reads `--db` and `--demo` anywhere in `argv` (Electron's argv also holds the executable, the app
 * folder in development, and Chromium switches, which are left alone).
 */
export function parseLaunchArgs(argv: readonly string[]): Result<LaunchArgs> {
  let db: string | null = null;
  let demo = false;
  let exportRecoveryKey: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--demo') {
      demo = true;
    } else if (arg === '--db') {
      const value = argv[i + 1];
      if (value === undefined || value === '' || value.startsWith('--')) {
        return fail('invalid_input', '--db needs a database file name, for example --db clinic.db.', 'db');
      }
      db = value;
      i++;
    } else if (arg === '--export-recovery-key') {
      const value = argv[i + 1];
      if (value === undefined || value === '' || value.startsWith('--')) {
        return fail('invalid_input', '--export-recovery-key needs the file to write the recovery key to, for example --export-recovery-key E:\\reservoir-recovery-key.txt.', 'exportRecoveryKey');
      }
      exportRecoveryKey = value;
      i++;
    } else if (arg.startsWith('--db=')) {
      const value = arg.slice('--db='.length);
      if (value === '') return fail('invalid_input', '--db needs a database file name, for example --db=clinic.db.', 'db');
      db = value;
    }
  }
  return ok({ db, demo, ...(exportRecoveryKey === null ? {} : { exportRecoveryKey }) });
}

export interface DatabasePathInputs {
  args: LaunchArgs;
  env: Readonly<Record<string, string | undefined>>;
  userData: string;
  cwd: string;
}

/** The absolute path of the database file. */
export function resolveDatabasePath({ args, env, userData, cwd }: DatabasePathInputs): string {
  const chosen = args.db ?? (env.RESERVOIR_DB?.trim() || null);
  return chosen === null ? path.join(userData, DEFAULT_DATABASE_FILE) : path.resolve(cwd, chosen);
}

/** `<appData>/<name>`, or `$RESERVOIR_USER_DATA` when set. */
export function resolveUserDataDir(env: Readonly<Record<string, string | undefined>>, appData: string, appName: string, cwd: string): string {
  const override = env.RESERVOIR_USER_DATA?.trim();
  return override ? path.resolve(cwd, override) : path.join(appData, appName);
}
