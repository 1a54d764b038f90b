/**
 * Migration 8, "device aliases, Prometra split and dilution stability", in the PostgreSQL dialect
 * (issue 15, item 3): migrations/sqlite/0008-device-aliases.ts written for PostgreSQL. The catalog
 * and drug-list steps run as in SQLite (they change seeded rows, which a new database has): the
 * combined Prometra row is split (and, with no pump on it, dropped), the aliases and the dilution
 * stability seeded where the seed is as it was. COLLATE NOCASE comparisons become lower() = lower();
 * json_valid(aliases) a cast to json.
 *
 * Frozen like the SQLite files: never change this file (frozen-migrations.test.ts pins its SHA-256);
 * add a new migration instead. It imports nothing but the migration type (lint-enforced).
 */
import type { PostgresMigration } from '../types';

export const CATALOG_ALIASES_AND_DILUTION_MIGRATION = 'device aliases, Prometra split and dilution stability';

export const CATALOG_ALIASES_AND_DILUTION_SQL = `
  ALTER TABLE device_models ADD COLUMN aliases TEXT NOT NULL DEFAULT '[]' CHECK (aliases::json IS NOT NULL);

  INSERT INTO device_models (manufacturer, model, catalogue_numbers, aliases, reservoir_ul, default_alarm_ul,
                             service_life_months, replacement_lead_months, kind, mri_notes)
    SELECT s.manufacturer, s.model, s.catalogue_numbers, s.aliases, s.reservoir_ul, 3000, NULL, 6, 'programmable', s.mri_notes
      FROM (
        SELECT 1 AS ord, 'Flowonix' AS manufacturer, 'Prometra' AS model, '["11827"]' AS catalogue_numbers, '[]' AS aliases,
               20000 AS reservoir_ul, 'Empty the pump before MRI.' AS mri_notes
        UNION ALL
        SELECT 2, 'Flowonix', 'Prometra II', '["13827"]', '["Prometra 2"]', 20000,
               'Empty the pump before MRI. Prometra II: the flow-activated valve closes and must be reset after.'
      ) AS s
     WHERE NOT EXISTS (
       SELECT 1 FROM device_models m
        WHERE lower(m.manufacturer) = lower(s.manufacturer) AND lower(m.model) = lower(s.model) AND m.reservoir_ul = s.reservoir_ul)
     ORDER BY s.ord;

  UPDATE device_models SET catalogue_numbers = '[]'
   WHERE manufacturer = 'Flowonix' AND model = 'Prometra / Prometra II' AND reservoir_ul = 20000;
  DELETE FROM device_models
   WHERE manufacturer = 'Flowonix' AND model = 'Prometra / Prometra II' AND reservoir_ul = 20000
     AND NOT EXISTS (SELECT 1 FROM pumps p WHERE p.device_model_id = device_models.id);

  UPDATE device_models SET aliases = '["Prometra 2"]'
   WHERE manufacturer = 'Flowonix' AND model = 'Prometra II' AND reservoir_ul = 40000 AND aliases = '[]';
  UPDATE device_models SET aliases = '["SynchroMed 2"]'
   WHERE manufacturer = 'Medtronic' AND model = 'SynchroMed II' AND aliases = '[]';
  UPDATE device_models SET aliases = '["Codman 3000"]'
   WHERE manufacturer = 'Codman' AND model = '3000' AND aliases = '[]';

  ALTER TABLE drugs ADD COLUMN undiluted_conc_ng_per_ml INTEGER
    CHECK (undiluted_conc_ng_per_ml IS NULL OR undiluted_conc_ng_per_ml > 0);
  ALTER TABLE drugs ADD COLUMN undiluted_stability_days INTEGER
    CHECK (undiluted_stability_days IS NULL OR undiluted_stability_days > 0);
  ALTER TABLE drugs ADD COLUMN stability_source TEXT;

  UPDATE drugs SET stability_source = 'UW pump-refill guidance: up to 90 days in the pump'
   WHERE lower(name) = lower('Morphine') AND stability_days = 90 AND first_fill_stability_days IS NULL;
  UPDATE drugs SET undiluted_conc_ng_per_ml = 100000, undiluted_stability_days = 84,
         stability_source = 'Prialt (ziconotide) prescribing information: a new pump''s first fill within 14 days; then at least every 40 days diluted, 84 days undiluted (100 mcg/mL)'
   WHERE lower(name) = lower('Ziconotide') AND unit = 'mcg' AND stability_days = 40 AND first_fill_stability_days = 14;
`;

export const migration: PostgresMigration = {
  version: 8,
  name: CATALOG_ALIASES_AND_DILUTION_MIGRATION,
  async up(client) {
    await client.query(CATALOG_ALIASES_AND_DILUTION_SQL);
  },
};
