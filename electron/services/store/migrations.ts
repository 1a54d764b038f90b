import { DRUG_LIMITS_MIGRATION, DRUG_LIMITS_SQL, OVERRIDE_LIMITS_MIGRATION, OVERRIDE_LIMITS_SQL } from '../features/catalog/limits-schema';
import type Database from 'better-sqlite3-multiple-ciphers';
import { ACCOUNTS_AUDIT_SQL } from '../audit/schema';
import { AUDIT_WORKSTATION_MIGRATION, AUDIT_WORKSTATION_SQL } from '../audit/workstation';
import { BACKUP_SETTINGS_SQL } from '../backup/settings';
import { CATALOG_ALIASES_AND_DILUTION_SQL } from '../features/catalog/schema';
import { PATIENT_SEARCH_SQL } from '../features/patients/search';
import { PATIENT_CONTACTS_MIGRATION, PATIENT_CONTACTS_SQL } from '../features/patients/contacts-schema';
import { RECORDED_BY_MIGRATION, RECORDED_BY_SQL } from '../features/record/recorded-by';
import { WORKLIST_COVERING_MIGRATION, WORKLIST_COVERING_SQL, WORKLIST_INDEX_SQL } from '../features/record/worklist-sql';
import { SIGNATURES_SQL } from '../features/signatures/schema';
import { THERAPY_RESTARTS_SQL } from '../features/record/restart';
import { PATIENT_STATUS_DATES_SQL } from '../features/patients/status';
import { URGENCY_SCHEMA_SQL } from '../features/record/urgency-schema';
import { RECORD_VERSIONS_MIGRATION, RECORD_VERSIONS_SQL } from './versions';
import { VERIFICATIONS_MIGRATION, VERIFICATIONS_SQL } from '../features/verifications/schema';
import { ACCESS_TOKENS_MIGRATION, ACCESS_TOKENS_SQL } from '../features/tokens/schema';
import { APPOINTMENTS_MIGRATION, APPOINTMENTS_SQL } from '../features/appointments/schema';

/**
 * Forward-only schema migrations. Each is numbered; `PRAGMA user_version` records the last one
 * applied. A released migration never changes: add a new one instead.
 */
