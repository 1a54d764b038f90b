/**
 * Activity in a period: refill visits; the volume and amount of each drug put into pumps per
 * concentration (pharmacy ordering); new implants, replacements, removals with reasons, therapy
 * reversals and restarts. Amounts are summed exactly (µL × ng/mL in 64-bit integers) and rounded once.
 */
import type { ReportValue } from '../../../../shared/contract/reports';
import type { MassUnitName } from '../../../../shared/contract/quantities';
import { col, DOUBLE_CHECK, doubleChecksOf, unverifiedFilter, drugsByRefill, matches, monthPeriod, patientName, section, today, yesNo, type Built, type ReportContext, type Row } from './context';

export interface ActivityParams {
  from?: string | undefined;
  to?: string | undefined;
  clinician?: string | undefined;
  drug?: string | undefined;
}

/** µL × ng/mL summed → whole ng (÷ 1000, half up), exactly. */
export function ulTimesNgPerMlToNg(product: bigint): number {
  const ng = (product + 500n) / 1000n;
  if (ng > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError('amount too large to report');
  return Number(ng);
}

export const REMOVAL_REASON_TEXT: Record<string, string> = {
  battery_end_of_life: 'battery end of life',
  infection: 'infection',
  lack_of_efficacy: 'lack of efficacy',
  therapy_no_longer_needed: 'therapy no longer needed',
  patient_request: 'patient request',
  catheter_complication: 'catheter complication',
  granuloma: 'granuloma',
  other: 'other',
};
const reasonsText = (json: string): string => (JSON.parse(json) as string[]).map((r) => REMOVAL_REASON_TEXT[r] ?? r).join('; ');

export function activity(ctx: ReportContext, p: ActivityParams): Built {
  const settings = ctx.store.catalog.settings();
  const { from, to } = monthPeriod(p.from, p.to, today(ctx, settings));
  const db = ctx.db;
  const patientIds = new Set<number>();
  const drugFilter = p.drug?.toLocaleLowerCase();

  // Refill visits in the period (clinician and drug filters apply here and to drug usage).
  const refills = db
    .prepare<[string, string], Row>(
      `SELECT r.*, p.serial, pt.id AS patient_id, pt.mrn, pt.family_name, pt.given_name,
              (SELECT group_concat(lower(d.name), '|') FROM refill_drugs rd JOIN drugs d ON d.id = rd.drug_id WHERE rd.refill_id = r.id) AS drug_names
         FROM refills r JOIN pumps p ON p.id = r.pump_id JOIN patients pt ON pt.id = p.patient_id
        WHERE r.date BETWEEN ? AND ? ORDER BY r.date, pt.family_name, pt.given_name, r.id`,
    )
    .all(from, to)
    .filter((r) => matches(r.clinician, p.clinician) && (drugFilter === undefined || String(r.drug_names ?? '').split('|').includes(drugFilter)));
  const drugText = drugsByRefill(db, refills.map((r) => r.id));
  const refillChecks = doubleChecksOf(db, 'refill', refills.map((r) => r.id));
  const refillRows: ReportValue[][] = refills.map((r) => {
    patientIds.add(r.patient_id);
    return [r.date, patientName(r), r.mrn, r.serial, r.clinician, r.withdrawn_ul, r.added_ul, drugText.get(r.id) ?? null, yesNo(r.discrepancy_flag), refillChecks.get(r.id) ?? null];
  });

  // Drug usage per drug and concentration, over the same refill visits.
  const usage = new Map<string, { drug: string; unit: MassUnitName; conc: number; visits: number; addedUl: number; product: bigint }>();
  const usageStmt = db
    .prepare<[string], Row>(
      `SELECT d.name, rd.unit, rd.concentration_ng_per_ml AS conc, r.added_ul FROM refill_drugs rd
         JOIN refills r ON r.id = rd.refill_id JOIN drugs d ON d.id = rd.drug_id
        WHERE rd.refill_id IN (SELECT value FROM json_each(?))`,
    )
    .safeIntegers(true);
  for (const u of usageStmt.iterate(JSON.stringify(refills.map((r) => r.id)))) {
    if (drugFilter !== undefined && String(u.name).toLocaleLowerCase() !== drugFilter) continue;
    const key = `${u.name}|${u.unit}|${u.conc}`;
    const acc = usage.get(key) ?? { drug: u.name, unit: u.unit, conc: Number(u.conc), visits: 0, addedUl: 0, product: 0n };
    acc.visits += 1;
    acc.addedUl += Number(u.added_ul);
    acc.product += (u.added_ul as bigint) * (u.conc as bigint);
    usage.set(key, acc);
  }
  const usageRows: ReportValue[][] = [...usage.values()]
    .sort((a, b) => a.drug.localeCompare(b.drug) || a.conc - b.conc)
    .map((u) => [u.drug, { ng: u.conc, unit: u.unit }, u.visits, u.addedUl, { ng: ulTimesNgPerMlToNg(u.product), unit: u.unit }]);

  // Implants (a replacement is a pump named as the replacement in a removal).
  const implants = db
    .prepare<[string, string], Row>(
      `SELECT p.*, m.model, m.manufacturer, pt.mrn, pt.family_name, pt.given_name,
              EXISTS (SELECT 1 FROM removals rm WHERE rm.replacement_pump_id = p.id) AS is_replacement
         FROM pumps p JOIN device_models m ON m.id = p.device_model_id JOIN patients pt ON pt.id = p.patient_id
        WHERE p.implant_date BETWEEN ? AND ? ORDER BY p.implant_date, p.id`,
    )
    .all(from, to);
  const implantRows: ReportValue[][] = implants.map((r) => {
    patientIds.add(r.patient_id);
    return [r.implant_date, patientName(r), r.mrn, `${r.manufacturer} ${r.model}`, r.serial, r.implanting_physician, r.is_replacement === 1];
  });

  const removals = db
    .prepare<[string, string], Row>(
      `SELECT rm.*, p.serial, p.patient_id, m.model, m.manufacturer, pt.mrn, pt.family_name, pt.given_name, np.serial AS replacement_serial
         FROM removals rm JOIN pumps p ON p.id = rm.pump_id JOIN device_models m ON m.id = p.device_model_id
         JOIN patients pt ON pt.id = p.patient_id LEFT JOIN pumps np ON np.id = rm.replacement_pump_id
        WHERE rm.date BETWEEN ? AND ? ORDER BY rm.date, rm.id`,
    )
    .all(from, to);
  const removalRows: ReportValue[][] = removals.map((r) => {
    patientIds.add(r.patient_id);
    return [r.date, patientName(r), r.mrn, `${r.manufacturer} ${r.model}`, r.serial, reasonsText(r.reasons), r.catheter_removed === 1, r.disposition, r.replacement_serial, r.note];
  });

  const reversals = db
    .prepare<[string, string], Row>(
      `SELECT rv.*, p.serial, p.patient_id, pt.mrn, pt.family_name, pt.given_name
         FROM reversals rv JOIN pumps p ON p.id = rv.pump_id JOIN patients pt ON pt.id = p.patient_id
        WHERE rv.date BETWEEN ? AND ? ORDER BY rv.date, rv.id`,
    )
    .all(from, to);
  const reversalRows: ReportValue[][] = reversals.map((r) => {
    patientIds.add(r.patient_id);
    return [r.date, patientName(r), r.mrn, r.serial, r.kind.replace(/_/g, ' '), r.clinician, r.plan, r.outcome];
  });

  // Therapy restarted after a reversal (its fill is also among the refill visits above).
  const restarts = db
    .prepare<[string, string], Row>(
      `SELECT rs.date, rv.date AS reversal_date, rf.clinician, rf.note, p.serial, p.patient_id, pt.mrn, pt.family_name, pt.given_name
         FROM therapy_restarts rs JOIN reversals rv ON rv.id = rs.reversal_id JOIN refills rf ON rf.id = rs.refill_id
         JOIN pumps p ON p.id = rs.pump_id JOIN patients pt ON pt.id = p.patient_id
        WHERE rs.date BETWEEN ? AND ? ORDER BY rs.date, rs.id`,
    )
    .all(from, to);
  const restartRows: ReportValue[][] = restarts.map((r) => {
    patientIds.add(r.patient_id);
    return [r.date, patientName(r), r.mrn, r.serial, r.reversal_date, r.clinician, r.note];
  });

  const replacements = implantRows.filter((r) => r[6] === true).length;
  const summary: ReportValue[][] = [
    ['Refill visits', refillRows.length],
    ['Patients refilled', new Set(refills.map((r) => r.patient_id)).size],
    ['Flagged discrepancies at refill', refills.filter((r) => r.discrepancy_flag === 1).length],
    ['New implants', implantRows.length - replacements],
    ['Replacements', replacements],
    ['Removals', removalRows.length],
    ['Therapy reversals', reversalRows.length],
    ['Therapy restarts', restartRows.length],
  ];

  return {
    period: { from, to },
    periodLabel: `${from} to ${to}`,
    filters: [
      ...(p.clinician ? [{ label: 'Clinician (refills)', value: p.clinician }] : []),
      ...(p.drug ? [{ label: 'Drug', value: p.drug }] : []),
      ...unverifiedFilter(refillChecks.values()),
    ],
    patientIds,
    sections: [
      section(
        'drug-usage',
        'Drug used per concentration (pharmacy)',
        [
          col('drug', 'Drug', 'text'),
          col('concentration', 'Concentration', 'mass', 'mL'),
          col('visits', 'Refill visits', 'count'),
          col('volume_added_ml', 'Volume added (mL)', 'volume'),
          col('amount_added', 'Amount added', 'mass', null),
        ],
        usageRows,
        'No drug was added to any pump in this period.',
      ),
      section('summary', 'Summary', [col('measure', 'Measure', 'text'), col('count', 'Count', 'count')], summary, ''),
      section(
        'refills',
        'Refill visits',
        [
          col('date', 'Date', 'date'),
          col('patient', 'Patient', 'text'),
          col('mrn', 'MRN', 'text'),
          col('serial', 'Pump serial', 'text'),
          col('clinician', 'Clinician', 'text'),
          col('withdrawn_ml', 'Withdrawn (mL)', 'volume'),
          col('added_ml', 'Added (mL)', 'volume'),
          col('drugs', 'Drugs', 'text'),
          col('discrepancy_flag', 'Discrepancy flagged', 'flag'),
          DOUBLE_CHECK,
        ],
        refillRows,
        'No refill visits in this period.',
      ),
      section(
        'implants',
        'Implants and replacements',
        [
          col('date', 'Implant date', 'date'),
          col('patient', 'Patient', 'text'),
          col('mrn', 'MRN', 'text'),
          col('model', 'Model', 'text'),
          col('serial', 'Serial', 'text'),
          col('physician', 'Implanting physician', 'text'),
          col('replacement', 'Replacement', 'flag'),
        ],
        implantRows,
        'No pumps were implanted in this period.',
      ),
      section(
        'removals',
        'Removals',
        [
          col('date', 'Removal date', 'date'),
          col('patient', 'Patient', 'text'),
          col('mrn', 'MRN', 'text'),
          col('model', 'Model', 'text'),
          col('serial', 'Serial', 'text'),
          col('reasons', 'Reasons', 'text'),
          col('catheter_removed', 'Catheter removed', 'flag'),
          col('disposition', 'Disposition', 'text'),
          col('replacement_serial', 'Replaced by', 'text'),
          col('note', 'Note', 'text'),
        ],
        removalRows,
        'No pumps were removed in this period.',
      ),
      section(
        'reversals',
        'Therapy reversals',
        [
          col('date', 'Date', 'date'),
          col('patient', 'Patient', 'text'),
          col('mrn', 'MRN', 'text'),
          col('serial', 'Pump serial', 'text'),
          col('kind', 'Kind', 'text'),
          col('clinician', 'Clinician', 'text'),
          col('plan', 'Plan', 'text'),
          col('outcome', 'Outcome', 'text'),
        ],
        reversalRows,
        'No therapy reversals in this period.',
      ),
      section(
        'restarts',
        'Therapy restarts',
        [
          col('date', 'Date', 'date'),
          col('patient', 'Patient', 'text'),
          col('mrn', 'MRN', 'text'),
          col('serial', 'Pump serial', 'text'),
          col('stopped_on', 'Therapy stopped on', 'date'),
          col('clinician', 'Clinician', 'text'),
          col('note', 'Note', 'text'),
        ],
        restartRows,
        'No therapy restarts in this period.',
      ),
    ],
  };
}
