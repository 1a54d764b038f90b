/**
 * Migration 11, "urgency: withdrawal warnings and worklist urgency indexes": urgency, worst first (issue 13): each drug's withdrawal warning and the indexes the worklist's
 * empty, alarm and severe-event lists and counts read.
 *
 * Withdrawal warnings (../shared/reference/intrathecal-therapy.md, section 8), each naming its
 * source: baclofen (boxed warning, Lioresal Intrathecal and Gablofen labels); clonidine (rebound
 * hypertension, label); morphine, hydromorphone, fentanyl, sufentanil (opioid withdrawal syndrome,
 * labels); ziconotide none (the Prialt label allows stopping without one) and bupivacaine not
 * confirmed: left empty. Only rows still named as seeded are filled.
 *
 * Released and frozen: never change this file (migrations.test.ts pins its SHA-256); add a new
 * migration instead. It imports nothing but the migration type (lint-enforced).
 */
import type { SqliteMigration } from '../types';

export const URGENCY_MIGRATION = 'urgency: withdrawal warnings and worklist urgency indexes';

export const URGENCY_SCHEMA_SQL = `
  ALTER TABLE drugs ADD COLUMN withdrawal_warning TEXT;
  UPDATE drugs SET withdrawal_warning = 'Abrupt withdrawal can be life-threatening: high fever, altered mental status, exaggerated rebound spasticity and muscle rigidity, in rare cases rhabdomyolysis, multiple organ failure and death. Early signs: return of baseline spasticity, itching, low blood pressure, paraesthesia. (Boxed warning, Lioresal Intrathecal and Gablofen labels.)'
    WHERE name = 'Baclofen' COLLATE NOCASE;
  UPDATE drugs SET withdrawal_warning = 'Abrupt withdrawal can cause rebound hypertension. (Clonidine label.)'
    WHERE name = 'Clonidine' COLLATE NOCASE;
  UPDATE drugs SET withdrawal_warning = 'Abrupt withdrawal can cause an opioid withdrawal syndrome. (' || name || ' label.)'
    WHERE name IN ('Morphine', 'Hydromorphone', 'Fentanyl', 'Sufentanil') COLLATE NOCASE;
  CREATE INDEX worklist_empty ON pump_projection (empty_date) WHERE in_worklist = 1;
  CREATE INDEX worklist_alarm ON pump_projection (alarm_date) WHERE in_worklist = 1;
  CREATE INDEX open_severe_adverse_events ON events (pump_id)
    WHERE kind = 'adverse' AND status = 'open' AND severity IN ('severe', 'life_threatening');
`;

export const migration: SqliteMigration = {
  version: 11,
  name: URGENCY_MIGRATION,
  up(db) {
    db.exec(URGENCY_SCHEMA_SQL);
  },
};
