-- user_version 19
-- index access_tokens_active_name ON access_tokens
CREATE UNIQUE INDEX access_tokens_active_name ON access_tokens (name COLLATE NOCASE) WHERE revoked_at_ms IS NULL;
-- index amendments_by_entry ON amendments
CREATE INDEX amendments_by_entry ON amendments (entry_kind, entry_id, id);
-- index appointments_by_date ON appointments
CREATE INDEX appointments_by_date ON appointments (date, time);
-- index appointments_by_pump ON appointments
CREATE INDEX appointments_by_pump ON appointments (pump_id, state, date, time);
-- index appointments_to_call ON appointments
CREATE INDEX appointments_to_call ON appointments (date) WHERE state = 'did_not_attend' AND call_outcome IS NULL;
-- index audit_by_patient ON audit_log
CREATE INDEX audit_by_patient ON audit_log (patient_id, at_ms) WHERE patient_id IS NOT NULL;
-- index audit_by_time ON audit_log
CREATE INDEX audit_by_time ON audit_log (at_ms);
-- index audit_by_user ON audit_log
CREATE INDEX audit_by_user ON audit_log (username COLLATE NOCASE, at_ms);
-- index audit_record_versions ON audit_log
CREATE INDEX audit_record_versions ON audit_log (entity, entity_id, seq) WHERE action IN ('create', 'update', 'user_create', 'user_update');
-- index dose_changes_by_pump ON dose_changes
CREATE INDEX dose_changes_by_pump ON dose_changes (pump_id, date);
-- index events_by_patient ON events
CREATE INDEX events_by_patient ON events (patient_id, date);
-- index one_implanted_pump_per_patient ON pumps
CREATE UNIQUE INDEX one_implanted_pump_per_patient ON pumps (patient_id) WHERE status <> 'explanted';
-- index open_adverse_events ON events
CREATE INDEX open_adverse_events ON events (pump_id) WHERE kind = 'adverse' AND status = 'open';
-- index open_severe_adverse_events ON events
CREATE INDEX open_severe_adverse_events ON events (pump_id)
    WHERE kind = 'adverse' AND status = 'open' AND severity IN ('severe', 'life_threatening');
-- index patient_phones_by_digits ON patient_phones
CREATE INDEX patient_phones_by_digits ON patient_phones (digits);
-- index patient_phones_by_digits_reversed ON patient_phones
CREATE INDEX patient_phones_by_digits_reversed ON patient_phones (digits_reversed);
-- index patient_phones_by_patient ON patient_phones
CREATE INDEX patient_phones_by_patient ON patient_phones (patient_id);
-- index patients_by_birth_date ON patients
CREATE INDEX patients_by_birth_date ON patients (birth_date);
-- index patients_by_given_name ON patients
CREATE INDEX patients_by_given_name ON patients (given_name COLLATE NOCASE);
-- index patients_by_name ON patients
CREATE INDEX patients_by_name ON patients (family_name COLLATE NOCASE, given_name COLLATE NOCASE);
-- index pumps_by_patient ON pumps
CREATE INDEX pumps_by_patient ON pumps (patient_id);
-- index reversals_by_pump ON reversals
CREATE INDEX reversals_by_pump ON reversals (pump_id, date);
-- index sqlite_autoindex_access_tokens_1 ON access_tokens
(no SQL);
-- index sqlite_autoindex_audit_log_1 ON audit_log
(no SQL);
-- index sqlite_autoindex_audit_log_2 ON audit_log
(no SQL);
-- index sqlite_autoindex_device_models_1 ON device_models
(no SQL);
-- index sqlite_autoindex_dose_changes_1 ON dose_changes
(no SQL);
-- index sqlite_autoindex_drugs_1 ON drugs
(no SQL);
-- index sqlite_autoindex_patients_1 ON patients
(no SQL);
-- index sqlite_autoindex_pumps_1 ON pumps
(no SQL);
-- index sqlite_autoindex_refill_drugs_1 ON refill_drugs
(no SQL);
-- index sqlite_autoindex_refills_1 ON refills
(no SQL);
-- index sqlite_autoindex_removals_1 ON removals
(no SQL);
-- index sqlite_autoindex_settings_1 ON settings
(no SQL);
-- index sqlite_autoindex_signatures_1 ON signatures
(no SQL);
-- index sqlite_autoindex_therapy_restarts_1 ON therapy_restarts
(no SQL);
-- index sqlite_autoindex_therapy_restarts_2 ON therapy_restarts
(no SQL);
-- index sqlite_autoindex_users_1 ON users
(no SQL);
-- index sqlite_autoindex_verifications_1 ON verifications
(no SQL);
-- index therapy_restarts_by_pump ON therapy_restarts
CREATE INDEX therapy_restarts_by_pump ON therapy_restarts (pump_id, date);
-- index verifications_awaiting ON verifications
CREATE INDEX verifications_awaiting ON verifications (requested_at_ms) WHERE state = 'awaiting';
-- index verifications_by_pump ON verifications
CREATE INDEX verifications_by_pump ON verifications (pump_id, state);
-- index worklist_alarm ON pump_projection
CREATE INDEX worklist_alarm ON pump_projection (alarm_date) WHERE in_worklist = 1;
-- index worklist_due ON pump_projection
CREATE INDEX worklist_due ON pump_projection (next_due_date) WHERE in_worklist = 1;
-- index worklist_empty ON pump_projection
CREATE INDEX worklist_empty ON pump_projection (empty_date) WHERE in_worklist = 1;
-- index worklist_flagged ON pump_projection
CREATE INDEX worklist_flagged ON pump_projection (pump_id) WHERE in_worklist = 1 AND discrepancy_flag = 1;
-- index worklist_replacement ON pump_projection
CREATE INDEX worklist_replacement ON pump_projection (replacement_from_date) WHERE in_worklist = 1;
-- table access_settings ON access_settings
CREATE TABLE access_settings (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    session_lock_minutes INTEGER NOT NULL DEFAULT 10 CHECK (session_lock_minutes BETWEEN 1 AND 240)
  ) STRICT;
