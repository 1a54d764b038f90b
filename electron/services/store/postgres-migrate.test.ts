/**
 * The PostgreSQL schema (migrations/postgres/0001…) and its runner (postgres-migrate.ts), on a
 * throwaway cluster (testing/postgres.ts): the runner applies every migration once, refuses a newer
 * schema, a foreign history and a second runner; the tables have the SQLite columns and seeded rows;
 * and the rules that protect patients hold on PostgreSQL too, each tried.
 */
import Database from 'better-sqlite3-multiple-ciphers';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from './database';
import { applyPostgresMigrations, MIGRATION_LOCK_KEY, newerSchemaMessage } from './postgres-migrate';
import { LATEST_POSTGRES_SCHEMA_VERSION, POSTGRES_MIGRATIONS } from './postgres-migrations';
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from './migrations';
import type { PostgresMigration } from './migrations/types';
import { postgresUnavailable, startPostgres, type TestCluster } from './testing/postgres';
import { tempDir } from '../testing/temp';

const unavailable = postgresUnavailable();
if (unavailable !== null && process.env.CI) throw new Error(`CI must run the PostgreSQL tests: ${unavailable}`);
const describePg = unavailable === null ? describe : describe.skip;
if (unavailable !== null) console.warn(`postgres-migrate.test.ts skipped: ${unavailable}`);

let cluster: TestCluster;
let admin: pg.Client;
const clients: pg.Client[] = [];
let databases = 0;

beforeAll(async () => {
  if (unavailable !== null) return;
  cluster = await startPostgres();
  admin = new pg.Client({ connectionString: cluster.url });
  await admin.connect();
}, 90_000);

afterAll(async () => {
  await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
  await admin?.end();
  await cluster?.stop();
}, 60_000);

/** A client on a new, empty database of the cluster. */
async function freshDatabase(): Promise<pg.Client> {
  const name = `clinic_${++databases}`;
  await admin.query(`CREATE DATABASE ${name}`);
  return connectTo(name);
}

async function connectTo(name: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: cluster.url.replace(/\/postgres$/, `/${name}`) });
  await client.connect();
  clients.push(client);
  return client;
}

const versions = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
/** The latest schema (every migration) and one a newer Reservoir would have written. */
const N = LATEST_POSTGRES_SCHEMA_VERSION;
const NEWER = N + 1;

