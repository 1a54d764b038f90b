/**
 * The worklist's SQL over `pump_projection` (one row per pump, kept by every write in its own
 * transaction). Every list and count is answered from an index, so a page of the worklist costs
 * the same at 50 patients as at 50,000. The benchmark runs these same texts in sqlite3 (its floor).
 */
import type { WorklistCategory } from '../../../../shared/contract/record';

/*
 * The indexes these read: migrations 2, 6 and 11 (store/migrations/sqlite/), appointments_by_pump (19),
 * and worklist_empty / worklist_alarm made covering by migration 20 (every column the ranked-first
 * lists and counts test: the ranked-first count went from about 7 ms to under 1 ms at 50,000 patients).
 */

const OPEN_ADVERSE = `EXISTS (SELECT 1 FROM events e WHERE e.pump_id = pp.pump_id AND e.kind = 'adverse' AND e.status = 'open')`;
/** A severe or life-threatening open adverse event (index open_severe_adverse_events). */
const SEVERE_OPEN = `EXISTS (SELECT 1 FROM events e WHERE e.pump_id = pp.pump_id AND e.kind = 'adverse' AND e.status = 'open'
  AND e.severity IN ('severe', 'life_threatening'))`;
/** No booked refill appointment on or after @asOf (features/appointments: one index seek per pump). */
export const NOT_BOOKED = `NOT EXISTS (SELECT 1 FROM appointments a WHERE a.pump_id = pp.pump_id AND a.state = 'booked' AND a.date >= @asOf)`;
/** Estimated empty, or alarming and not yet empty, as of @asOf (urgencyOf in shared/domain/worklist.ts). */
const EMPTY = 'pp.empty_date <= @asOf';
const ALARM = `pp.alarm_date <= @asOf AND (pp.empty_date IS NULL OR pp.empty_date > @asOf)`;

/**
 * The worklist order, worst first: `attentionRank` of shared/domain/worklist.ts (empty 0, alarm 1,
 * a severe open adverse event 2, overdue 3, due 4, the rest 5); worklist.test.ts checks the SQL
 * order against it. Ranks 3 to 5 are the order of the next due date itself, so a page is read in
 * two parts (`WorklistPart`): the pumps ranked 0 to 2 ('top': each rank found through its own
 * index, sorted by rank, due date and name with only the keys, then the page's 100 rows read), then
 * the rest in due order straight from the due-date index, as before issue 13. Within ranks 0 to 2,
 * pumps due on the same date are in pump order; within the rest, in name order as before.
 */
/** Ranked 3 to 5 (a missing date is no reason). */
const REST = `NOT (coalesce(pp.empty_date <= @asOf, 0) OR coalesce(pp.alarm_date <= @asOf, 0) OR ${SEVERE_OPEN})`;

/** The two parts of a page: the pumps ranked 0 to 2, then the rest. */
export type WorklistPart = 'top' | 'rest';

/**
 * The pumps of a list ranked 0 to 2, as (pump_id, rank), each rank from its index (`+` keeps the
 * planner off the due-date index for the NOT NULL test).
 */
function topPumps(category: WorklistCategory): string {
  const listed = `pp.in_worklist = 1 AND +pp.next_due_date IS NOT NULL AND ${CATEGORY_CONDITION[category]}`;
  return `SELECT pp.pump_id, 0 AS rank, pp.next_due_date AS due FROM pump_projection pp INDEXED BY worklist_empty
      WHERE ${listed} AND pp.empty_date <= @asOf
    UNION ALL
    SELECT pp.pump_id, 1, pp.next_due_date FROM pump_projection pp INDEXED BY worklist_alarm
      WHERE ${listed} AND pp.alarm_date <= @asOf AND coalesce(pp.empty_date > @asOf, 1)
    UNION ALL
    SELECT pp.pump_id, 2, pp.next_due_date FROM pump_projection pp
      WHERE pp.pump_id IN (SELECT e.pump_id FROM events e INDEXED BY open_severe_adverse_events
        WHERE e.kind = 'adverse' AND e.status = 'open' AND e.severity IN ('severe', 'life_threatening'))
      AND ${listed} AND NOT coalesce(pp.empty_date <= @asOf, 0) AND NOT coalesce(pp.alarm_date <= @asOf, 0)`;
}