-- table access_tokens ON access_tokens
CREATE TABLE access_tokens (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL CHECK (length(trim(name)) > 0),
    role TEXT NOT NULL CHECK (role IN ('clinician', 'staff', 'auditor')),
    secret_sha256 TEXT NOT NULL UNIQUE CHECK (length(secret_sha256) = 64),
    created_by_user_id INTEGER,
    created_by_name TEXT NOT NULL,
    created_at_ms INTEGER NOT NULL,
    expires_at_ms INTEGER NOT NULL CHECK (expires_at_ms > created_at_ms),
    last_used_at_ms INTEGER,
    revoked_at_ms INTEGER,
    revoked_by_name TEXT,
    CHECK ((revoked_at_ms IS NULL) = (revoked_by_name IS NULL))
  ) STRICT;
-- table amendments ON amendments
CREATE TABLE amendments (
    id INTEGER PRIMARY KEY,
    entry_kind TEXT NOT NULL CHECK (entry_kind IN ('refill', 'removal', 'reversal')),
    entry_id INTEGER NOT NULL,
    -- The amended fields: {"note": "old"} before, {"note": "new"} after (dotted paths as keys).
    before_json TEXT NOT NULL CHECK (json_valid(before_json) AND json_type(before_json) = 'object'),
    after_json TEXT NOT NULL CHECK (json_valid(after_json) AND json_type(after_json) = 'object'),
    reason TEXT NOT NULL CHECK (length(trim(reason)) > 0),
    user_id INTEGER NOT NULL REFERENCES users (id),
    printed_name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('administrator', 'clinician', 'staff', 'auditor')),
    at_ms INTEGER NOT NULL
  ) STRICT;
-- table appointments ON appointments
CREATE TABLE appointments (
    id INTEGER PRIMARY KEY,
    pump_id INTEGER NOT NULL REFERENCES pumps (id),
    date TEXT NOT NULL CHECK (date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    time TEXT NOT NULL CHECK (time GLOB '[0-2][0-9]:[0-5][0-9]' AND time <= '23:59'),
    clinician TEXT,
    room TEXT,
    home_visit INTEGER NOT NULL CHECK (home_visit IN (0, 1)),
    state TEXT NOT NULL DEFAULT 'booked' CHECK (state IN ('booked', 'attended', 'did_not_attend', 'cancelled')),
    late_reason TEXT,
    cancel_reason TEXT,
    call_outcome TEXT,
    called_at_ms INTEGER,
    created_by TEXT NOT NULL,
    created_at_ms INTEGER NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at_ms INTEGER NOT NULL,
    CHECK (home_visit = 1 OR (room IS NOT NULL AND length(trim(room)) > 0)),
    CHECK ((state = 'cancelled') = (cancel_reason IS NOT NULL AND length(trim(cancel_reason)) > 0)),
    CHECK (call_outcome IS NULL OR state = 'did_not_attend'),
    CHECK ((call_outcome IS NULL) = (called_at_ms IS NULL))
  ) STRICT;
-- table audit_log ON audit_log
CREATE TABLE audit_log (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    at_ms INTEGER NOT NULL,
    user_id INTEGER,
    username TEXT NOT NULL,
    role TEXT,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT,
    patient_id INTEGER,
    before_json TEXT CHECK (before_json IS NULL OR json_valid(before_json)),
    after_json TEXT CHECK (after_json IS NULL OR json_valid(after_json)),
    detail_json TEXT CHECK (detail_json IS NULL OR json_valid(detail_json)),
    prev_hash TEXT NOT NULL UNIQUE,
    hash TEXT NOT NULL UNIQUE
  , workstation TEXT) STRICT;
-- table backup_settings ON backup_settings
CREATE TABLE backup_settings (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    folder TEXT CHECK (folder IS NULL OR length(folder) > 0),
    last_backup_at_ms INTEGER,
    last_backup_name TEXT,
    last_error TEXT
  ) STRICT;
-- table device_models ON device_models
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
    mri_notes TEXT, aliases TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(aliases)),
    UNIQUE (manufacturer, model, reservoir_ul)
  ) STRICT;