describePg('the PostgreSQL migration runner', () => {
  it('applies every migration (1..N) to an empty database, each recorded with its name; the second run does nothing', async () => {
    const db = await freshDatabase();
    const first = await applyPostgresMigrations(db, { now: () => 1_765_000_000_000 });
    expect(first).toEqual({ ok: true, value: { from: 0, to: N, applied: versions(N) } });
    expect(LATEST_POSTGRES_SCHEMA_VERSION).toBe(LATEST_SCHEMA_VERSION);
    const history = (await db.query('SELECT version, name, applied_at_ms FROM schema_migrations ORDER BY version')).rows;
    expect(history).toEqual(MIGRATIONS.map((m) => ({ version: m.version, name: m.name, applied_at_ms: '1765000000000' })));

    const second = await applyPostgresMigrations(db);
    expect(second).toEqual({ ok: true, value: { from: N, to: N, applied: [] } });
    expect((await db.query('SELECT count(*)::int AS n FROM schema_migrations')).rows).toEqual([{ n: N }]);
  }, 60_000);

  it('refuses a database whose schema is newer, in the words of the SQLite refusal, and changes nothing', async () => {
    const db = await freshDatabase();
    expect((await applyPostgresMigrations(db)).ok).toBe(true);
    await db.query("INSERT INTO schema_migrations (version, name, applied_at_ms) VALUES ($1, 'from a newer Reservoir', 0)", [NEWER]);
    const answer = await applyPostgresMigrations(db);
    expect(answer).toEqual({ ok: false, error: { code: 'database_newer', message: newerSchemaMessage(NEWER, N) } });
    expect(newerSchemaMessage(20, 19)).toBe(
      'This database was written by a newer version of Reservoir (schema 20; this version knows up to 19). Install the newer Reservoir to open it. Nothing was changed.',
    );

    // The same words as the SQLite engine's refusal of a file at schema 20.
    const tmp = tempDir('reservoir-pg-newer-');
    try {
      const file = tmp.file('clinic.db');
      const raw = new Database(file);
      raw.pragma(`user_version = ${NEWER}`);
      raw.close();
      const opened = openDatabase(file, { backupBeforeMigration: false });
      expect(opened).toEqual({ ok: false, error: { code: 'database_newer', message: newerSchemaMessage(NEWER, LATEST_SCHEMA_VERSION) } });
    } finally {
      tmp.cleanup();
    }
    expect((await db.query('SELECT max(version) AS v FROM schema_migrations')).rows).toEqual([{ v: NEWER }]);
  }, 60_000);

  it('refuses to run while another runner holds the migration lock, and runs once it is released', async () => {
    const db = await freshDatabase();
    const other = await connectTo(`clinic_${databases}`);
    await other.query('SELECT pg_advisory_lock($1::bigint)', [MIGRATION_LOCK_KEY]);
    const refused = await applyPostgresMigrations(db);
    expect(refused.ok).toBe(false);
    if (!refused.ok) {
      expect(refused.error.code).toBe('database_busy');
      expect(refused.error.message).toMatch(/^Another Reservoir is upgrading this database right now .*nothing was changed\.$/);
    }
    expect((await db.query("SELECT to_regclass('schema_migrations') AS t")).rows).toEqual([{ t: null }]);

    await other.query('SELECT pg_advisory_unlock($1::bigint)', [MIGRATION_LOCK_KEY]);
    expect(await applyPostgresMigrations(db)).toEqual({ ok: true, value: { from: 0, to: N, applied: versions(N) } });
    // The runner let go of the lock: another session can take it.
    expect((await other.query('SELECT pg_try_advisory_lock($1::bigint) AS got', [MIGRATION_LOCK_KEY])).rows).toEqual([{ got: true }]);
    await other.query('SELECT pg_advisory_unlock($1::bigint)', [MIGRATION_LOCK_KEY]);
  }, 60_000);

  it('two runners started together: one applies every migration, the other is refused or finds nothing to do', async () => {
    const a = await freshDatabase();
    const b = await connectTo(`clinic_${databases}`);
    const [ra, rb] = await Promise.all([applyPostgresMigrations(a), applyPostgresMigrations(b)]);
    const applied = [ra, rb].filter((r) => r.ok && r.value.applied.length > 0);
    expect(applied).toHaveLength(1);
    for (const r of [ra, rb]) {
      if (r.ok) expect(r.value.to).toBe(N);
      else expect(r.error.code).toBe('database_busy');
    }
    expect((await a.query('SELECT count(*)::int AS n FROM schema_migrations')).rows).toEqual([{ n: N }]);
  }, 60_000);

  it('a failing migration is rolled back alone: the database stays at the one before, and the next run resumes there', async () => {
    const db = await freshDatabase();
    const broken: PostgresMigration = {
      version: 3,
      name: 'accounts and audit trail',
      async up(client) {
        await client.query('CREATE TABLE half_written (x int)');
        await client.query('SELECT 1 / 0');
      },
    };
    const answer = await applyPostgresMigrations(db, { migrations: [POSTGRES_MIGRATIONS[0]!, POSTGRES_MIGRATIONS[1]!, broken] });
    expect(answer.ok).toBe(false);
    if (!answer.ok) {
      expect(answer.error.code).toBe('internal');
      expect(answer.error.message).toBe('Migration 3 ("accounts and audit trail") could not be applied and was rolled back: division by zero. The database stays at schema 2.');
    }
    expect((await db.query("SELECT to_regclass('half_written') AS t, to_regclass('patients')::text AS p")).rows).toEqual([{ t: null, p: 'patients' }]);
    expect((await db.query('SELECT max(version) AS v FROM schema_migrations')).rows).toEqual([{ v: 2 }]);
    expect(await applyPostgresMigrations(db)).toEqual({ ok: true, value: { from: 2, to: N, applied: versions(N).slice(2) } });
  }, 60_000);

  it('refuses a database whose history names other migrations (another program’s schema_migrations)', async () => {
    const db = await freshDatabase();
    await db.query('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at_ms BIGINT NOT NULL)');
    await db.query("INSERT INTO schema_migrations VALUES (1, 'create_users', 0)");
    expect(await applyPostgresMigrations(db)).toEqual({
      ok: false,
      error: { code: 'database_damaged', message: 'This database\'s migration history is not this Reservoir\'s: migration 1 was "create_users", here it is "patients". Nothing was changed.' },
    });
    expect((await db.query("SELECT to_regclass('patients') AS t")).rows).toEqual([{ t: null }]);
  }, 60_000);
});

