/**
 * The worklist's SQL over `pump_projection` (one row per pump, kept by every write in its own
 * transaction). Every list and count is answered from an index, so a page of the worklist costs
 * the same at 50 patients as at 50,000. The benchmark runs these same texts in sqlite3 (its floor).
 */
import type { WorklistCategory } from '../../../../shared/contract/record';

/** Migration SQL: the indexes the replacement and flagged lists and counts need. */
export const WORKLIST_INDEX_SQL = `
  CREATE INDEX worklist_replacement ON pump_projection (replacement_from_date) WHERE in_worklist = 1;
  CREATE INDEX worklist_flagged ON pump_projection (pump_id) WHERE in_worklist = 1 AND discrepancy_flag = 1;
`;

const OPEN_ADVERSE = `EXISTS (SELECT 1 FROM events e WHERE e.pump_id = pp.pump_id AND e.kind = 'adverse' AND e.status = 'open')`;

/** Which pumps each list holds (parameters @asOf, and @until = as-of + the due window). */
const CATEGORY_CONDITION: Record<WorklistCategory, string> = {
  attention: `(pp.next_due_date <= @until OR pp.replacement_from_date <= @asOf OR pp.discrepancy_flag = 1 OR ${OPEN_ADVERSE})`,
  overdue: 'pp.next_due_date < @asOf',
  due: 'pp.next_due_date >= @asOf AND pp.next_due_date <= @until',
  replacement: 'pp.replacement_from_date <= @asOf',
  flagged: 'pp.discrepancy_flag = 1',
  adverse: OPEN_ADVERSE,
};

/** One page of a list, in due order (then name), with the patient and model of each pump. */
export function worklistPageSql(category: WorklistCategory): string {
  return `SELECT pp.*, p.serial, p.patient_id, m.model, pt.mrn, pt.family_name, pt.given_name,
     (SELECT count(*) FROM events e WHERE e.pump_id = p.id AND e.kind = 'adverse' AND e.status = 'open') AS open_adverse
   FROM pump_projection pp JOIN pumps p ON p.id = pp.pump_id JOIN device_models m ON m.id = p.device_model_id
   JOIN patients pt ON pt.id = p.patient_id
   WHERE pp.in_worklist = 1 AND pp.next_due_date IS NOT NULL AND ${CATEGORY_CONDITION[category]}
   ORDER BY pp.next_due_date, pt.family_name COLLATE NOCASE, pp.pump_id
   LIMIT @limit OFFSET @offset`;
}

/**
 * Every count at a glance, and how many pumps need attention (a pump due and flagged counts once).
 * `attention` = due by @until, plus those due later that are flagged, due for replacement or have
 * an open adverse event.
 */
export const WORKLIST_COUNTS_SQL = `SELECT
   (SELECT count(*) FROM pump_projection WHERE in_worklist = 1 AND next_due_date IS NOT NULL) AS running,
   (SELECT count(*) FROM pump_projection WHERE in_worklist = 1 AND next_due_date < @asOf) AS overdue,
   (SELECT count(*) FROM pump_projection WHERE in_worklist = 1 AND next_due_date >= @asOf AND next_due_date <= @until) AS due,
   (SELECT count(*) FROM pump_projection WHERE in_worklist = 1 AND replacement_from_date <= @asOf) AS replacement_due,
   (SELECT count(*) FROM pump_projection WHERE in_worklist = 1 AND discrepancy_flag = 1) AS flagged,
   (SELECT count(DISTINCT e.pump_id) FROM events e JOIN pump_projection pp ON pp.pump_id = e.pump_id AND pp.in_worklist = 1
      WHERE e.kind = 'adverse' AND e.status = 'open') AS open_adverse,
   (SELECT count(*) FROM pump_projection WHERE in_worklist = 1 AND next_due_date <= @until)
   + (SELECT count(*) FROM (
        SELECT pump_id FROM pump_projection WHERE in_worklist = 1 AND replacement_from_date <= @asOf AND next_due_date > @until
        UNION SELECT pump_id FROM pump_projection WHERE in_worklist = 1 AND discrepancy_flag = 1 AND next_due_date > @until
        UNION SELECT e.pump_id FROM events e JOIN pump_projection pp ON pp.pump_id = e.pump_id AND pp.in_worklist = 1
          WHERE e.kind = 'adverse' AND e.status = 'open' AND pp.next_due_date > @until)) AS attention`;