-- table dose_changes ON dose_changes
CREATE TABLE dose_changes (
    id INTEGER PRIMARY KEY,
    pump_id INTEGER NOT NULL REFERENCES pumps (id),
    date TEXT NOT NULL,
    drug_id INTEGER NOT NULL REFERENCES drugs (id),
    daily_dose_ng_per_day INTEGER NOT NULL CHECK (daily_dose_ng_per_day >= 0),
    clinician TEXT,
    note TEXT,
    created_at_ms INTEGER NOT NULL, recorded_by_user_id INTEGER, recorded_by_name TEXT CHECK (recorded_by_name IS NULL OR length(recorded_by_name) > 0), recorded_by_role TEXT
    CHECK (recorded_by_role IS NULL OR recorded_by_role IN ('administrator', 'clinician', 'staff', 'auditor')), override_reason TEXT, override_limits_json TEXT CHECK (override_limits_json IS NULL OR json_valid(override_limits_json)),
    UNIQUE (pump_id, date, drug_id)
  ) STRICT;
-- table drugs ON drugs
CREATE TABLE drugs (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    unit TEXT NOT NULL CHECK (unit IN ('mg', 'mcg')),
    typical_conc_min_ng_per_ml INTEGER, typical_conc_max_ng_per_ml INTEGER,
    max_conc_ng_per_ml INTEGER,
    typical_dose_min_ng_per_day INTEGER, typical_dose_max_ng_per_day INTEGER,
    max_dose_ng_per_day INTEGER,
    stability_days INTEGER CHECK (stability_days IS NULL OR stability_days > 0)
  , first_fill_stability_days INTEGER
    CHECK (first_fill_stability_days IS NULL OR first_fill_stability_days > 0), undiluted_conc_ng_per_ml INTEGER
    CHECK (undiluted_conc_ng_per_ml IS NULL OR undiluted_conc_ng_per_ml > 0), undiluted_stability_days INTEGER
    CHECK (undiluted_stability_days IS NULL OR undiluted_stability_days > 0), stability_source TEXT, withdrawal_warning TEXT, max_step_up_soft_pct INTEGER CHECK (max_step_up_soft_pct IS NULL OR max_step_up_soft_pct > 0), max_step_up_hard_pct INTEGER CHECK (max_step_up_hard_pct IS NULL OR max_step_up_hard_pct > 0), max_step_up_soft_ng_per_day INTEGER CHECK (max_step_up_soft_ng_per_day IS NULL OR max_step_up_soft_ng_per_day > 0), max_week_step_up_soft_ng_per_day INTEGER CHECK (max_week_step_up_soft_ng_per_day IS NULL OR max_week_step_up_soft_ng_per_day > 0), limits_source TEXT) STRICT;
-- table events ON events
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
    created_at_ms INTEGER NOT NULL, recorded_by_user_id INTEGER, recorded_by_name TEXT CHECK (recorded_by_name IS NULL OR length(recorded_by_name) > 0), recorded_by_role TEXT
    CHECK (recorded_by_role IS NULL OR recorded_by_role IN ('administrator', 'clinician', 'staff', 'auditor')),
    CHECK ((kind = 'adverse') = (adverse_kind IS NOT NULL AND severity IS NOT NULL AND status IS NOT NULL))
  ) STRICT;
-- table patient_contacts ON patient_contacts
CREATE TABLE patient_contacts (
    patient_id INTEGER PRIMARY KEY REFERENCES patients (id),
    contacts TEXT NOT NULL CHECK (json_valid(contacts) AND json_type(contacts, '$.phones') = 'array'),
    updated_at_ms INTEGER NOT NULL
  ) STRICT;
