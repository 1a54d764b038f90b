/**
 * Migration 19, "refill appointments": refill appointments (issue 16, item 1; features/appointments): one row per booked visit of a
 * pump. Rows are never deleted (a trigger refuses it): an appointment is cancelled with a reason.
 *
 * Released and frozen: never change this file (migrations.test.ts pins its SHA-256); add a new
 * migration instead. It imports nothing but the migration type (lint-enforced).
 */
import type { SqliteMigration } from '../types';

export const APPOINTMENTS_MIGRATION = 'refill appointments';

export const APPOINTMENTS_SQL = `
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
  -- A pump's bookings (the worklist's "booked for" and "due, not booked").
  CREATE INDEX appointments_by_pump ON appointments (pump_id, state, date, time);
  -- A day's clinic, in time order.
  CREATE INDEX appointments_by_date ON appointments (date, time);
  -- The call list: missed and not called.
  CREATE INDEX appointments_to_call ON appointments (date) WHERE state = 'did_not_attend' AND call_outcome IS NULL;
  CREATE TRIGGER appointments_no_delete BEFORE DELETE ON appointments
  BEGIN SELECT RAISE(ABORT, 'an appointment cannot be deleted: cancel it with a reason'); END;
`;

export const migration: SqliteMigration = {
  version: 19,
  name: APPOINTMENTS_MIGRATION,
  up(db) {
    db.exec(APPOINTMENTS_SQL);
  },
};
