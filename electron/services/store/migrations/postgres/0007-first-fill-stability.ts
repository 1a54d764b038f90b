/**
 * Migration 7, "first-fill stability", in the PostgreSQL dialect (issue 15, item 3): the column and
 * the ziconotide seed of migrations/sqlite/0007-first-fill-stability.ts (COLLATE NOCASE: lower()).
 *
 * Its data step (bringing forward the stored next-due date of pumps whose last refill is such a
 * first fill) is a no-op here, on purpose: every PostgreSQL database runs migrations 1..19 at once
 * when it is created, empty of pumps, or is filled later by `reservoir migrate` from a SQLite
 * database that already ran this step. There is nothing to bring forward.
 *
 * Frozen like the SQLite files: never change this file (frozen-migrations.test.ts pins its SHA-256);
 * add a new migration instead. It imports nothing but the migration type (lint-enforced).
 */
import type { PostgresMigration } from '../types';

export const FIRST_FILL_STABILITY_MIGRATION = 'first-fill stability';

export const FIRST_FILL_STABILITY_SQL = `
  ALTER TABLE drugs ADD COLUMN first_fill_stability_days INTEGER
    CHECK (first_fill_stability_days IS NULL OR first_fill_stability_days > 0);
  UPDATE drugs SET first_fill_stability_days = 14 WHERE lower(name) = lower('Ziconotide');
`;

export const migration: PostgresMigration = {
  version: 7,
  name: FIRST_FILL_STABILITY_MIGRATION,
  async up(client) {
    await client.query(FIRST_FILL_STABILITY_SQL);
  },
};