-- table patient_phones ON patient_phones
CREATE TABLE patient_phones (
    patient_id INTEGER NOT NULL REFERENCES patients (id),
    digits TEXT NOT NULL,
    digits_reversed TEXT NOT NULL
  ) STRICT;
-- table patient_search ON patient_search
CREATE VIRTUAL TABLE patient_search USING fts5 (text, tokenize = 'trigram');
-- table patient_search_config ON patient_search_config
CREATE TABLE 'patient_search_config'(k PRIMARY KEY, v) WITHOUT ROWID;
-- table patient_search_content ON patient_search_content
CREATE TABLE 'patient_search_content'(id INTEGER PRIMARY KEY, c0);
-- table patient_search_data ON patient_search_data
CREATE TABLE 'patient_search_data'(id INTEGER PRIMARY KEY, block BLOB);
-- table patient_search_docsize ON patient_search_docsize
CREATE TABLE 'patient_search_docsize'(id INTEGER PRIMARY KEY, sz BLOB);
-- table patient_search_idx ON patient_search_idx
CREATE TABLE 'patient_search_idx'(segid, term, pgno, PRIMARY KEY(segid, term)) WITHOUT ROWID;
-- table patients ON patients
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
        , death_date TEXT
    CHECK (death_date IS NULL OR death_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'), transfer_date TEXT
    CHECK (transfer_date IS NULL OR transfer_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'), transferred_to TEXT) STRICT;
-- table pump_projection ON pump_projection
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
-- table pumps ON pumps
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
  , recorded_by_user_id INTEGER, recorded_by_name TEXT CHECK (recorded_by_name IS NULL OR length(recorded_by_name) > 0), recorded_by_role TEXT
    CHECK (recorded_by_role IS NULL OR recorded_by_role IN ('administrator', 'clinician', 'staff', 'auditor'))) STRICT;
-- table refill_drugs ON refill_drugs
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
-- table refills ON refills
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
    created_at_ms INTEGER NOT NULL, recorded_by_user_id INTEGER, recorded_by_name TEXT CHECK (recorded_by_name IS NULL OR length(recorded_by_name) > 0), recorded_by_role TEXT
    CHECK (recorded_by_role IS NULL OR recorded_by_role IN ('administrator', 'clinician', 'staff', 'auditor')), override_reason TEXT, override_limits_json TEXT CHECK (override_limits_json IS NULL OR json_valid(override_limits_json)),
    UNIQUE (pump_id, date)
  ) STRICT;
-- table removals ON removals
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
  , recorded_by_user_id INTEGER, recorded_by_name TEXT CHECK (recorded_by_name IS NULL OR length(recorded_by_name) > 0), recorded_by_role TEXT
    CHECK (recorded_by_role IS NULL OR recorded_by_role IN ('administrator', 'clinician', 'staff', 'auditor'))) STRICT;
-- table reversals ON reversals
CREATE TABLE "reversals" (
    id INTEGER PRIMARY KEY,
    pump_id INTEGER NOT NULL REFERENCES pumps (id),
    date TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('turned_off', 'drained', 'weaned')),
    plan TEXT,
    outcome TEXT,
    note TEXT,
    clinician TEXT,
    created_at_ms INTEGER NOT NULL
  , recorded_by_user_id INTEGER, recorded_by_name TEXT CHECK (recorded_by_name IS NULL OR length(recorded_by_name) > 0), recorded_by_role TEXT
    CHECK (recorded_by_role IS NULL OR recorded_by_role IN ('administrator', 'clinician', 'staff', 'auditor'))) STRICT;
-- table settings ON settings
CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL CHECK (json_valid(value))
  ) STRICT;
-- table signatures ON signatures
CREATE TABLE signatures (
    id INTEGER PRIMARY KEY,
    entry_kind TEXT NOT NULL CHECK (entry_kind IN ('refill', 'removal', 'reversal', 'amendment')),
    entry_id INTEGER NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users (id),
    printed_name TEXT NOT NULL CHECK (length(printed_name) > 0),
    role TEXT NOT NULL CHECK (role IN ('administrator', 'clinician', 'staff', 'auditor')),
    meaning TEXT NOT NULL CHECK (length(meaning) > 0),
    signed_at_ms INTEGER NOT NULL,
    content_sha256 TEXT NOT NULL CHECK (length(content_sha256) = 64),
    UNIQUE (entry_kind, entry_id)
  ) STRICT;
