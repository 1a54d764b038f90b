import type { HandlerContext } from '../handler-types';
import { parseInternal, type InternalInputOf, type ParsedInternalInputOf } from '../../../shared/contract/entries';
import type { Result } from '../../../shared/contract/result';
import type { Indication } from '../../../shared/contract/patients';
import { ADVERSE_KINDS, REVERSAL_KINDS, type Pump, type RemovalReason } from '../../../shared/contract/record';
import { addDays, addMonths, daysBetween, type CalendarDate } from '../../../shared/domain/calendar';
import { implantPump, recordEvent, recordRemoval, recordReversal } from '../features/record/service';
import { previewRefill, recordDoseChange, recordRefill } from '../features/record/refills';
import { mulberry32 } from './random';
import { CLINICIANS, FAMILY, GIVEN_F, GIVEN_M, NURSES, PAIN, chooseRegimen, doses, round1, round3 } from './regimens';

/**
 * A deterministic synthetic clinic for load and demo use: `patients` patients followed over
 * `years` years ending at `asOf`, written through the same schemas and services as real entries.
 * Same seed and as-of date → identical database content (the clock is fixed to the as-of date).
 */
export interface GenerateOptions {
  patients: number;
  years: number;
  seed: number;
  asOf: CalendarDate;
  /** Patients per transaction (default 500). */
  batchSize?: number;
  /** Called after every batch with the patients done so far. */
  onProgress?: (done: number, total: number) => void;
  /** How often the rarer courses happen (per patient); defaults in `DEFAULT_RATES`. */
  rates?: Partial<GenerateRates>;
  /** MRN prefix (default `GEN-`): MRNs are the prefix and the patient's number, 6 digits. */
  mrnPrefix?: string;
}

export interface GenerateRates {
  /** A therapy reversal (pump turned off) some time after the implant. */
  reversal: number;
  /** A removal before end of service: infection or lack of efficacy (no replacement), or a pump failure (replaced the same day). */
  removal: number;
  /** The last visit missed, so the pump ends up due or overdue. */
  missedLastVisit: number;
}

/**
 * Stored with a generated dose change only where it crosses a soft limit of the drug library (the
 * service keeps no reason otherwise): clinicians titrate past the soft step of a drug such as
 * ziconotide with a reason, and without one the service refuses the change.
 */
const SOFT_LIMIT_REASON = 'Titration step agreed with the prescribing physician after review of symptoms and side effects.';

export const DEFAULT_RATES: GenerateRates = { reversal: 0.05, removal: 0.03, missedLastVisit: 0.08 };

interface EarlyRemoval {
  reasons: RemovalReason[];
  catheterRemoved: boolean;
  replaced: boolean;
  note: string;
}

const EARLY_REMOVALS: EarlyRemoval[] = [
  { reasons: ['infection'], catheterRemoved: true, replaced: false, note: 'Pocket infection not settling on antibiotics: pump and catheter removed, cultures sent.' },
  { reasons: ['lack_of_efficacy', 'patient_request'], catheterRemoved: false, replaced: false, note: 'Little benefit after dose trials; removed at the patient’s request.' },
  { reasons: ['other'], catheterRemoved: false, replaced: true, note: 'Motor stall confirmed on rotor study: pump replaced, catheter intact and left in place.' },
];

export interface GenerateCounts {
  patients: number;
  pumps: number;
  refills: number;
  flaggedRefills: number;
  doseChanges: number;
  events: number;
  reversals: number;
  removals: number;
}

type Parsable = 'patients.create' | 'pumps.implant' | 'refills.record' | 'doseChanges.record' | 'events.record' | 'reversals.record' | 'removals.record';

/** Generated entries pass the requests' schemas on the internal path (entries.ts: history, based on nothing read). */
function parse<K extends Parsable>(name: K, input: InternalInputOf<K>): ParsedInternalInputOf<K> {
  return parseInternal(name, input);
}

function must<T>(r: Result<T>, what: string): T {
  if (!r.ok) throw new Error(`generate: ${what}: ${r.error.message}`);
  return r.value;
}

/** True when the database holds no patient and no pump. */
export function isEmptyClinic(ctx: HandlerContext): boolean {
  return ctx.store.patients.list(1).length === 0 && ctx.store.record.allPumps().length === 0;
}

interface Model {
  id: number;
  reservoirMl: number;
  serviceLifeMonths: number | null;
  prefix: string;
}