export interface Migration {
  version: number;
  name: string;
  up(db: Database.Database): void;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'patients',
    up(db) {
      db.exec(`
        CREATE TABLE patients (
          id INTEGER PRIMARY KEY,
          mrn TEXT NOT NULL UNIQUE COLLATE NOCASE,
          family_name TEXT NOT NULL,
          given_name TEXT NOT NULL,
          birth_date TEXT NOT NULL CHECK (birth_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
          sex TEXT NOT NULL CHECK (sex IN ('female', 'male', 'other', 'unknown')),
          indications TEXT NOT NULL CHECK (json_valid(indications) AND json_type(indications) = 'array'),
          allergies TEXT,
          clinician TEXT,
          status TEXT NOT NULL DEFAULT 'active'
            CHECK (status IN ('active', 'therapy_stopped', 'deceased', 'transferred')),
          created_at_ms INTEGER NOT NULL,
          updated_at_ms INTEGER NOT NULL
        ) STRICT;
        CREATE INDEX patients_by_name ON patients (family_name COLLATE NOCASE, given_name COLLATE NOCASE);
      `);
    },
  },
  {
    version: 2,
    name: 'clinical record',
    up(db) {
      db.exec(CLINICAL_RECORD_SQL);
    },
  },
  {
    version: 3,
    name: 'accounts and audit trail',
    up(db) {
      db.exec(ACCOUNTS_AUDIT_SQL);
    },
  },
  {
    version: 4,
    name: 'backup settings',
    up(db) {
      db.exec(BACKUP_SETTINGS_SQL);
    },
  },
  {
    version: 5,
    name: 'signatures and amendments',
    up(db) {
      db.exec(SIGNATURES_SQL);
    },
  },
  {
    version: 6,
    name: 'patient search and worklist indexes',
    up(db) {
      db.exec(PATIENT_SEARCH_SQL);
      db.exec(WORKLIST_INDEX_SQL);
    },
  },
  {
    version: 7,
    name: 'first-fill stability',
    up(db) {
      db.exec(FIRST_FILL_STABILITY_SQL);
    },
  },
  {
    version: 8,
    name: 'device aliases, Prometra split and dilution stability',
    up(db) {
      db.exec(CATALOG_ALIASES_AND_DILUTION_SQL);
    },
  },
  {
    version: 9,
    name: 'therapy restarts and patient status dates',
    up(db) {
      // The patients' columns first: the restarts' SQL empties the projections of their pumps.
      db.exec(PATIENT_STATUS_DATES_SQL);
      db.exec(THERAPY_RESTARTS_SQL);
    },
  },
  {
    // After 9, which rebuilds `reversals`: this adds the recorder's columns to the rebuilt table.
    version: 10,
    name: RECORDED_BY_MIGRATION,
    up(db) {
      db.exec(RECORDED_BY_SQL);
    },
  },
  {
    version: 11,
    name: 'urgency: withdrawal warnings and worklist urgency indexes',
    up(db) {
      db.exec(URGENCY_SCHEMA_SQL);
    },
  },
  {
    version: 12,
    name: DRUG_LIMITS_MIGRATION,
    up(db) {
      db.exec(DRUG_LIMITS_SQL);
    },
  },
  {
    version: 13,
    name: OVERRIDE_LIMITS_MIGRATION,
    up(db) {
      db.exec(OVERRIDE_LIMITS_SQL);
    },
  },
  {
    // The workstation of each audit entry written through a server (audit/workstation.ts).
    version: 14,
    name: AUDIT_WORKSTATION_MIGRATION,
    up(db) {
      db.exec(AUDIT_WORKSTATION_SQL);
    },
  },
  {
    // Several people at once (issue 14): an index only, no column.
    version: 15,
    name: RECORD_VERSIONS_MIGRATION,
    up(db) {
      db.exec(RECORD_VERSIONS_SQL);
    },
  },
  {
    // The independent double check (issue 17, item 3): a new table only.
    version: 16,
    name: VERIFICATIONS_MIGRATION,
    up(db) {
      db.exec(VERIFICATIONS_SQL);
    },
  },
  {
    // Personal access tokens (issue 14, item 5): a new table only.
    version: 17,
    name: ACCESS_TOKENS_MIGRATION,
    up(db) {
      db.exec(ACCESS_TOKENS_SQL);
    },
  },
  {
    // Patient contacts and finding anyone fast (issue 16, items 2 and 4): new tables and indexes only.
    version: 18,
    name: PATIENT_CONTACTS_MIGRATION,
    up(db) {
      db.exec(PATIENT_CONTACTS_SQL);
    },
  },
  {
    // Refill appointments (issue 16, item 1): a new table only.
    version: 19,
    name: APPOINTMENTS_MIGRATION,
    up(db) {
      db.exec(APPOINTMENTS_SQL);
    },
  },
  {
    // The worklist for 20 workstations (issue 14): two indexes rebuilt covering, same names; no column.
    version: 20,
    name: WORKLIST_COVERING_MIGRATION,
    up(db) {
      db.exec(WORKLIST_COVERING_SQL);
    },
  },
];

/**
 * Migration 7: a drug's shorter stability limit for a new pump's first fill (reference, section 4:
 * ziconotide, "new pump: refill within 14 days; then at least every 40 days"). Seeds ziconotide's,
 * then brings forward the stored next-due date of every pump whose last refill is such a first
 * fill (no residual withdrawn) of such a drug, as the next-refill rule now computes it
 * (record/projection.ts; migrations.test.ts compares the result with computeProjection).
 */
const FIRST_FILL_STABILITY_SQL = `
  ALTER TABLE drugs ADD COLUMN first_fill_stability_days INTEGER
    CHECK (first_fill_stability_days IS NULL OR first_fill_stability_days > 0);
  UPDATE drugs SET first_fill_stability_days = 14 WHERE name = 'Ziconotide' COLLATE NOCASE;
  UPDATE pump_projection AS pp
    SET next_due_date = date(pp.last_refill_date, '+' || f.days || ' days'), next_due_rule = 'stability'
    FROM (
      SELECT r.pump_id AS pump_id, min(d.first_fill_stability_days) AS days
      FROM pump_projection p
      JOIN refills r ON r.pump_id = p.pump_id AND r.date = p.last_refill_date
      JOIN refill_drugs rd ON rd.refill_id = r.id
      JOIN drugs d ON d.id = rd.drug_id
      WHERE r.withdrawn_ul IS NULL AND d.first_fill_stability_days IS NOT NULL
      GROUP BY r.pump_id
    ) AS f
    WHERE pp.pump_id = f.pump_id
      AND (pp.next_due_date IS NULL OR date(pp.last_refill_date, '+' || f.days || ' days') < pp.next_due_date);
`;