-- table sqlite_sequence ON sqlite_sequence
CREATE TABLE sqlite_sequence(name,seq);
-- table therapy_restarts ON therapy_restarts
CREATE TABLE therapy_restarts (
    id INTEGER PRIMARY KEY,
    pump_id INTEGER NOT NULL REFERENCES pumps (id),
    date TEXT NOT NULL,
    reversal_id INTEGER NOT NULL UNIQUE REFERENCES reversals (id),
    refill_id INTEGER NOT NULL UNIQUE REFERENCES refills (id),
    created_at_ms INTEGER NOT NULL
  ) STRICT;
-- table users ON users
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE COLLATE NOCASE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('administrator', 'clinician', 'staff', 'auditor')),
    -- scrypt: 'scrypt$N$r$p$salt(base64)$hash(base64)', parameters kept with each hash
    password_hash TEXT NOT NULL CHECK (password_hash GLOB 'scrypt$*'),
    failed_logins INTEGER NOT NULL DEFAULT 0 CHECK (failed_logins >= 0),
    locked_until_ms INTEGER,
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    -- Raised on a role change, deactivation or password reset: every session of the user ends.
    session_epoch INTEGER NOT NULL DEFAULT 0,
    created_at_ms INTEGER NOT NULL,
    updated_at_ms INTEGER NOT NULL
  ) STRICT;
-- table verifications ON verifications
CREATE TABLE verifications (
    id INTEGER PRIMARY KEY,
    entry_kind TEXT NOT NULL CHECK (entry_kind IN ('refill', 'dose_change')),
    entry_id INTEGER NOT NULL,
    pump_id INTEGER NOT NULL REFERENCES pumps (id),
    -- Why a check is needed: a JSON array of opioid_increase, ziconotide_increase, soft_limit_override.
    reasons TEXT NOT NULL CHECK (json_valid(reasons) AND json_type(reasons) = 'array' AND json_array_length(reasons) > 0),
    summary TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'awaiting' CHECK (state IN ('awaiting', 'verified', 'rejected')),
    requested_by_user_id INTEGER,
    requested_by_name TEXT NOT NULL CHECK (length(requested_by_name) > 0),
    requested_by_role TEXT CHECK (requested_by_role IS NULL OR requested_by_role IN ('administrator', 'clinician', 'staff', 'auditor')),
    requested_at_ms INTEGER NOT NULL,
    decided_by_user_id INTEGER,
    decided_by_name TEXT,
    decided_by_role TEXT CHECK (decided_by_role IS NULL OR decided_by_role IN ('administrator', 'clinician', 'staff', 'auditor')),
    decided_at_ms INTEGER,
    reject_reason TEXT,
    UNIQUE (entry_kind, entry_id),
    CHECK ((state = 'awaiting') = (decided_at_ms IS NULL)),
    CHECK (state = 'awaiting' OR (decided_by_user_id IS NOT NULL AND decided_by_name IS NOT NULL AND decided_by_role = 'clinician')),
    CHECK ((state = 'rejected') = (reject_reason IS NOT NULL AND length(trim(reject_reason)) > 0)),
    CHECK (decided_by_user_id IS NULL OR requested_by_user_id IS NULL OR decided_by_user_id <> requested_by_user_id)
  ) STRICT;
-- trigger access_tokens_no_delete ON access_tokens
CREATE TRIGGER access_tokens_no_delete BEFORE DELETE ON access_tokens
    BEGIN SELECT RAISE(ABORT, 'access tokens are never deleted: revoke them'); END;
-- trigger access_tokens_revocation_final ON access_tokens
CREATE TRIGGER access_tokens_revocation_final BEFORE UPDATE OF revoked_at_ms, revoked_by_name, secret_sha256, role, name, expires_at_ms ON access_tokens
    WHEN OLD.revoked_at_ms IS NOT NULL OR NEW.secret_sha256 IS NOT OLD.secret_sha256 OR NEW.role IS NOT OLD.role
      OR NEW.name IS NOT OLD.name OR NEW.expires_at_ms IS NOT OLD.expires_at_ms
    BEGIN SELECT RAISE(ABORT, 'an access token is changed only by its revocation (once) and its last use'); END;
-- trigger amendments_no_delete ON amendments
CREATE TRIGGER amendments_no_delete BEFORE DELETE ON amendments
  BEGIN SELECT RAISE(ABORT, 'amendments are append-only: an amendment cannot be deleted'); END;
-- trigger amendments_no_update ON amendments
CREATE TRIGGER amendments_no_update BEFORE UPDATE ON amendments
  BEGIN SELECT RAISE(ABORT, 'amendments are append-only: an amendment cannot be changed'); END;
