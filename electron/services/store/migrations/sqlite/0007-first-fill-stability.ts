/**
 * Migration 7, "first-fill stability": a drug's shorter stability limit for a new pump's first fill (reference, section 4:
 * ziconotide, "new pump: refill within 14 days; then at least every 40 days"). Seeds ziconotide's,
 * then brings forward the stored next-due date of every pump whose last refill is such a first
 * fill (no residual withdrawn) of such a drug, as the next-refill rule computed it then
 * (record/projection.ts; migrations.test.ts compares the result with computeProjection).
 *
 * Released and frozen: never change this file (migrations.test.ts pins its SHA-256); add a new
 * migration instead. It imports nothing but the migration type (lint-enforced).
 */
import type { SqliteMigration } from '../types';

export const FIRST_FILL_STABILITY_MIGRATION = 'first-fill stability';

export const FIRST_FILL_STABILITY_SQL = `
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

export const migration: SqliteMigration = {
  version: 7,
  name: FIRST_FILL_STABILITY_MIGRATION,
  up(db) {
    db.exec(FIRST_FILL_STABILITY_SQL);
  },
};
