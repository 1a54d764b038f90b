/**
 * Creates a database with one synthetic patient: 20 years of monthly refills (two pumps, the first
 * replaced after 10 years), a morphine (mg) + clonidine (mcg) admixture with dose changes at
 * refills and between refills, and a few flagged discrepancies. Everything goes through the same
 * services as real entries (`createServices(...).dispatch`).
 *
 * Usage: node --import tsx scripts/bench/seed-20y.ts FILE   → prints {"patientId": N, "refills": N}
 */
import { createServices } from '../../electron/services/app';
import { addDays, todayIn, type CalendarDate } from '../../shared/domain/calendar';

const file = process.argv[2];
if (!file) {
  console.error('usage: seed-20y.ts DATABASE_FILE');
  process.exit(2);
}

async function main(dbFile: string) {
  const opened = createServices({ databasePath: dbFile, shell: 'browser' });
  if (!opened.ok) throw new Error(opened.error.message);
  const services = opened.value;
  const must = async <T>(name: string, input: unknown): Promise<T> => {
    const r = await services.dispatch(name, input);
    if (!r.ok) throw new Error(`${name} ${JSON.stringify(input).slice(0, 200)}: ${r.error.message}`);
    return r.value as T;
  };
  const settings = await must<{ timeZone: string }>('settings.get', {});
  const today = todayIn(settings.timeZone, Date.now());
  const day = (offset: number) => addDays(today as CalendarDate, offset);
  const devices = await must<{ id: number; model: string; reservoirUl: number }[]>('devices.list', {});
  const device = devices.find((d) => d.model.includes('SynchroMed II') && d.reservoirUl === 40000);
  if (!device) throw new Error('no SynchroMed II 40 mL in the catalog');

  const patient = await must<{ id: number }>('patients.create', {
    mrn: 'BENCH-20Y',
    familyName: 'Benchmark',
    givenName: 'Twenty Years',
    birthDate: '1950-01-01',
    sex: 'female',
    indications: ['cancer_pain'],
  });

  const INTERVAL = 30;
  const START = -20 * 365;
  const REPLACE = -10 * 365;
  let pump = await must<{ id: number }>('pumps.implant', { patientId: patient.id, deviceModelId: device.id, serial: 'BENCH-A', implantDate: day(START) });
  // Morphine 20 mg/mL and clonidine 100 mcg/mL: both flow at dose / concentration mL/day.
  const drugs = (morphineMg: number) => [
    { drug: 'Morphine', concentration: { value: 20, unit: 'mg' }, dailyDose: { value: morphineMg, unit: 'mg' } },
    { drug: 'Clonidine', concentration: { value: 100, unit: 'mcg' }, dailyDose: { value: morphineMg * 5, unit: 'mcg' } },
  ];
  let refills = 0;
  let previous: { offset: number; rateMlPerDay: number; changeAt?: number; changedRate?: number } | null = null;
  for (let offset = START, i = 0; offset <= -5; offset += INTERVAL, i++) {
    if (previous && offset >= REPLACE && offset - INTERVAL < REPLACE) {
      const r = await must<{ replacement: { id: number } }>('removals.record', {
        pumpId: pump.id,
        date: day(offset - 1),
        reasons: ['battery_end_of_life'],
        catheterRemoved: false,
        replacement: { deviceModelId: device.id, serial: 'BENCH-B', implantDate: day(offset - 1) },
      });
      pump = r.replacement;
      previous = null;
    }
    const morphineMg = 8 + 2 * (Math.floor(i / 24) % 3); // 8, 10, 12 mg/day, changing every two years
    let withdrawnMl: number | null = null;
    if (previous) {
      const days = offset - previous.offset;
      const used =
        previous.changeAt === undefined
          ? days * previous.rateMlPerDay
          : (previous.changeAt - previous.offset) * previous.rateMlPerDay + (offset - previous.changeAt) * (previous.changedRate ?? 0);
      const expected = Math.max(0, 40 - used);
      const noise = i % 37 === 0 ? -3 : ((i * 7) % 5) / 10 - 0.2; // every 37th visit is flagged
      withdrawnMl = Math.max(0, Math.round((expected + noise) * 10) / 10);
    }
    await must('refills.record', {
      pumpId: pump.id,
      date: day(offset),
      withdrawnMl,
      addedMl: 40,
      drugs: drugs(morphineMg),
      mode: 'simple_continuous',
      reservoirPortConfirmed: true,
      note: 'Benchmark refill.',
      acknowledgeDiscrepancy: true,
    });
    refills++;
    previous = { offset, rateMlPerDay: morphineMg / 20 };
    if (i % 12 === 6 && offset + 15 < 0) {
      // A dose change between refills twice a year... once a year.
      const changed = morphineMg + 1;
      await must('doseChanges.record', { pumpId: pump.id, date: day(offset + 15), drug: 'Morphine', dailyDose: { value: changed, unit: 'mg' } });
      previous = { ...previous, changeAt: offset + 15, changedRate: changed / 20 };
    }
  }
  services.close();
  console.log(JSON.stringify({ patientId: patient.id, refills }));
}

main(file).catch((e: unknown) => {
  console.error((e as Error).message);
  process.exit(1);
});