-- trigger appointments_no_delete ON appointments
CREATE TRIGGER appointments_no_delete BEFORE DELETE ON appointments
  BEGIN SELECT RAISE(ABORT, 'an appointment cannot be deleted: cancel it with a reason'); END;
-- trigger audit_log_no_delete ON audit_log
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
  BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only: an entry cannot be deleted');
  END;
-- trigger audit_log_no_update ON audit_log
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
  BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only: an entry cannot be changed');
  END;
-- trigger patient_search_after_patient_insert ON patients
CREATE TRIGGER patient_search_after_patient_insert AFTER INSERT ON patients BEGIN
    INSERT INTO patient_search (rowid, text) VALUES (NEW.id, NEW.mrn || char(1) || NEW.family_name || char(1) || NEW.given_name ||
    coalesce((SELECT char(1) || group_concat(s.serial, char(1)) FROM pumps s WHERE s.patient_id = NEW.id), ''));
  END;
-- trigger patient_search_after_patient_update ON patients
CREATE TRIGGER patient_search_after_patient_update AFTER UPDATE OF mrn, family_name, given_name ON patients BEGIN
    DELETE FROM patient_search WHERE rowid = OLD.id;
    INSERT INTO patient_search (rowid, text) VALUES (NEW.id, NEW.mrn || char(1) || NEW.family_name || char(1) || NEW.given_name ||
    coalesce((SELECT char(1) || group_concat(s.serial, char(1)) FROM pumps s WHERE s.patient_id = NEW.id), ''));
  END;
-- trigger patient_search_after_pump_insert ON pumps
CREATE TRIGGER patient_search_after_pump_insert AFTER INSERT ON pumps BEGIN
    DELETE FROM patient_search WHERE rowid = NEW.patient_id;
    INSERT INTO patient_search (rowid, text)
      SELECT p.id, p.mrn || char(1) || p.family_name || char(1) || p.given_name ||
    coalesce((SELECT char(1) || group_concat(s.serial, char(1)) FROM pumps s WHERE s.patient_id = p.id), '') FROM patients p WHERE p.id = NEW.patient_id;
  END;
-- trigger patient_search_after_pump_update ON pumps
CREATE TRIGGER patient_search_after_pump_update AFTER UPDATE OF serial, patient_id ON pumps BEGIN
    DELETE FROM patient_search WHERE rowid IN (OLD.patient_id, NEW.patient_id);
    INSERT INTO patient_search (rowid, text)
      SELECT p.id, p.mrn || char(1) || p.family_name || char(1) || p.given_name ||
    coalesce((SELECT char(1) || group_concat(s.serial, char(1)) FROM pumps s WHERE s.patient_id = p.id), '') FROM patients p WHERE p.id IN (OLD.patient_id, NEW.patient_id);
  END;
-- trigger signatures_no_delete ON signatures
CREATE TRIGGER signatures_no_delete BEFORE DELETE ON signatures
  BEGIN SELECT RAISE(ABORT, 'signatures are append-only: a signature cannot be deleted'); END;
-- trigger signatures_no_update ON signatures
CREATE TRIGGER signatures_no_update BEFORE UPDATE ON signatures
  BEGIN SELECT RAISE(ABORT, 'signatures are append-only: a signature cannot be changed'); END;
-- trigger signed_refill_drugs_no_delete ON refill_drugs
CREATE TRIGGER signed_refill_drugs_no_delete BEFORE DELETE ON refill_drugs
  WHEN EXISTS (SELECT 1 FROM signatures WHERE entry_kind = 'refill' AND entry_id = OLD.refill_id)
  BEGIN SELECT RAISE(ABORT, 'a signed refill visit cannot be changed: record an amendment'); END;
-- trigger signed_refill_drugs_no_insert ON refill_drugs
CREATE TRIGGER signed_refill_drugs_no_insert BEFORE INSERT ON refill_drugs
  WHEN EXISTS (SELECT 1 FROM signatures WHERE entry_kind = 'refill' AND entry_id = NEW.refill_id)
  BEGIN SELECT RAISE(ABORT, 'a signed refill visit cannot be changed: record an amendment'); END;
-- trigger signed_refill_drugs_no_update ON refill_drugs
CREATE TRIGGER signed_refill_drugs_no_update BEFORE UPDATE ON refill_drugs
  WHEN EXISTS (SELECT 1 FROM signatures WHERE entry_kind = 'refill' AND entry_id IN (OLD.refill_id, NEW.refill_id))
  BEGIN SELECT RAISE(ABORT, 'a signed refill visit cannot be changed: record an amendment'); END;
