/**
 * Migration 6, "patient search and worklist indexes": patient search and the worklist's indexes (features/patients/search.ts, features/record/worklist-sql.ts).
 * The search: a trigram full-text index (`patient_search`, FTS5 `trigram`) of each patient's MRN,
 * names and pump serials joined with U+0001, kept by triggers in the same transaction as every patient
 * and pump write, filled from the patients already there; prefix indexes for one or two characters.
 * The worklist: the indexes its replacement and flagged lists and counts read.
 *
 * Released and frozen: never change this file (migrations.test.ts pins its SHA-256); add a new
 * migration instead. It imports nothing but the migration type (lint-enforced).
 */
import type { SqliteMigration } from '../types';

export const PATIENT_SEARCH_MIGRATION = 'patient search and worklist indexes';

export const PATIENT_SEARCH_SQL = `
  CREATE VIRTUAL TABLE patient_search USING fts5 (text, tokenize = 'trigram');

  CREATE TRIGGER patient_search_after_patient_insert AFTER INSERT ON patients BEGIN
    INSERT INTO patient_search (rowid, text) VALUES (NEW.id, NEW.mrn || char(1) || NEW.family_name || char(1) || NEW.given_name ||
    coalesce((SELECT char(1) || group_concat(s.serial, char(1)) FROM pumps s WHERE s.patient_id = NEW.id), ''));
  END;
  CREATE TRIGGER patient_search_after_patient_update AFTER UPDATE OF mrn, family_name, given_name ON patients BEGIN
    DELETE FROM patient_search WHERE rowid = OLD.id;
    INSERT INTO patient_search (rowid, text) VALUES (NEW.id, NEW.mrn || char(1) || NEW.family_name || char(1) || NEW.given_name ||
    coalesce((SELECT char(1) || group_concat(s.serial, char(1)) FROM pumps s WHERE s.patient_id = NEW.id), ''));
  END;
  CREATE TRIGGER patient_search_after_pump_insert AFTER INSERT ON pumps BEGIN
    DELETE FROM patient_search WHERE rowid = NEW.patient_id;
    INSERT INTO patient_search (rowid, text)
      SELECT p.id, p.mrn || char(1) || p.family_name || char(1) || p.given_name ||
    coalesce((SELECT char(1) || group_concat(s.serial, char(1)) FROM pumps s WHERE s.patient_id = p.id), '') FROM patients p WHERE p.id = NEW.patient_id;
  END;
  CREATE TRIGGER patient_search_after_pump_update AFTER UPDATE OF serial, patient_id ON pumps BEGIN
    DELETE FROM patient_search WHERE rowid IN (OLD.patient_id, NEW.patient_id);
    INSERT INTO patient_search (rowid, text)
      SELECT p.id, p.mrn || char(1) || p.family_name || char(1) || p.given_name ||
    coalesce((SELECT char(1) || group_concat(s.serial, char(1)) FROM pumps s WHERE s.patient_id = p.id), '') FROM patients p WHERE p.id IN (OLD.patient_id, NEW.patient_id);
  END;

  INSERT INTO patient_search (rowid, text)
    SELECT p.id, p.mrn || char(1) || p.family_name || char(1) || p.given_name ||
    coalesce((SELECT char(1) || group_concat(s.serial, char(1)) FROM pumps s WHERE s.patient_id = p.id), '') FROM patients p;

  CREATE INDEX patients_by_given_name ON patients (given_name COLLATE NOCASE);
`;

export const WORKLIST_INDEX_SQL = `
  CREATE INDEX worklist_replacement ON pump_projection (replacement_from_date) WHERE in_worklist = 1;
  CREATE INDEX worklist_flagged ON pump_projection (pump_id) WHERE in_worklist = 1 AND discrepancy_flag = 1;
`;

export const migration: SqliteMigration = {
  version: 6,
  name: PATIENT_SEARCH_MIGRATION,
  up(db) {
    db.exec(PATIENT_SEARCH_SQL);
    db.exec(WORKLIST_INDEX_SQL);
  },
};