/** Generates the clinic into `ctx` (which must be empty); answers the counts. Throws on any service refusal. */
export function generateClinic(ctx0: HandlerContext, options: GenerateOptions): GenerateCounts {
  const { asOf, years } = options;
  const rates: GenerateRates = { ...DEFAULT_RATES, ...options.rates };
  const mrnPrefix = options.mrnPrefix ?? 'GEN-';
  const fixedNow = Date.parse(`${asOf}T12:00:00Z`);
  const ctx: HandlerContext = { ...ctx0, now: () => fixedNow };
  const devices = ctx.store.catalog.devices();
  const model = (name: string, reservoirUl: number, prefix: string): Model => {
    const d = devices.find((x) => x.model === name && x.reservoirUl === reservoirUl);
    if (!d) throw new Error(`generate: the device catalog has no ${name} ${reservoirUl / 1000} mL`);
    return { id: d.id, reservoirMl: reservoirUl / 1000, serviceLifeMonths: d.serviceLifeMonths, prefix };
  };
  const SM20 = model('SynchroMed II', 20000, 'NGP20');
  const SM40 = model('SynchroMed II', 40000, 'NGP40');
  const PRO20 = model('Prometra II', 20000, 'PII-');

  const counts: GenerateCounts = { patients: 0, pumps: 0, refills: 0, flaggedRefills: 0, doseChanges: 0, events: 0, reversals: 0, removals: 0 };
  const start = addDays(asOf, -Math.round(years * 365.25));
  const span = daysBetween(start, asOf);
  let serialNo = 0;
  const serial = (m: Model) => `${m.prefix}${String(++serialNo).padStart(7, '0')}${m.prefix === 'PII-' ? '' : 'H'}`;

  const onePatient = (index: number): void => {
    const rng = mulberry32(Math.imul(options.seed, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca6b));
    const sex = rng.next() < 0.5 ? 'female' : 'male';
    const indication: Indication = rng.next() < 0.3 ? 'spasticity' : rng.pick(PAIN);
    const indications: Indication[] = [indication];
    if (indication === 'failed_back_surgery_syndrome' && rng.next() < 0.2) indications.push('arachnoiditis');
    const ageAtImplant = indication === 'spasticity' ? rng.int(18, 65) : rng.int(30, 82);
    const clinician = rng.pick(CLINICIANS);
    const implantDate = addDays(start, rng.int(0, Math.max(0, span - 10)));
    const patient = ctx.store.patients.create(
      parse('patients.create', {
        mrn: `${mrnPrefix}${String(index + 1).padStart(6, '0')}`,
        familyName: rng.pick(FAMILY),
        givenName: rng.pick(sex === 'female' ? GIVEN_F : GIVEN_M),
        birthDate: addDays(implantDate, -(ageAtImplant * 365 + rng.int(0, 364))),
        sex,
        indications,
        allergies: rng.next() < 0.15 ? rng.pick(['Penicillin', 'Latex', 'Iodine contrast', 'Sulfonamides']) : undefined,
        clinician,
        // A fictional mobile number (555-0100…0199, reserved for fiction), from the index alone so
        // the random choices (and every fact derived from them) stay as they were.
        contacts: { phones: [{ use: 'mobile', number: fictionalPhone(index) }] },
      }),
      ctx.now(),
    );
    counts.patients++;

    const regimen = chooseRegimen(rng, indication);
    const pickModel = (): Model => {
      const r = rng.next();
      // Large daily volumes go in 40 mL pumps; ziconotide (40-day stability) in 20 mL ones.
      if (regimen.ingredients[0]!.drug === 'Ziconotide') return r < 0.7 ? SM20 : PRO20;
      if (regimen.volMl > 0.3) return r < 0.8 ? SM40 : PRO20;
      return r < 0.45 ? SM20 : r < 0.75 ? SM40 : PRO20;
    };
    const endOfService = (m: Model, from: CalendarDate): CalendarDate | null =>
      m.serviceLifeMonths === null ? null : addDays(addMonths(from, m.serviceLifeMonths), -rng.int(0, 60));
    const tip = rng.pick(['T8', 'T9', 'T10', 'T11', 'T12']);

    let m = pickModel();
    let pump: Pump = must(
      implantPump(ctx, parse('pumps.implant', { patientId: patient.id, deviceModelId: m.id, serial: serial(m), implantDate, catheterTipLevel: tip, implantingPhysician: clinician })),
      'implant',
    );
    counts.pumps++;
    let eos = endOfService(m, implantDate);
    const reversalAt = rng.next() < rates.reversal ? addDays(implantDate, rng.int(120, Math.max(120, span))) : null;
    const missLast = rng.next() < rates.missedLastVisit;
    let removalAt = rng.next() < rates.removal ? addDays(implantDate, rng.int(90, Math.max(90, span))) : null;
    const early = rng.pick(EARLY_REMOVALS);
    let visit = implantDate;
    let first = true;

    for (;;) {
      const drugs = doses(regimen);
      let withdrawnMl: number | null = null;
      let note: string | undefined;
      if (!first) {
        const probe = must(
          previewRefill(ctx, parse('refills.record', { pumpId: pump.id, date: visit, withdrawnMl: 0, addedMl: m.reservoirMl, drugs, mode: 'simple_continuous', reservoirPortConfirmed: true })),
          `refill preview ${visit}`,
        );
        const expected = (probe.expectedResidualUl ?? 0) / 1000;
        const threshold = probe.thresholdUl / 1000;
        if (rng.next() < 0.03) {
          const off = threshold + rng.range(0.5, 3);
          const under = expected - off >= 0 && rng.next() < 0.6;
          withdrawnMl = round1(under ? expected - off : Math.min(m.reservoirMl, expected + off));
          note = under
            ? `Residual ${round1(expected - withdrawnMl)} mL below expected: pump interrogated, no alarms; catheter study booked.`
            : `Residual ${round1(withdrawnMl - expected)} mL above expected: rotor study done, pump reprogrammed and checked.`;
        } else {
          withdrawnMl = Math.min(m.reservoirMl, Math.max(0, round1(expected + rng.range(-0.4, 0.4) * threshold)));
        }
      }
      const recorded = must(
        recordRefill(
          ctx,
          parse('refills.record', {
            pumpId: pump.id,
            date: visit,
            withdrawnMl,
            addedMl: m.reservoirMl,
            drugs,
            mode: 'simple_continuous',
            reservoirPortConfirmed: true,
            clinician: rng.pick(NURSES),
            note,
            acknowledgeDiscrepancy: note !== undefined,
          }),
          { imported: true },
        ),
        `refill ${visit}`,
      ).refill;
      counts.refills++;
      if (recorded.discrepancyFlag === true) {
        counts.flaggedRefills++;
        if (!recorded.note) throw new Error(`generate: refill ${visit} of ${pump.serial} is flagged without a note`);
      }
      first = false;

      const nextFrom = (due: string | null, after: CalendarDate): CalendarDate => {
        const n = addDays((due ?? addDays(after, 60)) as CalendarDate, -rng.int(0, 5));
        return n > after ? n : addDays(after, 1);
      };
      let next = nextFrom(recorded.nextDueDate, visit);
      const limit = (): CalendarDate => {
        let end = next;
        if (eos !== null && eos < end) end = eos;
        if (reversalAt !== null && reversalAt < end) end = reversalAt;
        if (removalAt !== null && removalAt < end) end = removalAt;
        const tomorrow = addDays(asOf, 1);
        return tomorrow < end ? tomorrow : end;
      };
      const inside = (): CalendarDate | null => {
        const gap = daysBetween(visit, limit());
        return gap >= 2 ? addDays(visit, rng.int(1, gap - 1)) : null;
      };

      // About one dose change a year, early in the interval.
      const interval = daysBetween(visit, next);
      if (rng.next() < interval / 365) {
        const gap = daysBetween(visit, limit());
        if (gap >= 4) {
          const date = addDays(visit, rng.int(1, Math.floor(gap / 2)));
          const lead = regimen.ingredients[0]!;
          const maxVol = lead.maxDose / lead.conc;
          const volMl = Math.max(0.02, Math.min(maxVol, 0.7, regimen.volMl * rng.range(0.8, 1.25)));
          const dose = round3(lead.conc * volMl);
          regimen.volMl = dose / lead.conc;
          must(
            recordDoseChange(ctx, parse('doseChanges.record', { pumpId: pump.id, date, drug: lead.drug, dailyDose: { value: dose, unit: lead.unit }, clinician, note: rng.next() < 0.5 ? 'Dose adjusted for symptom control.' : undefined, overrideReason: SOFT_LIMIT_REASON })),
            `dose change ${date}`,
          );
          counts.doseChanges++;
          next = nextFrom(ctx.store.record.projection(pump.id)?.nextDueDate ?? null, date);
        }
      }

      // Adverse events and MRI scans between visits.
      if (rng.next() < 0.02 * (interval / 30)) {
        const date = inside();
        if (date !== null) {
          const recent = daysBetween(date, asOf) < 90;
          must(
            recordEvent(ctx, parse('events.record', {
              patientId: patient.id,
              pumpId: pump.id,
              date,
              kind: 'adverse',
              adverseKind: rng.pick(ADVERSE_KINDS),
              severity: rng.pick(['mild', 'mild', 'moderate', 'severe'] as const),
              status: recent && rng.next() < 0.6 ? 'open' : 'resolved',
              note: 'Reported at the visit; see the clinic letter.',
              clinician,
            })),
            `event ${date}`,
          );
          counts.events++;
        }
      }
      if (rng.next() < 0.01 * (interval / 30)) {
        const date = inside();
        if (date !== null) {
          must(
            recordEvent(ctx, parse('events.record', {
              patientId: patient.id,
              pumpId: pump.id,
              date,
              kind: 'mri',
              preScanDone: true,
              postScanCheckDate: date < asOf ? addDays(date, rng.int(0, Math.min(1, daysBetween(date, asOf)))) : undefined,
              note: 'MRI; pump interrogated after the scan.',
              clinician,
            })),
            `mri ${date}`,
          );
          counts.events++;
        }
      }

      // Therapy reversal: the pump is turned off and followed no further.
      if (reversalAt !== null && reversalAt < next && reversalAt <= asOf && (eos === null || reversalAt < eos)) {
        must(
          recordReversal(ctx, parse('reversals.record', {
            pumpId: pump.id,
            date: reversalAt > visit ? reversalAt : visit,
            kind: rng.pick(REVERSAL_KINDS),
            plan: 'Intrathecal therapy tapered; oral analgesia as needed.',
            outcome: rng.next() < 0.7 ? 'Off intrathecal therapy, comfortable.' : undefined,
            clinician,
          })),
          'reversal',
        );
        counts.reversals++;
        return;
      }

      // An early removal: the pump is out (and followed no further), or replaced the same day.
      if (removalAt !== null && removalAt < next && removalAt <= asOf && (eos === null || removalAt < eos)) {
        const date = removalAt > visit ? removalAt : visit;
        const removed = must(
          recordRemoval(ctx, parse('removals.record', {
            pumpId: pump.id,
            date,
            reasons: early.reasons,
            catheterRemoved: early.catheterRemoved,
            disposition: early.replaced ? 'returned_to_manufacturer' : 'discarded',
            note: early.note,
            clinician,
            ...(early.replaced ? { replacement: { deviceModelId: m.id, serial: serial(m), implantDate: date, catheterTipLevel: tip } } : {}),
          })),
          'early removal',
        );
        counts.removals++;
        removalAt = null;
        if (removed.replacement === null) return;
        pump = removed.replacement;
        counts.pumps++;
        eos = endOfService(m, date);
        visit = date;
        first = true;
        continue;
      }

      // End of service: removal with a replacement the same day, refilled at once.
      if (eos !== null && eos < next && eos <= asOf) {
        const date = eos > visit ? eos : visit;
        const newModel = rng.next() < 0.7 ? m : pickModel();
        pump = must(
          recordRemoval(ctx, parse('removals.record', {
            pumpId: pump.id,
            date,
            reasons: ['battery_end_of_life'],
            catheterRemoved: false,
            disposition: 'returned_to_manufacturer',
            note: 'Elective replacement indicator reached. Catheter intact, left in place.',
            clinician,
            replacement: { deviceModelId: newModel.id, serial: serial(newModel), implantDate: date, catheterTipLevel: tip },
          })),
          'removal',
        ).replacement!;
        counts.removals++;
        counts.pumps++;
        m = newModel;
        eos = endOfService(m, date);
        visit = date;
        first = true;
        continue;
      }

      if (next > asOf) return;
      // Some patients miss their last visit: their pump ends up due or overdue.
      if (missLast && daysBetween(next, asOf) < 45) return;
      visit = next;
    }
  };

  const batch = Math.max(1, options.batchSize ?? 500);
  for (let from = 0; from < options.patients; from += batch) {
    const to = Math.min(options.patients, from + batch);
    ctx.store.transaction(() => {
      for (let i = from; i < to; i++) onePatient(i);
      // One audit entry says the clinic is synthetic and what it holds, in its last batch's transaction.
      if (to === options.patients) {
        ctx0.audit.record({ action: 'create', entity: 'synthetic_clinic', entityId: null, detail: { seed: options.seed, years, asOf, mrnPrefix, created: counts } });
      }
    });
    options.onProgress?.(to, options.patients);
  }
  return counts;
}

const AREA_CODES = ['312', '415', '617', '206', '512', '303', '404', '602'];
/** "(312) 555-0123": one of 800 fictional numbers, the area code and last two digits from the index. */
export function fictionalPhone(index: number): string {
  return `(${AREA_CODES[index % AREA_CODES.length]}) 555-01${String(Math.floor(index / AREA_CODES.length) % 100).padStart(2, '0')}`;
}