-- trigger signed_refill_no_delete ON refills
CREATE TRIGGER signed_refill_no_delete BEFORE DELETE ON refills
  WHEN EXISTS (SELECT 1 FROM signatures WHERE entry_kind = 'refill' AND entry_id = OLD.id)
  BEGIN SELECT RAISE(ABORT, 'a signed refill visit cannot be deleted'); END;
-- trigger signed_refill_no_update ON refills
CREATE TRIGGER signed_refill_no_update BEFORE UPDATE ON refills
  WHEN EXISTS (SELECT 1 FROM signatures WHERE entry_kind = 'refill' AND entry_id = OLD.id)
  BEGIN SELECT RAISE(ABORT, 'a signed refill visit cannot be changed: record an amendment'); END;
-- trigger signed_removal_no_delete ON removals
CREATE TRIGGER signed_removal_no_delete BEFORE DELETE ON removals
  WHEN EXISTS (SELECT 1 FROM signatures WHERE entry_kind = 'removal' AND entry_id = OLD.id)
  BEGIN SELECT RAISE(ABORT, 'a signed removal cannot be deleted'); END;
-- trigger signed_removal_no_update ON removals
CREATE TRIGGER signed_removal_no_update BEFORE UPDATE ON removals
  WHEN EXISTS (SELECT 1 FROM signatures WHERE entry_kind = 'removal' AND entry_id = OLD.id)
  BEGIN SELECT RAISE(ABORT, 'a signed removal cannot be changed: record an amendment'); END;
-- trigger signed_restart_no_delete ON therapy_restarts
CREATE TRIGGER signed_restart_no_delete BEFORE DELETE ON therapy_restarts
  WHEN EXISTS (SELECT 1 FROM signatures WHERE entry_kind = 'refill' AND entry_id = OLD.refill_id)
  BEGIN SELECT RAISE(ABORT, 'a therapy restart whose fill is signed cannot be deleted'); END;
-- trigger signed_restart_no_update ON therapy_restarts
CREATE TRIGGER signed_restart_no_update BEFORE UPDATE ON therapy_restarts
  WHEN EXISTS (SELECT 1 FROM signatures WHERE entry_kind = 'refill' AND entry_id = OLD.refill_id)
  BEGIN SELECT RAISE(ABORT, 'a therapy restart whose fill is signed cannot be changed: record an amendment'); END;
-- trigger signed_reversal_no_delete ON reversals
CREATE TRIGGER signed_reversal_no_delete BEFORE DELETE ON reversals
  WHEN EXISTS (SELECT 1 FROM signatures WHERE entry_kind = 'reversal' AND entry_id = OLD.id)
  BEGIN SELECT RAISE(ABORT, 'a signed therapy reversal cannot be deleted'); END;
-- trigger signed_reversal_no_update ON reversals
CREATE TRIGGER signed_reversal_no_update BEFORE UPDATE ON reversals
  WHEN EXISTS (SELECT 1 FROM signatures WHERE entry_kind = 'reversal' AND entry_id = OLD.id)
  BEGIN SELECT RAISE(ABORT, 'a signed therapy reversal cannot be changed: record an amendment'); END;
-- trigger verifications_decide_once ON verifications
CREATE TRIGGER verifications_decide_once BEFORE UPDATE ON verifications
  WHEN OLD.state <> 'awaiting' OR NEW.state = 'awaiting'
    OR NEW.entry_kind IS NOT OLD.entry_kind OR NEW.entry_id IS NOT OLD.entry_id OR NEW.pump_id IS NOT OLD.pump_id
    OR NEW.reasons IS NOT OLD.reasons OR NEW.summary IS NOT OLD.summary
    OR NEW.requested_by_user_id IS NOT OLD.requested_by_user_id OR NEW.requested_by_name IS NOT OLD.requested_by_name
    OR NEW.requested_by_role IS NOT OLD.requested_by_role OR NEW.requested_at_ms IS NOT OLD.requested_at_ms
  BEGIN SELECT RAISE(ABORT, 'a double check is decided once: an awaiting entry can only be verified or rejected'); END;
-- trigger verifications_no_delete ON verifications
CREATE TRIGGER verifications_no_delete BEFORE DELETE ON verifications
  BEGIN SELECT RAISE(ABORT, 'a double check cannot be deleted'); END;
