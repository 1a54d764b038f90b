/**
 * The rules that protect patients, on the PostgreSQL schema (migrations/postgres/, applied by
 * postgres-migrate.ts to a throwaway cluster): each one tried, the way SQLite's are. Every test runs
 * in a transaction rolled back at its end, on the same fixture (two clinicians, a patient with a
 * pump, a signed refill visit).
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyPostgresMigrations } from './postgres-migrate';
import { postgresUnavailable, startPostgres, type TestCluster } from './testing/postgres';

const unavailable = postgresUnavailable();
if (unavailable !== null && process.env.CI) throw new Error(`CI must run the PostgreSQL tests: ${unavailable}`);
const describePg = unavailable === null ? describe : describe.skip;
if (unavailable !== null) console.warn(`postgres-rules.test.ts skipped: ${unavailable}`);

let cluster: TestCluster;
let client: pg.Client;

const FIXTURE = `
  INSERT INTO users (id, username, display_name, role, password_hash, created_at_ms, updated_at_ms) VALUES
    (1, 'rn.okafor', 'RN Okafor', 'clinician', 'scrypt$16384$8$1$c2FsdA==$aGFzaA==', 0, 0),
    (2, 'dr.lind', 'Dr Lind', 'clinician', 'scrypt$16384$8$1$c2FsdA==$aGFzaA==', 0, 0),
    (3, 'desk', 'Front Desk', 'staff', 'scrypt$16384$8$1$c2FsdA==$aGFzaA==', 0, 0);
  INSERT INTO patients (id, mrn, family_name, given_name, birth_date, sex, indications, created_at_ms, updated_at_ms)
    VALUES (1, 'MRN-0042', 'Moreau', 'Lucie', '1958-04-30', 'female', '["spasticity"]', 0, 0);
  INSERT INTO pumps (id, patient_id, device_model_id, serial, implant_date, reservoir_ul, alarm_ul, created_at_ms)
    VALUES (1, 1, 1, 'NGP204518H', '2024-02-01', 20000, 2000, 0);
  INSERT INTO refills (id, pump_id, date, added_ul, mode, reservoir_port_confirmed, created_at_ms) VALUES
    (1, 1, '2025-01-10', 18000, 'simple_continuous', 1, 0),
    (2, 1, '2025-03-10', 18000, 'simple_continuous', 1, 0);
  INSERT INTO refill_drugs (refill_id, position, drug_id, unit, concentration_ng_per_ml, daily_dose_ng_per_day) VALUES
    (1, 0, 3, 'mcg', 500000, 200000),
    (2, 0, 3, 'mcg', 500000, 220000);
  INSERT INTO signatures (entry_kind, entry_id, user_id, printed_name, role, meaning, signed_at_ms, content_sha256)
    VALUES ('refill', 1, 1, 'RN Okafor', 'clinician', 'performed the refill', 0, repeat('a', 64));
  -- Rows given their id do not move an identity (unlike SQLite's rowid): move each past them, as
  -- \`reservoir migrate\` will have to after copying a clinic.
  SELECT setval(pg_get_serial_sequence(t, 'id'), 100) FROM unnest(ARRAY['users', 'patients', 'pumps', 'refills', 'reversals', 'verifications', 'access_tokens']) AS t;
`;

beforeAll(async () => {
  if (unavailable !== null) return;
  cluster = await startPostgres();
  client = new pg.Client({ connectionString: cluster.url });
  await client.connect();
  const applied = await applyPostgresMigrations(client);
  if (!applied.ok) throw new Error(applied.error.message);
  await client.query(FIXTURE);
}, 90_000);

afterAll(async () => {
  await client?.end();
  await cluster?.stop();
}, 60_000);

/** Runs the body in a transaction rolled back at its end: every test starts from the fixture. */
async function inTransaction(body: () => Promise<void>): Promise<void> {
  await client.query('BEGIN');
  try {
    await body();
  } finally {
    await client.query('ROLLBACK');
  }
}

/** The error a statement raises (its message), or null; in a savepoint so the transaction goes on. */
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

const patient = (mrn: string, birthDate: string, indications = '["pain"]') =>
  `INSERT INTO patients (mrn, family_name, given_name, birth_date, sex, indications, created_at_ms, updated_at_ms)
   VALUES ('${mrn}', 'Berg', 'Ola', '${birthDate}', 'male', '${indications}', 0, 0)`;

