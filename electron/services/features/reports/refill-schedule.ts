/**
 * Refill schedule: pumps in place and running whose next refill is overdue at the start of the
 * period or falls due by its end, per treating clinician (the patient's clinician). Each row says
 * its urgency at the start of the period (estimated empty, alarming, overdue, due: issue 13), the
 * estimated empty date (the projection's, as on the record and the worklist) and why.
 */
import type { ReportValue } from '../../../../shared/contract/reports';
import { addDays, daysBetween, type CalendarDate } from '../../../../shared/domain/calendar';
import { daysOverdue, urgencyOf, type Urgency } from '../../../../shared/domain/worklist';
import { NEXT_DUE_RULE_WORDS, URGENCY_LABELS } from '../../../../shared/domain/urgency-words';
import { col, DOUBLE_CHECK, drugsByRefill, matches, patientName, section, today, unverifiedFilter, type Built, type ReportContext, type Row } from './context';

export interface RefillScheduleParams {
  from?: string | undefined;
  to?: string | undefined;
  clinician?: string | undefined;
  drug?: string | undefined;
}

const NO_CLINICIAN = '(no clinician)';

export function refillSchedule(ctx: ReportContext, p: RefillScheduleParams): Built {
  const settings = ctx.store.catalog.settings();
  const from = p.from ?? today(ctx, settings);
  const to = p.to ?? addDays(from as never, settings.dueWindowDays);
  const rows = ctx.db
    .prepare<[string], Row>(
      `SELECT pp.pump_id, pp.last_refill_date, pp.daily_volume_ul, pp.alarm_date, pp.empty_date, pp.next_due_date, pp.next_due_rule, p.serial, m.model,
              pt.id AS patient_id, pt.mrn, pt.family_name, pt.given_name, pt.clinician,
              (SELECT r.id FROM refills r WHERE r.pump_id = p.id ORDER BY r.date DESC LIMIT 1) AS last_refill_id
         FROM pump_projection pp JOIN pumps p ON p.id = pp.pump_id JOIN device_models m ON m.id = p.device_model_id
         JOIN patients pt ON pt.id = p.patient_id
        WHERE pp.in_worklist = 1 AND pp.next_due_date IS NOT NULL AND pp.next_due_date <= ?
        ORDER BY coalesce(pt.clinician, '~') COLLATE NOCASE, pp.next_due_date, pt.family_name, pt.given_name, p.id`,
    )
    .all(to);
  const drugs = drugsByRefill(ctx.db, rows.map((r) => r.last_refill_id).filter((id): id is number => id !== null));
  const drugFilter = p.drug?.toLocaleLowerCase();
  const kept = rows.filter((r) => {
    if (!matches(r.clinician, p.clinician)) return false;
    if (drugFilter === undefined) return true;
    const text = drugs.get(r.last_refill_id) ?? '';
    return text.split(' + ').some((d) => d.toLocaleLowerCase().startsWith(`${drugFilter} `));
  });

  // A pump whose dates rest on entries still awaiting an independent double check says so.
  const awaiting = awaitingByPump(ctx.db, kept.map((r) => r.pump_id));
  const windowDays = daysBetween(from as CalendarDate, to as CalendarDate);
  const due: ReportValue[][] = [];
  const perClinician = new Map<string, { overdue: number; due: number }>();
  const patientIds = new Set<number>();
  for (const r of kept) {
    const status = r.next_due_date < from ? 'overdue' : 'due';
    const urgency = urgencyOf({ emptyDate: r.empty_date, alarmDate: r.alarm_date, nextDue: r.next_due_date }, from as CalendarDate, windowDays);
    const clinician = r.clinician ?? NO_CLINICIAN;
    const counts = perClinician.get(clinician) ?? { overdue: 0, due: 0 };
    counts[status] += 1;
    perClinician.set(clinician, counts);
    patientIds.add(r.patient_id);
    due.push([
      clinician,
      status,
      r.next_due_date,
      patientName(r),
      r.mrn,
      r.serial,
      r.model,
      r.last_refill_date,
      r.daily_volume_ul === null ? null : Math.round(r.daily_volume_ul),
      r.alarm_date,
      drugs.get(r.last_refill_id) ?? null,
      URGENCY_LABELS[urgency],
      r.empty_date,
      whyWords(urgency, r, from),
      awaitingWords(awaiting.get(r.pump_id) ?? 0),
    ]);
  }
  const byClinician: ReportValue[][] = [...perClinician.entries()].map(([c, n]) => [c, n.overdue, n.due, n.overdue + n.due]);

  const filters = [
    { label: 'Overdue', value: `next refill before ${from}` },
    ...(p.clinician ? [{ label: 'Clinician', value: p.clinician }] : []),
    ...(p.drug ? [{ label: 'Drug', value: p.drug }] : []),
    ...unverifiedFilter(kept.flatMap((r) => Array<string>(awaiting.get(r.pump_id) ?? 0).fill('UNVERIFIED'))),
  ];
  return {
    period: { from, to },
    periodLabel: `${from} to ${to}`,
    filters,
    patientIds,
    sections: [
      section(
        'due',
        'Refills overdue and due',
        [
          col('clinician', 'Clinician', 'text'),
          col('status', 'Status', 'text'),
          col('next_due', 'Next refill due', 'date'),
          col('patient', 'Patient', 'text'),
          col('mrn', 'MRN', 'text'),
          col('serial', 'Pump serial', 'text'),
          col('model', 'Model', 'text'),
          col('last_refill', 'Last refill', 'date'),
          col('daily_volume_ml', 'Daily volume (mL/day)', 'volume'),
          col('alarm_date', 'Low-reservoir alarm', 'date'),
          col('drugs', 'Drugs', 'text'),
          col('urgency', 'Urgency', 'text'),
          col('empty_date', 'Estimated empty', 'date'),
          col('why', 'Why', 'text'),
          DOUBLE_CHECK,
        ],
        due,
        'No refills are overdue or due in this period.',
      ),
      section(
        'by-clinician',
        'Per clinician',
        [col('clinician', 'Clinician', 'text'), col('overdue', 'Overdue', 'count'), col('due', 'Due', 'count'), col('total', 'Total', 'count')],
        byClinician,
        'No refills are overdue or due in this period.',
      ),
    ],
  };
}