/** Which pumps each list holds (parameters @asOf, and @until = as-of + the due window). */
const CATEGORY_CONDITION: Record<WorklistCategory, string> = {
  attention: `(pp.next_due_date <= @until OR pp.replacement_from_date <= @asOf OR pp.discrepancy_flag = 1 OR ${OPEN_ADVERSE})`,
  empty: EMPTY,
  alarm: ALARM,
  severe: SEVERE_OPEN,
  overdue: 'pp.next_due_date < @asOf',
  due: 'pp.next_due_date >= @asOf AND pp.next_due_date <= @until',
  replacement: 'pp.replacement_from_date <= @asOf',
  flagged: 'pp.discrepancy_flag = 1',
  adverse: OPEN_ADVERSE,
  // Due or overdue, and no booked appointment from the as-of date on (index appointments_by_pump).
  not_booked: `pp.next_due_date <= @until AND ${NOT_BOOKED}`,
};

/**
 * One page of one part of a list ('top': ranked 0 to 2 by rank; 'rest': in due order), then name,
 * with the patient and model of each pump, its open adverse events (JSON, worst first) and the
 * withdrawal warnings of the drugs of its last fill (JSON).
 */
export function worklistPageSql(category: WorklistCategory, part: WorklistPart): string {
  const page =
    part === 'top'
      ? // Thousands of pumps may be ranked here (a clinic that fell behind): sorted on their keys alone, ties by pump.
        `SELECT t.pump_id, t.rank, t.due, '' AS family FROM (${topPumps(category)}) t
          ORDER BY t.rank, t.due, t.pump_id LIMIT @limit OFFSET @offset`
      : `SELECT pp.pump_id, 3 AS rank, pp.next_due_date AS due, pt.family_name AS family
           FROM pump_projection pp JOIN pumps p ON p.id = pp.pump_id JOIN patients pt ON pt.id = p.patient_id
          WHERE pp.in_worklist = 1 AND pp.next_due_date IS NOT NULL AND ${CATEGORY_CONDITION[category]} AND ${REST}
          ORDER BY pp.next_due_date, pt.family_name COLLATE NOCASE, pp.pump_id LIMIT @limit OFFSET @offset`;
  return `WITH page AS (${page})
   SELECT pp.*, p.serial, p.patient_id, m.model, pt.mrn, pt.family_name, pt.given_name,
     (SELECT count(*) FROM events e WHERE e.pump_id = p.id AND e.kind = 'adverse' AND e.status = 'open') AS open_adverse,
     (SELECT json_group_array(json_object('severity', e.severity, 'kind', e.adverse_kind, 'date', e.date)) FROM (
        SELECT * FROM events e WHERE e.pump_id = p.id AND e.kind = 'adverse' AND e.status = 'open'
        ORDER BY CASE e.severity WHEN 'life_threatening' THEN 0 WHEN 'severe' THEN 1 WHEN 'moderate' THEN 2 ELSE 3 END, e.date, e.id) e
     ) AS open_adverse_list,
     (SELECT json_group_array(json_object('drug', d.name, 'warning', d.withdrawal_warning)) FROM (
        SELECT DISTINCT d.name, d.withdrawal_warning FROM refills r JOIN refill_drugs rd ON rd.refill_id = r.id JOIN drugs d ON d.id = rd.drug_id
        WHERE r.pump_id = p.id AND r.date = pp.last_refill_date AND d.withdrawal_warning IS NOT NULL ORDER BY d.name) d
     ) AS withdrawal_warnings
   FROM page JOIN pump_projection pp ON pp.pump_id = page.pump_id JOIN pumps p ON p.id = page.pump_id
   JOIN device_models m ON m.id = p.device_model_id JOIN patients pt ON pt.id = p.patient_id
   ORDER BY page.rank, page.due, page.family COLLATE NOCASE, page.pump_id`;
}

/** How many pumps of a list are ranked 0 to 2 (the 'top' part of its pages). */
export function worklistTopCountSql(category: WorklistCategory): string {
  return `SELECT count(*) AS n FROM (${topPumps(category)})`;
}

