/**
 * `npm run bench`: the scale benchmark of issue 7. Builds (or reuses, cached) clinics of the sizes
 * the targets name, measures each figure with its floor from the same run where one exists, and
 * prints one Markdown table (the one kept in docs/performance.md).
 *
 * Usage: npm run bench [-- --patients 50000 --years 10 --base 1000 --only queries,startup,shell,interchange,server] [--encrypted]
 * --encrypted: the same figures on encrypted databases (scripts/bench/encryption.ts).
 * The server section (scripts/bench/server.ts): --seconds 60 --workstations 20 --think-ms 1000
 * (a person's pause between steps; --think-ms 0 measures what the server can take).
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { CACHE_DIR, scaleClinic } from './scale-db';
import { runFile, useEncryption } from './encryption';
import { table, meets, type Figure } from './measure';
import { queryFigures } from './queries';
import { interchangeFigures } from './interchange';
import { fhirFigures } from './fhir';
import { shellFigures } from './shell';
import { startupFigures } from './startup';
import { eventLoopFigures } from './event-loop';
import { benchRecordCharts, CHART_TARGETS } from './chart';
import { describeRun, runServerBench, serverFigures } from './server';
import { calendarDate } from '../../shared/domain/calendar';

const { values } = parseArgs({
  options: {
    patients: { type: 'string', default: '50000' },
    years: { type: 'string', default: '10' },
    base: { type: 'string', default: '1000' },
    'as-of': { type: 'string', default: '2026-11-24' },
    only: { type: 'string' },
    encrypted: { type: 'boolean', default: false },
    seconds: { type: 'string', default: '60' },
    workstations: { type: 'string', default: '20' },
    'think-ms': { type: 'string', default: '1000' },
  },
});
const patients = Number(values.patients);
const years = Number(values.years);
const asOf = calendarDate(values['as-of']!);
const only = values.only ? new Set(values.only.split(',')) : null;
const want = (section: string) => !only || only.has(section);
const log = (line: string) => process.stderr.write(`${line}\n`);

if (values.encrypted) useEncryption(CACHE_DIR);
const figures: Figure[] = [];
const started = Date.now();
log(`reservoir bench: ${patients} patients, ${years} years of history, as of ${asOf}${values.encrypted ? ', encrypted databases' : ''}`);
const big = scaleClinic({ patients, years, asOf, basePatients: Number(values.base), log });

if (want('queries')) {
  log('- worklist, search, record data');
  figures.push(...queryFigures(runFile(big, log), patients, asOf, big));
}

if (want('startup')) {
  log(`- start-up and reservoir worklist at ${patients} patients against an empty database`);
  figures.push(...(await startupFigures(big, patients, asOf, log)));
}

if (want('interchange')) {
  const size = Math.min(patients, 10_000);
  log(`- CSV export and import at ${size} patients`);
  const clinic = size === patients ? big : scaleClinic({ patients: size, years, asOf, basePatients: Number(values.base), log });
  figures.push(...interchangeFigures(runFile(clinic, log), size, asOf, log, clinic));
}

if (want('fhir')) {
  const size = Math.min(patients, 10_000);
  log(`- FHIR export at ${size} patients`);
  figures.push(...fhirFigures(scaleClinic({ patients: size, years, asOf, basePatients: Number(values.base), log }), size, asOf, log));
}

if (want('event-loop')) {
  const size = Math.min(patients, 10_000);
  log(`- the main side's event loop during report exports of ${size} patients`);
  figures.push(...(await eventLoopFigures(scaleClinic({ patients: size, years, asOf, basePatients: Number(values.base), log }), size, asOf, log)));
}

if (want('record')) {
  log('- one patient record with 20 and 25 years of monthly refills, in Chromium');
  for (const row of await benchRecordCharts({ years: [20, 25], runs: 5, log })) {
    const label = `${row.years} years, ${row.refills} refills`;
    figures.push({ name: `patient record data, patients.get (${label})`, value: row.dataMainMs, unit: 'ms' });
    figures.push({
      name: `patient record: charts drawn (${label})`,
      value: row.chartsMs,
      unit: 'ms',
      ...(row.years === CHART_TARGETS.chartsMs.years ? { max: CHART_TARGETS.chartsMs.max } : {}),
      note: `from the route change (the record opened from the worklist); ${row.chartsFromDataMs.toFixed(0)} ms from the record's data arriving in the page; main-thread CPU ${row.openCpuMs.toFixed(0)} ms`,
    });
    figures.push({
      name: `patient record: interactive (${label})`,
      value: row.interactiveMs,
      unit: 'ms',
      ...(row.years === CHART_TARGETS.interactiveMs.years ? { max: CHART_TARGETS.interactiveMs.max } : {}),
    });
  }
}

if (want('shell')) {
  log(`- browser shell on ${patients} patients, and memory`);
  figures.push(...(await shellFigures(runFile(big, log), patients, log)));
}

if (want('server')) {
  const workstations = Number(values.workstations);
  log(`- reservoir serve on ${patients} patients, ${workstations} workstations for ${values.seconds} s`);
  if (values.encrypted) log('  (the server section measures the unencrypted clinic: reservoir serve --plain)');
  const run = await runServerBench({ clinicFile: big, workstations, clinicians: Math.min(workstations, 10), seconds: Number(values.seconds), warmupSeconds: 5, thinkMs: Number(values['think-ms']), log });
  log(describeRun(run));
  figures.push(...serverFigures(run, patients, workstations));
}

console.log(table(figures));
console.log(`\n${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${new Date().toISOString().slice(0, 16)}Z; ${((Date.now() - started) / 1000).toFixed(0)} s`);
const missed = figures.filter((f) => meets(f) === false);
console.log(missed.length ? `targets missed: ${missed.map((f) => f.name).join('; ')}` : 'every target met');