/**
 * Migration 2: the clinical record. Quantities are integers with the unit in the column name:
 * volumes in microlitres (`_ul`), masses in nanograms (`_ng`, exact for mg and mcg to 3 decimals),
 * clinical dates as `YYYY-MM-DD` text, instants as UTC milliseconds (`_ms`).
 */
const CLINICAL_RECORD_SQL = `
  CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL CHECK (json_valid(value))
  ) STRICT;

  CREATE TABLE drugs (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    unit TEXT NOT NULL CHECK (unit IN ('mg', 'mcg')),
    typical_conc_min_ng_per_ml INTEGER, typical_conc_max_ng_per_ml INTEGER,
    max_conc_ng_per_ml INTEGER,
    typical_dose_min_ng_per_day INTEGER, typical_dose_max_ng_per_day INTEGER,
    max_dose_ng_per_day INTEGER,
    stability_days INTEGER CHECK (stability_days IS NULL OR stability_days > 0)
  ) STRICT;

  CREATE TABLE device_models (
    id INTEGER PRIMARY KEY,
    manufacturer TEXT NOT NULL,
    model TEXT NOT NULL,
    catalogue_numbers TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(catalogue_numbers)),
    reservoir_ul INTEGER NOT NULL CHECK (reservoir_ul > 0),
    default_alarm_ul INTEGER NOT NULL CHECK (default_alarm_ul >= 0),
    service_life_months INTEGER CHECK (service_life_months IS NULL OR service_life_months > 0),
    replacement_lead_months INTEGER NOT NULL DEFAULT 6 CHECK (replacement_lead_months >= 0),
    kind TEXT NOT NULL CHECK (kind IN ('programmable', 'constant_flow')),
    mri_notes TEXT,
    UNIQUE (manufacturer, model, reservoir_ul)
  ) STRICT;

  CREATE TABLE pumps (
    id INTEGER PRIMARY KEY,
    patient_id INTEGER NOT NULL REFERENCES patients (id),
    device_model_id INTEGER NOT NULL REFERENCES device_models (id),
    serial TEXT NOT NULL UNIQUE COLLATE NOCASE,
    udi TEXT,
    implant_date TEXT NOT NULL,
    implanting_physician TEXT,
    catheter_model TEXT,
    catheter_tip_level TEXT,
    catheter_length_mm INTEGER CHECK (catheter_length_mm IS NULL OR catheter_length_mm > 0),
    catheter_volume_ul INTEGER CHECK (catheter_volume_ul IS NULL OR catheter_volume_ul >= 0),
    pocket_side TEXT CHECK (pocket_side IS NULL OR pocket_side IN ('left', 'right', 'midline')),
    reservoir_ul INTEGER NOT NULL CHECK (reservoir_ul > 0),
    alarm_ul INTEGER NOT NULL CHECK (alarm_ul >= 0),
    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'off', 'explanted')),
    created_at_ms INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX pumps_by_patient ON pumps (patient_id);
  -- At most one pump in place (active or off) per patient; explanted pumps stay in the history.
  CREATE UNIQUE INDEX one_implanted_pump_per_patient ON pumps (patient_id) WHERE status <> 'explanted';

  CREATE TABLE refills (
    id INTEGER PRIMARY KEY,
    pump_id INTEGER NOT NULL REFERENCES pumps (id),
    date TEXT NOT NULL,
    withdrawn_ul INTEGER CHECK (withdrawn_ul IS NULL OR withdrawn_ul >= 0),
    added_ul INTEGER NOT NULL CHECK (added_ul > 0),
    mode TEXT NOT NULL CHECK (mode IN ('simple_continuous', 'flex', 'bolus')),
    extra_volume_ul_per_day INTEGER NOT NULL DEFAULT 0 CHECK (extra_volume_ul_per_day >= 0),
    reservoir_port_confirmed INTEGER NOT NULL CHECK (reservoir_port_confirmed IN (0, 1)),
    clinician TEXT,
    note TEXT,
    -- What the visit computed and showed, kept as it was:
    expected_residual_ul INTEGER,
    discrepancy_ul INTEGER,
    discrepancy_pct REAL,
    discrepancy_flag INTEGER CHECK (discrepancy_flag IS NULL OR discrepancy_flag IN (0, 1)),
    alarm_date TEXT,
    empty_date TEXT,
    next_due_date TEXT,
    next_due_rule TEXT,
    created_at_ms INTEGER NOT NULL,
    UNIQUE (pump_id, date)
  ) STRICT;

  CREATE TABLE refill_drugs (
    refill_id INTEGER NOT NULL REFERENCES refills (id) ON DELETE CASCADE,
    position INTEGER NOT NULL CHECK (position >= 0),
    drug_id INTEGER NOT NULL REFERENCES drugs (id),
    unit TEXT NOT NULL CHECK (unit IN ('mg', 'mcg')),
    concentration_ng_per_ml INTEGER NOT NULL CHECK (concentration_ng_per_ml > 0),
    daily_dose_ng_per_day INTEGER NOT NULL CHECK (daily_dose_ng_per_day >= 0),
    lot TEXT,
    expiry_date TEXT,
    PRIMARY KEY (refill_id, position)
  ) STRICT;

  CREATE TABLE dose_changes (
    id INTEGER PRIMARY KEY,
    pump_id INTEGER NOT NULL REFERENCES pumps (id),
    date TEXT NOT NULL,
    drug_id INTEGER NOT NULL REFERENCES drugs (id),
    daily_dose_ng_per_day INTEGER NOT NULL CHECK (daily_dose_ng_per_day >= 0),
    clinician TEXT,
    note TEXT,
    created_at_ms INTEGER NOT NULL,
    UNIQUE (pump_id, date, drug_id)
  ) STRICT;
  CREATE INDEX dose_changes_by_pump ON dose_changes (pump_id, date);

  CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    patient_id INTEGER NOT NULL REFERENCES patients (id),
    pump_id INTEGER REFERENCES pumps (id),
    date TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('adverse', 'mri', 'interrogation', 'note')),
    adverse_kind TEXT CHECK (adverse_kind IS NULL OR adverse_kind IN
      ('pocket_fill', 'withdrawal', 'overdose', 'granuloma', 'infection', 'csf_leak', 'motor_stall', 'alarm', 'other')),
    severity TEXT CHECK (severity IS NULL OR severity IN ('mild', 'moderate', 'severe', 'life_threatening')),
    status TEXT CHECK (status IS NULL OR status IN ('open', 'resolved')),
    mri_pre_scan_done INTEGER CHECK (mri_pre_scan_done IS NULL OR mri_pre_scan_done IN (0, 1)),
    mri_post_scan_check_date TEXT,
    note TEXT,
    clinician TEXT,
    created_at_ms INTEGER NOT NULL,
    CHECK ((kind = 'adverse') = (adverse_kind IS NOT NULL AND severity IS NOT NULL AND status IS NOT NULL))
  ) STRICT;
  CREATE INDEX events_by_patient ON events (patient_id, date);
  CREATE INDEX open_adverse_events ON events (pump_id) WHERE kind = 'adverse' AND status = 'open';

  CREATE TABLE reversals (
    id INTEGER PRIMARY KEY,
    pump_id INTEGER NOT NULL UNIQUE REFERENCES pumps (id),
    date TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('turned_off', 'drained', 'weaned')),
    plan TEXT,
    outcome TEXT,
    note TEXT,
    clinician TEXT,
    created_at_ms INTEGER NOT NULL
  ) STRICT;

  CREATE TABLE removals (
    id INTEGER PRIMARY KEY,
    pump_id INTEGER NOT NULL UNIQUE REFERENCES pumps (id),
    date TEXT NOT NULL,
    reasons TEXT NOT NULL CHECK (json_valid(reasons) AND json_array_length(reasons) > 0),
    catheter_removed INTEGER NOT NULL CHECK (catheter_removed IN (0, 1)),
    disposition TEXT CHECK (disposition IS NULL OR disposition IN ('returned_to_manufacturer', 'discarded', 'kept', 'other')),
    replacement_pump_id INTEGER REFERENCES pumps (id),
    note TEXT,
    clinician TEXT,
    created_at_ms INTEGER NOT NULL
  ) STRICT;

  -- One row per pump: the current projection the worklist reads, rewritten in the same
  -- transaction as every write it derives from (refill, dose change, reversal, removal, settings).
  CREATE TABLE pump_projection (
    pump_id INTEGER PRIMARY KEY REFERENCES pumps (id),
    in_worklist INTEGER NOT NULL CHECK (in_worklist IN (0, 1)),
    last_refill_date TEXT,
    daily_volume_ul REAL,
    alarm_date TEXT,
    empty_date TEXT,
    next_due_date TEXT,
    next_due_rule TEXT,
    discrepancy_flag INTEGER,
    replacement_from_date TEXT
  ) STRICT;
  CREATE INDEX worklist_due ON pump_projection (next_due_date) WHERE in_worklist = 1;

  -- Seed drug list (../shared/reference/intrathecal-therapy.md, section 4). Masses in ng:
  -- 1 mg = 1,000,000 ng; 1 mcg = 1,000 ng. Clinic-editable. Maximum concentrations are left empty:
  -- the PACC figures are UNCONFIRMED and the reference says limits warn rather than refuse.
  INSERT INTO drugs (name, unit, typical_conc_min_ng_per_ml, typical_conc_max_ng_per_ml, max_conc_ng_per_ml,
                     typical_dose_min_ng_per_day, typical_dose_max_ng_per_day, max_dose_ng_per_day, stability_days) VALUES
    ('Morphine',      'mg',  10000000, 25000000, NULL,   200000, 20000000, NULL, 90),
    ('Hydromorphone', 'mg',  NULL,     NULL,     NULL,   500000, 25000000, NULL, NULL),
    ('Baclofen',      'mcg', 50000,    2000000,  NULL,    90000,   800000, NULL, NULL),
    ('Ziconotide',    'mcg', 25000,    100000,   NULL,        0,    19200, 19200, 40),
    ('Sufentanil',    'mcg', NULL,     NULL,     NULL,    10000,   100000, NULL, NULL),
    ('Fentanyl',      'mcg', NULL,     NULL,     NULL,     NULL,     NULL, NULL, NULL),
    ('Bupivacaine',   'mg',  NULL,     NULL,     NULL,  6000000, 20000000, NULL, NULL),
    ('Clonidine',     'mcg', NULL,     NULL,     NULL,   250000,  2000000, NULL, NULL);

  -- Seed device catalog (reference, section 2). Volumes in µL. Service life: SynchroMed II hard stop
  -- at 7 years (84 months); SynchroMed EL 5-8 years (the earliest, 60 months, for planning);
  -- Prometra service life UNCONFIRMED (empty); Codman 3000 has no battery.
  INSERT INTO device_models (manufacturer, model, catalogue_numbers, reservoir_ul, default_alarm_ul,
                             service_life_months, replacement_lead_months, kind, mri_notes) VALUES
    ('Medtronic', 'SynchroMed II', '["8637-20"]', 20000, 2000, 84, 6, 'programmable',
     'Motor stalls during MRI: interrogate after the scan (recovery delays of 2-24 h reported).'),
    ('Medtronic', 'SynchroMed II', '["8637-40"]', 40000, 2000, 84, 6, 'programmable',
     'Motor stalls during MRI: interrogate after the scan (recovery delays of 2-24 h reported).'),
    ('Medtronic', 'SynchroMed EL', '["8626"]', 10000, 2000, 60, 6, 'programmable', NULL),
    ('Medtronic', 'SynchroMed EL', '["8627"]', 18000, 2000, 60, 6, 'programmable', NULL),
    ('Flowonix', 'Prometra / Prometra II', '["11827","13827"]', 20000, 3000, NULL, 6, 'programmable',
     'Empty the pump before MRI. Prometra II: the flow-activated valve closes and must be reset after.'),
    ('Flowonix', 'Prometra II', '["16827"]', 40000, 3000, NULL, 6, 'programmable',
     'Empty the pump before MRI. Prometra II: the flow-activated valve closes and must be reset after.'),
    ('Codman', '3000', '[]', 30000, 0, NULL, 6, 'constant_flow', NULL);
`;

export const LATEST_SCHEMA_VERSION = MIGRATIONS.reduce((max, m) => Math.max(max, m.version), 0);
