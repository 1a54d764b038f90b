/**
 * Creates a database with one synthetic patient: YEARS (default 20) years of monthly refills (two
 * pumps, the first replaced half-way), a morphine (mg) + clonidine (mcg) admixture with dose changes
 * at refills and between refills, and a few flagged discrepancies. Everything goes through the same
 * services as real entries (`createServices(...).dispatch`).
 *
 * Usage: node --import tsx scripts/bench/seed-history.ts FILE [YEARS]
 *   → prints {"patientId": N, "refills": N, "doseChanges": N}
 */
import { createServices } from '../../electron/services/app';
import { addDays, todayIn, type CalendarDate } from '../../shared/domain/calendar';
import { BENCH_USER } from './bench-user';

const file = process.argv[2];
const years = Number(process.argv[3] ?? 20);
if (!file || !Number.isInteger(years) || years < 1 || years > 60) {
  console.error('usage: seed-history.ts DATABASE_FILE [YEARS (1-60, default 20)]');
  process.exit(2);
}

async function main(dbFile: string) {
  const opened = createServices({ databasePath: dbFile, shell: 'browser' });
  if (!opened.ok) throw new Error(opened.error.message);
  const services = opened.value;
  // Where the console has accounts: an administrator on the empty database, who creates the
  // benchmark's clinician (who records, and whom the benchmark signs in as).
  const slot = { id: null as string | null };
  const session = await services.dispatch('session.current', {}, slot);
  if (session.ok && (session.value as { state: string }).state === 'setup') {
    const steps: [string, unknown][] = [
      ['session.setup', { username: 'bench-admin', displayName: 'Benchmark administrator', password: BENCH_USER.password }],
      ['users.create', { username: BENCH_USER.username, displayName: 'Benchmark clinician', role: 'clinician', password: BENCH_USER.password }],
      ['session.logout', {}],
      ['session.login', BENCH_USER],
    ];
    for (const [name, input] of steps) {
      const r = await services.dispatch(name, input, slot);
      if (!r.ok) throw new Error(`${name}: ${r.error.message}`);
    }
  }
  const must = async <T>(name: string, input: unknown): Promise<T> => {
    const r = await services.dispatch(name, input, slot);
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
    mrn: `BENCH-${years}Y`,
    familyName: 'Benchmark',
    givenName: `${years} Years`,
    birthDate: '1950-01-01',
    sex: 'female',
    indications: ['cancer_pain'],
  });

  const INTERVAL = 30;
  const START = -years * 365;
  const REPLACE = Math.round(START / 2);
  let pump = await must<{ id: number }>('pumps.implant', { patientId: patient.id, deviceModelId: device.id, serial: 'BENCH-A', implantDate: day(START) });
  // A clinical entry carries the pump's state as read (the contract requires it; the record answers it).
  const state = async () => (await must<{ pumps: { pump: { id: number }; state: string }[] }>('patients.get', { id: patient.id })).pumps.find((h) => h.pump.id === pump.id)!.state;
  // Morphine 20 mg/mL and clonidine 100 mcg/mL: both flow at dose / concentration mL/day.
  const drugs = (morphineMg: number) => [
    { drug: 'Morphine', concentration: { value: 20, unit: 'mg' }, dailyDose: { value: morphineMg, unit: 'mg' } },
    { drug: 'Clonidine', concentration: { value: 100, unit: 'mcg' }, dailyDose: { value: morphineMg * 5, unit: 'mcg' } },
  ];
  let refills = 0;
  let doseChanges = 0;
  let previous: { offset: number; rateMlPerDay: number; changeAt?: number; changedRate?: number } | null = null;
  for (let offset = START, i = 0; offset <= -5; offset += INTERVAL, i++) {
    if (previous && offset >= REPLACE && offset - INTERVAL < REPLACE) {
      const r = await must<{ replacement: { id: number } }>('removals.record', {
        pumpId: pump.id,
        pumpState: await state(),
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
      pumpState: await state(),
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
      await must('doseChanges.record', { pumpId: pump.id, pumpState: await state(), date: day(offset + 15), drug: 'Morphine', dailyDose: { value: changed, unit: 'mg' } });
      previous = { ...previous, changeAt: offset + 15, changedRate: changed / 20 };
      doseChanges++;
    }
  }
  services.close();
  console.log(JSON.stringify({ patientId: patient.id, refills, doseChanges }));
}

main(file).catch((e: unknown) => {
  console.error((e as Error).message);
  process.exit(1);
});