describePg('the PostgreSQL schema is the SQLite schema', () => {
  let db: pg.Client;
  let sqlite: Database.Database;
  let tmp: ReturnType<typeof tempDir>;

  beforeAll(async () => {
    db = await freshDatabase();
    const applied = await applyPostgresMigrations(db);
    if (!applied.ok) throw new Error(applied.error.message);
    tmp = tempDir('reservoir-pg-parity-');
    const opened = openDatabase(tmp.file('clinic.db'), { backupBeforeMigration: false });
    if (!opened.ok || opened.state !== 'ok') throw new Error('the SQLite database did not open');
    sqlite = opened.db;
  }, 60_000);

  afterAll(() => {
    sqlite?.close();
    tmp?.cleanup();
  });

  /** SQLite's tables (not its own, not the FTS5 search table and its shadow tables). */
  const sqliteTables = () =>
    (sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'patient_search%' ORDER BY name").all() as { name: string }[]).map(
      (t) => t.name,
    );

  it('every table has the same columns in the same order (the search table being the one planned difference)', async () => {
    const pgTables = (await db.query("SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name")).rows.map((r) => (r as { name: string }).name);
    expect(pgTables.filter((t) => t !== 'schema_migrations' && t !== 'patient_search')).toEqual(sqliteTables());
    expect(sqliteTables().length).toBeGreaterThanOrEqual(22);
    for (const table of sqliteTables()) {
      const sqliteColumns = (sqlite.prepare('SELECT name FROM pragma_table_info(?) ORDER BY cid').all(table) as { name: string }[]).map((c) => c.name);
      const pgColumns = (await db.query('SELECT column_name AS name FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position', ['public', table])).rows.map(
        (r) => (r as { name: string }).name,
      );
      expect(pgColumns, table).toEqual(sqliteColumns);
    }
    // FTS5's rowid is the patient's id; PostgreSQL names it.
    expect((sqlite.prepare("SELECT name FROM pragma_table_info('patient_search')").all() as { name: string }[]).map((c) => c.name)).toEqual(['text']);
    const search = await db.query("SELECT column_name AS name FROM information_schema.columns WHERE table_name = 'patient_search' ORDER BY ordinal_position");
    expect(search.rows).toEqual([{ name: 'patient_id' }, { name: 'text' }]);
  });

  it('every index and trigger of SQLite has its namesake on the same table (NOCASE uniques and FTS5 aside, named below)', async () => {
    const fromSqlite = (type: string) =>
      sqlite.prepare("SELECT name, tbl_name AS tbl FROM sqlite_master WHERE type = ? AND sql IS NOT NULL AND tbl_name NOT LIKE 'patient_search%' ORDER BY name").all(type) as { name: string; tbl: string }[];
    const pgIndexes = (await db.query("SELECT indexname AS name, tablename AS tbl FROM pg_indexes WHERE schemaname = 'public'")).rows as { name: string; tbl: string }[];
    const pgTriggers = (await db.query('SELECT tgname AS name, tgrelid::regclass::text AS tbl FROM pg_trigger WHERE NOT tgisinternal')).rows as { name: string; tbl: string }[];
    for (const index of fromSqlite('index')) expect(pgIndexes, `index ${index.name}`).toContainEqual(index);
    for (const trigger of fromSqlite('trigger')) expect(pgTriggers, `trigger ${trigger.name}`).toContainEqual(trigger);
    // SQLite's UNIQUE … COLLATE NOCASE columns: unique indexes on lower() in PostgreSQL.
    for (const [name, tbl] of [['patients_mrn_nocase', 'patients'], ['users_username_nocase', 'users'], ['drugs_name_nocase', 'drugs'], ['pumps_serial_nocase', 'pumps']]) {
      expect(pgIndexes, name).toContainEqual({ name, tbl });
    }
    expect(pgIndexes).toContainEqual({ name: 'patient_search_trigram', tbl: 'patient_search' });
    expect(fromSqlite('trigger').length).toBeGreaterThanOrEqual(25);
  });

  it('every table holds the same seeded rows, ids included (drug list, device catalog, one-row settings)', async () => {
    const text = (v: unknown) => (v === null ? null : String(v));
    for (const table of sqliteTables()) {
      const fromSqlite = (sqlite.prepare(`SELECT * FROM "${table}" ORDER BY 1, 2`).raw().all() as unknown[][]).map((r) => r.map(text));
      const fromPg = (await db.query({ text: `SELECT * FROM "${table}" ORDER BY 1, 2`, rowMode: 'array' })).rows.map((r) => (r as unknown[]).map(text));
      expect(fromPg, table).toEqual(fromSqlite);
    }
    const drugs = (await db.query('SELECT count(*)::int AS n FROM drugs')).rows;
    expect(drugs).toEqual([{ n: 8 }]);
    const models = (await db.query("SELECT id::int, model, catalogue_numbers, aliases FROM device_models WHERE manufacturer = 'Flowonix' ORDER BY id")).rows;
    expect(models).toEqual([
      { id: 6, model: 'Prometra II', catalogue_numbers: '["16827"]', aliases: '["Prometra 2"]' },
      { id: 8, model: 'Prometra', catalogue_numbers: '["11827"]', aliases: '[]' },
      { id: 9, model: 'Prometra II', catalogue_numbers: '["13827"]', aliases: '["Prometra 2"]' },
    ]);
  });
});
