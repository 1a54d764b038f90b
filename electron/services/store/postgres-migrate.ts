/**
 * The PostgreSQL migration runner (issue 15, item 3): brings a PostgreSQL database to this
 * version's schema. No engine calls it yet (the async store will, when it opens a database).
 *
 * - `schema_migrations` records every migration applied (version, name, instant); the schema's
 *   version is the highest. SQLite's `PRAGMA user_version` has no PostgreSQL twin.
 * - Each pending migration runs in its own transaction with its row in `schema_migrations`: a
 *   failure rolls that one back and leaves the database at the last migration that committed
 *   (PostgreSQL's DDL is transactional); running again resumes there.
 * - A database whose schema is newer than this version is refused, in the words of the SQLite
 *   refusal (`database_newer`), and so is one whose history names other migrations than these
 *   (`database_damaged`): nothing is changed.
 * - Two runners never work at once: a session-level advisory lock (`MIGRATION_LOCK_KEY`) is taken
 *   with pg_try_advisory_lock; a second runner is refused (`database_busy`) instead of waiting, and
 *   whoever tries again after the first finished finds nothing to do.
 */
import { fail, ok, type Result } from '../../../shared/contract/result';
import { LATEST_POSTGRES_SCHEMA_VERSION, POSTGRES_MIGRATIONS } from './postgres-migrations';
import type { PostgresMigration } from './migrations/types';

/** What the runner needs of its client: a `pg` Client or PoolClient (one session: the lock is the session's). */
export interface PostgresRunnerClient {
  query(sql: string, params?: unknown[]): Promise<{ rows: unknown[] }>;
}

/** The advisory lock every Reservoir migration runner takes (a fixed 64-bit key: the bytes of "RESVMIGR"). */
export const MIGRATION_LOCK_KEY = '5928236114632066898';

export interface AppliedMigrations {
  /** The schema version found. */
  from: number;
  /** The schema version now. */
  to: number;
  /** The versions applied, in order (none: it was up to date). */
  applied: number[];
}

export interface RunnerOptions {
  /** The migrations (tests pass a list of their own). */
  migrations?: readonly PostgresMigration[];
  now?: () => number;
}

const SCHEMA_MIGRATIONS_SQL = `
  CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY CHECK (version > 0),
    name TEXT NOT NULL,
    applied_at_ms BIGINT NOT NULL
  )`;

/** The words of the SQLite refusal (database.ts), for the same situation. */
export function newerSchemaMessage(version: number, latest: number): string {
  return (
    `This database was written by a newer version of Reservoir (schema ${version}; this version knows up to ${latest}). ` +
    'Install the newer Reservoir to open it. Nothing was changed.'
  );
}

/** Applies every pending migration, each in its own transaction, under the migration lock. */
export async function applyPostgresMigrations(client: PostgresRunnerClient, options: RunnerOptions = {}): Promise<Result<AppliedMigrations>> {
  const migrations = [...(options.migrations ?? POSTGRES_MIGRATIONS)].sort((a, b) => a.version - b.version);
  const latest = options.migrations === undefined ? LATEST_POSTGRES_SCHEMA_VERSION : migrations.reduce((max, m) => Math.max(max, m.version), 0);
  const now = options.now ?? Date.now;

  let locked: boolean;
  try {
    const { rows } = await client.query('SELECT pg_try_advisory_lock($1::bigint) AS locked', [MIGRATION_LOCK_KEY]);
    locked = (rows[0] as { locked: boolean }).locked;
  } catch (e) {
    return fail('internal', `The database could not be asked for the migration lock: ${(e as Error).message}. Nothing was changed.`);
  }
  if (!locked) {
    return fail(
      'database_busy',
      'Another Reservoir is upgrading this database right now (it holds the migration lock). Wait for it to finish and try again; nothing was changed.',
    );
  }

  try {
    let history: { version: number; name: string }[];
    try {
      await client.query(SCHEMA_MIGRATIONS_SQL);
      history = (await client.query('SELECT version, name FROM schema_migrations ORDER BY version')).rows as { version: number; name: string }[];
    } catch (e) {
      return fail('internal', `The database's schema version could not be read: ${(e as Error).message}. Nothing was changed.`);
    }
    const from = history.reduce((max, h) => Math.max(max, h.version), 0);
    if (from > latest) return fail('database_newer', newerSchemaMessage(from, latest));
    const problem = historyProblem(history, migrations);
    if (problem !== null) {
      return fail('database_damaged', `This database's migration history is not this Reservoir's: ${problem}. Nothing was changed.`);
    }

    const applied: number[] = [];
    let at = from;
    for (const m of migrations.filter((x) => x.version > from)) {
      try {
        await client.query('BEGIN');
        await m.up(client);
        await client.query('INSERT INTO schema_migrations (version, name, applied_at_ms) VALUES ($1, $2, $3)', [m.version, m.name, now()]);
        await client.query('COMMIT');
      } catch (e) {
        await client.query('ROLLBACK').catch(() => undefined);
        return fail(
          'internal',
          `Migration ${m.version} ("${m.name}") could not be applied and was rolled back: ${(e as Error).message}. ` +
            `The database stays at schema ${at}.`,
        );
      }
      applied.push(m.version);
      at = m.version;
    }
    return ok({ from, to: at, applied });
  } finally {
    await client.query('SELECT pg_advisory_unlock($1::bigint)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
  }
}

/** Why the recorded history is not a prefix of these migrations (a gap, another name), or null. */
function historyProblem(history: readonly { version: number; name: string }[], migrations: readonly PostgresMigration[]): string | null {
  for (const [i, h] of history.entries()) {
    if (h.version !== i + 1) return `migration ${i + 1} is missing from schema_migrations`;
    const ours = migrations.find((m) => m.version === h.version);
    if (ours === undefined) return `migration ${h.version} ("${h.name}") is unknown`;
    if (ours.name !== h.name) return `migration ${h.version} was "${h.name}", here it is "${ours.name}"`;
  }
  return null;
}
