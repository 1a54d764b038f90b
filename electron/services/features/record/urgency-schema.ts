/**
 * Migration SQL for issue 13 (urgency, worst first): each drug's withdrawal warning and the
 * indexes the worklist's empty, alarm and severe-event lists and counts read.
 *
 * Withdrawal warnings (../shared/reference/intrathecal-therapy.md, section 8), clinic-editable in
 * Settings > Drug list, each naming its source:
 * - baclofen: the boxed warning of the Lioresal Intrathecal and Gablofen labels;
 * - clonidine: rebound hypertension (label);
 * - morphine, hydromorphone, fentanyl, sufentanil: opioid withdrawal syndrome (labels);
 * - ziconotide: none (the Prialt label allows stopping without a withdrawal syndrome): left empty;
 * - bupivacaine: not confirmed: left empty.
 * Only rows still named as seeded are filled; a clinic's own drugs stay empty.
 */
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