/** How many entries of these pumps await an independent double check, by pump. */
function awaitingByPump(db: ReportContext['db'], pumpIds: readonly number[]): Map<number, number> {
  if (pumpIds.length === 0) return new Map();
  const rows = db
    .prepare<[string], Row>(`SELECT pump_id, count(*) AS n FROM verifications WHERE state = 'awaiting' AND pump_id IN (SELECT value FROM json_each(?)) GROUP BY pump_id`)
    .all(JSON.stringify(pumpIds));
  return new Map(rows.map((r) => [r.pump_id as number, r.n as number]));
}

/** "UNVERIFIED: 1 entry awaiting independent double check"; null when none awaits. */
const awaitingWords = (n: number): string | null => (n === 0 ? null : `UNVERIFIED: ${n} entr${n === 1 ? 'y' : 'ies'} awaiting independent double check`);

/** Why a row is on the schedule, without dates (the report's columns carry them). */
function whyWords(urgency: Urgency, r: Row, from: string): string {
  const late = daysOverdue(r.next_due_date, from as CalendarDate);
  const rule = r.next_due_rule === null ? '' : ` (${NEXT_DUE_RULE_WORDS[r.next_due_rule as keyof typeof NEXT_DUE_RULE_WORDS]})`;
  switch (urgency) {
    case 'empty':
      return 'estimated empty — risk of withdrawal';
    case 'alarm':
      return 'alarming: low reservoir';
    case 'overdue':
      return `overdue by ${late} day${late === 1 ? '' : 's'}${rule}`;
    case 'due':
      return `due${rule}`;
    case 'ok':
      return 'on schedule';
  }
}
