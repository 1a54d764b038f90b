/**
 * Test fixtures: a drug list and a device catalog shaped like the clinic's, for the domain tests.
 * NOT the clinic's defaults: the seed a new clinic database starts with is migration 2
 * (electron/services/store/migrations.ts), editable by the clinic. Some maxima here are stricter
 * than that seed on purpose, so the refusal paths are exercised.
 */
import type { DeviceCatalogEntry } from './devices';
import type { DrugConfig } from './drugs';
import type { Microlitres, NgPerDay, NgPerMl } from './units';
import type { Result } from '../contract/result';

/** The value of a Result the test expects to succeed (fails the test with the code and message otherwise). */
export function must<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.code}: ${r.error.message}`);
  return r.value;
}

/** Brand integer ng literals (1 mg = 1,000,000 ng; 1 mcg = 1000 ng); each is checked in the tests. */
const c = (ng: number) => ng as NgPerMl;
const d = (ng: number) => ng as NgPerDay;

/**
 * Seed drug list. Sources: reference section 4 (typical ranges, units, morphine stability).
 * Maximum concentrations: the "commonly quoted" PACC 2012/2017 values from the reference,
 * UNCONFIRMED against the PACC papers: clinic-editable defaults only.
 */
export const SEED_DRUGS: readonly DrugConfig[] = [
  {
    name: 'Morphine',
    unit: 'mg',
    // 10 and 25 mg/mL preparations (Infumorph). NOTE: 25 mg/mL is above the PACC maximum
    // below (20 mg/mL), so a 25 mg/mL prescription is refused until the clinic edits one of them.
    typicalConcentration: { min: c(10_000_000), max: c(25_000_000) }, // 10 .. 25 mg/mL
    maxConcentration: c(20_000_000), // 20 mg/mL, PACC, UNCONFIRMED
    // 0.2-1 mg/day opioid-naive, 1-10 mg/day tolerant ("caution above 20 mg/day": no hard maximum given)
    typicalDailyDose: { min: d(200_000), max: d(10_000_000) }, // 0.2 .. 10 mg/day
    maxDailyDose: null,
    stabilityDays: 90, // UW pump-refill guidance
    firstFillStabilityDays: null,
  },
  {
    name: 'Hydromorphone',
    unit: 'mg',
    typicalConcentration: null,
    maxConcentration: c(15_000_000), // 15 mg/mL, PACC, UNCONFIRMED
    typicalDailyDose: { min: d(500_000), max: d(25_000_000) }, // 0.5 .. 25 mg/day
    maxDailyDose: null,
    stabilityDays: null,
    firstFillStabilityDays: null,
  },
  {
    name: 'Baclofen',
    unit: 'mcg',
    typicalConcentration: { min: c(50_000), max: c(2_000_000) }, // 50 .. 2000 mcg/mL
    maxConcentration: null,
    // 300-800 mcg/day spinal, 90-700 cerebral: 90 .. 800 mcg/day
    typicalDailyDose: { min: d(90_000), max: d(800_000) },
    maxDailyDose: d(1_000_000), // "max about 1000" mcg/day: UNCONFIRMED, clinic-editable
    stabilityDays: null,
    firstFillStabilityDays: null,
  },
  {
    name: 'Ziconotide',
    unit: 'mcg',
    typicalConcentration: { min: c(25_000), max: c(100_000) }, // 25 .. 100 mcg/mL
    maxConcentration: null,
    typicalDailyDose: null, // start at ≤ 2.4 mcg/day, raise at most weekly
    maxDailyDose: d(19_200), // 19.2 mcg/day (label maximum per the reference)
    // Reference, section 8 (Prialt prescribing information): refill a new pump within 14 days,
    // then at least every 40 days (diluted) or 84 days (undiluted, 100 mcg/mL). Clinic-editable.
    stabilityDays: 40,
    firstFillStabilityDays: 14, // new pump: refill within 14 days (reference)
    undilutedConcNgPerMl: 100_000, // 100 mcg/mL as supplied
    undilutedStabilityDays: 84,
  },
  {
    name: 'Sufentanil',
    unit: 'mcg',
    typicalConcentration: null,
    // 5 mcg/mL as the reference quotes it, UNCONFIRMED. Check the unit against the PACC paper:
    // if PACC gives 5 mg/mL this default refuses ordinary preparations.
    maxConcentration: c(5_000), // 5 mcg/mL
    typicalDailyDose: { min: d(10_000), max: d(100_000) }, // 10 .. 100 mcg/day
    maxDailyDose: null,
    stabilityDays: null,
    firstFillStabilityDays: null,
  },
  {
    name: 'Fentanyl',
    unit: 'mcg',
    typicalConcentration: null, // not in the reference: UNCONFIRMED
    maxConcentration: null,
    typicalDailyDose: null,
    maxDailyDose: null,
    stabilityDays: null,
    firstFillStabilityDays: null,
  },
  {
    name: 'Bupivacaine',
    unit: 'mg',
    typicalConcentration: null,
    maxConcentration: c(30_000_000), // 30 mg/mL, PACC, UNCONFIRMED
    typicalDailyDose: { min: d(6_000_000), max: d(20_000_000) }, // 6 .. 20 mg/day
    maxDailyDose: null,
    stabilityDays: null,
    firstFillStabilityDays: null,
  },
  {
    name: 'Clonidine',
    unit: 'mcg',
    typicalConcentration: null,
    maxConcentration: c(1_000_000), // 1000 mcg/mL, PACC, UNCONFIRMED
    typicalDailyDose: { min: d(250_000), max: d(2_000_000) }, // 250 .. 2000 mcg/day
    maxDailyDose: null,
    stabilityDays: null,
    firstFillStabilityDays: null,
  },
];

const ul = (n: number) => n as Microlitres;

const SYNCHROMED_II_MRI =
  'The motor stalls during the scan; interrogate the pump after MRI (recovery delays of 2-24 h reported).';
const PROMETRA_MRI =
  'Empty the pump before MRI; the Prometra II flow-activated valve closes and needs a reset after the scan.';

/** The seed device catalog. */
export const DEVICE_CATALOG: readonly DeviceCatalogEntry[] = [
  {
    key: 'synchromed-ii-20',
    manufacturer: 'Medtronic',
    model: 'SynchroMed II 20 mL',
    catalogueNumbers: ['8637-20'],
    reservoirUl: ul(20_000), // 20 mL
    defaultAlarmUl: ul(2_000), // 2 mL, Medtronic recommendation
    serviceLifeMonths: 84, // battery 5-7 years; hard stop at 7 years
    replacementLeadMonths: 6,
    kind: 'programmable',
    mriNotes: SYNCHROMED_II_MRI,
  },
  {
    key: 'synchromed-ii-40',
    manufacturer: 'Medtronic',
    model: 'SynchroMed II 40 mL',
    catalogueNumbers: ['8637-40'],
    reservoirUl: ul(40_000), // 40 mL
    defaultAlarmUl: ul(2_000),
    serviceLifeMonths: 84,
    replacementLeadMonths: 6,
    kind: 'programmable',
    mriNotes: SYNCHROMED_II_MRI,
  },
  {
    key: 'synchromed-el-10',
    manufacturer: 'Medtronic',
    model: 'SynchroMed EL 10 mL',
    catalogueNumbers: ['8626'],
    reservoirUl: ul(10_000), // 10 mL
    defaultAlarmUl: null, // UNCONFIRMED (the 2 mL figure is quoted for SynchroMed II)
    serviceLifeMonths: null, // 5-8 years, no automatic stop: UNCONFIRMED, set per clinic
    replacementLeadMonths: 6,
    kind: 'programmable',
    mriNotes: null, // UNCONFIRMED
  },
  {
    key: 'synchromed-el-18',
    manufacturer: 'Medtronic',
    model: 'SynchroMed EL 18 mL',
    catalogueNumbers: ['8627'],
    reservoirUl: ul(18_000), // 18 mL
    defaultAlarmUl: null, // UNCONFIRMED
    serviceLifeMonths: null, // 5-8 years, no automatic stop: UNCONFIRMED
    replacementLeadMonths: 6,
    kind: 'programmable',
    mriNotes: null, // UNCONFIRMED
  },
  {
    // Prometra and Prometra II are different pumps (reference, section 8: Prometra models).
    key: 'prometra-20',
    manufacturer: 'Flowonix',
    model: 'Prometra 20 mL',
    catalogueNumbers: ['11827'],
    reservoirUl: ul(20_000), // 20 mL
    defaultAlarmUl: ul(3_000), // the next-refill date assumes 3.0 mL
    serviceLifeMonths: null, // UNCONFIRMED
    replacementLeadMonths: 6,
    kind: 'programmable',
    mriNotes: PROMETRA_MRI,
  },
  {
    key: 'prometra-ii-20',
    manufacturer: 'Flowonix',
    model: 'Prometra II 20 mL',
    catalogueNumbers: ['13827'],
    reservoirUl: ul(20_000), // 20 mL
    defaultAlarmUl: ul(3_000),
    serviceLifeMonths: null, // UNCONFIRMED
    replacementLeadMonths: 6,
    kind: 'programmable',
    mriNotes: PROMETRA_MRI,
  },
  {
    key: 'prometra-40',
    manufacturer: 'Flowonix',
    model: 'Prometra II 40 mL',
    catalogueNumbers: ['16827'],
    reservoirUl: ul(40_000), // 40 mL
    defaultAlarmUl: ul(3_000),
    serviceLifeMonths: null, // UNCONFIRMED
    replacementLeadMonths: 6,
    kind: 'programmable',
    mriNotes: PROMETRA_MRI,
  },
  {
    key: 'codman-3000',
    manufacturer: 'Codman',
    model: 'Codman 3000',
    catalogueNumbers: [], // UNCONFIRMED
    reservoirUl: ul(30_000), // "about 30 mL": UNCONFIRMED exact volume
    defaultAlarmUl: null, // no alarms
    serviceLifeMonths: null, // gas-driven, no battery
    replacementLeadMonths: 6,
    kind: 'constant_flow',
    mriNotes: null, // UNCONFIRMED
  },
  {
    key: 'codman-medstream',
    manufacturer: 'Codman',
    model: 'Codman MedStream',
    catalogueNumbers: [], // UNCONFIRMED
    reservoirUl: null, // UNCONFIRMED
    defaultAlarmUl: null, // UNCONFIRMED
    serviceLifeMonths: 96, // "about 8 years": UNCONFIRMED
    replacementLeadMonths: 6,
    kind: 'programmable',
    mriNotes: null, // UNCONFIRMED
  },
];
