/**
 * Migration 6, "patient search and worklist indexes", in the PostgreSQL dialect (issue 15, item 3):
 * migrations/sqlite/0006-patient-search.ts written for PostgreSQL.
 *
 * - SQLite's FTS5 `trigram` table becomes an ordinary table `patient_search (patient_id, text)`
 *   (FTS5's rowid is the patient's id) with a `pg_trgm` GIN index on `text`: a substring search
 *   is `text ILIKE '%…%'` (FTS5's trigram tokenizer is case-insensitive too). The text is the same:
 *   MRN, family and given names and the pump serials (in id order), joined with U+0001.
 * - SQLite's four triggers become two plpgsql trigger functions that rewrite a patient's row
 *   (an upsert) after a patient or pump write, in the same transaction.
 * - pg_trgm is a trusted extension (PostgreSQL 13+): a database owner may create it.
 * - The functions' search_path is the schema this migration created them in, by name, whatever a
 *   session sets.
 * - The fill from existing patients runs as in SQLite (a new database has none).
 * - COLLATE NOCASE on the prefix index becomes lower(given_name).
 *
 * Frozen like the SQLite files: never change this file (frozen-migrations.test.ts pins its SHA-256);
 * add a new migration instead. It imports nothing but the migration type (lint-enforced).
 */
import type { PostgresMigration } from '../types';

export const PATIENT_SEARCH_MIGRATION = 'patient search and worklist indexes';

export const PATIENT_SEARCH_SQL = `
  CREATE EXTENSION IF NOT EXISTS pg_trgm;

  CREATE TABLE patient_search (
    patient_id BIGINT PRIMARY KEY,
    text TEXT NOT NULL
  );
  CREATE INDEX patient_search_trigram ON patient_search USING gin (text gin_trgm_ops);

  -- The search text of the given patients, rewritten from their rows and their pumps.
  CREATE FUNCTION patient_search_rewrite(patient_ids BIGINT[]) RETURNS void LANGUAGE sql AS $$
    INSERT INTO patient_search (patient_id, text)
      SELECT p.id, p.mrn || chr(1) || p.family_name || chr(1) || p.given_name ||
        coalesce((SELECT chr(1) || string_agg(s.serial, chr(1) ORDER BY s.id) FROM pumps s WHERE s.patient_id = p.id), '')
      FROM patients p WHERE p.id = ANY (patient_ids)
    ON CONFLICT (patient_id) DO UPDATE SET text = EXCLUDED.text;
  $$;

  CREATE FUNCTION patient_search_after_patient() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    PERFORM patient_search_rewrite(ARRAY[NEW.id]);
    RETURN NULL;
  END;
  $$;
  CREATE FUNCTION patient_search_after_pump() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF TG_OP = 'UPDATE' THEN
      PERFORM patient_search_rewrite(ARRAY[OLD.patient_id, NEW.patient_id]);
    ELSE
      PERFORM patient_search_rewrite(ARRAY[NEW.patient_id]);
    END IF;
    RETURN NULL;
  END;
  $$;

  DO $$ BEGIN
    EXECUTE format('ALTER FUNCTION patient_search_rewrite(BIGINT[]) SET search_path = %I, pg_temp', current_schema());
    EXECUTE format('ALTER FUNCTION patient_search_after_patient() SET search_path = %I, pg_temp', current_schema());
    EXECUTE format('ALTER FUNCTION patient_search_after_pump() SET search_path = %I, pg_temp', current_schema());
  END $$;

  CREATE TRIGGER patient_search_after_patient_insert AFTER INSERT ON patients
    FOR EACH ROW EXECUTE FUNCTION patient_search_after_patient();
  CREATE TRIGGER patient_search_after_patient_update AFTER UPDATE OF mrn, family_name, given_name ON patients
    FOR EACH ROW EXECUTE FUNCTION patient_search_after_patient();
  CREATE TRIGGER patient_search_after_pump_insert AFTER INSERT ON pumps
    FOR EACH ROW EXECUTE FUNCTION patient_search_after_pump();
  CREATE TRIGGER patient_search_after_pump_update AFTER UPDATE OF serial, patient_id ON pumps
    FOR EACH ROW EXECUTE FUNCTION patient_search_after_pump();

  SELECT patient_search_rewrite(array_agg(id)) FROM patients;

  CREATE INDEX patients_by_given_name ON patients (lower(given_name));
`;

export const WORKLIST_INDEX_SQL = `
  CREATE INDEX worklist_replacement ON pump_projection (replacement_from_date) WHERE in_worklist = 1;
  CREATE INDEX worklist_flagged ON pump_projection (pump_id) WHERE in_worklist = 1 AND discrepancy_flag = 1;
`;

export const migration: PostgresMigration = {
  version: 6,
  name: PATIENT_SEARCH_MIGRATION,
  async up(client) {
    await client.query(PATIENT_SEARCH_SQL);
    await client.query(WORKLIST_INDEX_SQL);
  },
};
