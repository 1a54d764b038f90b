/**
 * Migration 3 in the PostgreSQL dialect (migrations/postgres/0003-accounts-audit.ts), applied to a
 * throwaway cluster (testing/postgres.ts): the audit log is append-only there too, whoever asks.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migration } from './migrations/postgres/0003-accounts-audit';
import { postgresUnavailable, startPostgres, type TestCluster } from './testing/postgres';

const unavailable = postgresUnavailable();
if (unavailable !== null && process.env.CI) throw new Error(`CI must run the PostgreSQL tests: ${unavailable}`);
const describePg = unavailable === null ? describe : describe.skip;

let cluster: TestCluster;
let client: pg.Client;

beforeAll(async () => {
  if (unavailable !== null) return;
  cluster = await startPostgres();
  client = new pg.Client({ connectionString: cluster.url });
  await client.connect();
  await client.query('BEGIN');
  await migration.up(client);
  await client.query('COMMIT');
}, 90_000);

afterAll(async () => {
  await client?.end();
  await cluster?.stop();
}, 60_000);

const entry = (seq: number, extra = '') =>
  `INSERT INTO audit_log (seq, at_ms, username, action, entity, entity_id, after_json, prev_hash, hash${extra ? ', detail_json' : ''})
   VALUES (${seq}, ${1_765_000_000_000 + seq}, 'nurse', 'create', 'patient', '${seq}', '{"mrn":"M${seq}"}', 'prev-${seq}', 'hash-${seq}'${extra ? `, '${extra}'` : ''})`;

/** The error a statement raises (its message), or null; run in a savepoint so the session goes on. */
async function refusal(sql: string): Promise<string | null> {
  await client.query('SAVEPOINT attempt');
  try {
    await client.query(sql);
    await client.query('RELEASE SAVEPOINT attempt');
    return null;
  } catch (e) {
    await client.query('ROLLBACK TO SAVEPOINT attempt');
    return (e as Error).message;
  }
}

describePg('migration 3 on PostgreSQL: the append-only audit log', () => {
  it('takes new entries, and refuses UPDATE, DELETE and TRUNCATE of them, leaving them as they were', async () => {
    await client.query('BEGIN');
    try {
      await client.query(entry(1));
      await client.query(entry(2));
      expect(await refusal("UPDATE audit_log SET username = 'someone else' WHERE seq = 1")).toBe('audit_log is append-only: an entry cannot be changed');
      expect(await refusal('UPDATE audit_log SET hash = hash')).toBe('audit_log is append-only: an entry cannot be changed');
      expect(await refusal('DELETE FROM audit_log WHERE seq = 2')).toBe('audit_log is append-only: an entry cannot be deleted');
      expect(await refusal('DELETE FROM audit_log')).toBe('audit_log is append-only: an entry cannot be deleted');
      expect(await refusal('TRUNCATE audit_log')).toBe('audit_log is append-only: it cannot be truncated');
      const rows = (await client.query('SELECT seq, username, after_json, hash FROM audit_log ORDER BY seq')).rows;
      expect(rows).toEqual([
        { seq: '1', username: 'nurse', after_json: '{"mrn":"M1"}', hash: 'hash-1' },
        { seq: '2', username: 'nurse', after_json: '{"mrn":"M2"}', hash: 'hash-2' },
      ]);
    } finally {
      await client.query('ROLLBACK');
    }
  });

  it('keeps the SQLite rules: JSON text valid and kept as written, a sequence number used once, user names unique whatever their case', async () => {
    await client.query('BEGIN');
    try {
      expect(await refusal(entry(1, '{not json'))).toMatch(/invalid input syntax for type json/);
      expect(await refusal(entry(1, '{"b":1,  "a":2}'))).toBeNull();
      expect((await client.query('SELECT detail_json FROM audit_log WHERE seq = 1')).rows).toEqual([{ detail_json: '{"b":1,  "a":2}' }]);
      expect(await refusal(entry(1))).toMatch(/duplicate key value violates unique constraint "audit_log_pkey"/);
      const user = (name: string, hash = 'scrypt$16384$8$1$c2FsdA==$aGFzaA==') =>
        `INSERT INTO users (username, display_name, role, password_hash, created_at_ms, updated_at_ms) VALUES ('${name}', 'RN Patel', 'clinician', '${hash}', 1765000000000, 1765000000000)`;
      expect(await refusal(user('patel'))).toBeNull();
      expect(await refusal(user('PATEL'))).toMatch(/users_username_nocase/);
      expect(await refusal(user('plain', 'password'))).toMatch(/users_password_hash_check/);
      expect((await client.query('SELECT session_lock_minutes FROM access_settings')).rows).toEqual([{ session_lock_minutes: 10 }]);
    } finally {
      await client.query('ROLLBACK');
    }
  });
});