/**
 * Every count at a glance, and how many pumps need attention (a pump due and flagged counts once).
 * `attention` = due by @until, plus those due later that are due for replacement, flagged, or have
 * an open adverse event, each counted once: the later ones as three disjoint ranges, each from its
 * own index (replacement; flagged and not already counted for replacement; an open adverse event
 * and neither of those). A UNION of the three sets, as before, made SQLite scan every pump and
 * de-duplicate: 15 of the 24 ms the 50k-patient clinic's worklist took (docs/performance.md).
 * `+` keeps the planner on the index named for the range.
 *
 * The pumps with an open adverse event are read once (issue 14, the fresh path): one walk of
 * `open_adverse_events` and each pump's projection row answers both `open_adverse` and the
 * later-due adverse part of `attention` (a one-row CTE, MATERIALIZED so it is computed once), where
 * two walks did (about 1.6 → 1 ms at 50,000 patients). And `attention`'s first part, due by
 * @until, is `overdue + due` (disjoint, together exactly that whenever @until is not before @asOf;
 * the contract's window is 0 to 365 days) instead of a third walk of `worklist_due` (12,350 entries
 * at 50,000 patients); should @until be before @asOf it is counted (SQLite evaluates only the CASE
 * branch taken). worklist-counts.test.ts compares every count with the SQL as it was before,
 * windows before the as-of date included.
 */
export const WORKLIST_COUNTS_SQL = `WITH adverse AS MATERIALIZED (
   SELECT count(*) AS open_adverse,
     coalesce(sum(pp.next_due_date > @until AND NOT coalesce(pp.replacement_from_date <= @asOf, 0) AND pp.discrepancy_flag IS NOT 1), 0) AS later_adverse
   FROM (SELECT DISTINCT e.pump_id FROM events e WHERE e.kind = 'adverse' AND e.status = 'open') e
   JOIN pump_projection pp ON pp.pump_id = e.pump_id AND pp.in_worklist = 1),
 dated AS MATERIALIZED (SELECT
   (SELECT count(*) FROM pump_projection WHERE in_worklist = 1 AND next_due_date < @asOf) AS overdue,
   (SELECT count(*) FROM pump_projection WHERE in_worklist = 1 AND next_due_date >= @asOf AND next_due_date <= @until) AS due,
   CASE WHEN @until < @asOf THEN (SELECT count(*) FROM pump_projection WHERE in_worklist = 1 AND next_due_date <= @until) END AS due_by_until_before)
 SELECT
   (SELECT count(*) FROM pump_projection WHERE in_worklist = 1 AND next_due_date IS NOT NULL) AS running,
   dated.overdue AS overdue,
   dated.due AS due,
   (SELECT count(*) FROM pump_projection WHERE in_worklist = 1 AND replacement_from_date <= @asOf) AS replacement_due,
   (SELECT count(*) FROM pump_projection pp INDEXED BY worklist_empty WHERE in_worklist = 1 AND +next_due_date IS NOT NULL AND ${EMPTY}) AS empty,
   (SELECT count(*) FROM pump_projection pp INDEXED BY worklist_alarm WHERE in_worklist = 1 AND +next_due_date IS NOT NULL AND ${ALARM}) AS alarm,
   (SELECT count(DISTINCT e.pump_id) FROM events e JOIN pump_projection pp ON pp.pump_id = e.pump_id AND pp.in_worklist = 1
      WHERE e.kind = 'adverse' AND e.status = 'open' AND e.severity IN ('severe', 'life_threatening')) AS severe_adverse,
   (SELECT count(*) FROM pump_projection WHERE in_worklist = 1 AND discrepancy_flag = 1) AS flagged,
   adverse.open_adverse AS open_adverse,
   coalesce(dated.due_by_until_before, dated.overdue + dated.due)
   + (SELECT count(*) FROM pump_projection INDEXED BY worklist_replacement
        WHERE in_worklist = 1 AND replacement_from_date <= @asOf AND +next_due_date > @until)
   + (SELECT count(*) FROM pump_projection INDEXED BY worklist_flagged
        WHERE in_worklist = 1 AND discrepancy_flag = 1 AND +next_due_date > @until AND NOT coalesce(replacement_from_date <= @asOf, 0))
   + adverse.later_adverse AS attention
 FROM adverse, dated`;
