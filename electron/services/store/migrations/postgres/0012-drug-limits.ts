/**
 * Migration 12 in the PostgreSQL dialect (issue 15, item 3): migrations/sqlite/0012-drug-limits.ts written
 * for PostgreSQL, the same columns and rules.
 * The seeded drugs' limits are set as in SQLite, only on rows as seeded (these comparisons are
 * case-sensitive in SQLite too: no NOCASE here). Masses in ng, INTEGER.
 *
 * Frozen like the SQLite files: never change this file (frozen-migrations.test.ts pins its SHA-256);
 * add a new migration instead. It imports nothing but the migration type (lint-enforced).
 */
import type { PostgresMigration } from '../types';

export const DRUG_LIMITS_MIGRATION = 'drug library: step-up limits, limit sources and hard maximum doses';

export const DRUG_LIMITS_SQL = `
  ALTER TABLE drugs ADD COLUMN max_step_up_soft_pct INTEGER CHECK (max_step_up_soft_pct IS NULL OR max_step_up_soft_pct > 0);
  ALTER TABLE drugs ADD COLUMN max_step_up_hard_pct INTEGER CHECK (max_step_up_hard_pct IS NULL OR max_step_up_hard_pct > 0);
  ALTER TABLE drugs ADD COLUMN max_step_up_soft_ng_per_day INTEGER CHECK (max_step_up_soft_ng_per_day IS NULL OR max_step_up_soft_ng_per_day > 0);
  ALTER TABLE drugs ADD COLUMN max_week_step_up_soft_ng_per_day INTEGER CHECK (max_week_step_up_soft_ng_per_day IS NULL OR max_week_step_up_soft_ng_per_day > 0);
  ALTER TABLE drugs ADD COLUMN limits_source TEXT;
  -- The clinician's reason for recording a value beyond a soft limit (null: no soft limit crossed).
  ALTER TABLE refills ADD COLUMN override_reason TEXT;
  ALTER TABLE dose_changes ADD COLUMN override_reason TEXT;

  -- Opioids, bupivacaine, clonidine: 2 x the PACC 2017 recommended maximum daily dose.
  UPDATE drugs SET max_dose_ng_per_day = 30000000,
    limits_source = '2 × the PACC 2017 recommended maximum of 15 mg/day; PACC 2017 figure UNCONFIRMED against the paper'
    WHERE name = 'Morphine' AND max_dose_ng_per_day IS NULL;
  -- Hydromorphone's seeded soft maximum (25 mg/day) was above the new hard one: the recommended maximum.
  UPDATE drugs SET max_dose_ng_per_day = 20000000,
    typical_dose_max_ng_per_day = CASE WHEN typical_dose_max_ng_per_day = 25000000 THEN 10000000 ELSE typical_dose_max_ng_per_day END,
    limits_source = '2 × the PACC 2017 recommended maximum of 10 mg/day; PACC 2017 figure UNCONFIRMED against the paper'
    WHERE name = 'Hydromorphone' AND max_dose_ng_per_day IS NULL;
  UPDATE drugs SET max_dose_ng_per_day = 2000000,
    limits_source = '2 × the PACC 2017 recommended maximum of 1000 mcg/day; PACC 2017 figure UNCONFIRMED against the paper'
    WHERE name = 'Fentanyl' AND max_dose_ng_per_day IS NULL;
  UPDATE drugs SET max_dose_ng_per_day = 1000000,
    limits_source = '2 × the PACC 2017 recommended maximum of 500 mcg/day; PACC 2017 figure UNCONFIRMED against the paper'
    WHERE name = 'Sufentanil' AND max_dose_ng_per_day IS NULL;
  UPDATE drugs SET max_dose_ng_per_day = 40000000,
    limits_source = '2 × the upper PACC 2017 recommended maximum of 15-20 mg/day; PACC 2017 figure UNCONFIRMED against the paper'
    WHERE name = 'Bupivacaine' AND max_dose_ng_per_day IS NULL;
  -- Clonidine's seeded soft maximum (2000 mcg/day) was above the new hard one: the recommended maximum.
  UPDATE drugs SET max_dose_ng_per_day = 1200000,
    typical_dose_max_ng_per_day = CASE WHEN typical_dose_max_ng_per_day = 2000000 THEN 600000 ELSE typical_dose_max_ng_per_day END,
    limits_source = '2 × the PACC 2017 recommended maximum of 600 mcg/day; PACC 2017 figure UNCONFIRMED against the paper'
    WHERE name = 'Clonidine' AND max_dose_ng_per_day IS NULL;
  -- Baclofen: the Lioresal Intrathecal label reports limited experience above 1000 mcg/day.
  -- Its soft maximum moves from 800 mcg/day ("most patients", a typical range) to that 1000 mcg/day.
  UPDATE drugs SET max_dose_ng_per_day = 2000000,
    typical_dose_max_ng_per_day = CASE WHEN typical_dose_max_ng_per_day = 800000 THEN 1000000 ELSE typical_dose_max_ng_per_day END,
    limits_source = 'soft maximum 1000 mcg/day, above which the Lioresal Intrathecal label reports limited experience; hard maximum 2 × that'
    WHERE name = 'Baclofen' AND max_dose_ng_per_day IS NULL;
  -- Ziconotide: the label's own maximum, and its titration step (at most 2.4 mcg/day per raise,
  -- at most 2-3 raises a week: 3 × 2.4 = 7.2 mcg/day over 7 days).
  UPDATE drugs SET max_step_up_soft_ng_per_day = 2400, max_week_step_up_soft_ng_per_day = 7200,
    limits_source = 'Prialt label: maximum recommended 19.2 mcg/day; raise by at most 2.4 mcg/day, at most 2-3 times a week'
    WHERE name = 'Ziconotide' AND max_dose_ng_per_day = 19200;
`;

export const migration: PostgresMigration = {
  version: 12,
  name: DRUG_LIMITS_MIGRATION,
  async up(client) {
    await client.query(DRUG_LIMITS_SQL);
  },
};