-- rows of access_settings
[1,10]
-- rows of backup_settings
[1,null,null,null,null]
-- rows of device_models
[1,"Medtronic","SynchroMed II","[\"8637-20\"]",20000,2000,84,6,"programmable","Motor stalls during MRI: interrogate after the scan (recovery delays of 2-24 h reported).","[\"SynchroMed 2\"]"]
[2,"Medtronic","SynchroMed II","[\"8637-40\"]",40000,2000,84,6,"programmable","Motor stalls during MRI: interrogate after the scan (recovery delays of 2-24 h reported).","[\"SynchroMed 2\"]"]
[3,"Medtronic","SynchroMed EL","[\"8626\"]",10000,2000,60,6,"programmable",null,"[]"]
[4,"Medtronic","SynchroMed EL","[\"8627\"]",18000,2000,60,6,"programmable",null,"[]"]
[6,"Flowonix","Prometra II","[\"16827\"]",40000,3000,null,6,"programmable","Empty the pump before MRI. Prometra II: the flow-activated valve closes and must be reset after.","[\"Prometra 2\"]"]
[7,"Codman","3000","[]",30000,0,null,6,"constant_flow",null,"[\"Codman 3000\"]"]
[8,"Flowonix","Prometra","[\"11827\"]",20000,3000,null,6,"programmable","Empty the pump before MRI.","[]"]
[9,"Flowonix","Prometra II","[\"13827\"]",20000,3000,null,6,"programmable","Empty the pump before MRI. Prometra II: the flow-activated valve closes and must be reset after.","[\"Prometra 2\"]"]
-- rows of drugs
[1,"Morphine","mg",10000000,25000000,null,200000,20000000,30000000,90,null,null,null,"UW pump-refill guidance: up to 90 days in the pump","Abrupt withdrawal can cause an opioid withdrawal syndrome. (Morphine label.)",null,null,null,null,"2 × the PACC 2017 recommended maximum of 15 mg/day; PACC 2017 figure UNCONFIRMED against the paper"]
[2,"Hydromorphone","mg",null,null,null,500000,10000000,20000000,null,null,null,null,null,"Abrupt withdrawal can cause an opioid withdrawal syndrome. (Hydromorphone label.)",null,null,null,null,"2 × the PACC 2017 recommended maximum of 10 mg/day; PACC 2017 figure UNCONFIRMED against the paper"]
[3,"Baclofen","mcg",50000,2000000,null,90000,1000000,2000000,null,null,null,null,null,"Abrupt withdrawal can be life-threatening: high fever, altered mental status, exaggerated rebound spasticity and muscle rigidity, in rare cases rhabdomyolysis, multiple organ failure and death. Early signs: return of baseline spasticity, itching, low blood pressure, paraesthesia. (Boxed warning, Lioresal Intrathecal and Gablofen labels.)",null,null,null,null,"soft maximum 1000 mcg/day, above which the Lioresal Intrathecal label reports limited experience; hard maximum 2 × that"]
[4,"Ziconotide","mcg",25000,100000,null,0,19200,19200,40,14,100000,84,"Prialt (ziconotide) prescribing information: a new pump's first fill within 14 days; then at least every 40 days diluted, 84 days undiluted (100 mcg/mL)",null,null,null,2400,7200,"Prialt label: maximum recommended 19.2 mcg/day; raise by at most 2.4 mcg/day, at most 2-3 times a week"]
[5,"Sufentanil","mcg",null,null,null,10000,100000,1000000,null,null,null,null,null,"Abrupt withdrawal can cause an opioid withdrawal syndrome. (Sufentanil label.)",null,null,null,null,"2 × the PACC 2017 recommended maximum of 500 mcg/day; PACC 2017 figure UNCONFIRMED against the paper"]
[6,"Fentanyl","mcg",null,null,null,null,null,2000000,null,null,null,null,null,"Abrupt withdrawal can cause an opioid withdrawal syndrome. (Fentanyl label.)",null,null,null,null,"2 × the PACC 2017 recommended maximum of 1000 mcg/day; PACC 2017 figure UNCONFIRMED against the paper"]
[7,"Bupivacaine","mg",null,null,null,6000000,20000000,40000000,null,null,null,null,null,null,null,null,null,null,"2 × the upper PACC 2017 recommended maximum of 15-20 mg/day; PACC 2017 figure UNCONFIRMED against the paper"]
[8,"Clonidine","mcg",null,null,null,250000,600000,1200000,null,null,null,null,null,"Abrupt withdrawal can cause rebound hypertension. (Clonidine label.)",null,null,null,null,"2 × the PACC 2017 recommended maximum of 600 mcg/day; PACC 2017 figure UNCONFIRMED against the paper"]
-- rows of patient_search_config
["version",4]
-- rows of patient_search_data
[1,{"type":"Buffer","data":[]}]
[10,{"type":"Buffer","data":[0,0,0,0,0,0,0]}]