describePg('the PostgreSQL schema keeps the rules that protect patients', () => {
  it('a calendar date not written YYYY-MM-DD is refused (birth, death, transfer, appointment)', () =>
    inTransaction(async () => {
      expect(await refusal(patient('MRN-1', '30/04/1958'))).toMatch(/violates check constraint "patients_birth_date_check"/);
      expect(await refusal(patient('MRN-1', '1958-4-30'))).toMatch(/patients_birth_date_check/);
      expect(await refusal(patient('MRN-1', '1958-04-30 '))).toMatch(/patients_birth_date_check/);
      expect(await refusal(patient('MRN-1', '1958-04-30'))).toBeNull();
      expect(await refusal("UPDATE patients SET status = 'deceased', death_date = '2025-1-2' WHERE id = 1")).toMatch(/patients_death_date_check/);
      expect(await refusal("UPDATE patients SET transfer_date = 'yesterday' WHERE id = 1")).toMatch(/patients_transfer_date_check/);
      const appointment = (date: string, time: string) =>
        `INSERT INTO appointments (pump_id, date, time, room, home_visit, created_by, created_at_ms, updated_by, updated_at_ms)
         VALUES (1, '${date}', '${time}', 'Room 2', 0, 'desk', 0, 'desk', 0)`;
      expect(await refusal(appointment('2025-5-6', '09:30'))).toMatch(/appointments_date_check/);
      expect(await refusal(appointment('2025-05-06', '9:30'))).toMatch(/appointments_time_check/);
      expect(await refusal(appointment('2025-05-06', '24:00'))).toMatch(/appointments_time_check/);
      expect(await refusal(appointment('2025-05-06', '23:59'))).toBeNull();
    }));

  it('the MRN and the pump serial are unique whatever their case; the indications a JSON array', () =>
    inTransaction(async () => {
      expect(await refusal(patient('mrn-0042', '1960-01-01'))).toMatch(/duplicate key value violates unique constraint "patients_mrn_nocase"/);
      expect(await refusal(patient('MRN-0043', '1960-01-01', '{"pain": true}'))).toMatch(/patients_indications_check/);
      expect(await refusal(patient('MRN-0043', '1960-01-01', '[not json'))).toMatch(/invalid input syntax for type json/);
      expect(await refusal(patient('MRN-0043', '1960-01-01'))).toBeNull();
      expect(await refusal("INSERT INTO pumps (patient_id, device_model_id, serial, implant_date, reservoir_ul, alarm_ul, created_at_ms) VALUES (2, 1, 'ngp204518h', '2025-01-01', 20000, 2000, 0)")).toMatch(
        /pumps_serial_nocase/,
      );
    }));

  it('one pump in place per patient; a dose with no volume added or a negative dose is refused', () =>
    inTransaction(async () => {
      expect(await refusal("INSERT INTO pumps (patient_id, device_model_id, serial, implant_date, reservoir_ul, alarm_ul, created_at_ms) VALUES (1, 2, 'NGP999', '2025-01-01', 40000, 2000, 0)")).toMatch(
        /one_implanted_pump_per_patient/,
      );
      expect(await refusal("INSERT INTO refills (pump_id, date, added_ul, mode, reservoir_port_confirmed, created_at_ms) VALUES (1, '2025-05-10', 0, 'flex', 1, 0)")).toMatch(/refills_added_ul_check/);
      expect(await refusal("INSERT INTO dose_changes (pump_id, date, drug_id, daily_dose_ng_per_day, created_at_ms) VALUES (1, '2025-05-10', 3, -1, 0)")).toMatch(/dose_changes_daily_dose_ng_per_day_check/);
    }));

  it('a signed refill visit, its drugs and its signature cannot be changed, deleted or truncated; an unsigned one can', () =>
    inTransaction(async () => {
      expect(await refusal("UPDATE refills SET note = 'edited later' WHERE id = 1")).toBe('a signed refill visit cannot be changed: record an amendment');
      expect(await refusal('DELETE FROM refills WHERE id = 1')).toBe('a signed refill visit cannot be deleted');
      expect(await refusal('UPDATE refill_drugs SET daily_dose_ng_per_day = 400000 WHERE refill_id = 1')).toBe('a signed refill visit cannot be changed: record an amendment');
      expect(await refusal('UPDATE refill_drugs SET refill_id = 1, position = 1 WHERE refill_id = 2')).toBe('a signed refill visit cannot be changed: record an amendment');
      expect(await refusal("INSERT INTO refill_drugs (refill_id, position, drug_id, unit, concentration_ng_per_ml, daily_dose_ng_per_day) VALUES (1, 1, 1, 'mg', 10000000, 1000000)")).toBe(
        'a signed refill visit cannot be changed: record an amendment',
      );
      expect(await refusal('DELETE FROM refill_drugs WHERE refill_id = 1')).toBe('a signed refill visit cannot be changed: record an amendment');
      expect(await refusal('TRUNCATE refills CASCADE')).toMatch(/cannot be truncated/);
      expect(await refusal("UPDATE signatures SET printed_name = 'someone else'")).toBe('signatures are append-only: a signature cannot be changed');
      expect(await refusal('DELETE FROM signatures')).toBe('signatures are append-only: a signature cannot be deleted');
      expect(await refusal('TRUNCATE signatures')).toBe('signatures are append-only: they cannot be truncated');
      expect((await client.query('SELECT daily_dose_ng_per_day FROM refill_drugs WHERE refill_id = 1')).rows).toEqual([{ daily_dose_ng_per_day: 200000 }]);

      // An empty look-alike ahead in the session's search path does not hide the signature.
      await client.query('CREATE SCHEMA decoy; CREATE TABLE decoy.signatures (entry_kind TEXT, entry_id BIGINT); CREATE TEMP TABLE signatures (entry_kind TEXT, entry_id BIGINT)');
      await client.query('SET LOCAL search_path = decoy, public');
      expect(await refusal("UPDATE public.refills SET note = 'edited later' WHERE id = 1")).toBe('a signed refill visit cannot be changed: record an amendment');
      await client.query('SET LOCAL search_path = pg_temp, public');
      expect(await refusal("UPDATE refills SET note = 'edited later' WHERE id = 1")).toBe('a signed refill visit cannot be changed: record an amendment');
      await client.query('SET LOCAL search_path = public');

      expect(await refusal("UPDATE refills SET note = 'fixed before signing' WHERE id = 2")).toBeNull();
      expect(await refusal('UPDATE refill_drugs SET daily_dose_ng_per_day = 210000 WHERE refill_id = 2')).toBeNull();
      expect(await refusal(`INSERT INTO amendments (entry_kind, entry_id, before_json, after_json, reason, user_id, printed_name, role, at_ms)
        VALUES ('refill', 1, '{"note": null}', '{"note": "port site clean"}', 'omitted at the visit', 1, 'RN Okafor', 'clinician', 0)`)).toBeNull();
      expect(await refusal("UPDATE amendments SET reason = 'another'")).toBe('amendments are append-only: an amendment cannot be changed');
      expect(await refusal(`INSERT INTO amendments (entry_kind, entry_id, before_json, after_json, reason, user_id, printed_name, role, at_ms)
        VALUES ('refill', 1, '[]', '{}', 'x', 1, 'RN Okafor', 'clinician', 0)`)).toMatch(/amendments_before_json_check/);
    }));

  it('several reversals per pump; a restart whose fill is signed cannot be changed or deleted', () =>
    inTransaction(async () => {
      await client.query(`INSERT INTO reversals (id, pump_id, date, kind, created_at_ms) VALUES (1, 1, '2025-02-01', 'turned_off', 0), (2, 1, '2025-04-01', 'weaned', 0)`);
      await client.query("INSERT INTO therapy_restarts (pump_id, date, reversal_id, refill_id, created_at_ms) VALUES (1, '2025-01-10', 1, 1, 0)");
      expect(await refusal("UPDATE therapy_restarts SET date = '2025-01-11'")).toBe('a therapy restart whose fill is signed cannot be changed: record an amendment');
      expect(await refusal('DELETE FROM therapy_restarts')).toBe('a therapy restart whose fill is signed cannot be deleted');
      await client.query(`INSERT INTO signatures (entry_kind, entry_id, user_id, printed_name, role, meaning, signed_at_ms, content_sha256) VALUES ('reversal', 2, 2, 'Dr Lind', 'clinician', 'ordered', 0, repeat('b', 64))`);
      expect(await refusal("UPDATE reversals SET outcome = 'x' WHERE id = 2")).toBe('a signed therapy reversal cannot be changed: record an amendment');
      expect(await refusal("UPDATE reversals SET outcome = 'x' WHERE id = 1")).toBeNull();
    }));

  it('the double check: never by the recorder, only by a clinician, decided once, never deleted', () =>
    inTransaction(async () => {
      await client.query(`INSERT INTO verifications (id, entry_kind, entry_id, pump_id, reasons, summary, requested_by_user_id, requested_by_name, requested_by_role, requested_at_ms)
        VALUES (1, 'refill', 1, 1, '["opioid_increase"]', 'Baclofen 200 → 220 mcg/day', 1, 'RN Okafor', 'clinician', 0)`);
      const decide = (user: number, role: string, state = 'verified', reason = 'NULL') =>
        `UPDATE verifications SET state = '${state}', decided_by_user_id = ${user}, decided_by_name = 'u${user}', decided_by_role = '${role}', decided_at_ms = 1, reject_reason = ${reason} WHERE id = 1`;
      // Each refusal names the CHECK that made it (PostgreSQL numbers a table's unnamed CHECKs).
      const checks = (await client.query("SELECT conname, pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = 'verifications'::regclass AND contype = 'c'")).rows as { conname: string; def: string }[];
      const check = (part: string) => `violates check constraint "${checks.find((c) => c.def.includes(part))!.conname}"`;
      expect(await refusal(decide(1, 'clinician'))).toContain(check('decided_by_user_id <> requested_by_user_id')); // the recorder: self-verify
      expect(await refusal(decide(3, 'staff'))).toContain(check("decided_by_role = 'clinician'"));
      expect(await refusal(decide(2, 'clinician', 'rejected'))).toContain(check('reject_reason IS NOT NULL')); // a rejection without its reason
      expect(await refusal("UPDATE verifications SET summary = 'quietly changed' WHERE id = 1")).toBe('a double check is decided once: an awaiting entry can only be verified or rejected');
      expect(await refusal(decide(2, 'clinician'))).toBeNull();
      expect(await refusal(decide(2, 'clinician', 'rejected', "'second thoughts'"))).toBe('a double check is decided once: an awaiting entry can only be verified or rejected');
      expect(await refusal("UPDATE verifications SET state = 'awaiting', decided_at_ms = NULL WHERE id = 1")).toBe('a double check is decided once: an awaiting entry can only be verified or rejected');
      expect(await refusal('DELETE FROM verifications')).toBe('a double check cannot be deleted');
      expect(await refusal('TRUNCATE verifications')).toBe('a double check cannot be deleted');
      expect(await refusal(`INSERT INTO verifications (entry_kind, entry_id, pump_id, reasons, summary, requested_by_name, requested_at_ms)
        VALUES ('dose_change', 9, 1, '[]', 's', 'RN Okafor', 0)`)).toMatch(/verifications_reasons_check/);
    }));

  it('an appointment: cancelled only with a reason, a room unless at home, a call outcome only after a missed visit; never deleted', () =>
    inTransaction(async () => {
      const booking = (columns: string, values: string) =>
        `INSERT INTO appointments (pump_id, date, time, home_visit, created_by, created_at_ms, updated_by, updated_at_ms${columns})
         VALUES (1, '2025-05-06', '09:30', 1, 'desk', 0, 'desk', 0${values})`;
      expect(await refusal(booking(", state", ", 'cancelled'"))).toMatch(/appointments_check\d*/);
      expect(await refusal(booking(", state, cancel_reason", ", 'cancelled', '   '"))).toMatch(/appointments_check\d*/);
      expect(await refusal(booking(', cancel_reason', ", 'patient in hospital'"))).toMatch(/appointments_check\d*/); // booked, with a reason
      expect(await refusal(booking(', call_outcome, called_at_ms', ", 'left a message', 1"))).toMatch(/appointments_check\d*/);
      expect(await refusal(booking(', state, call_outcome', ", 'did_not_attend', 'left a message'"))).toMatch(/appointments_check\d*/);
      expect(await refusal(booking('', '').replace('1, \'desk\'', '0, \'desk\''))).toMatch(/appointments_check\d*/); // in the clinic, no room
      expect(await refusal(booking(", state, cancel_reason", ", 'cancelled', 'patient in hospital'"))).toBeNull();
      expect(await refusal('DELETE FROM appointments')).toBe('an appointment cannot be deleted: cancel it with a reason');
      expect(await refusal('TRUNCATE appointments')).toBe('an appointment cannot be deleted: cancel it with a reason');
    }));

  it('the audit trail stays append-only with the later columns; an access token changes only by its one revocation', () =>
    inTransaction(async () => {
      await client.query(`INSERT INTO audit_log (seq, at_ms, username, action, entity, entity_id, prev_hash, hash, workstation)
        VALUES (1, 0, 'rn.okafor', 'create', 'refill', '1', 'p1', 'h1', 'ws-2')`);
      expect(await refusal("UPDATE audit_log SET workstation = 'elsewhere'")).toBe('audit_log is append-only: an entry cannot be changed');
      expect(await refusal('DELETE FROM audit_log')).toBe('audit_log is append-only: an entry cannot be deleted');

      await client.query(`INSERT INTO access_tokens (id, name, role, secret_sha256, created_by_name, created_at_ms, expires_at_ms)
        VALUES (1, 'Pharmacy export', 'staff', repeat('c', 64), 'admin', 0, 1000)`);
      expect(await refusal(`INSERT INTO access_tokens (name, role, secret_sha256, created_by_name, created_at_ms, expires_at_ms)
        VALUES ('PHARMACY EXPORT', 'staff', repeat('d', 64), 'admin', 0, 1000)`)).toMatch(/access_tokens_active_name/);
      expect(await refusal(`INSERT INTO access_tokens (name, role, secret_sha256, created_by_name, created_at_ms, expires_at_ms)
        VALUES ('Root', 'administrator', repeat('e', 64), 'admin', 0, 1000)`)).toMatch(/access_tokens_role_check/);
      expect(await refusal("UPDATE access_tokens SET role = 'clinician' WHERE id = 1")).toBe('an access token is changed only by its revocation (once) and its last use');
      expect(await refusal('UPDATE access_tokens SET last_used_at_ms = 5 WHERE id = 1')).toBeNull();
      expect(await refusal("UPDATE access_tokens SET revoked_at_ms = 6, revoked_by_name = 'admin' WHERE id = 1")).toBeNull();
      expect(await refusal('UPDATE access_tokens SET revoked_at_ms = 7 WHERE id = 1')).toBe('an access token is changed only by its revocation (once) and its last use');
      expect(await refusal('DELETE FROM access_tokens')).toBe('access tokens are never deleted: revoke them');
    }));

  it('patient search: the text follows every patient and pump write, and a substring finds it, whatever its case, through the trigram index', () =>
    inTransaction(async () => {
      const text = async () => (await client.query('SELECT text FROM patient_search WHERE patient_id = 1')).rows;
      expect(await text()).toEqual([{ text: 'MRN-0042\u0001Moreau\u0001Lucie\u0001NGP204518H' }]);
      await client.query("UPDATE pumps SET status = 'explanted' WHERE id = 1");
      await client.query("INSERT INTO pumps (patient_id, device_model_id, serial, implant_date, reservoir_ul, alarm_ul, created_at_ms) VALUES (1, 2, 'PRM77310', '2025-06-01', 40000, 2000, 0)");
      await client.query("UPDATE patients SET family_name = 'Moreau-Diallo' WHERE id = 1");
      expect(await text()).toEqual([{ text: 'MRN-0042\u0001Moreau-Diallo\u0001Lucie\u0001NGP204518H\u0001PRM77310' }]);
      const find = async (q: string) => (await client.query("SELECT patient_id::int AS id FROM patient_search WHERE text ILIKE '%' || $1 || '%'", [q])).rows;
      expect(await find('m77')).toEqual([{ id: 1 }]);
      expect(await find('reau-dia')).toEqual([{ id: 1 }]);
      expect(await find('zzz')).toEqual([]);
      await client.query('SET LOCAL enable_seqscan = off');
      const plan = (await client.query("EXPLAIN SELECT patient_id FROM patient_search WHERE text ILIKE '%m773%'")).rows.map((r) => (r as { 'QUERY PLAN': string })['QUERY PLAN']).join('\n');
      expect(plan).toMatch(/patient_search_trigram/);
    }));
});
